"""Reads: restricted querysets with their joins declared once, shared by pages and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    ExpressionWrapper,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject

from .choices import InvitationStatus, Role
from .models import Invitation, Membership, Organisation, User, Workspace
from .permissions import Perm, restrict, workspaces_with


def workspace_list(*, user: User | AnonymousUser) -> QuerySet[Workspace]:
    """Workspaces the user may see, each annotated with `my_role` ('' when only readable)."""
    my_role = Membership.objects.filter(workspace=OuterRef("pk"), user_id=user.pk or 0).values(
        "role"
    )
    return (
        restrict(Workspace.objects.all(), user, Perm.ACCESS)
        .select_related("parent", "lead_organisation")
        .annotate(my_role=Subquery(my_role[:1]))
        .order_by("name")
    )


def organisation_list(
    *, user: User | AnonymousUser, workspace: Workspace, perm: Perm = Perm.ACCESS
) -> QuerySet[Organisation]:
    return (
        restrict(Organisation.objects.filter(workspace=workspace), user, perm)
        .select_related("workspace", "parent")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )


def membership_list(
    *, user: User | AnonymousUser, workspace: Workspace, perm: Perm = Perm.ACCESS
) -> QuerySet[Membership]:
    return (
        restrict(Membership.objects.filter(workspace=workspace), user, perm)
        .select_related("workspace", "user", "organisation")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def invitation_list(
    *, user: User | AnonymousUser, workspace: Workspace, pending_only: bool = False
) -> QuerySet[Invitation]:
    """Invitations are visible to those who manage members only."""
    invitations = restrict(
        Invitation.objects.filter(workspace=workspace), user, Perm.MANAGE_MEMBERS
    ).select_related("workspace", "organisation", "invited_by", "accepted_by")
    if pending_only:
        invitations = invitations.filter(status=InvitationStatus.PENDING)
    return invitations.order_by("-created_at")


def local_workspace_list(
    *, user: User | AnonymousUser, workspace: Workspace
) -> QuerySet[Workspace]:
    """The local workspaces of a national `workspace` the user may see, each with `readable`.

    Members of the national workspace learn which local workspaces exist (vertical
    coordination); `readable` says whether the user may open one.
    """
    readable = workspaces_with(user, Perm.ACCESS).values("pk")
    return (
        Workspace.objects.filter(parent=workspace, parent__in=readable)
        .annotate(readable=ExpressionWrapper(Q(pk__in=readable), output_field=BooleanField()))
        .order_by("name")
    )


def workspace_is_readable(*, user: User | AnonymousUser, workspace_id: int) -> bool:
    return workspaces_with(user, Perm.ACCESS).filter(pk=workspace_id).exists()


# Activity (django-simple-history) ---------------------------------------------------------------

ACTIVITY_MODELS: dict[str, type[Model]] = {
    "workspace": Workspace,
    "organisation": Organisation,
    "membership": Membership,
    "invitation": Invitation,
}
# Foreign keys joined with each kind's history rows: for labels and for the values in diffs.
_ACTIVITY_SELECT: dict[str, tuple[str, ...]] = {
    "workspace": ("history_user", "parent", "lead_organisation"),
    "organisation": ("history_user", "parent"),
    "membership": ("history_user", "user", "organisation"),
    "invitation": ("history_user", "organisation", "invited_by", "accepted_by"),
}
_ACTIVITY_IGNORED_FIELDS = ("created_at", "updated_at", "id", "workspace")


@dataclass(frozen=True)
class ActivityChange:
    """One field of a record that changed: its label and its old and new values as text."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class ActivityEntry:
    """One line of a workspace's history: who did what, to which record, when."""

    kind: str
    kind_label: str
    action: str  # "created" | "changed" | "deleted"
    when: datetime
    actor: User | None
    subject: str
    reason: str
    changes: list[ActivityChange] = field(default_factory=list)


