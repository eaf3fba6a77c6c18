"""Who takes part, where, and with which role: the tenancy kernel every later app builds on."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from core.countries import country_choices, country_name, time_zone_choices
from core.models import TimestampedModel

from .choices import InvitationStatus, OrganisationKind, Role, WorkspaceLevel


class User(AbstractUser):
    """A person with an account on the portal."""

    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )

    class Meta(AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="user_email_unique_ci",
                violation_error_message=_("An account with this email address already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Workspace(TimestampedModel):
    """A national or local government's shared space for mainstreaming migration."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=WorkspaceLevel.choices)
    country = models.CharField(
        _("country"),
        max_length=3,
        choices=country_choices,
        help_text=_("ISO 3166-1 alpha-3 code, e.g. SEN."),
    )
    locality = models.CharField(
        _("locality"),
        max_length=200,
        blank=True,
        help_text=_("For a local workspace: the city, municipality or region."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("national workspace"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="local_workspaces",
    )
    lead_organisation = models.ForeignKey(
        "Organisation",
        verbose_name=_("lead organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    development_plan = models.CharField(
        _("development plan it feeds"),
        max_length=300,
        blank=True,
        help_text=_("The national or local development plan this work feeds into."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=time_zone_choices, default="UTC"
    )
    description = models.TextField(_("description"), blank=True)
    suppression_threshold = models.PositiveSmallIntegerField(
        _("small-cell threshold"),
        default=5,
        help_text=_(
            "Disaggregated counts below this number are shown as “<N” to observers, in exports "
            "and in reports (totals stay). 0 turns suppression off."
        ),
    )
    # Bumped in the writing transaction whenever anything in the workspace changes
    # (stakeholders/cache.py): part of the keys of the cached summary pages.
    content_version = models.PositiveBigIntegerField(
        _("content version"), default=0, editable=False
    )

    history = HistoricalRecords(excluded_fields=["content_version"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")
        permissions = [
            ("access_workspace", "See the workspace and its approved content"),
            ("view_drafts", "See draft content"),
            ("edit_content", "Edit drafts and enter data"),
            ("comment", "Comment"),
            ("resolve_comments", "Resolve any comment thread"),
            ("submit_content", "Submit for review"),
            ("share_content", "Share a draft for consultation"),
            ("review_content", "Approve or return with a reason"),
            ("publish_content", "Publish and sign off stages"),
            ("answer_requests", "Answer data requests and close follow-ups"),
            ("request_reports", "Request and download reports"),
            ("manage_members", "Manage members and invitations"),
            ("manage_organisations", "Add and edit organisations"),
            ("manage_workspace", "Change the workspace's description and settings"),
            ("view_activity", "See the workspace's activity history"),
            ("read_local_workspaces", "Read approved content of local workspaces"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=WorkspaceLevel.NATIONAL, parent__isnull=True)
                | Q(level=WorkspaceLevel.LOCAL, parent__isnull=False),
                name="workspace_local_has_national_parent",
            ),
            models.CheckConstraint(
                condition=Q(level=WorkspaceLevel.NATIONAL) | ~Q(locality=""),
                name="workspace_local_has_locality",
            ),
            models.CheckConstraint(
                condition=Q(country__regex=r"^[A-Z]{3}$"), name="workspace_country_alpha3"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("mainstreaming:workspace_home", kwargs={"slug": self.slug})

    @property
    def country_name(self) -> str:
        return country_name(self.country)

    def clean(self) -> None:
        if self.level == WorkspaceLevel.LOCAL:
            if self.parent_id is None:
                raise ValidationError(
                    {"parent": _("A local workspace needs its national workspace.")}
                )
            if self.parent is not None:
                if self.parent.level != WorkspaceLevel.NATIONAL:
                    raise ValidationError({"parent": _("The parent must be a national workspace.")})
                if self.parent.country != self.country:
                    raise ValidationError(
                        {"parent": _("The national workspace must be in the same country.")}
                    )
            if not self.locality:
                raise ValidationError({"locality": _("Name the locality of a local workspace.")})
        elif self.parent_id is not None:
            raise ValidationError({"parent": _("A national workspace has no parent.")})
        if (
            self.lead_organisation is not None
            and self.pk is not None
            and self.lead_organisation.workspace_id != self.pk
        ):
            raise ValidationError(
                {"lead_organisation": _("Choose an organisation of this workspace.")}
            )


class WorkspaceUserObjectPermission(UserObjectPermissionBase):
    """django-guardian per-user permission on a workspace (direct foreign key)."""

    content_object = models.ForeignKey(Workspace, on_delete=models.CASCADE)


class WorkspaceGroupObjectPermission(GroupObjectPermissionBase):
    """django-guardian per-group permission on a workspace; role groups hold these."""

    content_object = models.ForeignKey(Workspace, on_delete=models.CASCADE)


MAX_ORGANISATION_DEPTH = 12


class Organisation(TimestampedModel):
    """A ministry, agency, city, civil-society group, donor… registered in a workspace."""

    workspace = models.ForeignKey(
        Workspace,
        verbose_name=_("workspace"),
        on_delete=models.CASCADE,
        related_name="organisations",
    )
    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    country = models.CharField(
        _("country"),
        max_length=3,
        choices=country_choices,
        blank=True,
        help_text=_("Leave empty for international organisations."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="units",
    )
    website = models.URLField(_("website"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                "workspace",
                Lower("name"),
                name="organisation_name_unique_in_workspace",
                violation_error_message=_(
                    "An organisation with this name is already registered in this workspace."
                ),
            ),
            models.CheckConstraint(
                condition=Q(country="") | Q(country__regex=r"^[A-Z]{3}$"),
                name="organisation_country_alpha3",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "stakeholders:organisation_detail",
            kwargs={"slug": self.workspace.slug, "pk": self.pk},
        )

    def clean(self) -> None:
        if self.parent is not None:
            if self.parent.workspace_id != self.workspace_id:
                raise ValidationError(
                    {"parent": _("The parent organisation must be in the same workspace.")}
                )
            ancestor: Organisation | None = self.parent
            for _depth in range(MAX_ORGANISATION_DEPTH):
                if ancestor is None:
                    break
                if self.pk is not None and ancestor.pk == self.pk:
                    raise ValidationError(
                        {"parent": _("An organisation cannot be placed under itself.")}
                    )
                ancestor = ancestor.parent
            else:
                raise ValidationError({"parent": _("The organisation hierarchy is too deep.")})


class Membership(TimestampedModel):
    """A user's role in one workspace, on behalf of one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    workspace = models.ForeignKey(
        Workspace,
        verbose_name=_("workspace"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    focal_point = models.BooleanField(
        _("focal point"),
        default=False,
        help_text=_("The person their organisation named as its contact for this work."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["workspace", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "workspace"], name="membership_one_per_user_per_workspace"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.workspace}"

    def clean(self) -> None:
        if self.organisation_id and self.organisation.workspace_id != self.workspace_id:
            raise ValidationError(
                {"organisation": _("Choose an organisation registered in this workspace.")}
            )


class Invitation(models.Model):
    """An emailed, single-use, expiring offer to join a workspace with a role."""

    workspace = models.ForeignKey(
        Workspace,
        verbose_name=_("workspace"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Only the SHA-256 of the emailed token is stored: a database leak yields no usable link.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PENDING,
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                "workspace",
                Lower("email"),
                condition=Q(status=InvitationStatus.PENDING),
                name="invitation_one_pending_per_email",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="invitation_role_valid"),
            models.CheckConstraint(
                condition=~Q(status=InvitationStatus.ACCEPTED) | Q(accepted_at__isnull=False),
                name="invitation_accepted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.workspace} ({self.get_role_display()})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    def clean(self) -> None:
        if self.organisation_id and self.organisation.workspace_id != self.workspace_id:
            raise ValidationError(
                {"organisation": _("Choose an organisation registered in this workspace.")}
            )


from .coordination_models import (  # noqa: E402,F401
    CapacityNeed,
    Corridor,
    Decision,
    FollowUp,
    JointAction,
    Meeting,
    Platform,
    Practice,
    Seat,
    StakeholderProfile,
)
from .review import Comment, ReviewEvent  # noqa: E402,F401
