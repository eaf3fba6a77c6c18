"""The one review mechanism of the portal (DESIGN §4).

Any model that holds reviewable content inherits `Reviewable`, declares the fields that make up
its content in `review_fields`, has a `workspace` foreign key and is registered with
`register_reviewable()`. Its state changes only through the services below, which check the
rights of DESIGN §3, log a `ReviewEvent` with the why, and e-mail the people concerned once per
batch. Comments hang on the item through a generic relation and survive its versions.

In the browser and the API the mechanism is generic: `stakeholders/review_views.py` (pages,
the review panel of detail pages, `ReviewableUpdateMixin` for edit pages with conflict
detection) and `stakeholders/api/review.py` (endpoints, `ReviewableViewSetMixin` with
ETag/If-Match, `ReviewStateSerializerMixin`). Their module docstrings say how to use them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router, transaction
from django.db.models import Case, Q, QuerySet, Value, When
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .permissions import (
    Perm,
    can_read_item_with,
    restrict,
    restrict_readable,
    workspace_perms,
    workspaces_with,
)

if TYPE_CHECKING:
    from .models import User, Workspace


class ReviewState(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    SUBMITTED = "submitted", gettext_lazy("Submitted for review")
    APPROVED = "approved", gettext_lazy("Approved")
    RETURNED = "returned", gettext_lazy("Returned")


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", gettext_lazy("Submitted for review")
    APPROVE = "approve", gettext_lazy("Approved")
    RETURN = "return", gettext_lazy("Returned")
    SHARE = "share", gettext_lazy("Shared for consultation")
    UNSHARE = "unshare", gettext_lazy("No longer shared for consultation")
    REOPEN = "reopen", gettext_lazy("New draft version opened")
    EDIT = "edit", gettext_lazy("Edited")


# Every reviewable model has a `workspace` foreign key (a str, not a literal: the mixin has none).
WORKSPACE_FIELD: str = "workspace"

# Actions that tell people something they must know; edits and sharing only go to the log.
NOTIFIED_ACTIONS = frozenset({ReviewAction.SUBMIT, ReviewAction.APPROVE, ReviewAction.RETURN})


# Models ----------------------------------------------------------------------------------------


class Reviewable(models.Model):
    """Abstract base of every piece of content that goes through review."""

    review_fields: ClassVar[tuple[str, ...]] = ()

    review_state = models.CharField(
        gettext_lazy("review state"),
        max_length=16,
        choices=ReviewState.choices,
        default=ReviewState.DRAFT,
        editable=False,
    )
    version = models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)
    approved_snapshot = models.JSONField(
        gettext_lazy("approved content"),
        null=True,
        blank=True,
        editable=False,
        encoder=DjangoJSONEncoder,
    )
    approved_version = models.PositiveIntegerField(
        gettext_lazy("approved version"), null=True, blank=True, editable=False
    )
    approved_at = models.DateTimeField(
        gettext_lazy("approved"), null=True, blank=True, editable=False
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("approved by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("submitted by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    shared_for_consultation = models.BooleanField(
        gettext_lazy("shared for consultation"), default=False, editable=False
    )
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    review_events = GenericRelation("stakeholders.ReviewEvent")
    comments = GenericRelation("stakeholders.Comment")

    class Meta:
        abstract = True
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=Q(review_state__in=ReviewState.values),
                name="%(app_label)s_%(class)s_review_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(approved_version__isnull=True) | Q(approved_snapshot__isnull=False),
                name="%(app_label)s_%(class)s_approved_has_snapshot",
            ),
        ]

    def review_content(self) -> dict[str, Any]:
        """The current values of the reviewed fields (the draft for a draft)."""
        return {name: getattr(self, name) for name in self.review_fields}

    def before_approval(self) -> None:
        """Hook run just before the approved snapshot is taken (in the approving transaction):
        a model whose reviewed content includes derived data (a profile section's live indicator
        tables) fixes it here, so that the snapshot freezes it."""


class ReviewEvent(models.Model):
    """One step in an item's review: who did what, why, and from which state to which."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    workspace = models.ForeignKey(
        "stakeholders.Workspace",
        verbose_name=gettext_lazy("workspace"),
        on_delete=models.CASCADE,
        related_name="review_events",
    )
    action = models.CharField(gettext_lazy("action"), max_length=16, choices=ReviewAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(gettext_lazy("reason"), blank=True)
    from_state = models.CharField(gettext_lazy("from"), max_length=16, choices=ReviewState.choices)
    to_state = models.CharField(gettext_lazy("to"), max_length=16, choices=ReviewState.choices)
    version = models.PositiveIntegerField(gettext_lazy("version"))
    created_at = models.DateTimeField(gettext_lazy("time"), auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = gettext_lazy("review event")
        verbose_name_plural = gettext_lazy("review events")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=ReviewAction.values), name="reviewevent_action_valid"
            ),
            models.CheckConstraint(
                condition=~Q(action=ReviewAction.RETURN) | ~Q(reason=""),
                name="reviewevent_return_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · v{self.version}"


class Comment(models.Model):
    """A remark on a reviewable item; replies form a thread that can be resolved."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    workspace = models.ForeignKey(
        "stakeholders.Workspace",
        verbose_name=gettext_lazy("workspace"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(gettext_lazy("comment"), help_text=gettext_lazy("Markdown."))
    parent = models.ForeignKey(
        "self",
        verbose_name=gettext_lazy("in reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    version = models.PositiveIntegerField(gettext_lazy("written on version"))
    resolved_at = models.DateTimeField(gettext_lazy("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(gettext_lazy("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = gettext_lazy("comment")
        verbose_name_plural = gettext_lazy("comments")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_by__isnull=True) | Q(resolved_at__isnull=False),
                name="comment_resolved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    def clean(self) -> None:
        if self.parent is not None and (
            self.parent.content_type_id != self.content_type_id
            or self.parent.object_id != self.object_id
        ):
            raise ValidationError({"parent": _("A reply must be on the same item.")})


# Registry --------------------------------------------------------------------------------------

_REVIEWABLE_MODELS: list[type[Reviewable]] = []


def register_reviewable(model: type[Reviewable]) -> type[Reviewable]:
    """Make `model` part of "needs my action" (call from the app's `ready()`)."""
    if not issubclass(model, Reviewable) or not model.review_fields:
        raise TypeError(f"{model.__name__} must be a Reviewable with review_fields")
    if model not in _REVIEWABLE_MODELS:
        _REVIEWABLE_MODELS.append(model)
    return model


def reviewable_models() -> tuple[type[Reviewable], ...]:
    return tuple(_REVIEWABLE_MODELS)


# Errors ----------------------------------------------------------------------------------------


class ReviewConflict(ValidationError):
    """Someone saved the item after the editor loaded it; carries what is there now."""

    def __init__(self, *, current: dict[str, Any], lock_version: int) -> None:
        super().__init__(
            _(
                "Someone else changed this item after you opened it. Your text was not saved: "
                "compare it with the current version and save again."
            ),
            code="conflict",
        )
        self.current = current
        self.lock_version = lock_version


# Services --------------------------------------------------------------------------------------


def _as_list(items: Reviewable | Iterable[Reviewable]) -> list[Reviewable]:
    if isinstance(items, Reviewable):
        return [items]
    return list(items)


def _lock(items: Sequence[Reviewable]) -> list[Reviewable]:
    """Fresh, row-locked copies of `items`, in the same order."""
    by_model: dict[type[Reviewable], list[Any]] = defaultdict(list)
    for item in items:
        if item.pk is None:
            raise ValueError("Save an item through its service before reviewing it.")
        by_model[type(item)].append(item.pk)
    fresh: dict[tuple[type[Reviewable], Any], Reviewable] = {}
    for model, pks in by_model.items():
        rows = (
            model._default_manager.select_for_update(of=("self",))
            .select_related(WORKSPACE_FIELD)
            .filter(pk__in=pks)
        )
        for row in rows:
            fresh[(model, row.pk)] = row
    return [fresh[(type(item), item.pk)] for item in items]


_STATE_FIELDS = (
    "review_state",
    "version",
    "approved_snapshot",
    "approved_version",
    "approved_at",
    "approved_by_id",
    "submitted_by_id",
    "shared_for_consultation",
    "lock_version",
)


def _copy_state(source: Reviewable, target: Reviewable) -> None:
    """Keep the caller's instance in step with what was saved."""
    if source is target:
        return
    for name in (*_STATE_FIELDS, *(source.review_fields)):
        setattr(target, name, getattr(source, name))


def _save_item(item: Reviewable, *, actor: User | None) -> None:
    item.lock_version += 1
    item.full_clean()
    item._history_user = actor  # type: ignore[attr-defined]
    item.save()


# A batch of at least this many items changes state through bulk queries (`_save_items_bulk`).
BULK_THRESHOLD = 200
BULK_CHUNK = 1000


def _save_items_bulk(items: Sequence[Reviewable], *, actor: User | None) -> None:
    """`_save_item` for a whole batch whose items changed only their review-state fields.

    One prepared UPDATE run for every item (`executemany`) instead of a validation and a save
    per item, and the history rows in bulk. Per-item validation is skipped on purpose: the
    content was validated when it was saved and is not touched here, and the state fields are
    held by the database's check constraints (state valid, an approved item has its snapshot).
    `QuerySet.bulk_update` is not used: its CASE expressions cost more than the saves they
    replace at this size.
    """
    now = timezone.now()
    by_model: dict[type[Reviewable], list[Reviewable]] = defaultdict(list)
    for item in items:
        item.lock_version += 1
        by_model[type(item)].append(item)
    for model, rows in by_model.items():
        meta = model._meta
        names = [name.removesuffix("_id") for name in _STATE_FIELDS]
        if any(field.name == "updated_at" for field in meta.concrete_fields):
            names.append("updated_at")
            for row in rows:
                row.updated_at = now  # type: ignore[attr-defined]
        fields = [cast("models.Field[Any, Any]", meta.get_field(name)) for name in names]
        connection = connections[router.db_for_write(model)]
        quote = connection.ops.quote_name
        pk_column = cast(str, meta.pk.column)
        # Only quoted identifiers from the model's metadata; every value is a parameter.
        sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
            quote(meta.db_table),
            ", ".join(f"{quote(cast(str, field.column))} = %s" for field in fields),
            quote(pk_column),
        )
        params = [
            [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
            + [row.pk]
            for row in rows
        ]
        with connection.cursor() as cursor:
            for start in range(0, len(params), BULK_CHUNK):
                cursor.executemany(sql, params[start : start + BULK_CHUNK])
        history = getattr(model, "history", None)
        if history is not None:
            for row in rows:
                row._history_user = actor  # type: ignore[attr-defined]
            history.bulk_history_create(
                rows, batch_size=BULK_CHUNK, update=True, default_user=actor, default_date=now
            )


class _Perms:
    """Workspace permissions of one actor, looked up once per workspace in a batch."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self._cache: dict[int, frozenset[Perm]] = {}

    def of(self, item: Reviewable) -> frozenset[Perm]:
        workspace_id: int = item.workspace_id  # type: ignore[attr-defined]
        if workspace_id not in self._cache:
            self._cache[workspace_id] = workspace_perms(
                self.actor,
                item.workspace,  # type: ignore[attr-defined]
            )
        return self._cache[workspace_id]


def _refuse_or_apply(
    *,
    actor: User,
    items: Reviewable | Iterable[Reviewable],
    check: Any,
    apply: Any,
    change: Any = None,
) -> list[Reviewable]:
    """Check every item of the batch, refuse the batch as a whole, else apply to each.

    `change(item) -> ReviewEvent` (optional) changes only the item's review-state fields without
    saving; a batch of `BULK_THRESHOLD` items or more is then saved in bulk (same states, same
    events, same history rows as `apply` one by one, in a few queries)."""
    given = _as_list(items)
    if not given:
        raise ValidationError(_("Select at least one item."), code="empty")
    locked = _lock(given)
    perms = _Perms(actor)
    problems = []
    for item in locked:
        problem = check(item, perms.of(item))
        if problem:
            problems.append(
                ValidationError(
                    _("%(item)s: %(problem)s") % {"item": item, "problem": problem},
                    code="refused",
                )
            )
    if problems:
        # A visitor who may not even see the workspace learns nothing about its items.
        if all(Perm.ACCESS not in perms.of(item) for item in locked):
            raise PermissionDenied
        raise ValidationError(problems)
    if change is not None and len(locked) >= BULK_THRESHOLD:
        events = [change(item) for item in locked]
        _save_items_bulk(locked, actor=actor)
    else:
        events = [apply(item) for item in locked]
    for item, original in zip(locked, given, strict=True):
        _copy_state(item, original)
    _log_and_notify(events)
    return locked


def _event(
    item: Reviewable, *, actor: User, action: str, from_state: str, reason: str = ""
) -> ReviewEvent:
    return ReviewEvent(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        workspace_id=item.workspace_id,  # type: ignore[attr-defined]
        action=action,
        actor=actor,
        reason=reason,
        from_state=from_state,
        to_state=item.review_state,
        version=item.version,
    )


def _log_and_notify(events: list[ReviewEvent]) -> None:
    # Events of one batch differ only in item id and version (plain integers): validate each
    # distinct shape once instead of one query per foreign key and constraint per event.
    validated: set[tuple[object, ...]] = set()
    for event in events:
        shape = (
            event.content_type_id,
            event.workspace_id,
            event.actor_id,
            event.action,
            event.reason,
            event.from_state,
            event.to_state,
        )
        if shape not in validated:
            event.full_clean()
            validated.add(shape)
    created = ReviewEvent.objects.bulk_create(events)
    # Items are saved in bulk and events bulk-created: no signal bumps the summaries' cache.
    from .cache import touch_workspaces

    touch_workspaces({event.workspace_id for event in created})
    notify = [event.pk for event in created if event.action in NOTIFIED_ACTIONS]
    if notify:
        from .tasks import review_notify_task

        transaction.on_commit(lambda: review_notify_task.delay(notify))


@transaction.atomic
def review_submit(*, actor: User, items: Reviewable | Iterable[Reviewable]) -> list[Reviewable]:
    """Submit drafts (or returned items) for review."""

    def check(item: Reviewable, perms: frozenset[Perm]) -> str:
        if Perm.SUBMIT not in perms:
            return _("you may not submit items for review here.")
        if item.review_state not in (ReviewState.DRAFT, ReviewState.RETURNED):
            return _("only a draft or a returned item can be submitted (it is %(state)s).") % {
                "state": item.get_review_state_display().lower()
            }
        return ""

    def change(item: Reviewable) -> ReviewEvent:
        from_state = item.review_state
        item.review_state = ReviewState.SUBMITTED
        item.submitted_by = actor
        return _event(item, actor=actor, action=ReviewAction.SUBMIT, from_state=from_state)

    def apply(item: Reviewable) -> ReviewEvent:
        event = change(item)
        _save_item(item, actor=actor)
        return event

    return _refuse_or_apply(actor=actor, items=items, check=check, apply=apply, change=change)


def _check_review(actor: User) -> Any:
    def check(item: Reviewable, perms: frozenset[Perm]) -> str:
        if Perm.REVIEW not in perms:
            return _("you may not approve or return items here.")
        if item.review_state != ReviewState.SUBMITTED:
            return _("only a submitted item can be approved or returned (it is %(state)s).") % {
                "state": item.get_review_state_display().lower()
            }
        if item.submitted_by_id == actor.pk:
            return _("you submitted it, so someone else must review it.")
        return ""

    return check


@transaction.atomic
def review_approve(*, actor: User, items: Reviewable | Iterable[Reviewable]) -> list[Reviewable]:
    """Approve submitted items: their content becomes what every reader sees."""
    now = timezone.now()

    def change(item: Reviewable) -> ReviewEvent:
        item.before_approval()
        item.review_state = ReviewState.APPROVED
        item.approved_snapshot = item.review_content()
        item.approved_version = item.version
        item.approved_at = now
        item.approved_by = actor
        # The approved text is public to all members now; a later draft is private again.
        item.shared_for_consultation = False
        return _event(
            item, actor=actor, action=ReviewAction.APPROVE, from_state=ReviewState.SUBMITTED
        )

    def apply(item: Reviewable) -> ReviewEvent:
        event = change(item)
        _save_item(item, actor=actor)
        return event

    return _refuse_or_apply(
        actor=actor, items=items, check=_check_review(actor), apply=apply, change=change
    )


@transaction.atomic
def review_return(
    *, actor: User, items: Reviewable | Iterable[Reviewable], reason: str
) -> list[Reviewable]:
    """Send submitted items back to their editors with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the item is returned, so its editors know what to change.")},
            code="reason_required",
        )

    def change(item: Reviewable) -> ReviewEvent:
        item.review_state = ReviewState.RETURNED
        return _event(
            item,
            actor=actor,
            action=ReviewAction.RETURN,
            from_state=ReviewState.SUBMITTED,
            reason=reason,
        )

    def apply(item: Reviewable) -> ReviewEvent:
        event = change(item)
        _save_item(item, actor=actor)
        return event

    return _refuse_or_apply(
        actor=actor, items=items, check=_check_review(actor), apply=apply, change=change
    )


@transaction.atomic
def review_share(
    *, actor: User, items: Reviewable | Iterable[Reviewable], shared: bool
) -> list[Reviewable]:
    """Let contributors read and comment on a draft (or stop it)."""

    def check(item: Reviewable, perms: frozenset[Perm]) -> str:
        if Perm.SHARE not in perms:
            return _("you may not share drafts for consultation here.")
        if shared and item.review_state == ReviewState.APPROVED:
            return _("an approved item is already visible to every member.")
        return ""

    def apply(item: Reviewable) -> ReviewEvent:
        item.shared_for_consultation = shared
        _save_item(item, actor=actor)
        action = ReviewAction.SHARE if shared else ReviewAction.UNSHARE
        return _event(item, actor=actor, action=action, from_state=item.review_state)

    return _refuse_or_apply(actor=actor, items=items, check=check, apply=apply)


@transaction.atomic
def review_edit[R: Reviewable](
    *, actor: User, item: R, expected_lock_version: int, **changes: Any
) -> R:
    """Change the content of an item loaded at `expected_lock_version`.

    A stale version raises `ReviewConflict` and changes nothing. Editing an approved item opens
    the next draft version; its approved snapshot stays what readers see.
    """
    unknown = set(changes) - set(item.review_fields)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be changed here")
    (locked,) = _lock([item])
    if not can_edit(actor, locked):
        raise PermissionDenied
    if locked.lock_version != expected_lock_version:
        raise ReviewConflict(current=locked.review_content(), lock_version=locked.lock_version)
    if locked.review_state == ReviewState.SUBMITTED:
        raise ValidationError(
            _("This item is waiting for review and cannot be changed until it is reviewed."),
            code="submitted",
        )
    if all(getattr(locked, name) == value for name, value in changes.items()):
        _copy_state(locked, item)
        return item
    for name, value in changes.items():
        setattr(locked, name, value)
    from_state = locked.review_state
    action = ReviewAction.EDIT
    if from_state == ReviewState.APPROVED:
        locked.review_state = ReviewState.DRAFT
        locked.version += 1
        action = ReviewAction.REOPEN
    _save_item(locked, actor=actor)
    _log_and_notify([_event(locked, actor=actor, action=action, from_state=from_state)])
    _copy_state(locked, item)
    return item


def can_edit(user: User, item: Reviewable) -> bool:
    return Perm.EDIT in workspace_perms(user, item.workspace)  # type: ignore[attr-defined]


def _item_of(comment: Comment) -> Reviewable:
    model = comment.content_type.model_class()
    assert model is not None
    return cast(
        Reviewable,
        model._default_manager.select_related(WORKSPACE_FIELD).get(pk=comment.object_id),
    )


@transaction.atomic
def comment_add(
    *, actor: User, item: Reviewable, body: str, parent: Comment | None = None
) -> Comment:
    """Comment on an item the actor can read; a reply joins its parent's thread."""
    perms = workspace_perms(actor, item.workspace)  # type: ignore[attr-defined]
    if not can_read_item_with(perms, item):
        raise PermissionDenied
    if Perm.COMMENT not in perms:
        raise PermissionDenied
    if parent is not None and parent.parent_id is not None:
        parent = parent.parent
    # Someone who reads the approved snapshot comments on the approved version.
    sees_draft = Perm.VIEW_DRAFTS in perms or item.shared_for_consultation
    version = item.version if sees_draft or item.approved_version is None else item.approved_version
    comment = Comment(
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        workspace_id=item.workspace_id,  # type: ignore[attr-defined]
        author=actor,
        body=(body or "").strip(),
        parent=parent,
        version=version,
    )
    comment.full_clean()
    comment.save()
    return comment


def can_resolve(user: User, comment: Comment, item: Reviewable) -> bool:
    perms = workspace_perms(user, item.workspace)  # type: ignore[attr-defined]
    if Perm.RESOLVE_COMMENTS in perms:
        return True
    authors = {item.created_by_id, item.submitted_by_id}
    return Perm.COMMENT in perms and user.pk in authors


@transaction.atomic
def comment_resolve(*, actor: User, comment: Comment) -> Comment:
    """Close a thread (resolving a reply closes its whole thread)."""
    thread = comment.parent if comment.parent is not None else comment
    thread = Comment.objects.select_for_update().get(pk=thread.pk)
    item = _item_of(thread)
    if not can_resolve(actor, thread, item):
        raise PermissionDenied
    if thread.resolved_at is not None:
        raise ValidationError(_("This thread is already resolved."), code="resolved")
    thread.resolved_at = timezone.now()
    thread.resolved_by = actor
    thread.full_clean()
    thread.save()
    if thread.pk == comment.pk:
        comment.resolved_at, comment.resolved_by = thread.resolved_at, actor
    return thread


# Notifications ---------------------------------------------------------------------------------


@dataclass
class _Entry:
    event: ReviewEvent
    item: Reviewable

    @property
    def url(self) -> str:
        """The item's page ('' when its model has none routed)."""
        try:
            return str(self.item.get_absolute_url())  # type: ignore[attr-defined]
        except (AttributeError, NoReverseMatch):
            return ""


def _recipients(events: list[ReviewEvent]) -> dict[int, list[_Entry]]:
    """Recipient user id → what happened, for a batch of events (a fixed number of queries)."""
    from .models import WorkspaceGroupObjectPermission

    items: dict[tuple[int, int], Reviewable] = {}
    by_type: dict[int, list[int]] = defaultdict(list)
    for event in events:
        by_type[event.content_type_id].append(event.object_id)
    for content_type_id, object_ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        assert model is not None
        for row in model._default_manager.select_related(WORKSPACE_FIELD).filter(pk__in=object_ids):
            items[(content_type_id, row.pk)] = cast(Reviewable, row)

    # Everyone who edited, submitted or reviewed the items, and everyone who commented on them.
    involved: dict[tuple[int, int], set[int]] = defaultdict(set)
    item_filter = Q(pk__in=[])
    for content_type_id, object_ids in by_type.items():
        item_filter |= Q(content_type_id=content_type_id, object_id__in=object_ids)
    for content_type_id, object_id, actor_id in ReviewEvent.objects.filter(
        item_filter, actor__isnull=False
    ).values_list("content_type_id", "object_id", "actor_id"):
        involved[(content_type_id, object_id)].add(actor_id)
    for content_type_id, object_id, author_id in Comment.objects.filter(
        item_filter, author__isnull=False
    ).values_list("content_type_id", "object_id", "author_id"):
        involved[(content_type_id, object_id)].add(author_id)

    workspace_ids = {event.workspace_id for event in events}
    grants = WorkspaceGroupObjectPermission.objects.filter(
        content_object_id__in=workspace_ids,
        permission__codename__in=[Perm.REVIEW.value, Perm.ACCESS.value],
        group__user__isnull=False,
    ).values_list("content_object_id", "permission__codename", "group__user")
    reviewers: dict[int, set[int]] = defaultdict(set)
    members: dict[int, set[int]] = defaultdict(set)
    for workspace_id, codename, user_id in grants:
        (reviewers if codename == Perm.REVIEW.value else members)[workspace_id].add(user_id)

    recipients: dict[int, list[_Entry]] = defaultdict(list)
    for event in events:
        key = (event.content_type_id, event.object_id)
        item = items.get(key)
        if item is None:
            continue
        people = set(involved[key])
        people |= {pk for pk in (item.created_by_id, item.submitted_by_id) if pk is not None}
        if event.to_state == ReviewState.SUBMITTED:
            people |= reviewers[event.workspace_id]
        people &= members[event.workspace_id]
        people.discard(event.actor_id)
        for user_id in people:
            recipients[user_id].append(_Entry(event=event, item=item))
    return recipients


@transaction.atomic
def review_notify(*, event_ids: Sequence[int]) -> int:
    """E-mail each person concerned by these events once; returns the number of e-mails.

    Events already notified are skipped, so running this twice sends nothing twice.
    """
    from .models import User

    events = list(
        ReviewEvent.objects.select_for_update(of=("self",))
        .filter(pk__in=event_ids, notified_at__isnull=True, action__in=NOTIFIED_ACTIONS)
        .select_related("actor", "workspace")
        .order_by("pk")
    )
    if not events:
        return 0
    recipients = _recipients(events)
    users = User.objects.filter(pk__in=recipients, is_active=True).exclude(email="")
    sent = 0
    for user in users.order_by("pk"):
        language = user.preferred_language or settings.LANGUAGE_CODE
        entries = recipients[user.pk]
        with translation.override(language):
            context = {
                "recipient": user,
                "entries": entries,
                "workspaces": sorted({entry.event.workspace.name for entry in entries}),
                "action_links": sorted(
                    {
                        (
                            entry.event.workspace.name,
                            reverse(
                                "stakeholders:needs_my_action",
                                kwargs={"slug": entry.event.workspace.slug},
                            ),
                        )
                        for entry in entries
                    }
                ),
                "site_url": settings.SITE_URL.rstrip("/"),
            }
            subject = render_to_string(
                "stakeholders/email/review_digest_subject.txt", context
            ).strip()
            body = render_to_string("stakeholders/email/review_digest_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    ReviewEvent.objects.filter(pk__in=[event.pk for event in events]).update(
        notified_at=timezone.now()
    )
    return sent


# Selectors -------------------------------------------------------------------------------------


def readable_items[R: Reviewable](queryset: QuerySet[R], *, user: User | Any) -> QuerySet[R]:
    """The items of `queryset` the user may read at all (DESIGN §3)."""
    return restrict_readable(queryset, user)


def approved_view(item: Reviewable) -> dict[str, Any]:
    """The last approved content ({} if the item was never approved)."""
    return dict(item.approved_snapshot or {})


def visible_content(item: Reviewable, *, perms: frozenset[Perm]) -> dict[str, Any]:
    """What a reader holding `perms` on the item's workspace is shown: draft or approved text."""
    if Perm.VIEW_DRAFTS in perms or (Perm.COMMENT in perms and item.shared_for_consultation):
        return item.review_content()
    return approved_view(item)


def review_event_list(*, user: User | Any, item: Reviewable) -> QuerySet[ReviewEvent]:
    return restrict(
        ReviewEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(item), object_id=item.pk
        ),
        user,
        Perm.VIEW_DRAFTS,
    ).select_related("actor")


