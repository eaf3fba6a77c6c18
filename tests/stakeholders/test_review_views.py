"""The review mechanism in the browser, exercised through situation-analysis sections.

A test-only URLconf (this module, used with `@pytest.mark.urls(__name__)`) adds an edit page
built on `ReviewableUpdateMixin`, as the planning pages of `mainstreaming` use it.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import include, path, reverse
from django.views.generic import UpdateView

from core.forms import ServiceModelForm
from core.testing import count_queries
from mainstreaming.models import SituationSection
from mainstreaming.services import cycle_create
from stakeholders.access import WorkspaceMixin
from stakeholders.permissions import Perm, workspace_perms
from stakeholders.review import (
    ReviewEvent,
    ReviewState,
    available_transitions,
    comment_add,
    review_approve,
    review_edit,
    review_return,
    review_share,
    review_submit,
    reviewable_models,
)
from stakeholders.review_forms import ReviewableFormMixin
from stakeholders.review_views import (
    ReviewableUpdateMixin,
    item_url,
    review_panel_context,
    word_diff,
)
from tests.factories import SituationSectionFactory
from tests.querycount import assert_pinned_queries

pytestmark = pytest.mark.django_db

K = "mainstreaming.situationsection"


# A test-only edit page -------------------------------------------------------------------------


class SectionForm(ReviewableFormMixin, ServiceModelForm):
    class Meta:
        model = SituationSection
        fields = ["title", "narrative"]


class SectionEditView(ReviewableUpdateMixin, WorkspaceMixin, UpdateView):
    permission = Perm.EDIT
    model = SituationSection
    form_class = SectionForm
    template_name = "stakeholders/review/item_form.html"


urlpatterns = [
    path("w/<slug:slug>/test-sections/<int:pk>/edit/", SectionEditView.as_view(), name="edit"),
    path("", include("mainstreaming.urls")),
]


# Fixtures and helpers --------------------------------------------------------------------------


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


def _url(name: str, section: SituationSection, **extra: object) -> str:
    kwargs = {"slug": section.workspace.slug, "kind": K, "pk": section.pk, **extra}
    return reverse(f"stakeholders:{name}", kwargs=kwargs)


def _transition(section: SituationSection, action: str) -> str:
    return _url("review_transition", section, action=action)


def _expected_back(section: SituationSection) -> str:
    return item_url(section) or reverse(
        "stakeholders:needs_my_action", kwargs={"slug": section.workspace.slug}
    )


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


def test_review_transition_submit_by_editor_goes_back_to_next(client, world, sections):
    section = sections[0]
    client.force_login(world["editor"])
    page = client.get(_transition(section, "submit"))
    assert page.status_code == 200
    assert "Submit “" in page.content.decode()

    response = client.post(_transition(section, "submit"), {"next": "/w/national/somewhere/"})
    assert response.status_code == 302
    assert response["Location"] == "/w/national/somewhere/"
    assert _fresh(section).review_state == ReviewState.SUBMITTED
    assert _fresh(section).submitted_by == world["editor"]


def test_review_transition_ignores_a_next_to_another_site(client, world, sections):
    section = sections[0]
    client.force_login(world["editor"])
    response = client.post(_transition(section, "submit"), {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == _expected_back(section)
    assert "evil" not in response["Location"]


@pytest.mark.parametrize("role", ["contributor", "reviewer", "observer"])
def test_review_transition_submit_refused_without_the_right(client, world, sections, role):
    section = sections[0]
    client.force_login(world[role])
    assert client.post(_transition(section, "submit")).status_code == 403
    assert _fresh(section).review_state == ReviewState.DRAFT
    # Positive control: the editor may.
    client.force_login(world["editor"])
    assert client.post(_transition(section, "submit")).status_code == 302
    assert _fresh(section).review_state == ReviewState.SUBMITTED


@pytest.mark.parametrize("role", ["editor", "contributor", "observer"])
def test_review_transition_approve_refused_without_the_right(client, world, sections, role):
    section = sections[0]
    review_submit(actor=world["editor"], items=section)
    client.force_login(world[role])
    assert client.post(_transition(section, "approve")).status_code == 403
    assert _fresh(section).review_state == ReviewState.SUBMITTED
    client.force_login(world["reviewer"])
    assert client.post(_transition(section, "approve")).status_code == 302
    assert _fresh(section).review_state == ReviewState.APPROVED


def test_review_transition_nobody_approves_their_own_submission(client, world, sections):
    section = sections[0]
    review_submit(actor=world["coordinator"], items=section)
    client.force_login(world["coordinator"])
    page = client.get(_transition(section, "approve"))
    assert page.status_code == 200
    assert "someone else must review it" in page.content.decode()
    assert 'type="submit"' not in page.content.decode().split("</h1>", 1)[1]

    response = client.post(_transition(section, "approve"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert "someone else must review it" in html
    assert _fresh(section).review_state == ReviewState.SUBMITTED
    # Positive control: another reviewer approves it.
    client.force_login(world["reviewer"])
    assert client.post(_transition(section, "approve")).status_code == 302
    assert _fresh(section).review_state == ReviewState.APPROVED


def test_review_transition_return_needs_a_reason(client, world, sections):
    section = sections[0]
    review_submit(actor=world["editor"], items=section)
    client.force_login(world["reviewer"])
    page = client.get(_transition(section, "return"))
    assert page.status_code == 200
    assert 'name="reason"' in page.content.decode()

    response = client.post(_transition(section, "return"), {"reason": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_reason"' in html
    assert _fresh(section).review_state == ReviewState.SUBMITTED

    response = client.post(_transition(section, "return"), {"reason": "Cite the 2024 survey."})
    assert response.status_code == 302
    assert _fresh(section).review_state == ReviewState.RETURNED
    event = ReviewEvent.objects.get(action="return", object_id=section.pk)
    assert event.reason == "Cite the 2024 survey."
    assert event.actor == world["reviewer"]


def test_review_transition_share_lets_the_contributor_read_the_draft(client, world, sections):
    section = sections[0]
    history = _url("review_history", section)
    comments = _url("comment_create", section)
    client.force_login(world["contributor"])
    assert client.post(comments, {"body": "Before sharing"}).status_code == 404
    client.force_login(world["editor"])
    assert client.post(_transition(section, "share")).status_code == 302
    assert _fresh(section).shared_for_consultation
    client.force_login(world["contributor"])
    assert client.post(comments, {"body": "After sharing"}).status_code == 302
    # The history holds every draft version: drafts readers only, even for a shared draft.
    assert client.get(history).status_code == 403


def test_review_transition_on_another_workspace_item_is_404(client, world):
    foreign = cycle_create(
        actor=world["outsider"], workspace=world.other, title="X", start_year=2025, end_year=2026
    ).sections.first()
    client.force_login(world["coordinator"])
    url = reverse(
        "stakeholders:review_transition",
        kwargs={"slug": "national", "kind": K, "pk": foreign.pk, "action": "submit"},
    )
    assert client.get(url).status_code == 404
    client.force_login(world["outsider"])
    own = reverse(
        "stakeholders:review_transition",
        kwargs={"slug": "elsewhere", "kind": K, "pk": foreign.pk, "action": "submit"},
    )
    assert client.get(own).status_code == 200


def test_review_transition_unregistered_kind_is_404(client, world, sections):
    client.force_login(world["coordinator"])
    url = reverse(
        "stakeholders:review_transition",
        kwargs={"slug": "national", "kind": "stakeholders.workspace", "pk": 1, "action": "submit"},
    )
    assert client.get(url).status_code == 404
    assert client.get(_transition(sections[0], "submit")).status_code == 200


def test_available_transitions_agree_with_the_services(world, sections):
    section = sections[0]
    for role in ["coordinator", "editor", "reviewer", "contributor", "observer"]:
        user = world[role]
        offered = available_transitions(
            user=user, perms=workspace_perms(user, world.workspace), item=section
        )
        assert ("submit" in offered) == (role in ("coordinator", "editor")), role
    review_submit(actor=world["coordinator"], items=section)
    for role, may in [("coordinator", False), ("reviewer", True), ("editor", False)]:
        user = world[role]
        offered = available_transitions(
            user=user, perms=workspace_perms(user, world.workspace), item=section
        )
        assert ("approve" in offered) == may, role


# Batch -----------------------------------------------------------------------------------------


def test_review_batch_approves_all_and_sends_one_email_per_recipient(
    client, world, sections, django_capture_on_commit_callbacks
):
    batch = sections[:4]
    review_submit(actor=world["editor"], items=batch)
    mail.outbox.clear()
    client.force_login(world["reviewer"])
    data = {"kind": K, "ids": [s.pk for s in batch], "action": "approve", "next": "/w/national/"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stakeholders:review_batch", args=["national"]), data)
    assert response.status_code == 302
    assert response["Location"] == "/w/national/"
    assert all(_fresh(s).review_state == ReviewState.APPROVED for s in batch)
    assert _fresh(sections[4]).review_state == ReviewState.DRAFT
    # One message per person concerned (the editor), naming every item; never the reviewer.
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]
    for section in batch:
        assert section.title in mail.outbox[0].body
    assert "/w/national/review/" in mail.outbox[0].body  # where to act


def test_review_batch_is_all_or_nothing_and_names_the_offending_item(client, world, sections):
    theirs = sections[:3]
    mine = sections[3]
    review_submit(actor=world["editor"], items=theirs)
    review_submit(actor=world["coordinator"], items=mine)
    client.force_login(world["coordinator"])
    data = {"kind": K, "ids": [s.pk for s in [*theirs, mine]], "action": "approve"}
    response = client.post(reverse("stakeholders:review_batch", args=["national"]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert mine.title in html
    assert "someone else must review it" in html
    assert all(_fresh(s).review_state == ReviewState.SUBMITTED for s in [*theirs, mine])
    # Positive control: without the coordinator's own item, the batch goes through.
    data["ids"] = [s.pk for s in theirs]
    response = client.post(reverse("stakeholders:review_batch", args=["national"]), data)
    assert response.status_code == 302
    assert all(_fresh(s).review_state == ReviewState.APPROVED for s in theirs)


def test_review_batch_return_needs_a_reason(client, world, sections):
    review_submit(actor=world["editor"], items=sections[:2])
    client.force_login(world["reviewer"])
    url = reverse("stakeholders:review_batch", args=["national"])
    data = {"kind": K, "ids": [s.pk for s in sections[:2]], "action": "return"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Say why the items are returned" in response.content.decode()
    assert _fresh(sections[0]).review_state == ReviewState.SUBMITTED
    response = client.post(url, {**data, "reason": "Add the data sources."})
    assert response.status_code == 302
    assert _fresh(sections[0]).review_state == ReviewState.RETURNED


def test_review_batch_refuses_an_item_of_another_workspace(client, world, sections):
    foreign = cycle_create(
        actor=world["outsider"], workspace=world.other, title="X", start_year=2025, end_year=2026
    ).sections.first()
    review_submit(actor=world["outsider"], items=foreign)
    review_submit(actor=world["editor"], items=sections[0])
    client.force_login(world["reviewer"])
    url = reverse("stakeholders:review_batch", args=["national"])
    response = client.post(
        url, {"kind": K, "ids": [sections[0].pk, foreign.pk], "action": "approve"}
    )
    assert response.status_code == 400
    assert _fresh(sections[0]).review_state == ReviewState.SUBMITTED
    assert _fresh(foreign).review_state == ReviewState.SUBMITTED


# Needs my action -------------------------------------------------------------------------------


def test_needs_my_action_groups_items_to_review_and_to_revise(client, world, sections):
    review_submit(actor=world["editor"], items=sections[:2])
    review_return(actor=world["reviewer"], items=sections[1], reason="Needs the 2024 figures.")
    url = reverse("stakeholders:needs_my_action", args=["national"])

    client.force_login(world["reviewer"])
    html = client.get(url).content.decode()
    assert "To review" in html
    assert sections[0].title in html
    assert sections[1].title not in html  # returned: not the reviewer's to act on
    assert 'name="ids"' in html and f'value="{sections[0].pk}"' in html
    assert 'form="review-batch-mainstreamingsituationsection"' in html
    assert str(world["editor"]) in html  # who submitted

    client.force_login(world["editor"])
    html = client.get(url).content.decode()
    assert "To revise" in html
    assert sections[1].title in html
    assert "Needs the 2024 figures." in html
    assert "To review" not in html

    client.force_login(world["observer"])
    html = client.get(url).content.decode()
    assert "Nothing is waiting for you" in html
    assert sections[0].title not in html


def test_needs_my_action_page_queries(client, world):
    cycle = cycle_create(
        actor=world["editor"], workspace=world.workspace, title="QC", start_year=2025, end_year=2026
    )
    client.force_login(world["reviewer"])

    def add(n: int) -> None:
        made = [SituationSectionFactory(cycle=cycle, actor=world["editor"]) for _ in range(n)]
        review_submit(actor=world["editor"], items=made)

    url = reverse("stakeholders:needs_my_action", args=["national"])
    # Session, user, workspace, its permissions (asked once, then reused by `needs_my_action`
    # instead of permission subqueries), one query per reviewable model, the last events.
    assert_pinned_queries(client, url, rows=add, expected=5 + len(reviewable_models()))
    assert client.get(url).content.decode().count('name="ids"') == 20


# History ---------------------------------------------------------------------------------------


def test_review_history_shows_the_why_and_a_readable_diff(client, world, sections):
    section = sections[0]
    review_edit(
        actor=world["editor"],
        item=section,
        expected_lock_version=section.lock_version,
        narrative="Remittances grew fast.",
    )
    review_submit(actor=world["editor"], items=section)
    review_return(actor=world["reviewer"], items=section, reason="Give the source.")
    review_edit(
        actor=world["editor"],
        item=section,
        expected_lock_version=_fresh(section).lock_version,
        narrative="Remittances grew <b>slowly</b> (World Bank).",
    )
    client.force_login(world["reviewer"])
    response = client.get(_url("review_history", section))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give the source." in html
    assert "<del>fast.</del>" in html
    assert "<ins>&lt;b&gt;slowly&lt;/b&gt; (World Bank).</ins>" in html
    assert "<b>slowly</b>" not in html

    client.force_login(world["observer"])
    assert client.get(_url("review_history", section)).status_code == 403


def test_word_diff_marks_words_and_escapes_html():
    diff = word_diff("The <i>old</i> text", 'The new <script>alert("x")</script> text')
    assert "<script>" not in diff
    assert "&lt;script&gt;" in diff
    assert "<del>&lt;i&gt;old&lt;/i&gt;</del>" in diff
    assert diff.startswith("The ")
    assert diff.endswith(" text")
    assert word_diff("same words", "same words") == "same words"
    assert word_diff(None, "new") == "<ins>new</ins>"


# Comments --------------------------------------------------------------------------------------


def test_comment_create_reply_and_resolve(client, world, sections):
    section = _approved(world, sections[0], "Approved text.")
    url = _url("comment_create", section)

    client.force_login(world["contributor"])
    response = client.post(url, {"body": "Where do the **figures** come from?", "next": "/w/x/"})
    assert response.status_code == 302
    thread = section.comments.get()
    assert response["Location"] == f"/w/x/#comment-{thread.pk}"
    assert thread.author == world["contributor"]

    client.force_login(world["editor"])
    response = client.post(url, {"body": "From the survey.", "parent": thread.pk})
    assert response.status_code == 302
    reply = section.comments.exclude(pk=thread.pk).get()
    assert reply.parent_id == thread.pk

    client.force_login(world["observer"])
    assert client.post(url, {"body": "Observers do not comment"}).status_code == 403
    assert section.comments.count() == 2

    resolve = reverse("stakeholders:comment_resolve", args=["national", reply.pk])
    client.force_login(world["reviewer"])
    assert client.post(resolve).status_code == 403
    client.force_login(world["editor"])  # the author of the item
    response = client.post(resolve)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{thread.pk}")
    thread.refresh_from_db()
    assert thread.resolved_by == world["editor"]


def test_comment_create_empty_body_shows_the_error(client, world, sections):
    section = _approved(world, sections[0], "Approved text.")
    client.force_login(world["reviewer"])
    response = client.post(_url("comment_create", section), {"body": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Write your comment." in html and 'href="#id_body"' in html
    assert not section.comments.exists()


def test_comment_reply_to_a_comment_of_another_item_is_refused(client, world, sections):
    first = _approved(world, sections[0], "One.")
    second = _approved(world, sections[1], "Two.")
    other = comment_add(actor=world["reviewer"], item=second, body="On the second")
    client.force_login(world["reviewer"])
    response = client.post(_url("comment_create", first), {"body": "Hi", "parent": other.pk})
    assert response.status_code == 400
    assert not first.comments.exists()


# The review panel ------------------------------------------------------------------------------


def _panel(world, role: str, section: SituationSection) -> tuple[dict, str]:
    request = RequestFactory().get("/w/national/sections/1/")
    request.user = world[role]
    perms = workspace_perms(world[role], world.workspace)
    fresh = SituationSection.objects.select_related("workspace", "approved_by", "submitted_by").get(
        pk=section.pk
    )
    context = review_panel_context(request=request, item=fresh, perms=perms)
    html = render_to_string(
        "stakeholders/includes/review_panel.html", {"review": context}, request=request
    )
    return context, html


def test_review_panel_shows_observers_the_approved_version_only(world, sections):
    section = _approved(world, sections[0], "The approved sentence.")
    comment_add(actor=world["reviewer"], item=section, body="On the approved text")
    review_edit(
        actor=world["editor"],
        item=section,
        expected_lock_version=_fresh(section).lock_version,
        narrative="The secret draft sentence.",
    )
    comment_add(actor=world["reviewer"], item=section, body="Quoting the secret draft")

    context, html = _panel(world, "observer", section)
    assert context["content"]["narrative"] == "The approved sentence."
    assert "The secret draft sentence." not in str(context["content"])
    assert "A new version is being prepared" in html
    assert "On the approved text" in html
    assert "Quoting the secret draft" not in html
    assert "Draft" not in html
    assert context["transitions"] == []
    assert context["history_url"] is None
    assert 'name="body"' not in html  # observers do not comment

    # Positive control: the editor sees the draft, its comments and the history link.
    context, html = _panel(world, "editor", section)
    assert context["content"]["narrative"] == "The secret draft sentence."
    assert "Quoting the secret draft" in html
    assert "Draft" in html
    assert context["history_url"]
    assert [t["action"] for t in context["transitions"]] == ["submit", "share"]


def test_review_panel_buttons_follow_the_rules(world, sections):
    section = sections[0]
    review_submit(actor=world["coordinator"], items=section)
    context, html = _panel(world, "coordinator", section)
    assert [t["action"] for t in context["transitions"]] == ["share"]
    assert "Approve" not in html
    context, html = _panel(world, "reviewer", section)
    assert [t["action"] for t in context["transitions"]] == ["approve", "return"]
    assert _transition(section, "approve") in html
    review_return(actor=world["reviewer"], items=section, reason="Too <long>.")
    context, html = _panel(world, "editor", section)
    assert "Too &lt;long&gt;." in html
    assert "submit" in [t["action"] for t in context["transitions"]]


def test_review_panel_comments_render_markdown_and_resolve_buttons(world, sections):
    section = _approved(world, sections[0], "Approved.")
    thread = comment_add(actor=world["contributor"], item=section, body="See **this** <script>")
    comment_add(actor=world["editor"], item=section, body="Fixed.", parent=thread)
    _context, html = _panel(world, "editor", section)
    assert "<strong>this</strong>" in html
    assert "<script>" not in html
    assert f'id="comment-{thread.pk}"' in html
    assert "Mark this thread as resolved" in html
    _context, html = _panel(world, "reviewer", section)
    assert "Mark this thread as resolved" not in html
    assert 'name="parent"' in html


def test_review_panel_costs_a_fixed_number_of_queries(world, sections):
    section = _approved(world, sections[0], "Approved.")
    review_edit(
        actor=world["editor"],
        item=section,
        expected_lock_version=_fresh(section).lock_version,
        narrative="Next.",
    )
    review_submit(actor=world["editor"], items=section)
    review_return(actor=world["reviewer"], items=section, reason="Again.")
    counts = []
    for n in (1, 8):
        for i in range(n):
            thread = comment_add(actor=world["contributor"], item=section, body=f"c{i}")
            comment_add(actor=world["editor"], item=section, body="r", parent=thread)
        count, _sql, _ = count_queries(lambda: _panel(world, "editor", section))
        counts.append(count)
    assert counts[0] == counts[1]


# Edit with conflict detection ------------------------------------------------------------------


def _edit_url(section: SituationSection) -> str:
    return reverse("edit", kwargs={"slug": "national", "pk": section.pk})


@pytest.mark.urls(__name__)
def test_reviewable_update_conflict_keeps_the_users_text(client, world, sections):
    section = sections[0]
    client.force_login(world["editor"])
    page = client.get(_edit_url(section))
    assert page.status_code == 200
    loaded = int(re.search(r'name="lock_version" value="(\d+)"', page.content.decode())[1])
    assert loaded == section.lock_version

    # Someone else saves in between.
    review_edit(
        actor=world["coordinator"],
        item=_fresh(section),
        expected_lock_version=loaded,
        narrative="Their careful text.",
    )
    current = _fresh(section).lock_version

    data = {"title": section.title, "narrative": "My <em>own</em> text.", "lock_version": loaded}
    response = client.post(_edit_url(section), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this item" in html
    assert "My &lt;em&gt;own&lt;/em&gt; text." in html  # the user's text, kept and escaped
    assert "Their careful text." in html
    assert f'name="lock_version" value="{current}"' in html
    assert "<del>" in html and "<ins>" in html
    assert _fresh(section).narrative == "Their careful text."  # nothing saved over theirs

    # Saving again from the conflict page is a deliberate overwrite.
    response = client.post(_edit_url(section), {**data, "lock_version": current})
    assert response.status_code == 302
    assert _fresh(section).narrative == "My <em>own</em> text."


@pytest.mark.urls(__name__)
def test_reviewable_update_refuses_a_submitted_item_in_the_error_summary(client, world, sections):
    section = sections[0]
    review_submit(actor=world["editor"], items=section)
    client.force_login(world["editor"])
    data = {
        "title": section.title,
        "narrative": "Changed while in review",
        "lock_version": _fresh(section).lock_version,
    }
    response = client.post(_edit_url(section), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "waiting for review" in html
    assert _fresh(section).narrative != "Changed while in review"
    # Positive control: once returned, the same change is saved.
    review_return(actor=world["reviewer"], items=section, reason="Revise")
    data["lock_version"] = _fresh(section).lock_version
    assert client.post(_edit_url(section), data).status_code == 302
    assert _fresh(section).narrative == "Changed while in review"


@pytest.mark.urls(__name__)
def test_reviewable_update_of_an_approved_item_opens_a_new_version(client, world, sections):
    section = _approved(world, sections[0], "Approved text.")
    client.force_login(world["editor"])
    data = {"title": section.title, "narrative": "New draft.", "lock_version": section.lock_version}
    response = client.post(_edit_url(section), {**data, "next": "/w/national/"})
    assert response.status_code == 302
    assert response["Location"] == "/w/national/"
    fresh = _fresh(section)
    assert (fresh.review_state, fresh.version, fresh.approved_version) == ("draft", 2, 1)
    assert fresh.approved_snapshot["narrative"] == "Approved text."
    # Sharing an approved item is refused by the service; a draft may be shared again.
    review_share(actor=world["editor"], items=fresh, shared=True)
    assert _fresh(section).shared_for_consultation
