"""Pages of the planning cycle: cycles, stage sign-off, situation analysis and evidence.

Routes are listed at the bottom, next to their views. Every object is fetched through the
restricted selectors of `mainstreaming.selectors.cycles` (404 otherwise); reviewable content is
shown through `visible_content`, so readers of the approved snapshot never see draft text.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core.forms import add_service_errors
from core.paging import page_range
from indicators.models import Indicator
from profiles.choices import EditionStatus
from profiles.models import Edition
from stakeholders.access import WorkspaceMixin
from stakeholders.permissions import Perm
from stakeholders.review import item_kind, sees_drafts, visible_content
from stakeholders.review_views import ReviewableUpdateMixin, review_panel_context, safe_next

from ..choices import CycleStage
from ..forms.cycles import (
    CycleForm,
    EvidenceForm,
    SectionMoveForm,
    SituationSectionForm,
    SituationSectionUpdateForm,
    StageSignoffForm,
)
from ..models import Cycle, Evidence, SituationSection
from ..selectors import cycles as selectors
from ..services import cycles as services

# Cycles ----------------------------------------------------------------------------------------


class CycleObjectMixin:
    """`self.cycle`: the cycle of the URL's `pk` (or `cycle_pk`) if the user may read it."""

    request: HttpRequest
    kwargs: dict[str, Any]
    workspace: Any
    cycle_kwarg = "pk"

    @cached_property
    def cycle(self) -> Cycle:
        cycle = (
            selectors.cycle_list(user=self.request.user, workspace=self.workspace)
            .filter(pk=self.kwargs[self.cycle_kwarg])
            .first()
        )
        if cycle is None:
            raise Http404("No such cycle")
        return cycle

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["cycle"] = self.cycle
        return context


class CycleListView(WorkspaceMixin, ListView):
    """The workspace's planning cycles, current ones first."""

    template_name = "mainstreaming/cycles/cycle_list.html"
    context_object_name = "cycles"
    paginate_by = 20

    def get_queryset(self) -> Any:
        return selectors.cycle_list(user=self.request.user, workspace=self.workspace)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["page_range"] = page_range(context["page_obj"])
        context["query_string"] = ""
        return context


class CycleCreateView(WorkspaceMixin, FormView):
    permission = Perm.EDIT
    form_class = CycleForm
    template_name = "mainstreaming/cycles/cycle_form.html"

    def form_valid(self, form: CycleForm) -> HttpResponse:
        try:
            cycle = services.cycle_create(
                actor=cast(Any, self.request.user), workspace=self.workspace, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The cycle “%(title)s” was opened with the usual situation-analysis sections.")
            % {"title": cycle.title},
        )
        return HttpResponseRedirect(cycle.get_absolute_url())


