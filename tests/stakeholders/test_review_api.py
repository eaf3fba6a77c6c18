"""The review mechanism in the API, exercised through situation-analysis sections.

A test-only URLconf (this module, `@pytest.mark.urls(__name__)`) routes a viewset of sections
built on `ReviewableViewSetMixin`, as the planning viewsets of `mainstreaming` use it.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import include, path, reverse
from rest_framework import mixins, serializers, viewsets
from rest_framework.test import APIClient

from mainstreaming.models import SituationSection
from mainstreaming.services import cycle_create
from stakeholders.access import RestrictFilterBackend, WorkspacePermission
from stakeholders.api.review import (
    REVIEW_STATE_FIELDS,
    ReviewableViewSetMixin,
    ReviewStateSerializerMixin,
)
from stakeholders.permissions import Perm
from stakeholders.review import (
    ReviewState,
    comment_add,
    readable_items,
    review_approve,
    review_edit,
    review_return,
    review_share,
    review_submit,
)
from tests.factories import SituationSectionFactory
from tests.querycount import assert_pinned_queries

pytestmark = pytest.mark.django_db

K = "mainstreaming.situationsection"


# A test-only viewset ---------------------------------------------------------------------------


class SectionSerializer(ReviewStateSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = SituationSection
        fields = ["id", "title", "narrative", *REVIEW_STATE_FIELDS]


class SectionViewSet(
    ReviewableViewSetMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [WorkspacePermission]
    filter_backends = [RestrictFilterBackend]
    serializer_class = SectionSerializer
    read_permission = Perm.ACCESS
    write_permission = Perm.EDIT

    def get_queryset(self):
        return readable_items(
            SituationSection.objects.filter(workspace=self.workspace), user=self.request.user
        )


urlpatterns = [
    path(
        "api/workspaces/<slug:workspace_slug>/test-sections/<int:pk>/",
        SectionViewSet.as_view({"get": "retrieve", "put": "update", "patch": "partial_update"}),
        name="test-section-detail",
    ),
    path("", include("mainstreaming.urls")),
]


# Fixtures and helpers --------------------------------------------------------------------------


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def sections(world) -> list[SituationSection]:
    cycle = cycle_create(
        actor=world["editor"],
        workspace=world.workspace,
        title="National cycle",
        start_year=2025,
        end_year=2029,
    )
    return list(cycle.sections.order_by("position"))


def _fresh(section: SituationSection) -> SituationSection:
    return SituationSection.objects.get(pk=section.pk)


def _as(api: APIClient, user) -> APIClient:
    api.force_authenticate(user)
    return api


def _transition(section: SituationSection, action: str, slug: str = "national") -> str:
    return reverse(
        "review-transition",
        kwargs={"workspace_slug": slug, "kind": K, "pk": section.pk, "action": action},
    )


def _item(name: str, section: SituationSection) -> str:
    return reverse(name, kwargs={"workspace_slug": "national", "kind": K, "pk": section.pk})


def _approved(world, section: SituationSection, narrative: str) -> SituationSection:
    review_edit(
        actor=world["editor"],
        item=section,
        expected_lock_version=_fresh(section).lock_version,
        narrative=narrative,
    )
    review_submit(actor=world["editor"], items=section)
    review_approve(actor=world["reviewer"], items=section)
    return _fresh(section)


# Transitions -----------------------------------------------------------------------------------


def test_api_transition_submit_returns_the_review_state(api, world, sections):
    section = sections[0]
    response = _as(api, world["editor"]).post(_transition(section, "submit"), {}, format="json")
    assert response.status_code == 200
    fresh = _fresh(section)
    assert response.json() == {
        "kind": K,
        "id": section.pk,
        "review_state": "submitted",
        "version": 1,
        "approved_version": None,
        "lock_version": fresh.lock_version,
    }


@pytest.mark.parametrize("role", ["contributor", "reviewer", "observer"])
def test_api_transition_submit_refused_without_the_right(api, world, sections, role):
    section = sections[0]
    response = _as(api, world[role]).post(_transition(section, "submit"), {}, format="json")
    assert response.status_code == 403
    assert _fresh(section).review_state == ReviewState.DRAFT
    response = _as(api, world["editor"]).post(_transition(section, "submit"), {}, format="json")
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["editor", "contributor", "observer"])
def test_api_transition_approve_refused_without_the_right(api, world, sections, role):
    section = sections[0]
    review_submit(actor=world["editor"], items=section)
    response = _as(api, world[role]).post(_transition(section, "approve"), {}, format="json")
    assert response.status_code == 403
    assert _fresh(section).review_state == ReviewState.SUBMITTED
    response = _as(api, world["reviewer"]).post(_transition(section, "approve"), {}, format="json")
    assert response.status_code == 200
    assert response.json()["approved_version"] == 1


def test_api_transition_self_approval_is_400_with_the_message(api, world, sections):
    section = sections[0]
    review_submit(actor=world["coordinator"], items=section)
    response = _as(api, world["coordinator"]).post(
        _transition(section, "approve"), {}, format="json"
    )
    assert response.status_code == 400
    assert "someone else must review it" in str(response.json())
    assert _fresh(section).review_state == ReviewState.SUBMITTED
    response = _as(api, world["reviewer"]).post(_transition(section, "approve"), {}, format="json")
    assert response.status_code == 200


def test_api_transition_return_needs_a_reason(api, world, sections):
    section = sections[0]
    review_submit(actor=world["editor"], items=section)
    client = _as(api, world["reviewer"])
    response = client.post(_transition(section, "return"), {"reason": " "}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    assert _fresh(section).review_state == ReviewState.SUBMITTED
    response = client.post(_transition(section, "return"), {"reason": "Sources?"}, format="json")
    assert response.status_code == 200
    assert response.json()["review_state"] == "returned"


def test_api_transition_on_another_workspace_item_is_404(api, world):
    foreign = cycle_create(
        actor=world["outsider"], workspace=world.other, title="X", start_year=2025, end_year=2026
    ).sections.first()
    response = _as(api, world["coordinator"]).post(
        _transition(foreign, "submit"), {}, format="json"
    )
    assert response.status_code == 404
    response = _as(api, world["outsider"]).post(
        _transition(foreign, "submit", slug="elsewhere"), {}, format="json"
    )
    assert response.status_code == 200


# Batch -----------------------------------------------------------------------------------------


def test_api_batch_approval_sends_one_email_per_recipient(
    api, world, sections, django_capture_on_commit_callbacks
):
    batch = sections[:5]
    review_share(actor=world["editor"], items=batch, shared=True)
    comment_add(actor=world["contributor"], item=batch[0], body="A remark")
    review_submit(actor=world["editor"], items=batch)
    mail.outbox.clear()
    url = reverse("review-batch", kwargs={"workspace_slug": "national"})
    data = {"kind": K, "ids": [s.pk for s in batch], "action": "approve"}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _as(api, world["reviewer"]).post(url, data, format="json")
    assert response.status_code == 200
    assert [row["review_state"] for row in response.json()] == ["approved"] * 5
    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        "contributor@example.org",
        "editor@example.org",
    ]
    to_editor = next(m for m in mail.outbox if m.to == ["editor@example.org"])
    assert "5 updates" in to_editor.subject


def test_api_batch_is_all_or_nothing(api, world, sections):
    review_submit(actor=world["editor"], items=sections[:2])
    review_submit(actor=world["coordinator"], items=sections[2])
    url = reverse("review-batch", kwargs={"workspace_slug": "national"})
    data = {"kind": K, "ids": [s.pk for s in sections[:3]], "action": "approve"}
    response = _as(api, world["coordinator"]).post(url, data, format="json")
    assert response.status_code == 400
    assert sections[2].title in str(response.json())
    assert all(_fresh(s).review_state == ReviewState.SUBMITTED for s in sections[:3])
    data["ids"] = [s.pk for s in sections[:2]]
    assert _as(api, world["coordinator"]).post(url, data, format="json").status_code == 200
    assert all(_fresh(s).review_state == ReviewState.APPROVED for s in sections[:2])


def test_api_batch_return_without_reason_is_400(api, world, sections):
    review_submit(actor=world["editor"], items=sections[:2])
    url = reverse("review-batch", kwargs={"workspace_slug": "national"})
    data = {"kind": K, "ids": [s.pk for s in sections[:2]], "action": "return"}
    response = _as(api, world["reviewer"]).post(url, data, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    response = _as(api, world["reviewer"]).post(url, {**data, "reason": "Why"}, format="json")
    assert response.status_code == 200


# Comments, events, needs my action -------------------------------------------------------------


def test_api_comments_observers_never_see_comments_on_drafts(api, world, sections):
    section = _approved(world, sections[0], "Approved text.")
    comment_add(actor=world["reviewer"], item=section, body="On the approved version")
    review_edit(
        actor=world["editor"],
        item=section,
        expected_lock_version=_fresh(section).lock_version,
        narrative="Draft text.",
    )
    comment_add(actor=world["reviewer"], item=section, body="On the new draft")
    url = _item("review-comment-list", section)

    bodies = [c["body"] for c in _as(api, world["observer"]).get(url).json()["results"]]
    assert bodies == ["On the approved version"]
    bodies = [c["body"] for c in _as(api, world["editor"]).get(url).json()["results"]]
    assert bodies == ["On the approved version", "On the new draft"]


def test_api_comment_create_and_reply(api, world, sections):
    section = _approved(world, sections[0], "Approved.")
    url = _item("review-comment-list", section)
    response = _as(api, world["contributor"]).post(url, {"body": "Why?"}, format="json")
    assert response.status_code == 201
    thread = response.json()
    assert thread["author"]["username"] == "contributor"
    assert thread["version"] == 1
    response = _as(api, world["editor"]).post(
        url, {"body": "Because.", "parent": thread["id"]}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["parent"] == thread["id"]
    response = _as(api, world["observer"]).post(url, {"body": "No"}, format="json")
    assert response.status_code == 403
    assert section.comments.count() == 2


def test_api_events_need_the_right_to_see_drafts(api, world, sections):
    section = sections[0]
    review_submit(actor=world["editor"], items=section)
    review_return(actor=world["reviewer"], items=section, reason="Too short.")
    url = _item("review-event-list", section)
    response = _as(api, world["reviewer"]).get(url)
    assert response.status_code == 200
    events = response.json()["results"]
    assert [(e["action"], e["reason"]) for e in events] == [
        ("submit", ""),
        ("return", "Too short."),
    ]
    assert _as(api, world["observer"]).get(url).status_code == 403
    assert _as(api, world["contributor"]).get(url).status_code == 403


def test_api_needs_my_action_lists_what_waits(api, world, sections):
    review_submit(actor=world["editor"], items=sections[:2])
    review_return(actor=world["reviewer"], items=sections[1], reason="Revise it.")
    url = reverse("needs-my-action", kwargs={"workspace_slug": "national"})
    rows = _as(api, world["reviewer"]).get(url).json()["results"]
    assert [(r["id"], r["needed_action"]) for r in rows] == [(sections[0].pk, "review")]
    assert rows[0]["by"]["username"] == "editor"
    rows = _as(api, world["editor"]).get(url).json()["results"]
    assert [(r["id"], r["needed_action"], r["reason"]) for r in rows] == [
        (sections[1].pk, "revise", "Revise it.")
    ]
    assert _as(api, world["observer"]).get(url).json()["results"] == []


def _submitted_sections(world):
    cycle = cycle_create(
        actor=world["editor"], workspace=world.workspace, title="QC", start_year=2025, end_year=2026
    )
    # The default sections are drafts: only the ones added below are waiting.

    def add(n: int) -> None:
        made = [SituationSectionFactory(cycle=cycle, actor=world["editor"]) for _ in range(n)]
        review_submit(actor=world["editor"], items=made)

    return add


def test_api_needs_my_action_endpoint_queries(client, world):
    from stakeholders.review import reviewable_models

    client.force_login(world["reviewer"])
    url = reverse("needs-my-action", kwargs={"workspace_slug": "national"})
    # Session, user, workspace, its permissions (asked once, then reused by `needs_my_action`
    # instead of permission subqueries), one query per reviewable model, the last events.
    expected = 5 + len(reviewable_models())
    assert_pinned_queries(client, url, rows=_submitted_sections(world), expected=expected)


def test_api_comment_list_endpoint_queries(client, world, sections):
    section = _approved(world, sections[0], "Approved.")
    client.force_login(world["editor"])

    def add(n: int) -> None:
        for i in range(n):
            comment_add(actor=world["contributor"], item=section, body=f"Remark {i}")

    url = _item("review-comment-list", section)
    assert_pinned_queries(client, url, rows=add, expected=8)


def test_api_event_list_endpoint_queries(client, world, sections):
    section = sections[0]
    client.force_login(world["editor"])

    def add(n: int) -> None:
        for i in range(n):
            review_edit(
                actor=world["editor"],
                item=section,
                expected_lock_version=_fresh(section).lock_version,
                narrative=f"Version {section.pk}-{i}-{_fresh(section).lock_version}",
            )

    url = _item("review-event-list", section)
    assert_pinned_queries(client, url, rows=add, expected=7)


# ReviewableViewSetMixin: ETag / If-Match -------------------------------------------------------


def _detail(section: SituationSection) -> str:
    return reverse("test-section-detail", kwargs={"workspace_slug": "national", "pk": section.pk})


@pytest.mark.urls(__name__)
def test_viewset_etag_and_if_match(api, world, sections):
    section = sections[0]
    client = _as(api, world["editor"])
    response = client.get(_detail(section))
    assert response.status_code == 200
    etag = response["ETag"]
    assert etag == f'"{K}-{section.pk}-{_fresh(section).lock_version}"'

    # Without If-Match: 428, nothing saved.
    response = client.patch(_detail(section), {"narrative": "No precondition"}, format="json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert _fresh(section).narrative != "No precondition"

    # With the right ETag: saved, and a new ETag.
    response = client.patch(
        _detail(section), {"narrative": "First change"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200
    assert _fresh(section).narrative == "First change"
    new_etag = response["ETag"]
    assert new_etag != etag
    assert response.json()["lock_version"] == _fresh(section).lock_version

    # The old ETag is stale now: 412 with the current one, nothing saved.
    response = client.patch(
        _detail(section), {"narrative": "Stale change"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 412
    assert response["ETag"] == new_etag
    assert _fresh(section).narrative == "First change"


@pytest.mark.urls(__name__)
def test_viewset_race_caught_by_the_service_is_412(api, world, sections, monkeypatch):
    section = sections[0]
    client = _as(api, world["editor"])
    etag = client.get(_detail(section))["ETag"]
    real_check = ReviewableViewSetMixin._expected_lock_version

    def check_then_race(self, item):
        expected = real_check(self, item)
        # Someone else saves after the If-Match check and before the locked write.
        fresh = _fresh(section)
        review_edit(
            actor=world["coordinator"],
            item=fresh,
            expected_lock_version=fresh.lock_version,
            narrative="Their change",
        )
        return expected

    monkeypatch.setattr(ReviewableViewSetMixin, "_expected_lock_version", check_then_race)
    response = client.patch(
        _detail(section), {"narrative": "Mine"}, format="json", HTTP_IF_MATCH=etag
    )
    assert _fresh(section).narrative == "Their change"  # the race did happen
    assert response.status_code == 412
    assert response["ETag"] == f'"{K}-{section.pk}-{_fresh(section).lock_version}"'


@pytest.mark.urls(__name__)
def test_viewset_submitted_item_cannot_be_changed(api, world, sections):
    section = sections[0]
    review_submit(actor=world["editor"], items=section)
    client = _as(api, world["editor"])
    etag = client.get(_detail(section))["ETag"]
    response = client.patch(
        _detail(section), {"narrative": "During review"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 400
    assert "waiting for review" in str(response.json())
    response = _as(api, world["observer"]).patch(
        _detail(section), {"narrative": "x"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 403


@pytest.mark.urls(__name__)
def test_viewset_readers_without_drafts_get_the_approved_values(api, world, sections):
    section = _approved(world, sections[0], "The approved sentence.")
    review_edit(
        actor=world["editor"],
        item=section,
        expected_lock_version=_fresh(section).lock_version,
        narrative="The secret draft sentence.",
    )
    data = _as(api, world["observer"]).get(_detail(section)).json()
    assert data["narrative"] == "The approved sentence."
    assert "secret" not in str(data)
    assert data["review_state"] == "approved"
    assert data["version"] == 1
    # Positive control: the editor reads the draft.
    data = _as(api, world["editor"]).get(_detail(section)).json()
    assert data["narrative"] == "The secret draft sentence."
    assert (data["review_state"], data["version"], data["approved_version"]) == ("draft", 2, 1)
