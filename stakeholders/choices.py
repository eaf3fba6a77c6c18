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


class PlatformKind(models.TextChoices):
    INTER_MINISTERIAL = "inter_ministerial", _("Inter-ministerial working group")
    TECHNICAL = "technical", _("Technical working group")
    MULTI_STAKEHOLDER = "multi_stakeholder", _("Multi-stakeholder forum")
    COUNCIL = "council", _("Migration council")
    ADVISORY = "advisory", _("Advisory panel")
    SUPPORT = "support", _("Support group")


class SeatKind(models.TextChoices):
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# Follow-ups still waiting for their owner.
OPEN_FOLLOW_UP_STATUSES = (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)


class ProcessRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    IMPLEMENTER = "implementer", _("Implementer")
    DATA_PROVIDER = "data_provider", _("Data provider")
    CONSULTED = "consulted", _("Consulted")
    INFORMED = "informed", _("Informed")


class CapacityArea(models.TextChoices):
    DATA = "data", _("Data")
    ANALYSIS = "analysis", _("Analysis")
    POLICY = "policy", _("Policy")
    COORDINATION = "coordination", _("Coordination")
    IMPLEMENTATION = "implementation", _("Implementation")


class NeedPriority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class CorridorRole(models.TextChoices):
    ORIGIN = "origin", _("Country of origin")
    TRANSIT = "transit", _("Country of transit")
    DESTINATION = "destination", _("Country of destination")


class CorridorStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")
    ENDED = "ended", _("Ended")


class JointActionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed by one side")
    AGREED = "agreed", _("Agreed by both")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PracticeArea(models.TextChoices):
    COORDINATION = "coordination", _("Coordination and institutions")
    DATA = "data", _("Data and evidence")
    DIASPORA = "diaspora", _("Diaspora engagement")
    LABOUR = "labour", _("Labour migration and skills")
    REMITTANCES = "remittances", _("Remittances and financial inclusion")
    INTEGRATION = "integration", _("Integration and social cohesion")
    LOCAL = "local", _("Local development and cities")
    CLIMATE = "climate", _("Environment and climate")
    RIGHTS = "rights", _("Rights, protection and gender")
    OTHER = "other", _("Other")


class PracticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed for publication")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
