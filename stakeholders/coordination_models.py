"""Coordination (issue 5): platforms and meetings, stakeholder mapping, capacity needs, corridors
between national workspaces, and the good-practice library.

Imported at the end of `stakeholders.models`, so these are models of the `stakeholders` app.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimestampedModel

from .choices import (
    CapacityArea,
    CorridorRole,
    CorridorStatus,
    FollowUpStatus,
    JointActionStatus,
    NeedPriority,
    PlatformKind,
    PracticeArea,
    PracticeStatus,
    ProcessRole,
    SeatKind,
    WorkspaceLevel,
)
from .models import Organisation, Workspace
from .review import Reviewable

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


def _same_workspace(errors: dict[str, Any], field: str, obj: Any, workspace_id: int | None) -> None:
    """Record an error when `obj` (an organisation…) is not of `workspace_id`."""
    if obj is not None and workspace_id is not None and obj.workspace_id != workspace_id:
        errors[field] = _("Choose one of this workspace's organisations.")


# Platforms and meetings ------------------------------------------------------------------------


class Platform(Reviewable, TimestampedModel):
    """An institutionalised coordination platform; its mandate and terms of reference are
    reviewed and approved like any other content."""

    review_fields = (
        "name",
        "kind",
        "mandate",
        "terms_of_reference",
        "legal_basis",
        "established_on",
        "chair_id",
    )

    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="platforms"
    )
    name = models.CharField(_("name"), max_length=250)
    kind = models.CharField(_("kind"), max_length=24, choices=PlatformKind.choices)
    mandate = models.TextField(_("mandate"), blank=True, help_text=_("Markdown."))
    terms_of_reference = models.TextField(
        _("terms of reference"), blank=True, help_text=_("Markdown.")
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=300,
        blank=True,
        help_text=_("The decree, order or decision that set it up, if any."),
    )
    established_on = models.DateField(_("established"), null=True, blank=True)
    chair = models.ForeignKey(
        Organisation,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_platforms",
    )

    history = HistoricalRecords()

    class Meta(Reviewable.Meta):
        ordering = ["workspace", "name"]
        verbose_name = _("coordination platform")
        verbose_name_plural = _("coordination platforms")
        constraints = [
            *Reviewable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(kind__in=PlatformKind.values), name="platform_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "stakeholders:platform_detail", kwargs={"slug": self.workspace.slug, "pk": self.pk}
        )

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        _same_workspace(errors, "chair", self.chair, self.workspace_id)
        if errors:
            raise ValidationError(errors)


class Seat(TimestampedModel):
    """An organisation's seat on a platform (a member or an observer), with its person."""

    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.CASCADE, related_name="seats"
    )
    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="seats"
    )
    person = models.CharField(_("person"), max_length=200, blank=True)
    kind = models.CharField(
        _("seat"), max_length=10, choices=SeatKind.choices, default=SeatKind.MEMBER
    )
    focal_point = models.BooleanField(_("focal point"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["platform", "organisation__name"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "organisation"],
                name="seat_one_per_organisation",
                violation_error_message=_("This organisation already has a seat on the platform."),
            ),
            models.CheckConstraint(condition=Q(kind__in=SeatKind.values), name="seat_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.platform}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        _same_workspace(errors, "organisation", self.organisation, self.workspace_id)
        if self.platform_id and self.platform.workspace_id != self.workspace_id:
            errors["platform"] = _("The seat must be in its platform's workspace.")
        if errors:
            raise ValidationError(errors)


class Meeting(TimestampedModel):
    """A meeting of a platform: agenda, attendance, minutes, decisions and follow-ups."""

    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.CASCADE, related_name="meetings"
    )
    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=250)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=250, blank=True)
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("Markdown."))
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("Markdown."))
    attendees = models.ManyToManyField(
        Organisation,
        verbose_name=_("organisations present"),
        blank=True,
        related_name="meetings_attended",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["workspace", "starts_at"], name="meeting_ws_starts")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("A meeting cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.platform_id and self.platform.workspace_id != self.workspace_id:
            raise ValidationError(
                {"platform": _("The meeting must be in its platform's workspace.")}
            )


class Decision(TimestampedModel):
    """A decision recorded at a meeting."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions"
    )
    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("decision"))
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:80]


class FollowUp(TimestampedModel):
    """An action agreed at a meeting, owned by one organisation, due by a date."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="+"
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    note = models.TextField(_("note"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        indexes = [models.Index(fields=["workspace", "status"], name="follow_up_ws_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FollowUpStatus.values), name="follow_up_status_valid"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        _same_workspace(errors, "owner", self.owner if self.owner_id else None, self.workspace_id)
        if self.meeting_id and self.meeting.workspace_id != self.workspace_id:
            errors["meeting"] = _("The follow-up must be in its meeting's workspace.")
        if self.decision_id and self.decision and self.decision.meeting_id != self.meeting_id:
            errors["decision"] = _("Choose a decision of the same meeting.")
        if errors:
            raise ValidationError(errors)


# Stakeholder mapping and capacity needs --------------------------------------------------------


class StakeholderProfile(TimestampedModel):
    """An organisation's interest, influence and role in the workspace's process (1–5 scales)."""

    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="stakeholder_profile",
    )
    interest = models.PositiveSmallIntegerField(_("interest"), validators=SCORE_VALIDATORS)
    influence = models.PositiveSmallIntegerField(_("influence"), validators=SCORE_VALIDATORS)
    role = models.CharField(_("role in the process"), max_length=16, choices=ProcessRole.choices)
    notes = models.TextField(_("engagement notes"), blank=True, help_text=_("Markdown."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["workspace", "-influence", "-interest", "organisation__name"]
        verbose_name = _("stakeholder profile")
        verbose_name_plural = _("stakeholder profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(interest__gte=1, interest__lte=5, influence__gte=1, influence__lte=5),
                name="stakeholder_scores_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(role__in=ProcessRole.values), name="stakeholder_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        _same_workspace(
            errors,
            "organisation",
            self.organisation if self.organisation_id else None,
            self.workspace_id,
        )
        if errors:
            raise ValidationError(errors)


class CapacityNeed(TimestampedModel):
    """A capacity need of an organisation in one area, with its priority and planned support."""

    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="capacity_needs",
    )
    area = models.CharField(_("area"), max_length=16, choices=CapacityArea.choices)
    description = models.TextField(_("need"))
    priority = models.CharField(
        _("priority"), max_length=8, choices=NeedPriority.choices, default=NeedPriority.MEDIUM
    )
    planned_support = models.TextField(_("planned support"), blank=True)
    supported_by = models.ForeignKey(
        Organisation,
        verbose_name=_("support from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="capacity_support",
    )
    met = models.BooleanField(_("met"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["workspace", "area", "organisation__name", "pk"]
        verbose_name = _("capacity need")
        verbose_name_plural = _("capacity needs")
        constraints = [
            models.CheckConstraint(
                condition=Q(area__in=CapacityArea.values), name="capacity_area_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=NeedPriority.values), name="capacity_priority_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_area_display()}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        _same_workspace(
            errors,
            "organisation",
            self.organisation if self.organisation_id else None,
            self.workspace_id,
        )
        _same_workspace(errors, "supported_by", self.supported_by, self.workspace_id)
        if errors:
            raise ValidationError(errors)


# Corridors -------------------------------------------------------------------------------------


class Corridor(TimestampedModel):
    """A link between two national workspaces connected by a migration corridor.

    The proposing side names both roles; the other side accepts or declines; either side may end
    it. Items are shared with an active corridor by their own apps (a many-to-many declared on
    the item's model, DESIGN §2); nothing is shared before acceptance or after the end.
    """

    proposer = models.ForeignKey(
        Workspace,
        verbose_name=_("proposing workspace"),
        on_delete=models.CASCADE,
        related_name="corridors_proposed",
    )
    partner = models.ForeignKey(
        Workspace,
        verbose_name=_("partner workspace"),
        on_delete=models.CASCADE,
        related_name="corridors_received",
    )
    proposer_role = models.CharField(
        _("role of the proposing country"), max_length=12, choices=CorridorRole.choices
    )
    partner_role = models.CharField(
        _("role of the partner country"), max_length=12, choices=CorridorRole.choices
    )
    description = models.TextField(
        _("the migration corridor"),
        help_text=_("Who moves between the two countries, how many, and why (Markdown)."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CorridorStatus.choices, default=CorridorStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("corridor")
        verbose_name_plural = _("corridors")
        constraints = [
            models.CheckConstraint(
                condition=~Q(proposer=models.F("partner")),
                name="corridor_two_different_workspaces",
                violation_error_message=_("A corridor links two different workspaces."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=CorridorStatus.values), name="corridor_status_valid"
            ),
            models.UniqueConstraint(
                fields=["proposer", "partner"],
                condition=Q(status__in=[CorridorStatus.PROPOSED, CorridorStatus.ACTIVE]),
                name="corridor_one_open_per_pair",
                violation_error_message=_(
                    "These two workspaces already have a proposed or active corridor."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposer} ↔ {self.partner}"

    @property
    def is_active(self) -> bool:
        return self.status == CorridorStatus.ACTIVE

    def other_side(self, workspace: Workspace | int) -> Workspace:
        workspace_id = workspace if isinstance(workspace, int) else workspace.pk
        return self.partner if workspace_id == self.proposer_id else self.proposer

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for field in ("proposer", "partner"):
            workspace = getattr(self, field) if getattr(self, f"{field}_id") else None
            if workspace is not None and workspace.level != WorkspaceLevel.NATIONAL:
                errors[field] = _("Corridors link national workspaces.")
        if errors:
            raise ValidationError(errors)


class JointAction(TimestampedModel):
    """An action both sides of a corridor agree to carry out together."""

    corridor = models.ForeignKey(
        Corridor, verbose_name=_("corridor"), on_delete=models.CASCADE, related_name="joint_actions"
    )
    proposed_by_workspace = models.ForeignKey(
        Workspace,
        verbose_name=_("proposed by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=JointActionStatus.choices,
        default=JointActionStatus.PROPOSED,
    )
    agreed_at = models.DateTimeField(_("agreed"), null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agreed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["corridor", "-created_at", "-pk"]
        verbose_name = _("joint action")
        verbose_name_plural = _("joint actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=JointActionStatus.values), name="joint_action_status_valid"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.corridor_id and self.proposed_by_workspace_id not in (
            self.corridor.proposer_id,
            self.corridor.partner_id,
        ):
            raise ValidationError(
                {"proposed_by_workspace": _("Only a side of the corridor proposes a joint action.")}
            )


# Good practices --------------------------------------------------------------------------------


class Practice(TimestampedModel):
    """A good practice a workspace shares with everyone once its coordinator publishes it."""

    workspace = models.ForeignKey(
        Workspace, verbose_name=_("workspace"), on_delete=models.CASCADE, related_name="practices"
    )
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"))
    area = models.CharField(_("area"), max_length=16, choices=PracticeArea.choices)
    what_worked = models.TextField(_("what worked"), blank=True, help_text=_("Markdown."))
    what_did_not = models.TextField(_("what did not work"), blank=True, help_text=_("Markdown."))
    contact_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("contact organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PracticeStatus.choices, default=PracticeStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        indexes = [models.Index(fields=["status", "area"], name="practice_status_area")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PracticeStatus.values), name="practice_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=PracticeStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="practice_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        _same_workspace(
            errors, "contact_organisation", self.contact_organisation, self.workspace_id
        )
        if errors:
            raise ValidationError(errors)