def comment_list(*, user: User | Any, item: Reviewable) -> QuerySet[Comment]:
    """The comments on an item, for someone who can read it (none otherwise)."""
    perms = workspace_perms(user, item.workspace)  # type: ignore[attr-defined]
    comments = Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk
    )
    if not can_read_item_with(perms, item):
        return comments.none()
    return comments.select_related("author", "resolved_by")


def needs_my_action(
    *,
    user: User | Any,
    workspace: Workspace | None = None,
    perms: frozenset[Perm] | None = None,
) -> list[Reviewable]:
    """Items waiting for this user: submitted ones to review, returned ones to revise.

    Each item carries `needed_action` ("review" or "revise"); one query per registered model.
    For one `workspace`, the user's permissions on it decide (`perms` if the caller already
    holds them, else `workspace_perms`): the filters are then plain conditions on the items'
    own columns. Without a workspace, every workspace the user may access is searched.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    to_review = Q(review_state=ReviewState.SUBMITTED) & ~Q(submitted_by=user)
    to_revise = Q(review_state=ReviewState.RETURNED)
    if workspace is not None:
        if perms is None:
            perms = workspace_perms(user, workspace)
        if Perm.ACCESS not in perms:
            return []
        waiting = Q(pk__in=[])
        if Perm.REVIEW in perms:
            waiting |= to_review
        waiting |= to_revise if Perm.EDIT in perms else to_revise & Q(submitted_by=user)
        querysets = [
            model._default_manager.filter(**{WORKSPACE_FIELD: workspace})
            for model in _REVIEWABLE_MODELS
        ]
    else:
        review_in = workspaces_with(user, Perm.REVIEW).values("pk")
        edit_in = workspaces_with(user, Perm.EDIT).values("pk")
        waiting = (to_review & Q(workspace__in=review_in)) | (
            to_revise & (Q(submitted_by=user) | Q(workspace__in=edit_in))
        )
        querysets = [
            restrict(model._default_manager.all(), user, Perm.ACCESS)
            for model in _REVIEWABLE_MODELS
        ]
    found: list[Reviewable] = []
    for queryset in querysets:
        found.extend(
            queryset.filter(waiting)
            .order_by()  # sorted below: no join for the models' default ordering
            .select_related(WORKSPACE_FIELD)
            .annotate(
                needed_action=Case(
                    When(review_state=ReviewState.SUBMITTED, then=Value("review")),
                    default=Value("revise"),
                    output_field=models.CharField(),
                )
            )
        )
    # Oldest first: what has waited longest comes first.
    found.sort(key=lambda item: (getattr(item, "updated_at", None) or timezone.now(), item.pk))
    return found


# Addressing and presentation helpers (used by review_views.py and api/review.py) ---------------
#
# An item is addressed as `<kind>/<pk>`, where `kind` is the model's `_meta.label_lower`
# (e.g. `mainstreaming.situationsection`). Only registered models are addressable.

TRANSITIONS: dict[str, Perm] = {
    "submit": Perm.SUBMIT,
    "approve": Perm.REVIEW,
    "return": Perm.REVIEW,
    "share": Perm.SHARE,
    "unshare": Perm.SHARE,
}


def item_kind(item_or_model: Reviewable | type[Reviewable]) -> str:
    return item_or_model._meta.label_lower


def reviewable_model_for(kind: str) -> type[Reviewable] | None:
    """The registered reviewable model called `kind` (None if there is none)."""
    for model in _REVIEWABLE_MODELS:
        if item_kind(model) == kind:
            return model
    return None


def reviewable_item_list[R: Reviewable](
    model: type[R], *, user: User | Any, workspace: Workspace
) -> QuerySet[R]:
    """The items of `model` in `workspace` that `user` may read, with the review joins."""
    return readable_items(
        model._default_manager.filter(**{WORKSPACE_FIELD: workspace}), user=user
    ).select_related(WORKSPACE_FIELD, "approved_by", "submitted_by", "created_by")


def review_transition(
    *, actor: User, action: str, items: Reviewable | Iterable[Reviewable], reason: str = ""
) -> list[Reviewable]:
    """Dispatch a transition named as in URLs and the API to its service."""
    if action == "submit":
        return review_submit(actor=actor, items=items)
    if action == "approve":
        return review_approve(actor=actor, items=items)
    if action == "return":
        return review_return(actor=actor, items=items, reason=reason)
    if action in ("share", "unshare"):
        return review_share(actor=actor, items=items, shared=action == "share")
    raise ValueError(f"unknown review action {action!r}")


def available_transitions(
    *, user: User | Any, perms: frozenset[Perm], item: Reviewable
) -> list[str]:
    """The transitions `user` (holding `perms` on the item's workspace) may do to `item` now.

    Agrees with the checks of the services (tested), so a page never offers a refused button.
    """
    state = item.review_state
    found = []
    if Perm.SUBMIT in perms and state in (ReviewState.DRAFT, ReviewState.RETURNED):
        found.append("submit")
    if (
        Perm.REVIEW in perms
        and state == ReviewState.SUBMITTED
        and item.submitted_by_id != getattr(user, "pk", None)
    ):
        found += ["approve", "return"]
    if Perm.SHARE in perms:
        if item.shared_for_consultation:
            found.append("unshare")
        elif state != ReviewState.APPROVED:
            found.append("share")
    return found


def sees_drafts(perms: frozenset[Perm], item: Reviewable) -> bool:
    """Does a reader holding `perms` see the item's current (draft) content?"""
    return Perm.VIEW_DRAFTS in perms or (Perm.COMMENT in perms and item.shared_for_consultation)


def can_resolve_with(perms: frozenset[Perm], user: User | Any, item: Reviewable) -> bool:
    """`can_resolve` for a caller that already holds the user's workspace permissions."""
    if Perm.RESOLVE_COMMENTS in perms:
        return True
    authors = {item.created_by_id, item.submitted_by_id}
    return Perm.COMMENT in perms and getattr(user, "pk", None) in authors


def visible_comment_list(
    *, user: User | Any, item: Reviewable, perms: frozenset[Perm]
) -> QuerySet[Comment]:
    """`comment_list` for a caller holding the user's permissions, minus what the reader may
    not see: readers of the approved snapshot only see comments on approved versions, since a
    comment on a later draft may quote the draft."""
    comments = Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(item), object_id=item.pk
    )
    if not can_read_item_with(perms, item):
        return comments.none()
    comments = comments.select_related("author", "resolved_by")
    if sees_drafts(perms, item):
        return comments
    return comments.filter(version__lte=item.approved_version or 0)


