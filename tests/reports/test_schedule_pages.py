"""Report schedules through the pages and the API: lifecycle by role, subscriptions, form
errors, and pinned query counts of the list page and the list endpoint."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mainstreaming.choices import ReportKind, RightsLevel, ScheduleFrequency
from mainstreaming.models import ReportSchedule
from mainstreaming.services import schedules as services
from tests.indicators.import_factories import indicator
from tests.mainstreaming.planning_factories import make_cycle
from tests.profiles.section_factories import make_edition
from tests.querycount import assert_pinned_queries

pytestmark = pytest.mark.django_db


def _schedule(world, **extra) -> ReportSchedule:
    fields = {
        "actor": world["coordinator"],
        "workspace": world.workspace,
        "kind": ReportKind.INDICATOR_FACT_SHEET,
        "parameters": {"indicator": indicator("GOV-02").pk},
        "frequency": ScheduleFrequency.QUARTERLY,
    }
    fields.update(extra)
    return services.schedule_create(**fields)


def _url(name: str, world, pk: int | None = None) -> str:
    kwargs = {"slug": world.workspace.slug}
    if pk is not None:
        kwargs["pk"] = pk
    return reverse(f"mainstreaming:{name}", kwargs=kwargs)


def _api(world, pk: int | None = None, action: str = "") -> str:
    kwargs = {"workspace_slug": world.workspace.slug}
    if pk is None:
        return reverse("report-schedule-list", kwargs=kwargs)
    name = f"report-schedule-{action}" if action else "report-schedule-detail"
    return reverse(name, kwargs={**kwargs, "pk": pk})


# Pages: lifecycle by role ----------------------------------------------------------------------


def test_coordinator_creates_changes_and_deletes_a_schedule(client, world):
    cycle = make_cycle(world, title="Plan for the donors")
    client.force_login(world["coordinator"])
    form = client.get(_url("schedule_create", world))
    assert form.status_code == 200
    assert "Plan for the donors" in form.content.decode()

    response = client.post(
        _url("schedule_create", world),
        {
            "kind": ReportKind.CYCLE_PROGRESS,
            "cycle": cycle.pk,
            "frequency": ScheduleFrequency.MONTHLY,
            "rights_level": RightsLevel.APPROVED,
            "language": "fr",
            "subscribers": [world["observer"].pk],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url("schedule_list", world)
    schedule = ReportSchedule.objects.get()
    assert schedule.kind == ReportKind.CYCLE_PROGRESS
    assert schedule.parameters == {"cycle": cycle.pk}
    assert schedule.frequency == ScheduleFrequency.MONTHLY
    assert schedule.language == "fr"
    assert schedule.created_by == world["coordinator"]
    assert list(schedule.subscribers.all()) == [world["observer"]]

    page = client.get(_url("schedule_list", world)).content.decode()
    assert "Cycle progress report: Plan for the donors" in page
    assert _url("schedule_update", world, schedule.pk) in page
    assert _url("schedule_delete", world, schedule.pk) in page

    edit = client.get(_url("schedule_update", world, schedule.pk))
    assert edit.status_code == 200
    assert edit.context["form"].initial["cycle"] == cycle.pk
    response = client.post(
        _url("schedule_update", world, schedule.pk),
        {
            "kind": ReportKind.CYCLE_PROGRESS,
            "cycle": cycle.pk,
            "frequency": ScheduleFrequency.QUARTERLY,
            "rights_level": RightsLevel.APPROVED,
            "language": "en",
            "subscribers": [world["observer"].pk, world["contributor"].pk],
            # "active" left out: the checkbox is unticked
        },
    )
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.frequency == ScheduleFrequency.QUARTERLY
    assert schedule.active is False
    assert set(schedule.subscribers.all()) == {world["observer"], world["contributor"]}

    confirm = client.get(_url("schedule_delete", world, schedule.pk))
    assert confirm.status_code == 200
    assert "2 subscribers" in confirm.content.decode()
    assert ReportSchedule.objects.filter(pk=schedule.pk).exists()  # GET deletes nothing
    response = client.post(_url("schedule_delete", world, schedule.pk))
    assert response.status_code == 302
    assert not ReportSchedule.objects.filter(pk=schedule.pk).exists()


@pytest.mark.parametrize("role", ["editor", "observer"])
def test_editor_and_observer_cannot_manage(client, world, role):
    schedule = _schedule(world)
    client.force_login(world[role])
    page = client.get(_url("schedule_list", world))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Indicator fact sheet: GOV-02" in html
    assert _url("schedule_create", world) not in html
    assert _url("schedule_update", world, schedule.pk) not in html
    assert client.get(_url("schedule_create", world)).status_code == 403
    assert client.post(_url("schedule_delete", world, schedule.pk)).status_code == 403
    assert client.post(_url("schedule_update", world, schedule.pk), {}).status_code == 403
    assert ReportSchedule.objects.filter(pk=schedule.pk).exists()


def test_observer_subscribes_to_approved_level_but_not_to_drafts_level(client, world):
    approved = _schedule(world)
    drafts = _schedule(world, rights_level=RightsLevel.DRAFTS)
    observer = world["observer"]
    client.force_login(observer)

    html = client.get(_url("schedule_list", world)).content.decode()
    assert _url("schedule_subscribe", world, approved.pk) in html
    assert _url("schedule_subscribe", world, drafts.pk) not in html  # not listed at all

    response = client.post(_url("schedule_subscribe", world, approved.pk))
    assert response.status_code == 302
    assert observer in approved.subscribers.all()
    html = client.get(_url("schedule_list", world)).content.decode()
    assert _url("schedule_unsubscribe", world, approved.pk) in html

    assert client.post(_url("schedule_subscribe", world, drafts.pk)).status_code == 404
    assert observer not in drafts.subscribers.all()

    client.post(_url("schedule_unsubscribe", world, approved.pk))
    assert observer not in approved.subscribers.all()
    # The buttons are POST forms: GET changes nothing.
    assert client.get(_url("schedule_subscribe", world, approved.pk)).status_code == 405


def test_editor_subscribes_to_drafts_level(client, world):
    drafts = _schedule(world, rights_level=RightsLevel.DRAFTS)
    client.force_login(world["editor"])
    assert client.post(_url("schedule_subscribe", world, drafts.pk)).status_code == 302
    assert list(drafts.subscribers.all()) == [world["editor"]]


def test_empty_list_shows_an_empty_state(client, world):
    client.force_login(world["coordinator"])
    html = client.get(_url("schedule_list", world)).content.decode()
    assert "No report is scheduled yet" in html
    _schedule(world)
    html = client.get(_url("schedule_list", world)).content.decode()
    assert "No report is scheduled yet" not in html


# Pages: form errors ----------------------------------------------------------------------------


def test_empty_form_shows_the_errors(client, world):
    client.force_login(world["coordinator"])
    response = client.post(_url("schedule_create", world), {})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"kind", "frequency"}
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_kind_0"' in html  # the summary links to the field
    assert ReportSchedule.objects.count() == 0


def test_kind_without_its_subject_is_an_error(client, world):
    client.force_login(world["coordinator"])
    response = client.post(
        _url("schedule_create", world),
        {"kind": ReportKind.CYCLE_PROGRESS, "frequency": "monthly", "language": "en"}
        | {"rights_level": RightsLevel.APPROVED},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cycle"] == ["Choose what the report is about."]


def test_draft_edition_refused_at_approved_level_accepted_with_drafts(client, world):
    edition = make_edition(world, title="Profile in the works")
    client.force_login(world["coordinator"])
    data = {
        "kind": ReportKind.PROFILE_EDITION,
        "edition": edition.pk,
        "frequency": "quarterly",
        "language": "en",
        "rights_level": RightsLevel.APPROVED,
    }
    response = client.post(_url("schedule_create", world), data)
    assert response.status_code == 200
    assert response.context["form"].errors["edition"]
    assert ReportSchedule.objects.count() == 0
    # Positive control: the same edition in an internal (drafts-level) schedule.
    response = client.post(
        _url("schedule_create", world), data | {"rights_level": RightsLevel.DRAFTS}
    )
    assert response.status_code == 302
    assert ReportSchedule.objects.get().parameters == {"edition": edition.pk}


def test_observer_cannot_be_subscribed_to_a_drafts_level_schedule(client, world):
    cycle = make_cycle(world)
    client.force_login(world["coordinator"])
    data = {
        "kind": ReportKind.CYCLE_PROGRESS,
        "cycle": cycle.pk,
        "frequency": "monthly",
        "language": "en",
        "rights_level": RightsLevel.DRAFTS,
        "subscribers": [world["observer"].pk],
    }
    response = client.post(_url("schedule_create", world), data)
    assert response.status_code == 200
    assert response.context["form"].errors["subscribers"] == [
        "Choose subscribers among the members who may read this report."
    ]
    response = client.post(_url("schedule_create", world), data | {"subscribers": []})
    assert response.status_code == 302


def test_outsider_is_not_offered_as_subscriber(client, world):
    cycle = make_cycle(world)
    client.force_login(world["coordinator"])
    response = client.post(
        _url("schedule_create", world),
        {
            "kind": ReportKind.CYCLE_PROGRESS,
            "cycle": cycle.pk,
            "frequency": "monthly",
            "language": "en",
            "rights_level": RightsLevel.APPROVED,
            "subscribers": [world["outsider"].pk],
        },
    )
    assert response.status_code == 200
    assert "subscribers" in response.context["form"].errors
    offered = set(response.context["form"].fields["subscribers"].queryset)
    assert world["observer"] in offered and world["outsider"] not in offered


# API -------------------------------------------------------------------------------------------


def test_api_lifecycle(client, world):
    cycle = make_cycle(world)
    client.force_login(world["coordinator"])
    response = client.post(
        _api(world),
        {
            "kind": ReportKind.CYCLE_PROGRESS,
            "parameters": {"cycle": cycle.pk},
            "frequency": "monthly",
            "subscribers": [world["observer"].pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    pk = body["id"]
    assert body["rights_level"] == RightsLevel.APPROVED
    assert body["parameters"] == {"cycle": cycle.pk}
    assert body["subscribers"] == [world["observer"].pk]
    assert body["subscriber_count"] == 1

    response = client.patch(
        _api(world, pk), {"frequency": "quarterly"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["frequency"] == "quarterly"
    assert response.json()["subscribers"] == [world["observer"].pk]  # untouched

    response = client.patch(
        _api(world, pk), {"subscribers": [world["outsider"].pk]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "subscribers" in response.json()

    assert client.delete(_api(world, pk)).status_code == 204
    assert not ReportSchedule.objects.filter(pk=pk).exists()


def test_api_create_errors(client, world):
    client.force_login(world["coordinator"])
    response = client.post(
        _api(world),
        {"kind": ReportKind.CYCLE_PROGRESS, "parameters": {"cycle": 999999}, "frequency": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "frequency" in response.json()
    response = client.post(
        _api(world),
        {
            "kind": ReportKind.CYCLE_PROGRESS,
            "parameters": {"cycle": 999999},
            "frequency": "monthly",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "cycle" in response.json()
    assert ReportSchedule.objects.count() == 0


@pytest.mark.parametrize("role", ["editor", "observer"])
def test_api_editor_and_observer_cannot_manage(client, world, role):
    schedule = _schedule(world)
    client.force_login(world[role])
    response = client.post(
        _api(world),
        {
            "kind": ReportKind.INDICATOR_FACT_SHEET,
            "parameters": {"indicator": indicator("GOV-02").pk},
            "frequency": "monthly",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert (
        client.patch(
            _api(world, schedule.pk), {"active": False}, content_type="application/json"
        ).status_code
        == 403
    )
    assert client.delete(_api(world, schedule.pk)).status_code == 403
    assert ReportSchedule.objects.count() == 1


def test_api_observer_reads_approved_level_and_subscribes(client, world):
    approved = _schedule(world, subscribers=[world["editor"]])
    drafts = _schedule(world, rights_level=RightsLevel.DRAFTS)
    client.force_login(world["observer"])
    body = client.get(_api(world)).json()
    assert [item["id"] for item in body["results"]] == [approved.pk]
    assert "subscribers" not in body["results"][0]  # other subscribers are not shown
    assert body["results"][0]["is_subscribed"] is False

    response = client.post(_api(world, approved.pk, "subscribe"))
    assert response.status_code == 200
    assert response.json()["is_subscribed"] is True
    assert response.json()["subscriber_count"] == 2

    assert client.post(_api(world, drafts.pk, "subscribe")).status_code == 404
    assert not drafts.subscribers.exists()

    response = client.post(_api(world, approved.pk, "unsubscribe"))
    assert response.json()["is_subscribed"] is False
    assert list(approved.subscribers.all()) == [world["editor"]]


def test_api_coordinator_sees_drafts_level_and_subscribers(client, world):
    _schedule(world, subscribers=[world["observer"]])
    _schedule(world, rights_level=RightsLevel.DRAFTS, subscribers=[world["editor"]])
    client.force_login(world["coordinator"])
    results = client.get(_api(world)).json()["results"]
    assert sorted(item["rights_level"] for item in results) == ["approved", "drafts"]
    assert sorted(item["subscribers"][0] for item in results) == sorted(
        [world["observer"].pk, world["editor"].pk]
    )


# Pinned query counts ---------------------------------------------------------------------------


def _add_schedules(world):
    cycle = make_cycle(world, title="Counted cycle")

    def add(n: int) -> None:
        for i in range(n):
            kind_params = (
                (ReportKind.CYCLE_PROGRESS, {"cycle": cycle.pk})
                if i % 2
                else (ReportKind.INDICATOR_FACT_SHEET, {"indicator": indicator("GOV-02").pk})
            )
            _schedule(
                world,
                kind=kind_params[0],
                parameters=kind_params[1],
                subscribers=[world["observer"], world["editor"]],
            )

    return add


# session, user, workspace, permissions, count, schedules, cycles, indicators
@pytest.mark.parametrize("role", ["coordinator", "observer"])
def test_list_page_queries_are_pinned(client, world, role):
    client.force_login(world[role])
    assert_pinned_queries(
        client, _url("schedule_list", world), rows=_add_schedules(world), expected=8
    )


# session, user, workspace, permissions, count, schedules (+ subscribers for coordinators)
@pytest.mark.parametrize(("role", "expected"), [("coordinator", 7), ("observer", 6)])
def test_list_endpoint_queries_are_pinned(client, world, role, expected):
    client.force_login(world[role])
    assert_pinned_queries(client, _api(world), rows=_add_schedules(world), expected=expected)
