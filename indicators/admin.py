"""Indicator records in the admin; observations, imports and gaps are written through services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin

from .models import (
    DataGap,
    DataSource,
    Dimension,
    Framework,
    ImportJob,
    Indicator,
    Observation,
    SharedSeries,
    Unit,
)


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "version", "position")
    search_fields = ("name", "code")


@admin.register(Dimension)
class DimensionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "framework", "position")
    list_filter = ("framework",)
    list_select_related = ("framework",)


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "minimum", "maximum")


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name", "framework", "workspace", "dimension", "unit")
    list_filter = ("framework", "dimension")
    list_select_related = ("framework", "workspace", "dimension", "unit")
    search_fields = ("code", "name")


@admin.register(DataSource)
class DataSourceAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "workspace", "kind", "periodicity")
    list_filter = ("kind",)
    list_select_related = ("workspace",)
    search_fields = ("name",)


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("indicator", "workspace", "period", "value", "review_state", "version")
    list_filter = ("review_state", "workspace")
    list_select_related = ("indicator", "workspace")
    search_fields = ("indicator__code", "period")


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("original_name", "workspace", "status", "total_rows", "created_at")
    list_filter = ("status",)
    list_select_related = ("workspace",)


@admin.register(DataGap)
class DataGapAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("indicator", "workspace", "reason", "status", "planned_date")
    list_filter = ("reason", "status")
    list_select_related = ("indicator", "workspace")


@admin.register(SharedSeries)
class SharedSeriesAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("indicator", "workspace", "corridor", "created_at")
    list_select_related = ("indicator", "workspace", "corridor")