@dataclass
class ActionEntry:
    """One row of "needs my action": the item, what is needed, who sent it and when."""

    item: Reviewable
    needed_action: str
    by: Any
    since: Any
    reason: str


def needs_my_action_entries(
    *, user: User | Any, workspace: Workspace, perms: frozenset[Perm] | None = None
) -> list[ActionEntry]:
    """`needs_my_action` with, for each item, its last submit/return event (one more query).

    `perms`: the user's permissions on `workspace` when the caller already holds them."""
    items = needs_my_action(user=user, workspace=workspace, perms=perms)
    if not items:
        return []
    by_type: dict[int, list[int]] = defaultdict(list)
    for item in items:
        by_type[ContentType.objects.get_for_model(item).pk].append(item.pk)
    item_filter = Q(pk__in=[])
    for content_type_id, object_ids in by_type.items():
        item_filter |= Q(content_type_id=content_type_id, object_id__in=object_ids)
    last: dict[tuple[int, int], ReviewEvent] = {}
    events = (
        ReviewEvent.objects.filter(item_filter, workspace=workspace)
        .filter(action__in=[ReviewAction.SUBMIT, ReviewAction.RETURN])
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    for event in events:
        last[(event.content_type_id, event.object_id)] = event
    entries = []
    for item in items:
        found = last.get((ContentType.objects.get_for_model(item).pk, item.pk))
        entries.append(
            ActionEntry(
                item=item,
                needed_action=item.needed_action,  # type: ignore[attr-defined]
                by=found.actor if found else None,
                since=found.created_at if found else None,
                reason=found.reason if found else "",
            )
        )
    return entries
