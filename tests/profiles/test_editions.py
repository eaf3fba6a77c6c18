"""Editions: start from a preset, clone into the next, compare, publish; pages and API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from indicators.models import Observation
from profiles.choices import EditionStatus, RecommendationTarget
from profiles.models import Edition, Recommendation, Section
from profiles.selectors.editions import edition_compare
from profiles.services.editions import edition_clone, edition_publish, edition_update
from profiles.tables import shown_tables
from stakeholders.permissions import Perm, workspace_perms
from stakeholders.review import ReviewState, review_edit
from tests.indicators.observation_factories import approve, approved, make_source
from tests.querycount import assert_pinned_queries

from .edition_factories import approve_sections, publish, section, sections, start_edition, write

pytestmark = pytest.mark.django_db

LIGHT_SECTIONS = [
    ("", "front", "Key data", ["SOC-01", "SOC-02", "TRA-01"]),
    ("A", "A", "Migration trends", ["SOC-01", "TRA-06", "SOC-03", "SOC-05"]),
    ("B", "B", "Impact of migration", ["TRA-01", "ECO-03", "ECO-04"]),
    ("C", "C", "Migration governance", ["GOV-01"]),
    ("D", "D", "Findings and recommendations", []),
    ("", "annex", "Statistical annex", ["SOC-01", "SOC-02", "TRA-01", "TRA-06", "GEN-01"]),
]


def table_summary(edition: Edition) -> list[tuple[str, str, str, list[tuple[str, int, int]]]]:
    return [
        (
            item.code,
            item.part,
            item.title,
            [
                (t.indicator.code, t.first_year, t.last_year)
                for t in item.tables.order_by("position")
            ],
        )
        for item in sections(edition)
    ]


# Start -----------------------------------------------------------------------------------------


def test_edition_start_creates_sections_and_tables_from_the_preset(world) -> None:
    edition = start_edition(world["editor"], world.workspace, start=2015, end=2019)
    assert edition.number == 1
    assert edition.status == EditionStatus.DRAFT
    expected = [
        (code, part, title, [(c, 2015, 2019) for c in codes])
        for code, part, title, codes in LIGHT_SECTIONS
    ]
    assert table_summary(edition) == expected
    recommendations = [item.has_recommendations for item in sections(edition)]
    assert recommendations == [False, False, False, False, True, False]
    assert all(item.review_state == ReviewState.DRAFT for item in sections(edition))
    second = start_edition(world["editor"], world.workspace, title="Another")
    assert second.number == 2


def test_edition_start_skips_codes_missing_from_the_catalogue(world) -> None:
    from profiles.services.templates import template_customise
    from tests.profiles.edition_factories import preset

    template = template_customise(actor=world["editor"], workspace=world.workspace, preset=preset())
    first = template.sections.order_by("position").first()
    first.suggested_indicators = ["SOC-01", "NOPE-99"]
    first.save()
    edition = start_edition(world["editor"], world.workspace, template=template)
    codes = [t.indicator.code for t in sections(edition)[0].tables.all()]
    assert codes == ["SOC-01"]


def test_edition_start_needs_the_right_to_edit(world) -> None:
    with pytest.raises(PermissionDenied):
        start_edition(world["reviewer"], world.workspace)
    assert not Edition.objects.exists()


# Clone -----------------------------------------------------------------------------------------


def test_edition_clone_moves_the_period_and_keeps_structure(world) -> None:
    editor = world["editor"]
    first = start_edition(editor, world.workspace, title="Profile 2015–2019")
    trends = section(first, "Migration trends")
    write(editor, trends, "Approved trends text.")
    approve_sections(editor, world["reviewer"], trends)
    write(editor, trends, "Later draft of the trends.")
    governance = section(first, "Migration governance")
    write(editor, governance, "Draft governance text.")
    findings = section(first, "Findings and recommendations")
    Recommendation.objects.create(
        section=findings,
        workspace=world.workspace,
        text="Publish statistics yearly",
        target=RecommendationTarget.STATISTICS,
    )
    source = make_source(editor, world.workspace)
    trends.sources.add(source)

    second = edition_clone(actor=editor, edition=first)

    assert (second.number, second.reference_start_year, second.reference_end_year) == (
        2,
        2020,
        2024,
    )
    assert second.title == "Profile 2020–2024"
    assert second.previous == first
    expected = [
        (code, part, title, [(c, 2020, 2024) for c in codes])
        for code, part, title, codes in LIGHT_SECTIONS
    ]
    assert table_summary(second) == expected
    new_trends = section(second, "Migration trends")
    # The approved text is carried over, not the later draft; a never-approved one as drafted.
    assert new_trends.narrative == "Approved trends text."
    assert section(second, "Migration governance").narrative == "Draft governance text."
    assert all(item.review_state == ReviewState.DRAFT for item in sections(second))
    assert all(item.approved_version is None for item in sections(second))
    assert list(new_trends.sources.all()) == [source]
    assert [
        (r.text, r.target)
        for r in section(second, "Findings and recommendations").recommendations.all()
    ] == [("Publish statistics yearly", "statistics")]
    # The original is untouched.
    assert table_summary(first)[1][3][0] == ("SOC-01", 2015, 2019)


def test_freezing_approved_section_keeps_snapshot_and_next_edition_reads_new_value(world) -> None:
    editor, reviewer = world["editor"], world["reviewer"]
    observation = approved(
        editor, reviewer, world.workspace, code="SOC-01", period="2019", value="10"
    )
    first = start_edition(editor, world.workspace)
    trends = section(first, "Migration trends")
    live = shown_tables(trends, sees_drafts=True)
    assert live[0]["indicator"] == "SOC-01"
    assert live[0]["rows"][0]["values"] == {"2019": "10"}
    approve_sections(editor, reviewer, trends)

    observation.refresh_from_db()
    review_edit(
        actor=editor, item=observation, expected_lock_version=observation.lock_version, value="14"
    )
    approve(editor, reviewer, observation)
    observation.refresh_from_db()
    # Positive control: the new value really is approved in the database.
    from decimal import Decimal

    stored = Observation.objects.get(pk=observation.pk).approved_snapshot["value"]
    assert Decimal(str(stored)) == Decimal("14")
    trends.refresh_from_db()
    frozen = shown_tables(trends, sees_drafts=True)
    assert frozen[0]["rows"][0]["values"] == {"2019": "10"}

    # A clone keeps the years only if the table still covers them: widen the next one back.
    second = edition_clone(actor=editor, edition=first)
    new_trends = section(second, "Migration trends")
    table = new_trends.tables.get(indicator__code="SOC-01")
    table.first_year = 2019
    table.save()
    assert shown_tables(new_trends, sees_drafts=True)[0]["rows"][0]["values"] == {"2019": "14"}


# Compare ---------------------------------------------------------------------------------------


def test_edition_compare_shows_changed_text_and_values(world) -> None:
    editor, reviewer = world["editor"], world["reviewer"]
    observation = approved(
        editor, reviewer, world.workspace, code="SOC-01", period="2019", value="10"
    )
    first = start_edition(editor, world.workspace)
    trends = section(first, "Migration trends")
    write(editor, trends, "Emigration rose slowly.")
    approve_sections(editor, reviewer, trends)
    second = start_edition(editor, world.workspace, title="Second", start=2019, end=2023)
    observation.refresh_from_db()
    review_edit(
        actor=editor, item=observation, expected_lock_version=observation.lock_version, value="12"
    )
    approve(editor, reviewer, observation)
    write(editor, section(second, "Migration trends"), "Emigration rose quickly.")

    perms = workspace_perms(editor, world.workspace)
    result = {item.title: item for item in edition_compare(left=first, right=second, perms=perms)}
    trends_cmp = result["Migration trends"]
    assert trends_cmp.text_changed
    assert "<del>slowly.</del>" in trends_cmp.narrative_diff
    assert "<ins>quickly.</ins>" in trends_cmp.narrative_diff
    changed = [(v.indicator, v.row, v.year, v.old, v.new) for v in trends_cmp.changed_values]
    assert ("SOC-01", "_T", "2019", "10", "12") in changed
    # An unchanged section: no text change (positive control above).
    assert not result["Migration governance"].text_changed


def test_edition_compare_page_lists_the_value_change(client, world) -> None:
    editor, reviewer = world["editor"], world["reviewer"]
    observation = approved(
        editor, reviewer, world.workspace, code="SOC-01", period="2019", value="10"
    )
    first = start_edition(editor, world.workspace)
    approve_sections(editor, reviewer, section(first, "Key data"))
    second = edition_clone(actor=editor, edition=first)
    table = section(second, "Key data").tables.get(indicator__code="SOC-01")
    table.first_year = 2019
    table.save()
    observation.refresh_from_db()
    review_edit(
        actor=editor, item=observation, expected_lock_version=observation.lock_version, value="11"
    )
    approve(editor, reviewer, observation)
    client.force_login(editor)
    url = reverse("profiles:edition_compare", args=[world.workspace.slug])
    response = client.get(url, {"left": first.pk, "right": second.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Changed" in body and ">10<" in body and ">11<" in body


# Publish ---------------------------------------------------------------------------------------


def test_edition_publish_refused_while_a_section_is_unapproved(world) -> None:
    editor, reviewer, coordinator = world["editor"], world["reviewer"], world["coordinator"]
    edition = start_edition(editor, world.workspace)
    all_but_last = sections(edition)[:-1]
    approve_sections(editor, reviewer, *all_but_last)
    with pytest.raises(ValidationError) as refused:
        edition_publish(actor=coordinator, edition=edition)
    assert "Statistical annex" in str(refused.value)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT
    # Positive control: once every section is approved, it is published.
    approve_sections(editor, reviewer, sections(edition)[-1])
    edition_publish(actor=coordinator, edition=edition)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.PUBLISHED
    assert edition.published_by == coordinator and edition.published_at is not None


def test_edition_publish_only_by_coordinator(world) -> None:
    edition = start_edition(world["editor"], world.workspace)
    approve_sections(world["editor"], world["reviewer"], *sections(edition))
    with pytest.raises(PermissionDenied):
        edition_publish(actor=world["editor"], edition=edition)


def test_published_edition_metadata_is_frozen_except_stage(world) -> None:
    edition = publish(
        start_edition(world["editor"], world.workspace),
        submitter=world["editor"],
        reviewer=world["reviewer"],
        coordinator=world["coordinator"],
    )
    with pytest.raises(ValidationError):
        edition_update(actor=world["editor"], edition=edition, title="Changed")
    edition_update(actor=world["editor"], edition=edition, stage="launch")
    edition.refresh_from_db()
    assert (edition.title, edition.stage) == ("Migration profile 2015–2019", "launch")


def test_publish_page_lists_unapproved_sections(client, world) -> None:
    edition = start_edition(world["editor"], world.workspace)
    client.force_login(world["coordinator"])
    url = reverse("profiles:edition_publish", args=[world.workspace.slug, edition.pk])
    response = client.post(url)
    assert response.status_code == 400
    assert "Statistical annex" in response.content.decode()
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT


# Pages -----------------------------------------------------------------------------------------


def test_observer_sees_only_published_editions(client, world) -> None:
    published = publish(
        start_edition(world["editor"], world.workspace, title="Published profile"),
        submitter=world["editor"],
        reviewer=world["reviewer"],
        coordinator=world["coordinator"],
    )
    draft = start_edition(world["editor"], world.workspace, title="Draft profile")
    url = reverse("profiles:edition_list", args=[world.workspace.slug])
    for role in ("observer", "contributor"):
        client.force_login(world[role])
        body = client.get(url).content.decode()
        assert "Published profile" in body
        assert "Draft profile" not in body
        assert client.get(draft.get_absolute_url()).status_code == 404
        assert client.get(published.get_absolute_url()).status_code == 200
    client.force_login(world["reviewer"])
    body = client.get(url).content.decode()
    assert "Published profile" in body and "Draft profile" in body


def test_edition_start_page_creates_edition(client, world) -> None:
    from tests.profiles.edition_factories import preset

    client.force_login(world["editor"])
    url = reverse("profiles:edition_start", args=[world.workspace.slug])
    response = client.post(
        url,
        {
            "title": "First profile",
            "reference_start_year": "2015",
            "reference_end_year": "2019",
            "template": preset().pk,
            "language": "en",
            "stage": "planning",
        },
    )
    edition = Edition.objects.get()
    assert response.status_code == 302 and response["Location"] == edition.get_absolute_url()
    assert edition.sections.count() == 6
    bad = client.post(
        url, {"title": "X", "reference_start_year": "2020", "reference_end_year": "2010"}
    )
    assert bad.status_code == 200 and "cannot end before it starts" in bad.content.decode()


def test_edition_clone_page(client, world) -> None:
    first = start_edition(world["editor"], world.workspace)
    client.force_login(world["editor"])
    url = reverse("profiles:edition_clone", args=[world.workspace.slug, first.pk])
    assert "Migration profile 2020–2024" in client.get(url).content.decode()
    response = client.post(url, {"title": "Next one"})
    second = Edition.objects.get(number=2)
    assert response.status_code == 302 and second.title == "Next one"
    assert second.reference_start_year == 2020


def test_edition_list_queries(client, world) -> None:
    client.force_login(world["coordinator"])
    counter = iter(range(1, 100))

    def rows(n: int) -> None:
        for _ in range(n):
            number = next(counter)
            Edition.objects.create(
                workspace=world.workspace,
                number=number,
                title=f"E{number}",
                reference_start_year=2015,
                reference_end_year=2019,
            )

    url = reverse("profiles:edition_list", args=[world.workspace.slug])
    assert_pinned_queries(client, url, rows=rows, expected=6)


def test_edition_detail_queries(client, world) -> None:
    edition = start_edition(world["editor"], world.workspace)
    edition.sections.all().delete()
    client.force_login(world["coordinator"])

    def rows(n: int) -> None:
        for i in range(n):
            Section.objects.create(
                edition=edition, workspace=world.workspace, part="A", title=f"S{i}", position=i
            )

    assert_pinned_queries(client, edition.get_absolute_url(), rows=rows, expected=9)


# API -------------------------------------------------------------------------------------------


def api(name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"workspace_slug": "national", **kwargs})


def test_api_edition_start_clone_publish_compare(client, world) -> None:
    from tests.profiles.edition_factories import preset

    client.force_login(world["editor"])
    created = client.post(
        api("profile-edition-list"),
        {
            "title": "API profile",
            "reference_start_year": 2015,
            "reference_end_year": 2019,
            "template": preset().pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    edition = Edition.objects.get(pk=created.json()["id"])
    assert created.json()["section_count"] == 6 and created.json()["number"] == 1

    client.force_login(world["coordinator"])
    refused = client.post(api("profile-edition-publish", pk=edition.pk))
    assert refused.status_code == 400
    assert "Key data" in str(refused.json())
    approve_sections(world["editor"], world["reviewer"], *sections(edition))
    done = client.post(api("profile-edition-publish", pk=edition.pk))
    assert done.status_code == 200 and done.json()["status"] == "published"

    client.force_login(world["editor"])
    cloned = client.post(
        api("profile-edition-clone", pk=edition.pk), {}, content_type="application/json"
    )
    assert cloned.status_code == 201
    assert (cloned.json()["reference_start_year"], cloned.json()["previous"]) == (2020, edition.pk)
    compared = client.get(api("profile-edition-compare", pk=cloned.json()["id"]))
    assert compared.status_code == 200
    assert [item["title"] for item in compared.json()][:2] == ["Key data", "Migration trends"]


def test_api_observer_lists_published_only(client, world) -> None:
    published = publish(
        start_edition(world["editor"], world.workspace),
        submitter=world["editor"],
        reviewer=world["reviewer"],
        coordinator=world["coordinator"],
    )
    draft = start_edition(world["editor"], world.workspace, title="Draft")
    client.force_login(world["observer"])
    ids = [row["id"] for row in client.get(api("profile-edition-list")).json()["results"]]
    assert ids == [published.pk]
    client.force_login(world["editor"])
    ids = [row["id"] for row in client.get(api("profile-edition-list")).json()["results"]]
    assert ids == [draft.pk, published.pk]


def test_api_edition_list_queries(client, world) -> None:
    client.force_login(world["coordinator"])
    counter = iter(range(1, 100))

    def rows(n: int) -> None:
        for _ in range(n):
            number = next(counter)
            Edition.objects.create(
                workspace=world.workspace,
                number=number,
                title=f"E{number}",
                reference_start_year=2015,
                reference_end_year=2019,
            )

    assert_pinned_queries(client, api("profile-edition-list"), rows=rows, expected=6)


def test_perm_helper_sanity(world) -> None:
    assert Perm.PUBLISH in workspace_perms(world["coordinator"], world.workspace)