def activity_list(
    *,
    user: User | AnonymousUser,
    workspace: Workspace,
    page_number: int | str | None = 1,
    per_page: int = 50,
) -> Page:
    """One page of the history of a workspace, its organisations, memberships and invitations.

    Empty unless the user holds VIEW_ACTIVITY on the workspace. The number of queries does not
    depend on the number of rows: one union of the four history tables orders and pages the
    rows, then each kind's rows of the page, their previous versions and the names of the
    records their foreign keys point to are fetched in bulk.
    """
    allowed = restrict(Workspace.objects.filter(pk=workspace.pk), user, Perm.VIEW_ACTIVITY).values(
        "pk"
    )
    parts = []
    for kind, model in ACTIVITY_MODELS.items():
        lookup = "id__in" if model is Workspace else "workspace_id__in"
        parts.append(
            model.history.filter(**{lookup: allowed})  # type: ignore[attr-defined]
            .annotate(activity_kind=Value(kind, output_field=CharField()))
            .values("history_id", "history_date", "activity_kind")
            .order_by()
        )
    index = parts[0].union(*parts[1:], all=True).order_by("-history_date", "-history_id")
    page = Paginator(index, per_page).get_page(page_number)
    page.object_list = _activity_entries(list(page.object_list))
    return page


def _activity_entries(rows: list[dict[str, Any]]) -> list[ActivityEntry]:
    ids_by_kind: dict[str, list[int]] = {kind: [] for kind in ACTIVITY_MODELS}
    for row in rows:
        ids_by_kind[row["activity_kind"]].append(row["history_id"])
    records: dict[tuple[str, int], Any] = {}
    previous: dict[tuple[str, int], Any] = {}
    for kind, history_ids in ids_by_kind.items():
        history = ACTIVITY_MODELS[kind].history  # type: ignore[attr-defined]
        # 0 is never a history id: with it the query always runs, so the page's query count
        # is the same whatever kinds of rows it holds.
        page_ids = history_ids or [0]
        earlier = (
            history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
            .order_by("-history_id")
            .values("history_id")[:1]
        )
        previous_ids = (
            history.filter(history_id__in=page_ids)
            .annotate(previous_history_id=Subquery(earlier))
            .values("previous_history_id")
        )
        # The page's rows and the version before each, in one query.
        fetched = sorted(
            history.filter(Q(history_id__in=page_ids) | Q(history_id__in=previous_ids))
            .select_related(*_ACTIVITY_SELECT[kind])
            .order_by(),
            key=lambda record: record.history_id,
        )
        latest_by_object: dict[Any, Any] = {}
        wanted = set(history_ids)
        for record in fetched:  # oldest first: the version seen last is the one before
            if record.history_id in wanted:
                records[kind, record.history_id] = record
                if record.id in latest_by_object:
                    previous[kind, record.history_id] = latest_by_object[record.id]
            latest_by_object[record.id] = record

    entries = []
    for row in rows:
        key = (row["activity_kind"], row["history_id"])
        record = records.get(key)
        if record is None:  # deleted between the two queries
            continue
        model = ACTIVITY_MODELS[row["activity_kind"]]
        changes = []
        if record.history_type == "~" and key in previous:
            delta = record.diff_against(
                previous[key],
                excluded_fields=_ACTIVITY_IGNORED_FIELDS,
                foreign_keys_are_objs=True,
            )
            changes = [
                ActivityChange(
                    field=str(record._meta.get_field(change.field).verbose_name),
                    old=_value_text(record, change.field, change.old),
                    new=_value_text(record, change.field, change.new),
                )
                for change in delta.changes
            ]
        entries.append(
            ActivityEntry(
                kind=row["activity_kind"],
                kind_label=str(model._meta.verbose_name),
                action={"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                when=record.history_date,
                actor=record.history_user,
                subject=_activity_subject(row["activity_kind"], record),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def _value_text(record: Any, field_name: str, value: Any) -> str:
    if isinstance(value, DeletedObject):
        # simple-history reports an empty foreign key as a deleted object without a key.
        return "" if value.pk is None else str(_("(deleted)"))
    if value is None or value == "":
        return ""
    if isinstance(value, Model):
        return str(value)
    model_field = record._meta.get_field(field_name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return str(value)


def _activity_subject(kind: str, record: Any) -> str:
    if kind == "membership":
        person = record.user
        name = str(person) if person is not None else _("(deleted account)")
        return f"{name} · {dict(Role.choices).get(record.role, record.role)}"
    if kind == "invitation":
        return str(record.email)
    return str(record.name)