class CycleUpdateView(WorkspaceMixin, CycleObjectMixin, FormView):
    permission = Perm.EDIT
    form_class = CycleForm
    template_name = "mainstreaming/cycles/cycle_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.cycle
        return kwargs

    def form_valid(self, form: CycleForm) -> HttpResponse:
        try:
            services.cycle_update(
                actor=cast(Any, self.request.user), cycle=self.cycle, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The cycle was saved."))
        return HttpResponseRedirect(self.cycle.get_absolute_url())


class CycleDetailView(WorkspaceMixin, CycleObjectMixin, TemplateView):
    """The cycle's stage overview: the four stages in order, where each stands, and its pages."""

    template_name = "mainstreaming/cycles/cycle_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["stages"] = selectors.stage_readiness(cycle=self.cycle)
        context["sees_drafts"] = Perm.VIEW_DRAFTS in self.perms
        return context


class StageSignoffView(WorkspaceMixin, CycleObjectMixin, TemplateView):
    """GET: what the sign-off needs (the button is off while something is missing); POST: sign."""

    permission = Perm.PUBLISH
    template_name = "mainstreaming/cycles/stage_signoff.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if kwargs["stage"] not in CycleStage.values:
            raise Http404("No such stage")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        stage = self.kwargs["stage"]
        status = next(s for s in selectors.stage_readiness(cycle=self.cycle) if s.stage == stage)
        context["stage"] = status
        context.setdefault("form", StageSignoffForm())
        context["can_sign"] = status.is_current and status.ready and not self.cycle.completed_at
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = StageSignoffForm(request.POST)
        if form.is_valid():
            try:
                services.stage_signoff(
                    actor=cast(Any, request.user),
                    cycle=self.cycle,
                    stage=kwargs["stage"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(stage)s was signed off.") % {"stage": CycleStage(kwargs["stage"]).label},
                )
                return HttpResponseRedirect(self.cycle.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form), status=400)


# Situation sections ----------------------------------------------------------------------------


class SectionObjectMixin:
    """`self.section`: the section of the URL's `pk` if the user may read it (404 otherwise)."""

    request: HttpRequest
    kwargs: dict[str, Any]
    workspace: Any
    perms: frozenset[Perm]

    @cached_property
    def section(self) -> SituationSection:
        section = (
            selectors.situation_section_for(user=self.request.user, workspace=self.workspace)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if section is None:
            raise Http404("No such section")
        return section

    @property
    def cycle(self) -> Cycle:
        return self.section.cycle

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["section"] = self.section
        context["cycle"] = self.section.cycle
        context["content"] = visible_content(self.section, perms=self.perms)
        return context


class SectionListView(WorkspaceMixin, CycleObjectMixin, TemplateView):
    """The chapters of the situation analysis, in order; editors reorder, add and delete them.

    Not paginated: it is one document's table of contents, reordered as a whole.
    """

    template_name = "mainstreaming/cycles/section_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        sections = list(selectors.situation_section_list(user=self.request.user, cycle=self.cycle))
        context["rows"] = [
            {
                "section": section,
                "content": visible_content(section, perms=self.perms),
                "sees_drafts": sees_drafts(self.perms, section),
                "can_delete": services.can_delete_item(self.perms, section),
            }
            for section in sections
        ]
        context["count"] = len(sections)
        context["kind"] = item_kind(SituationSection)
        return context


class SectionCreateView(WorkspaceMixin, CycleObjectMixin, FormView):
    permission = Perm.EDIT
    form_class = SituationSectionForm
    template_name = "mainstreaming/cycles/section_form.html"

    def form_valid(self, form: SituationSectionForm) -> HttpResponse:
        try:
            section = services.situation_section_create(
                actor=cast(Any, self.request.user), cycle=self.cycle, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The section “%(title)s” was added.") % {"title": section.title}
        )
        return HttpResponseRedirect(section.get_absolute_url())


class SectionDetailView(WorkspaceMixin, SectionObjectMixin, TemplateView):
    template_name = "mainstreaming/cycles/section_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        section = self.section
        context["evidence"] = selectors.evidence_list(
            user=self.request.user, section=section, perms=self.perms
        )
        context["review"] = review_panel_context(
            request=self.request, item=section, perms=self.perms
        )
        context["can_delete"] = services.can_delete_item(self.perms, section)
        return context


class SectionUpdateView(ReviewableUpdateMixin, WorkspaceMixin, SectionObjectMixin, FormView):
    """Edit the title and narrative; a stale save shows the shared conflict page (409)."""

    permission = Perm.EDIT
    form_class = SituationSectionUpdateForm
    template_name = "mainstreaming/cycles/section_form.html"

    def get_reviewable(self) -> SituationSection:
        return self.section

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.section
        return kwargs


class SectionMoveView(WorkspaceMixin, SectionObjectMixin, View):
    """POST `direction` (up|down) or `position` (1-based): put the section there."""

    permission = Perm.EDIT
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        section = self.section
        direction = request.POST.get("direction")
        if direction in ("up", "down"):
            target = section.position + (-1 if direction == "up" else 1)
        else:
            form = SectionMoveForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give the new position as a number, 1 or more."))
                return HttpResponseRedirect(self._back())
            target = form.cleaned_data["position"] - 1
        services.situation_section_move(
            actor=cast(Any, request.user), section=section, position=max(target, 0)
        )
        messages.success(
            request,
            _("“%(title)s” is now section %(position)s.")
            % {"title": section.title, "position": section.position + 1},
        )
        return HttpResponseRedirect(self._back())

    def _back(self) -> str:
        default = reverse(
            "mainstreaming:section_list",
            kwargs={"slug": self.workspace.slug, "pk": self.section.cycle_id},
        )
        return safe_next(self.request, default) + f"#section-{self.section.pk}"


class SectionDeleteView(WorkspaceMixin, SectionObjectMixin, TemplateView):
    """Confirmation page, then the deletion. A section approved once is part of the record:
    only a coordinator may delete it (others get 403 with the reason)."""

    permission = Perm.EDIT
    template_name = "mainstreaming/cycles/section_confirm_delete.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_delete"] = services.can_delete_item(self.perms, self.section)
        context["evidence_count"] = self.section.evidence.count()
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=200 if context["can_delete"] else 403)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        section = self.section
        if not services.can_delete_item(self.perms, section):
            raise PermissionDenied
        cycle = section.cycle
        services.situation_section_delete(actor=cast(Any, request.user), section=section)
        messages.success(request, _("The section “%(title)s” was deleted.") % {"title": section})
        return HttpResponseRedirect(
            reverse(
                "mainstreaming:section_list", kwargs={"slug": self.workspace.slug, "pk": cycle.pk}
            )
        )


