from django.db import models
from django.utils.translation import gettext_lazy as _


class CycleStage(models.TextChoices):
    SITUATION_ANALYSIS = "situation_analysis", _("Situation analysis")
    PRIORITIES = "priorities", _("Priorities")
    ACTION_PLAN = "action_plan", _("Action plan")
    MONITORING = "monitoring", _("Monitoring and evaluation")


# The stage after each one; the last stage has none (the cycle is then complete).
NEXT_STAGE = {
    CycleStage.SITUATION_ANALYSIS: CycleStage.PRIORITIES,
    CycleStage.PRIORITIES: CycleStage.ACTION_PLAN,
    CycleStage.ACTION_PLAN: CycleStage.MONITORING,
}

# The entry-point concerns named by the seed (DESIGN §2), loaded by migration 0003 in English and
# listed here so that their names are translated; workspaces add their own as rows.
DEFAULT_CONCERNS = (
    ("diaspora", _("Diaspora engagement")),
    ("skills", _("Skills development and labour matching")),
    ("workers", _("Migrant workers' welfare and recruitment")),
    ("social_costs", _("Social costs of migration in origin communities")),
    ("integration", _("Integration and social cohesion")),
    ("internal", _("Internal migration and urban services")),
    ("climate", _("Migration, environment and climate adaptation")),
    ("remittances", _("Remittances")),
)


class PolicyLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    SECTORAL = "sectoral", _("Sectoral")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Local")


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    LINK = "link", _("Web link")
    INDICATOR = "indicator", _("Indicator")
    PROFILE = "profile", _("Published migration profile")


class FundingStatus(models.TextChoices):
    FUNDED = "funded", _("Funded")
    PARTLY = "partly", _("Partly funded")
    UNFUNDED = "unfunded", _("Unfunded")


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class ProgressStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NO_DATA = "no_data", _("No data")


class ReportKind(models.TextChoices):
    CYCLE_PROGRESS = "cycle_progress", _("Cycle progress report")
    PROFILE_EDITION = "profile_edition", _("Migration profile edition")
    INDICATOR_FACT_SHEET = "indicator_fact_sheet", _("Indicator fact sheet")


class RightsLevel(models.TextChoices):
    """What a report may contain: approved content only, or drafts too (DESIGN §6)."""

    APPROVED = "approved", _("Approved content only")
    DRAFTS = "drafts", _("Drafts included")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


# Reports still being produced (a new identical request returns the one in progress).
REPORT_IN_PROGRESS = (ReportStatus.QUEUED, ReportStatus.RUNNING)


class ScheduleFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
