"""Planning-cycle records in the admin, read-only: they are written through the services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin

from .models import (
    KPI,
    Action,
    Cycle,
    EntryPointConcern,
    Evidence,
    Objective,
    Priority,
    ProgressUpdate,
    Report,
    ReportDownload,
    ReportSchedule,
    SituationSection,
    StageSignoff,
)


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "workspace", "start_year", "end_year", "current_stage")
    list_filter = ("current_stage", "workspace")
    list_select_related = ("workspace",)
    search_fields = ("title",)


@admin.register(StageSignoff)
class StageSignoffAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("cycle", "stage", "signed_by", "signed_at")
    list_select_related = ("cycle", "signed_by")


class ReviewableAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_filter = ("review_state", "workspace")
    search_fields = ("title",)


@admin.register(SituationSection)
class SituationSectionAdmin(ReviewableAdmin):
    list_display = ("title", "cycle", "position", "review_state", "version")
    list_select_related = ("cycle",)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "section", "size", "added_by", "created_at")
    list_select_related = ("section", "added_by")
    search_fields = ("title",)


@admin.register(EntryPointConcern)
class EntryPointConcernAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "workspace")
    list_select_related = ("workspace",)


@admin.register(Priority)
class PriorityAdmin(ReviewableAdmin):
    list_display = ("title", "cycle", "rank", "concern", "review_state", "version")
    list_select_related = ("cycle", "concern")


@admin.register(Objective)
class ObjectiveAdmin(ReviewableAdmin):
    list_display = ("title", "priority", "review_state", "version")
    list_select_related = ("priority",)


@admin.register(Action)
class ActionAdmin(ReviewableAdmin):
    list_display = ("title", "objective", "lead_organisation", "implementation_status")
    list_select_related = ("objective", "lead_organisation")


@admin.register(KPI)
class KPIAdmin(ReviewableAdmin):
    list_display = ("name", "cycle", "responsible_organisation", "review_state", "version")
    list_select_related = ("cycle", "responsible_organisation")
    search_fields = ("name",)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReviewableAdmin):
    list_display = ("kpi", "period", "actual_value", "review_state")
    list_select_related = ("kpi",)
    search_fields = ("kpi__name",)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "workspace", "kind", "rights_level", "status", "created_at")
    list_filter = ("kind", "status", "rights_level")
    list_select_related = ("workspace",)


@admin.register(ReportDownload)
class ReportDownloadAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("report", "user", "downloaded_at")
    list_select_related = ("report", "user")


@admin.register(ReportSchedule)
class ReportScheduleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "workspace", "active", "last_run_at")
    list_select_related = ("workspace",)