# Evidence --------------------------------------------------------------------------------------


class EvidenceCreateView(WorkspaceMixin, SectionObjectMixin, FormView):
    """Upload a document, add a web link or point at an indicator's data."""

    permission = Perm.EDIT
    form_class = EvidenceForm
    template_name = "mainstreaming/cycles/evidence_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["max_bytes"] = settings.EVIDENCE_MAX_UPLOAD_BYTES
        kwargs["indicators"] = Indicator.objects.filter(
            Q(workspace__isnull=True) | Q(workspace=self.workspace)
        ).order_by("framework__position", "workspace", "code")
        kwargs["editions"] = Edition.objects.filter(
            workspace=self.workspace, status=EditionStatus.PUBLISHED
        ).order_by("-number")
        return kwargs

    def form_valid(self, form: EvidenceForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            evidence = services.evidence_create(
                actor=cast(Any, self.request.user),
                section=self.section,
                title=data["title"],
                file=data.get("file"),
                url=data.get("url") or "",
                indicator=data.get("indicator"),
                edition=data.get("edition"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("“%(title)s” was added to the evidence.") % {"title": evidence.title}
        )
        return HttpResponseRedirect(self.section.get_absolute_url() + "#evidence-heading")


class EvidenceObjectMixin:
    """`self.evidence`: evidence the user may see (its section readable, and for readers of the
    approved snapshot, added up to the approved version); 404 otherwise."""

    request: HttpRequest
    kwargs: dict[str, Any]
    workspace: Any
    perms: frozenset[Perm]

    @cached_property
    def evidence(self) -> Evidence:
        evidence = (
            selectors.evidence_for(user=self.request.user, workspace=self.workspace)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if evidence is None or not selectors.evidence_visible_to(
            evidence, section=evidence.section, perms=self.perms
        ):
            raise Http404("No such evidence")
        return evidence


class EvidenceDownloadView(WorkspaceMixin, EvidenceObjectMixin, View):
    """The stored file, as an attachment of its checked type, never sniffed by the browser."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        evidence = self.evidence
        if not evidence.file:
            raise Http404("This evidence is a web link")
        response = FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=PurePath(evidence.file.name).name,
            content_type=evidence.content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class EvidenceDeleteView(WorkspaceMixin, EvidenceObjectMixin, TemplateView):
    permission = Perm.EDIT
    template_name = "mainstreaming/cycles/evidence_confirm_delete.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["evidence"] = self.evidence
        context["section"] = self.evidence.section
        context["cycle"] = self.evidence.section.cycle
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        evidence = self.evidence
        section = evidence.section
        services.evidence_delete(actor=cast(Any, request.user), evidence=evidence)
        messages.success(request, _("“%(title)s” was removed.") % {"title": evidence.title})
        return HttpResponseRedirect(section.get_absolute_url() + "#evidence-heading")


W = "w/<slug:slug>"

urlpatterns = [
    path(f"{W}/cycles/", CycleListView.as_view(), name="cycle_list"),
    path(f"{W}/cycles/new/", CycleCreateView.as_view(), name="cycle_create"),
    path(f"{W}/cycles/<int:pk>/", CycleDetailView.as_view(), name="cycle_detail"),
    path(f"{W}/cycles/<int:pk>/edit/", CycleUpdateView.as_view(), name="cycle_update"),
    path(
        f"{W}/cycles/<int:pk>/signoff/<str:stage>/",
        StageSignoffView.as_view(),
        name="stage_signoff",
    ),
    path(f"{W}/cycles/<int:pk>/situation/", SectionListView.as_view(), name="section_list"),
    path(f"{W}/cycles/<int:pk>/situation/new/", SectionCreateView.as_view(), name="section_create"),
    path(f"{W}/situation/<int:pk>/", SectionDetailView.as_view(), name="section_detail"),
    path(f"{W}/situation/<int:pk>/edit/", SectionUpdateView.as_view(), name="section_update"),
    path(f"{W}/situation/<int:pk>/move/", SectionMoveView.as_view(), name="section_move"),
    path(f"{W}/situation/<int:pk>/delete/", SectionDeleteView.as_view(), name="section_delete"),
    path(
        f"{W}/situation/<int:pk>/evidence/new/",
        EvidenceCreateView.as_view(),
        name="evidence_create",
    ),
    path(
        f"{W}/evidence/<int:pk>/download/",
        EvidenceDownloadView.as_view(),
        name="evidence_download",
    ),
    path(f"{W}/evidence/<int:pk>/delete/", EvidenceDeleteView.as_view(), name="evidence_delete"),
]
