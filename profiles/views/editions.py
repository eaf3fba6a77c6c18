"""Pages of migration-profile editions and templates; routes at the bottom.

Editions: list, start from a template, detail, change metadata, clone into the next, compare
two, publish. Templates: presets and the workspace's own, customised by copying a preset and
then renaming, reordering, adding and dropping sections.

Readers who may not see drafts (contributors, observers, a national coordinator on a local
workspace) see published editions only (`selectors.editions.edition_list`); any other edition
is a 404 for them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.forms import add_service_errors
from core.paging import page_range
from stakeholders.access import WorkspaceMixin
from stakeholders.permissions import Perm
from stakeholders.review import ReviewState, visible_content

from ..forms.editions import (
    CloneForm,
    EditionForm,
    TemplateCustomiseForm,
    TemplateSectionForm,
)
from ..models import Edition, ProfileTemplate, TemplateSection
from ..selectors.editions import (
    edition_compare,
    edition_list,
    edition_sections,
    template_list,
    template_sections,
)
from ..selectors.requests import open_request_count
from ..services import editions as services
from ..services import templates as template_services
from ..services.editions import _moved_title

PER_PAGE = 20


class ProfilesMixin(WorkspaceMixin):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["editions_url"] = reverse("profiles:edition_list", args=[self.workspace.slug])
        context["templates_url"] = reverse("profiles:template_list", args=[self.workspace.slug])
        return context


class EditionObjectMixin(ProfilesMixin):
    """`self.edition`: an edition of this workspace the reader may see (404 otherwise)."""

    @cached_property
    def edition(self) -> Edition:
        edition = (
            edition_list(user=self.request.user, workspace=self.workspace, perms=self.perms)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if edition is None:
            raise Http404("No such edition")
        return edition

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["edition"] = self.edition
        return context


# Editions --------------------------------------------------------------------------------------


class EditionListView(ProfilesMixin, TemplateView):
    template_name = "profiles/editions/edition_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        editions = edition_list(user=self.request.user, workspace=self.workspace, perms=self.perms)
        page = Paginator(editions, PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(
            page_obj=page,
            page_range=page_range(page),
            editions=list(page.object_list),
            can_edit=Perm.EDIT in self.perms,
            sees_drafts=Perm.VIEW_DRAFTS in self.perms,
        )
        return context


class EditionStartView(ProfilesMixin, FormView):
    template_name = "profiles/editions/edition_form.html"
    permission = Perm.EDIT

    def get_form(self, form_class: Any = None) -> EditionForm:
        return EditionForm(workspace=self.workspace, **self.get_form_kwargs())

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        template = self.request.GET.get("template")
        if template and template.isdigit():
            initial["template"] = int(template)
        return initial

    def form_valid(self, form: EditionForm) -> HttpResponse:
        try:
            edition = services.edition_start(
                actor=self.request.user,  # type: ignore[arg-type]
                workspace=self.workspace,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The edition is started with its draft sections."))
        return HttpResponseRedirect(edition.get_absolute_url())


class EditionDetailView(EditionObjectMixin, TemplateView):
    template_name = "profiles/editions/edition_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = []
        sees = Perm.VIEW_DRAFTS in self.perms
        for section in edition_sections(self.edition):
            content = visible_content(section, perms=self.perms)
            rows.append(
                {
                    "section": section,
                    "title": content.get("title") or section.title,
                    "url": reverse(
                        "profiles:section_detail",
                        kwargs={"slug": self.workspace.slug, "pk": section.pk},
                    ),
                    "table_count": len(section.table_list),  # type: ignore[attr-defined]
                }
            )
        others = edition_list(
            user=self.request.user, workspace=self.workspace, perms=self.perms
        ).exclude(pk=self.edition.pk)
        context.update(
            rows=rows if sees else [row for row in rows if row["section"].approved_version],
            can_edit=Perm.EDIT in self.perms and not self.edition.is_published,
            can_clone=Perm.EDIT in self.perms,
            can_publish=Perm.PUBLISH in self.perms and not self.edition.is_published,
            unapproved=[r for r in rows if r["section"].review_state != ReviewState.APPROVED],
            other_editions=list(others.values("pk", "number", "title")),
            open_request_count=open_request_count(
                workspace=self.workspace, edition_id=self.edition.pk
            ),
            reading_url=reverse(
                "profiles:edition_read",
                kwargs={"slug": self.workspace.slug, "pk": self.edition.pk},
            ),
        )
        return context


class EditionUpdateView(EditionObjectMixin, FormView):
    template_name = "profiles/editions/edition_form.html"
    permission = Perm.EDIT

    def get_form(self, form_class: Any = None) -> EditionForm:
        return EditionForm(workspace=self.workspace, starting=False, **self.get_form_kwargs())

    def get_initial(self) -> dict[str, Any]:
        return EditionForm.initial_for(self.edition)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(editing=True, **kwargs)

    def form_valid(self, form: EditionForm) -> HttpResponse:
        try:
            services.edition_update(
                actor=self.request.user,  # type: ignore[arg-type]
                edition=self.edition,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The edition is saved."))
        return HttpResponseRedirect(self.edition.get_absolute_url())


class EditionPublishView(EditionObjectMixin, TemplateView):
    """Confirmation page, then publication (coordinators), refused while a section waits."""

    template_name = "profiles/editions/edition_publish.html"
    permission = Perm.PUBLISH

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["unapproved"] = services.unapproved_sections(self.edition)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.edition_publish(actor=request.user, edition=self.edition)  # type: ignore[arg-type]
        except ValidationError as error:
            context = self.get_context_data(errors=error.messages)
            return self.render_to_response(context, status=400)
        messages.success(request, _("The edition is published."))
        return HttpResponseRedirect(self.edition.get_absolute_url())


class EditionCloneView(EditionObjectMixin, FormView):
    template_name = "profiles/editions/edition_clone.html"
    permission = Perm.EDIT
    form_class = CloneForm

    def next_period(self) -> tuple[int, int]:
        edition = self.edition
        shift = edition.reference_end_year - edition.reference_start_year + 1
        return edition.reference_start_year + shift, edition.reference_end_year + shift

    def get_initial(self) -> dict[str, Any]:
        start, end = self.next_period()
        return {"title": _moved_title(self.edition.title, self.edition, start, end)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["next_start"], context["next_end"] = self.next_period()
        return context

    def form_valid(self, form: CloneForm) -> HttpResponse:
        try:
            clone = services.edition_clone(
                actor=self.request.user,  # type: ignore[arg-type]
                edition=self.edition,
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The next edition is started from this one."))
        return HttpResponseRedirect(clone.get_absolute_url())


class EditionCompareView(ProfilesMixin, TemplateView):
    """Compare two editions the reader may see: `?left=<id>&right=<id>`."""

    template_name = "profiles/editions/edition_compare.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        editions = list(
            edition_list(user=self.request.user, workspace=self.workspace, perms=self.perms)
        )
        by_id = {str(edition.pk): edition for edition in editions}
        left = by_id.get(self.request.GET.get("left", ""))
        right = by_id.get(self.request.GET.get("right", ""))
        if right is not None and left is None and right.previous_id is not None:
            left = by_id.get(str(right.previous_id))
        context.update(editions=editions, left=left, right=right)
        if left is not None and right is not None:
            context["comparisons"] = edition_compare(left=left, right=right, perms=self.perms)
        return context


# Templates -------------------------------------------------------------------------------------


class TemplateObjectMixin(ProfilesMixin):
    @cached_property
    def profile_template(self) -> ProfileTemplate:
        template = template_list(workspace=self.workspace).filter(pk=self.kwargs["pk"]).first()
        if template is None:
            raise Http404("No such template")
        return template

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["profile_template"] = self.profile_template
        return context


class OwnTemplateObjectMixin(TemplateObjectMixin):
    """A template of this workspace (presets are read-only: 404 for changes)."""

    @cached_property
    def profile_template(self) -> ProfileTemplate:
        template = super().profile_template
        if template.workspace_id != self.workspace.pk:
            raise Http404("Presets cannot be changed")
        return template


class TemplateListView(ProfilesMixin, TemplateView):
    template_name = "profiles/editions/template_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        templates = list(template_list(workspace=self.workspace))
        context.update(
            presets=[t for t in templates if t.workspace_id is None],
            own=[t for t in templates if t.workspace_id is not None],
            can_edit=Perm.EDIT in self.perms,
        )
        return context


class TemplateDetailView(TemplateObjectMixin, TemplateView):
    template_name = "profiles/editions/template_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        sections = template_sections(self.profile_template)
        codes = {code for section in sections for code in section.suggested_indicators or []}
        indicators = template_services.catalogue_indicators(sorted(codes), self.workspace)
        context.update(
            sections=[
                {
                    "section": section,
                    "indicators": [
                        indicators.get(code) or code for code in section.suggested_indicators or []
                    ],
                }
                for section in sections
            ],
            can_edit=Perm.EDIT in self.perms,
            is_own=self.profile_template.workspace_id == self.workspace.pk,
        )
        return context


class TemplateCustomiseView(TemplateObjectMixin, FormView):
    template_name = "profiles/editions/template_customise.html"
    permission = Perm.EDIT
    form_class = TemplateCustomiseForm

    def get_initial(self) -> dict[str, Any]:
        return {"name": _("%(name)s (our version)") % {"name": self.profile_template.name}}

    def form_valid(self, form: TemplateCustomiseForm) -> HttpResponse:
        template = template_services.template_customise(
            actor=self.request.user,  # type: ignore[arg-type]
            workspace=self.workspace,
            preset=self.profile_template,
            name=form.cleaned_data["name"],
        )
        messages.success(self.request, _("The template is copied; change its sections below."))
        return HttpResponseRedirect(
            reverse("profiles:template_detail", args=[self.workspace.slug, template.pk])
        )


class TemplateSectionMixin(ProfilesMixin):
    permission = Perm.EDIT

    @cached_property
    def template_section(self) -> TemplateSection:
        section = (
            TemplateSection.objects.filter(template__workspace=self.workspace, pk=self.kwargs["pk"])
            .select_related("template")
            .first()
        )
        if section is None:
            raise Http404("No such section")
        return section

    def back_url(self) -> str:
        return reverse(
            "profiles:template_detail",
            args=[self.workspace.slug, self.template_section.template_id],
        )


class TemplateSectionCreateView(OwnTemplateObjectMixin, FormView):
    template_name = "profiles/editions/template_section_form.html"
    permission = Perm.EDIT

    def get_form(self, form_class: Any = None) -> TemplateSectionForm:
        return TemplateSectionForm(workspace=self.workspace, **self.get_form_kwargs())

    def form_valid(self, form: TemplateSectionForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        data["suggested_indicators"] = form.codes()
        try:
            template_services.template_section_add(
                actor=self.request.user,  # type: ignore[arg-type]
                template=self.profile_template,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        return HttpResponseRedirect(
            reverse("profiles:template_detail", args=[self.workspace.slug, self.kwargs["pk"]])
        )


class TemplateSectionUpdateView(TemplateSectionMixin, FormView):
    template_name = "profiles/editions/template_section_form.html"

    def get_form(self, form_class: Any = None) -> TemplateSectionForm:
        return TemplateSectionForm(workspace=self.workspace, **self.get_form_kwargs())

    def get_initial(self) -> dict[str, Any]:
        section = self.template_section
        return {
            "code": section.code,
            "part": section.part,
            "title": section.title,
            "guidance": section.guidance,
            "has_recommendations": section.has_recommendations,
            "suggested_indicators": list(
                template_services.catalogue_indicators(
                    section.suggested_indicators or [], self.workspace
                ).values()
            ),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            editing=True,
            template_section=self.template_section,
            profile_template=self.template_section.template,
        )
        return context

    def form_valid(self, form: TemplateSectionForm) -> HttpResponse:
        data = dict(form.cleaned_data)
        data["suggested_indicators"] = form.codes()
        try:
            template_services.template_section_update(
                actor=self.request.user,  # type: ignore[arg-type]
                section=self.template_section,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.back_url())


class TemplateSectionMoveView(TemplateSectionMixin, View):
    """POST `direction=up|down`: buttons in the template's section list (keyboard-usable)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        template_services.template_section_move(
            actor=request.user,  # type: ignore[arg-type]
            section=self.template_section,
            up=request.POST.get("direction") != "down",
        )
        return HttpResponseRedirect(f"{self.back_url()}#section-{self.template_section.pk}")


