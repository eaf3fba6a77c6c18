from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkspaceLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    LOCAL = "local", _("Local")


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry, department or agency")
    PLANNING_BODY = "planning_body", _("Planning body")
    STATISTICS_OFFICE = "statistics_office", _("Statistics office")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    CSO = "cso", _("Civil society organisation")
    DIASPORA = "diaspora", _("Diaspora association")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    ACADEMIA = "academia", _("Academia")
    DONOR = "donor", _("Donor")
    UN_AGENCY = "un_agency", _("UN agency or UN Country Team")
    INTERNATIONAL = "international", _("Other international organisation")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    EDITOR = "editor", _("Editor")
    REVIEWER = "reviewer", _("Reviewer")
    CONTRIBUTOR = "contributor", _("Contributor")
    OBSERVER = "observer", _("Observer")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
