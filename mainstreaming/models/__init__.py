"""Models of the planning cycle, one module per stage group."""

from .cycles import Cycle, Evidence, SituationSection, StageSignoff
from .monitoring import KPI, ProgressUpdate
from .planning import Action, EntryPointConcern, Objective, Priority
from .reports import Report, ReportDownload, ReportSchedule

__all__ = [
    "KPI",
    "Action",
    "Cycle",
    "EntryPointConcern",
    "Evidence",
    "Objective",
    "Priority",
    "ProgressUpdate",
    "Report",
    "ReportDownload",
    "ReportSchedule",
    "SituationSection",
    "StageSignoff",
]