class TemplateSectionDeleteView(TemplateSectionMixin, TemplateView):
    template_name = "profiles/editions/template_section_confirm_delete.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            template_section=self.template_section,
            profile_template=self.template_section.template,
            back_url=self.back_url(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        back = self.back_url()
        template_services.template_section_delete(
            actor=request.user,  # type: ignore[arg-type]
            section=self.template_section,
        )
        messages.success(request, _("The section is removed from the template."))
        return HttpResponseRedirect(back)


P = "w/<slug:slug>/profiles"

urlpatterns: list[URLPattern] = [
    path(f"{P}/", EditionListView.as_view(), name="edition_list"),
    path(f"{P}/start/", EditionStartView.as_view(), name="edition_start"),
    path(f"{P}/compare/", EditionCompareView.as_view(), name="edition_compare"),
    path(f"{P}/<int:pk>/", EditionDetailView.as_view(), name="edition_detail"),
    path(f"{P}/<int:pk>/edit/", EditionUpdateView.as_view(), name="edition_update"),
    path(f"{P}/<int:pk>/clone/", EditionCloneView.as_view(), name="edition_clone"),
    path(f"{P}/<int:pk>/publish/", EditionPublishView.as_view(), name="edition_publish"),
    path(f"{P}/templates/", TemplateListView.as_view(), name="template_list"),
    path(f"{P}/templates/<int:pk>/", TemplateDetailView.as_view(), name="template_detail"),
    path(
        f"{P}/templates/<int:pk>/customise/",
        TemplateCustomiseView.as_view(),
        name="template_customise",
    ),
    path(
        f"{P}/templates/<int:pk>/sections/add/",
        TemplateSectionCreateView.as_view(),
        name="template_section_create",
    ),
    path(
        f"{P}/template-sections/<int:pk>/edit/",
        TemplateSectionUpdateView.as_view(),
        name="template_section_update",
    ),
    path(
        f"{P}/template-sections/<int:pk>/move/",
        TemplateSectionMoveView.as_view(),
        name="template_section_move",
    ),
    path(
        f"{P}/template-sections/<int:pk>/delete/",
        TemplateSectionDeleteView.as_view(),
        name="template_section_delete",
    ),
]
