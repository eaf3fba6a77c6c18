"""Choice lists of Extended Migration Profiles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Part(models.TextChoices):
    FRONT = "front", _("Front matter")
    A = "A", _("Part A: migration trends and characteristics")
    B = "B", _("Part B: impact of migration")
    C = "C", _("Part C: migration governance")
    D = "D", _("Part D: key findings and recommendations")
    ANNEX = "annex", _("Statistical annex")


class EditionStage(models.TextChoices):
    PLANNING = "planning", _("Planning")
    IMPLEMENTATION = "implementation", _("Implementation")
    LAUNCH = "launch", _("Launch")
    FOLLOW_UP = "follow_up", _("Follow-up")


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("In preparation")
    PUBLISHED = "published", _("Published")


class RecommendationTarget(models.TextChoices):
    GOVERNANCE = "governance", _("Migration governance framework")
    MAINSTREAMING = "mainstreaming", _("Mainstreaming migration into development policies")
    STATISTICS = "statistics", _("Migration statistics")


class TableKind(models.TextChoices):
    TABLE = "table", _("Table")
    CHART = "chart", _("Chart and table")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CANCELLED = "cancelled", _("Cancelled")
