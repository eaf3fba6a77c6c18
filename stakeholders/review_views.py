"""The review mechanism in the browser, for every reviewable model (DESIGN §4).

What the pages of a reviewable model use from here:

* **Addresses.** An item is `<kind>/<pk>` with `kind = model._meta.label_lower`
  (`mainstreaming.situationsection`); only models registered with `register_reviewable` are
  addressable. `reviewable_for(user, workspace, kind, pk)` fetches through `readable_items`,
  scoped to the workspace, and answers 404 otherwise. URL names (namespace `stakeholders`):
  `review_transition` (kind, pk, action ∈ submit|approve|return|share|unshare),
  `review_history`, `comment_create`, `comment_resolve`, `review_batch`, `needs_my_action`.
  Every POST accepts a `next` (a same-site address) to come back to.

* **The review panel of a detail page.** In the detail view::

      context["review"] = review_panel_context(request=self.request, item=obj, perms=self.perms)

  and in the template ``{% include "stakeholders/includes/review_panel.html" %}``. The item must
  be fetched with `select_related("workspace", "approved_by", "submitted_by")` (as
  `reviewable_item_list` does); the panel then costs two queries (last return reason, comments)
  whatever the number of comments. Readers who see only the approved snapshot are told that
  "a new version is being prepared" and nothing more: no state, no return reason, and only the
  comments written on approved versions.

* **Lists with a batch action.** Wrap the table in
  ``{% include "stakeholders/includes/review_batch_form.html" with kind=kind %}``
  (see that file for the block to fill): one checkbox named `ids` per row, one action, one button.

* **Edit pages.** `ReviewableUpdateMixin` (before `WorkspaceMixin` and `UpdateView`/`FormView`)
  adds the hidden `lock_version`, saves through `review_edit` and, when someone else saved in
  between, answers 409 with `stakeholders/review/conflict.html`, which keeps the user's text.

Refusals: a missing right is a 403 (checked before anything else, from the action); a rule of
the review (self-approval, wrong state, missing reason) re-renders the page with the message in
the error summary and status **400**, so that a refused POST never looks like a success.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, register_converter, reverse
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.forms import add_service_errors

from .access import WorkspaceMixin
from .models import Workspace
from .permissions import Perm, restrict
from .review import (
    TRANSITIONS,
    Comment,
    Reviewable,
    ReviewAction,
    ReviewConflict,
    ReviewEvent,
    ReviewState,
    available_transitions,
    can_resolve_with,
    comment_add,
    comment_resolve,
    item_kind,
    needs_my_action_entries,
    review_edit,
    review_event_list,
    review_transition,
    reviewable_item_list,
    reviewable_model_for,
    sees_drafts,
    visible_comment_list,
    visible_content,
)
from .review_forms import ACTION_CHOICES, BatchForm, CommentForm, LockVersionField, TransitionForm

ACTION_LABELS = dict(ACTION_CHOICES)
DONE_MESSAGES = {
    "submit": gettext_lazy("Submitted for review."),
    "approve": gettext_lazy("Approved."),
    "return": gettext_lazy("Returned to its editors with your reason."),
    "share": gettext_lazy("Shared for consultation."),
    "unshare": gettext_lazy("No longer shared for consultation."),
}


# URL converters (registered in stakeholders/urls.py) ----------------------------------------


class ReviewKindConverter:
    regex = r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ReviewActionConverter:
    regex = "submit|approve|return|share|unshare"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# Registered once here, used by stakeholders/urls.py and stakeholders/api/urls.py.
register_converter(ReviewKindConverter, "reviewkind")
register_converter(ReviewActionConverter, "reviewaction")


# Helpers ---------------------------------------------------------------------------------------


def reviewable_for(user: Any, workspace: Workspace, kind: str, pk: int | str) -> Reviewable:
    """The item `kind`/`pk` of `workspace` if `user` may read it, else 404."""
    model = reviewable_model_for(kind)
    if model is None:
        raise Http404("No such kind of item")
    item = reviewable_item_list(model, user=user, workspace=workspace).filter(pk=pk).first()
    if item is None:
        raise Http404("No such item")
    return item


def item_url(item: Reviewable) -> str | None:
    """The item's own page, if its model has one."""
    get_url = getattr(item, "get_absolute_url", None)
    if get_url is None:
        return None
    try:
        return str(get_url())
    except NoReverseMatch:  # the model's page is not routed (yet)
        return None


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` of the request if it points to this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _needs_my_action_url(workspace: Workspace) -> str:
    return reverse("stakeholders:needs_my_action", kwargs={"slug": workspace.slug})


def _back(request: HttpRequest, item: Reviewable, anchor: str = "") -> str:
    default = item_url(item) or _needs_my_action_url(item.workspace)  # type: ignore[attr-defined]
    target = safe_next(request, default)
    if anchor and "#" not in target:
        target = f"{target}#{anchor}"
    return target


_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: Any, new: Any) -> SafeString:
    """A word-level diff of two texts as HTML: removed words in `<del>`, added in `<ins>`.

    Every piece of text is escaped before it is wrapped, so the result is safe to show.
    """
    before = _TOKENS.findall("" if old is None else str(old))
    after = _TOKENS.findall("" if new is None else str(new))
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(before[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(before[i1:i2]))}</del>")
        if tag in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(after[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


def _field_label(model: type[Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a review field that is not a model field (e.g. `<fk>_id`)
        return name.replace("_", " ").capitalize()
    return str(getattr(field, "verbose_name", name)).capitalize()


# Views -----------------------------------------------------------------------------------------


class ReviewItemMixin(WorkspaceMixin):
    """`self.item`: the addressed item, fetched through `readable_items` (404 otherwise)."""

    @cached_property
    def item(self) -> Reviewable:
        return reviewable_for(
            self.request.user, self.workspace, self.kwargs["kind"], self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["item"] = self.item
        context["item_url"] = item_url(self.item)
        context["item_kind"] = item_kind(self.item)
        context["verbose_name"] = self.item._meta.verbose_name
        return context


class ReviewTransitionView(ReviewItemMixin, TemplateView):
    """GET: confirmation page (a reason for `return`); POST: the transition."""

    template_name = "stakeholders/review/transition_confirm.html"

    def required_permission(self) -> Perm:
        return TRANSITIONS[self.kwargs["action"]]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        action = self.kwargs["action"]
        context["action"] = action
        context["action_label"] = ACTION_LABELS[action]
        context.setdefault("form", TransitionForm(action=action))
        context["next"] = safe_next(self.request, "")
        possible = action in available_transitions(
            user=self.request.user, perms=self.perms, item=self.item
        )
        context["possible"] = possible
        if not possible and "errors" not in context:
            context["errors"] = [self._impossible_message(action)]
        return context

    def _impossible_message(self, action: str) -> str:
        item = self.item
        if action in ("approve", "return") and item.submitted_by_id == self.request.user.pk:
            return _("You submitted this item, so someone else must review it.")
        return _("This cannot be done now: the item is %(state)s.") % {
            "state": item.get_review_state_display().lower()
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = kwargs["action"]
        form = TransitionForm(request.POST, action=action)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            review_transition(
                actor=cast(Any, request.user),
                action=action,
                items=self.item,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, str(DONE_MESSAGES[action]))
        return HttpResponseRedirect(_back(request, self.item))


class ReviewBatchView(WorkspaceMixin, View):
    """POST only: one transition applied to a selection, all or nothing."""

    http_method_names = ["post"]

    def required_permission(self) -> Perm:
        return TRANSITIONS.get(self.request.POST.get("action", ""), Perm.ACCESS)

    def refused(self, errors: list[str], form: BatchForm | None = None) -> HttpResponse:
        context = {
            "workspace": self.workspace,
            "perms": {perm.name: perm in self.perms for perm in Perm},
            "form": form,
            "errors": errors,
            "back": safe_next(self.request, _needs_my_action_url(self.workspace)),
        }
        return render(self.request, "stakeholders/review/batch_refused.html", context, status=400)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = BatchForm(request.POST)
        if not form.is_valid():
            return self.refused([], form)
        data = form.cleaned_data
        model = reviewable_model_for(data["kind"])
        if model is None:
            raise Http404("No such kind of item")
        items = list(
            reviewable_item_list(model, user=request.user, workspace=self.workspace).filter(
                pk__in=data["ids"]
            )
        )
        if len(items) != len(data["ids"]):
            missing = sorted(set(data["ids"]) - {item.pk for item in items})
            return self.refused(
                [
                    _("Some selected items are not in this workspace: %(ids)s.")
                    % {"ids": ", ".join(map(str, missing))}
                ]
            )
        try:
            done = review_transition(
                actor=cast(Any, request.user),
                action=data["action"],
                items=items,
                reason=data.get("reason", ""),
            )
        except ValidationError as error:
            return self.refused(list(error.messages))
        messages.success(
            request,
            _("%(action)s: %(count)s items.")
            % {"action": ACTION_LABELS[data["action"]], "count": len(done)},
        )
        return HttpResponseRedirect(safe_next(request, _needs_my_action_url(self.workspace)))


@dataclass
class VersionRow:
    """One saved version of the content: who saved it, when, and what changed."""

    record: Any
    changes: list[tuple[str, SafeString]]


class ReviewHistoryView(ReviewItemMixin, TemplateView):
    """The review log (the why) and the saved versions (the what) with a readable diff.

    Needs Perm.VIEW_DRAFTS: the versions hold draft text, so observers and contributors (even
    on a shared draft) get 403 here.
    """

    permission = Perm.VIEW_DRAFTS
    template_name = "stakeholders/review/history.html"

    def versions(self) -> list[VersionRow]:
        history = getattr(self.item, "history", None)
        if history is None:
            return []
        model = type(self.item)
        records = list(history.select_related("history_user").order_by("history_date", "pk"))
        rows: list[VersionRow] = []
        previous: Any = None
        for record in records:
            changes = []
            for name in model.review_fields:
                before = getattr(previous, name, "") if previous is not None else ""
                after = getattr(record, name, "")
                if previous is None or before != after:
                    changes.append((_field_label(model, name), word_diff(before, after)))
            if changes:
                rows.append(VersionRow(record=record, changes=changes))
            previous = record
        rows.reverse()  # newest first
        return rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["events"] = review_event_list(user=self.request.user, item=self.item)
        context["versions"] = self.versions()
        return context


class CommentCreateView(ReviewItemMixin, TemplateView):
    """POST a comment (or a reply, with `parent`) on an item the user can read."""

    permission = Perm.COMMENT
    http_method_names = ["post"]
    template_name = "stakeholders/review/comment_form.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = CommentForm(request.POST)
        parent = None
        if form.is_valid() and form.cleaned_data.get("parent"):
            parent = (
                visible_comment_list(user=request.user, item=self.item, perms=self.perms)
                .filter(pk=form.cleaned_data["parent"])
                .first()
            )
            if parent is None:
                form.add_error(None, _("The comment you reply to is not on this item."))
        if not form.is_valid():
            context = self.get_context_data(form=form, next=safe_next(request, ""))
            return self.render_to_response(context, status=400)
        try:
            comment = comment_add(
                actor=cast(Any, request.user),
                item=self.item,
                body=form.cleaned_data["body"],
                parent=parent,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            context = self.get_context_data(form=form, next=safe_next(request, ""))
            return self.render_to_response(context, status=400)
        messages.success(request, _("Your comment was added."))
        return HttpResponseRedirect(_back(request, self.item, f"comment-{comment.pk}"))


class CommentResolveView(WorkspaceMixin, View):
    """POST: close a comment thread (coordinators, and the item's author)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        comment = (
            restrict(Comment.objects.filter(workspace=self.workspace), request.user, Perm.ACCESS)
            .select_related("content_type", "parent")
            .filter(pk=kwargs["pk"])
            .first()
        )
        if comment is None:
            raise Http404("No such comment")
        item = reviewable_for(
            request.user,
            self.workspace,
            f"{comment.content_type.app_label}.{comment.content_type.model}",
            comment.object_id,
        )
        visible = visible_comment_list(user=request.user, item=item, perms=self.perms)
        if not visible.filter(pk=comment.pk).exists():
            raise Http404("No such comment")
        thread = comment.parent or comment
        try:
            comment_resolve(actor=cast(Any, request.user), comment=comment)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The thread was marked as resolved."))
        return HttpResponseRedirect(_back(request, item, f"comment-{thread.pk}"))


class NeedsMyActionView(WorkspaceMixin, TemplateView):
    """What waits for me in this workspace: items to review, and returned items to revise."""

    template_name = "stakeholders/review/needs_my_action.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entries = needs_my_action_entries(
            user=self.request.user, workspace=self.workspace, perms=self.perms
        )
        groups: dict[str, dict[str, Any]] = {}
        to_revise = []
        for entry in entries:
            entry.url = item_url(entry.item)  # type: ignore[attr-defined]
            entry.verbose_name = entry.item._meta.verbose_name  # type: ignore[attr-defined]
            if entry.needed_action == "review":
                kind = item_kind(entry.item)
                group = groups.setdefault(
                    kind,
                    {
                        "kind": kind,
                        "verbose_name_plural": entry.item._meta.verbose_name_plural,
                        "entries": [],
                    },
                )
                group["entries"].append(entry)
            else:
                to_revise.append(entry)
        context["review_groups"] = list(groups.values())
        context["to_revise"] = to_revise
        context["count"] = len(entries)
        context["can_review"] = Perm.REVIEW in self.perms
        return context


# The review panel of detail pages ---------------------------------------------------------------


def review_panel_context(
    *, request: HttpRequest, item: Reviewable, perms: frozenset[Perm]
) -> dict[str, Any]:
    """Everything `stakeholders/includes/review_panel.html` shows (two queries)."""
    user = request.user
    workspace: Workspace = item.workspace  # type: ignore[attr-defined]
    kind = item_kind(item)
    here = request.get_full_path()
    drafts = sees_drafts(perms, item)
    address = {"slug": workspace.slug, "kind": kind, "pk": item.pk}
    query = "?" + urlencode({"next": here})
    transitions = [
        {
            "action": action,
            "label": ACTION_LABELS[action],
            "url": reverse("stakeholders:review_transition", kwargs={**address, "action": action})
            + query,
        }
        for action in available_transitions(user=user, perms=perms, item=item)
    ]
    last_return = None
    if drafts and item.review_state == ReviewState.RETURNED:
        last_return = (
            ReviewEvent.objects.filter(
                content_type=ContentType.objects.get_for_model(item),
                object_id=item.pk,
                action=ReviewAction.RETURN,
            )
            .select_related("actor")
            .order_by("created_at", "pk")
            .last()
        )
    comments = list(visible_comment_list(user=user, item=item, perms=perms))
    replies: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(comment)
    threads = [
        {"comment": comment, "replies": replies.get(comment.pk, [])}
        for comment in comments
        if comment.parent_id is None
    ]
    return {
        "item": item,
        "kind": kind,
        # The content this reader may see: the draft, or the last approved snapshot.
        "content": visible_content(item, perms=perms),
        "sees_drafts": drafts,
        "state": item.review_state,
        "state_label": item.get_review_state_display(),
        "new_version_in_preparation": (
            not drafts
            and item.approved_version is not None
            and item.review_state != ReviewState.APPROVED
        ),
        "transitions": transitions,
        "last_return": last_return,
        "threads": threads,
        "can_comment": Perm.COMMENT in perms,
        "can_resolve": can_resolve_with(perms, user, item),
        "comment_url": reverse("stakeholders:comment_create", kwargs=address),
        "history_url": (
            reverse("stakeholders:review_history", kwargs=address)
            if Perm.VIEW_DRAFTS in perms
            else None
        ),
        "next": here,
        "comment_form": CommentForm(auto_id="id_review_comment_%s"),
    }


# Editing with conflict detection ---------------------------------------------------------------


class ReviewableUpdateMixin:
    """Edit a reviewable item through `review_edit`, never overwriting someone else's save.

    Put it before the view's other bases: ``class SectionUpdateView(ReviewableUpdateMixin,
    WorkspaceMixin, UpdateView)``. With an `UpdateView` the item is `self.object`; with a
    `FormView`, override `get_reviewable()`. The form gets a hidden `lock_version` (declare it
    with `review_forms.ReviewableFormMixin`, or it is added). Hooks:

    * `review_changes(form) -> dict` — what is passed to `review_edit` (by default the cleaned
      data of the model's `review_fields`; map e.g. a foreign key to `<name>_id` here);
    * `save_extra(form, item)` — save fields that are not reviewed through the view's own
      service, in the same transaction.

    A stale save renders `conflict_template_name` with status 409: the user's text stays in the
    form, whose `lock_version` is now the current one, so saving again is a deliberate
    overwrite; the current text and a word diff are shown beside it. A submitted item (the
    service refuses to change it) comes back with the message in the error summary.
    """

    conflict_template_name = "stakeholders/review/conflict.html"
    success_message = gettext_lazy("Your changes were saved.")
    request: HttpRequest

    def get_reviewable(self) -> Reviewable:
        obj = getattr(self, "object", None)
        if obj is None:
            obj = self.get_object()  # type: ignore[attr-defined]
            self.object = obj
        return cast(Reviewable, obj)

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = super().get_initial()  # type: ignore[misc]
        initial["lock_version"] = self.get_reviewable().lock_version
        return initial

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)  # type: ignore[misc]
        if "lock_version" not in form.fields:
            form.fields["lock_version"] = LockVersionField()
        return form

    def review_changes(self, form: Any) -> dict[str, Any]:
        fields = self.get_reviewable().review_fields
        return {name: form.cleaned_data[name] for name in fields if name in form.cleaned_data}

    def save_extra(self, form: Any, item: Reviewable) -> None:
        """Save the form's fields that are not reviewed (none by default)."""

    def get_success_url(self) -> str:
        return _back(self.request, self.get_reviewable())

    def form_valid(self, form: Any) -> HttpResponse:
        item = self.get_reviewable()
        try:
            with transaction.atomic():
                review_edit(
                    actor=cast(Any, self.request.user),
                    item=item,
                    expected_lock_version=form.cleaned_data["lock_version"],
                    **self.review_changes(form),
                )
                self.save_extra(form, item)
        except ReviewConflict as conflict:
            return self.conflict_response(form, conflict)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        messages.success(self.request, str(self.success_message))
        return HttpResponseRedirect(self.get_success_url())

    def conflict_response(self, form: Any, conflict: ReviewConflict) -> HttpResponse:
        item = self.get_reviewable()
        model = type(item)
        mine = self.review_changes(form)
        # The user's text stays; the version becomes the current one (a deliberate overwrite).
        data = form.data.copy()
        data[form.add_prefix("lock_version")] = str(conflict.lock_version)
        form.data = data
        rows = [
            {
                "label": _field_label(model, name),
                "mine": mine.get(name, ""),
                "current": conflict.current.get(name, ""),
                "diff": word_diff(conflict.current.get(name, ""), mine.get(name, "")),
            }
            for name in model.review_fields
            if name in mine
        ]
        context = self.get_context_data(form=form)  # type: ignore[attr-defined]
        context.update(
            {
                "item": item,
                "item_url": item_url(item),
                "conflict": conflict,
                "conflict_rows": rows,
            }
        )
        return TemplateResponse(self.request, self.conflict_template_name, context, status=409)


__all__ = [
    "CommentCreateView",
    "CommentResolveView",
    "NeedsMyActionView",
    "ReviewBatchView",
    "ReviewHistoryView",
    "ReviewTransitionView",
    "ReviewableUpdateMixin",
    "review_panel_context",
    "reviewable_for",
    "word_diff",
]
