"""Choice lists of the indicators app, and the disaggregation axes of DESIGN §7."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

TOTAL = "_T"

# Observations are accepted for periods in these years (inclusive).
FIRST_YEAR = 1950
LAST_YEAR = 2100


class ValueType(models.TextChoices):
    NUMBER = "number", _("Number")
    ORDINAL = "ordinal", _("Ordinal category")


class IndicatorDirection(models.TextChoices):
    HIGHER = "higher_is_better", _("Higher is better")
    LOWER = "lower_is_better", _("Lower is better")
    NEUTRAL = "neutral", _("Neutral (context or volume)")


class IndicatorLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    SUBNATIONAL = "subnational", _("Subnational")
    HOUSEHOLD = "household", _("Household")


class Axis(models.TextChoices):
    """Disaggregation axes; the value is the Observation field and the SDMX-CSV column's stem."""

    SEX = "sex", _("Sex")
    AGE = "age", _("Age group")
    MIGRATORY_STATUS = "migratory_status", _("Migratory status")
    URBANISATION = "urbanisation", _("Urban/rural")
    EDUCATION = "education_level", _("Education level")
    PARTNER_COUNTRY = "partner_country", _("Country of origin/destination")


# The catalogue CSVs name axes in words; these map them to `Axis`.
AXIS_BY_CATALOGUE_NAME = {
    "sex": Axis.SEX,
    "age group": Axis.AGE,
    "migratory status": Axis.MIGRATORY_STATUS,
    "urban/rural": Axis.URBANISATION,
    "education level": Axis.EDUCATION,
    "country of origin/destination": Axis.PARTNER_COUNTRY,
}

# Codes of each axis (DESIGN §7). Partner country takes any ISO 3166-1 alpha-3 code or _T.
AXIS_CODES: dict[str, dict[str, object]] = {
    Axis.SEX: {"F": _("Female"), "M": _("Male"), TOTAL: _("Total")},
    Axis.AGE: {
        "Y0T14": _("0–14 years"),
        "Y15T24": _("15–24 years"),
        "Y25T64": _("25–64 years"),
        "Y_GE65": _("65 years or over"),
        TOTAL: _("Total"),
    },
    Axis.MIGRATORY_STATUS: {
        "MIGRANT": _("Migrants"),
        "NON_MIGRANT": _("Non-migrants"),
        "RETURNEE": _("Returnees"),
        TOTAL: _("Total"),
    },
    Axis.URBANISATION: {"URBAN": _("Urban"), "RURAL": _("Rural"), TOTAL: _("Total")},
    Axis.EDUCATION: {
        "ISCED0T2": _("Up to lower secondary (ISCED 0–2)"),
        "ISCED3T4": _("Upper and post-secondary (ISCED 3–4)"),
        "ISCED5T8": _("Tertiary (ISCED 5–8)"),
        TOTAL: _("Total"),
    },
}

# SDMX-CSV column of each axis (DESIGN §7 / the SDMX 2.1 CSV layout).
SDMX_COLUMN = {
    Axis.SEX: "SEX",
    Axis.AGE: "AGE",
    Axis.MIGRATORY_STATUS: "MIGRATORY_STATUS",
    Axis.URBANISATION: "URBANISATION",
    Axis.EDUCATION: "EDUCATION_LEV",
    Axis.PARTNER_COUNTRY: "COUNTERPART_AREA",
}


class SourceKind(models.TextChoices):
    CENSUS = "census", _("Census")
    SURVEY = "household_survey", _("Household survey")
    REGISTER = "administrative_register", _("Administrative register")
    INTERNATIONAL = "international_database", _("International database")
    OTHER = "other", _("Other")


class Periodicity(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    ANNUAL = "annual", _("Annual")
    MULTI_YEAR = "multi_year", _("Every few years")
    IRREGULAR = "irregular", _("Irregular")


class Quality(models.TextChoices):
    ESTIMATE = "estimate", _("Estimate")
    PROVISIONAL = "provisional", _("Provisional")
    FINAL = "final", _("Final")


# SDMX OBS_STATUS codes (SDMX cross-domain code list CL_OBS_STATUS) for each quality.
OBS_STATUS = {Quality.ESTIMATE: "E", Quality.PROVISIONAL: "P", Quality.FINAL: "A"}


class GapReason(models.TextChoices):
    NOT_COLLECTED = "not_collected", _("Not collected")
    NOT_DISAGGREGATED = "not_disaggregated", _("Not disaggregated")
    ACCESS_RESTRICTED = "access_restricted", _("Access restricted")
    NOT_APPROVED = "not_approved", _("Not yet approved")
    OTHER = "other", _("Other")


class GapStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be checked")
    CHECKING = "checking", _("Checking")
    INVALID = "invalid", _("Has errors")
    READY = "ready", _("Ready to import")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
