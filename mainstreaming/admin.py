"""Planning-cycle records in the admin, read-only: they are written through the services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin

from .models import Cycle, SituationSection


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "workspace", "start_year", "end_year", "current_stage")
    list_filter = ("current_stage", "workspace")
    list_select_related = ("workspace",)
    search_fields = ("title",)


@admin.register(SituationSection)
class SituationSectionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "cycle", "position", "review_state", "version")
    list_filter = ("review_state", "workspace")
    list_select_related = ("cycle",)
    search_fields = ("title",)
