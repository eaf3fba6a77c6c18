"""Migration-profile records in the admin, read-only: they are written through the services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin

from .models import (
    DataRequest,
    Edition,
    ProfileTemplate,
    Recommendation,
    Section,
    SectionTable,
    TemplateSection,
)


@admin.register(ProfileTemplate)
class ProfileTemplateAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "code", "workspace")
    list_select_related = ("workspace",)


@admin.register(TemplateSection)
class TemplateSectionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "template", "part", "position")
    list_select_related = ("template",)


@admin.register(Edition)
class EditionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "workspace", "number", "stage", "status")
    list_filter = ("status", "stage")
    list_select_related = ("workspace",)


@admin.register(Section)
class SectionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "edition", "review_state", "version")
    list_filter = ("review_state",)
    list_select_related = ("edition",)


@admin.register(SectionTable)
class SectionTableAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "section", "kind")
    list_select_related = ("section", "indicator")


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "section", "target")
    list_select_related = ("section",)


@admin.register(DataRequest)
class DataRequestAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "organisation", "due_on", "status")
    list_filter = ("status",)
    list_select_related = ("organisation",)
