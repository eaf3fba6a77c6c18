"""Pages of stakeholder mapping and capacity needs; routes at the bottom.

Every member with access reads the map and the needs; Perm.EDIT writes them. The map is not
reviewable content (it is a working tool of the coordinators, not an official text), so there is
no draft state: what is saved is what members see. Engagement notes are the exception: see
`mapping_selectors.sees_engagement_notes`. The map's table is not paginated: the grid shows every
profiled organisation, and the table beside it must say the same.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from core.charts import Series, bar_chart, grid_chart
from core.forms import add_service_errors
from core.paging import page_range

from . import mapping_selectors as selectors
from . import mapping_services as services
from .access import WorkspaceMixin
from .choices import CapacityArea, NeedPriority, ProcessRole
from .coordination_models import CapacityNeed, StakeholderProfile
from .mapping_forms import CapacityNeedForm, StakeholderProfileForm
from .models import User
from .permissions import Perm
from .selectors import organisation_list

PER_PAGE = 25


def _map_url(workspace: Any) -> str:
    return reverse("stakeholders:stakeholder_profile_list", kwargs={"slug": workspace.slug})


def _needs_url(workspace: Any) -> str:
    return reverse("stakeholders:capacity_need_list", kwargs={"slug": workspace.slug})


def mapping_grid(profiles: list[StakeholderProfile], *, chart_id: str = "stakeholder-map") -> str:
    """The interest × influence grid of `profiles` (SVG with title and description)."""
    return grid_chart(
        title=_("Stakeholder map: interest and influence"),
        x_label=_("Interest (1 = low, 5 = high)"),
        y_label=_("Influence (1 = low, 5 = high)"),
        points=selectors.mapping_grid_points(profiles),
        width=880,
        height=560,
        chart_id=chart_id,
    )


# Stakeholder map -------------------------------------------------------------------------------


class StakeholderProfileListView(WorkspaceMixin, TemplateView):
    """The interest × influence grid with the same organisations in a table beside it."""

    template_name = "stakeholders/mapping/profile_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        group = self.request.GET.get("group", "")
        role = self.request.GET.get("role", "")
        group = group if group in selectors.KIND_GROUPS else ""
        role = role if role in ProcessRole.values else ""
        profiles = list(
            selectors.stakeholder_profile_list(
                user=self.request.user, workspace=self.workspace, kind_group=group, role=role
            )
        )
        context.update(
            profiles=profiles,
            chart=mapping_grid(profiles),
            groups=selectors.kind_group_choices(),
            roles=ProcessRole.choices,
            selected_group=group,
            selected_role=role,
            filtered=bool(group or role),
            sees_notes=selectors.sees_engagement_notes(self.perms),
            can_edit=Perm.EDIT in self.perms,
        )
        return context


class StakeholderProfileObjectMixin(WorkspaceMixin):
    @cached_property
    def profile(self) -> StakeholderProfile:
        profile = (
            selectors.stakeholder_profile_list(user=self.request.user, workspace=self.workspace)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if profile is None:
            raise Http404("No such stakeholder profile")
        return profile

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["profile"] = self.profile
        return context


class StakeholderProfileCreateView(WorkspaceMixin, FormView):
    permission = Perm.EDIT
    form_class = StakeholderProfileForm
    template_name = "stakeholders/mapping/profile_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["organisations"] = selectors.unprofiled_organisations(
            user=self.request.user, workspace=self.workspace
        )
        return kwargs

    def form_valid(self, form: StakeholderProfileForm) -> HttpResponse:
        try:
            profile = services.stakeholder_profile_create(
                actor=cast(User, self.request.user),
                workspace=self.workspace,
                **form.service_values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(organisation)s was placed on the stakeholder map.")
            % {"organisation": profile.organisation},
        )
        return HttpResponseRedirect(_map_url(self.workspace))


class StakeholderProfileUpdateView(StakeholderProfileObjectMixin, FormView):
    permission = Perm.EDIT
    form_class = StakeholderProfileForm
    template_name = "stakeholders/mapping/profile_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.profile
        kwargs["organisations"] = None
        kwargs["editing"] = True
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["editing"] = True
        return context

    def form_valid(self, form: StakeholderProfileForm) -> HttpResponse:
        try:
            services.stakeholder_profile_update(
                actor=cast(User, self.request.user),
                profile=self.profile,
                **form.service_values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The profile of %(organisation)s was saved.")
            % {"organisation": self.profile.organisation},
        )
        return HttpResponseRedirect(_map_url(self.workspace))


class StakeholderProfileDeleteView(StakeholderProfileObjectMixin, TemplateView):
    """Confirmation page, then removal from the map (the organisation itself stays)."""

    permission = Perm.EDIT
    template_name = "stakeholders/mapping/profile_confirm_delete.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        organisation = self.profile.organisation
        services.stakeholder_profile_delete(actor=cast(User, request.user), profile=self.profile)
        messages.success(
            request,
            _("%(organisation)s was removed from the stakeholder map.")
            % {"organisation": organisation},
        )
        return HttpResponseRedirect(_map_url(self.workspace))


# Capacity needs --------------------------------------------------------------------------------


def _met_filter(value: str) -> bool | None:
    return {"open": False, "met": True}.get(value)


class CapacityNeedListView(WorkspaceMixin, TemplateView):
    template_name = "stakeholders/mapping/need_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET
        organisation_value = query.get("organisation", "")
        organisation = int(organisation_value) if organisation_value.isdigit() else None
        area = query.get("area", "")
        priority = query.get("priority", "")
        status = query.get("status", "")
        status = status if status in ("open", "met") else ""
        needs = selectors.capacity_need_list(
            user=self.request.user,
            workspace=self.workspace,
            organisation=organisation,
            area=area,
            priority=priority,
            met=_met_filter(status),
        )
        page = Paginator(needs, PER_PAGE).get_page(query.get("page"))
        rest = query.copy()
        rest.pop("page", None)
        context.update(
            needs=page.object_list,
            page_obj=page,
            page_range=page_range(page),
            query_string=rest.urlencode(),
            organisations=organisation_list(user=self.request.user, workspace=self.workspace),
            areas=CapacityArea.choices,
            priorities=NeedPriority.choices,
            selected_organisation=organisation,
            selected_area=area,
            selected_priority=priority,
            selected_status=status,
            filtered=bool(organisation or area or priority or status),
            can_edit=Perm.EDIT in self.perms,
        )
        return context


class CapacitySummaryView(WorkspaceMixin, TemplateView):
    """Needs by area × priority, by organisation, open against met: a bar chart and tables."""

    template_name = "stakeholders/mapping/need_summary.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        summary = selectors.capacity_summary(user=self.request.user, workspace=self.workspace)
        series = [
            Series(str(label), [float(row.by_priority[value]) for row in summary.areas])
            for value, label in NeedPriority.choices
        ]
        context.update(
            summary=summary,
            priorities=NeedPriority.choices,
            chart=bar_chart(
                title=_("Capacity needs by area and priority"),
                categories=[str(row.label) for row in summary.areas],
                series=series,
                y_label=_("Needs"),
                chart_id="capacity-summary",
            )
            if summary.total
            else None,
        )
        return context


class CapacityNeedObjectMixin(WorkspaceMixin):
    @cached_property
    def need(self) -> CapacityNeed:
        need = (
            selectors.capacity_need_list(user=self.request.user, workspace=self.workspace)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if need is None:
            raise Http404("No such capacity need")
        return need

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["need"] = self.need
        return context


class CapacityNeedFormMixin(WorkspaceMixin):
    permission = Perm.EDIT
    form_class = CapacityNeedForm
    template_name = "stakeholders/mapping/need_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["organisations"] = organisation_list(
            user=self.request.user, workspace=self.workspace
        )
        return kwargs


class CapacityNeedCreateView(CapacityNeedFormMixin, FormView):
    def form_valid(self, form: CapacityNeedForm) -> HttpResponse:
        try:
            services.capacity_need_create(
                actor=cast(User, self.request.user),
                workspace=self.workspace,
                **form.service_values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The capacity need was added."))
        return HttpResponseRedirect(_needs_url(self.workspace))


class CapacityNeedUpdateView(CapacityNeedObjectMixin, CapacityNeedFormMixin, FormView):
    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.need
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["editing"] = True
        return context

    def form_valid(self, form: CapacityNeedForm) -> HttpResponse:
        try:
            services.capacity_need_update(
                actor=cast(User, self.request.user), need=self.need, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The capacity need was saved."))
        return HttpResponseRedirect(_needs_url(self.workspace))


class CapacityNeedDeleteView(CapacityNeedObjectMixin, TemplateView):
    permission = Perm.EDIT
    template_name = "stakeholders/mapping/need_confirm_delete.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        services.capacity_need_delete(actor=cast(User, request.user), need=self.need)
        messages.success(request, _("The capacity need was deleted."))
        return HttpResponseRedirect(_needs_url(self.workspace))


class CapacityNeedMetView(CapacityNeedObjectMixin, TemplateView):
    """POST `met=1` marks the need met, `met=0` reopens it (a button on the list)."""

    permission = Perm.EDIT
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        met = request.POST.get("met", "1") != "0"
        services.capacity_need_mark_met(actor=cast(User, request.user), need=self.need, met=met)
        if met:
            messages.success(request, _("The capacity need was marked as met."))
        else:
            messages.success(request, _("The capacity need was reopened."))
        return HttpResponseRedirect(_needs_url(self.workspace))


urlpatterns: list[URLPattern] = [
    path(
        "w/<slug:slug>/mapping/",
        StakeholderProfileListView.as_view(),
        name="stakeholder_profile_list",
    ),
    path(
        "w/<slug:slug>/mapping/new/",
        StakeholderProfileCreateView.as_view(),
        name="stakeholder_profile_create",
    ),
    path(
        "w/<slug:slug>/mapping/<int:pk>/edit/",
        StakeholderProfileUpdateView.as_view(),
        name="stakeholder_profile_update",
    ),
    path(
        "w/<slug:slug>/mapping/<int:pk>/delete/",
        StakeholderProfileDeleteView.as_view(),
        name="stakeholder_profile_delete",
    ),
    path("w/<slug:slug>/capacity/", CapacityNeedListView.as_view(), name="capacity_need_list"),
    path(
        "w/<slug:slug>/capacity/summary/",
        CapacitySummaryView.as_view(),
        name="capacity_summary",
    ),
    path(
        "w/<slug:slug>/capacity/new/",
        CapacityNeedCreateView.as_view(),
        name="capacity_need_create",
    ),
    path(
        "w/<slug:slug>/capacity/<int:pk>/edit/",
        CapacityNeedUpdateView.as_view(),
        name="capacity_need_update",
    ),
    path(
        "w/<slug:slug>/capacity/<int:pk>/delete/",
        CapacityNeedDeleteView.as_view(),
        name="capacity_need_delete",
    ),
    path(
        "w/<slug:slug>/capacity/<int:pk>/met/",
        CapacityNeedMetView.as_view(),
        name="capacity_need_met",
    ),
]
