"""Imports every report kind's module, so that their builders register."""

from . import cycle_progress, fact_sheet, profile_edition  # noqa: F401
