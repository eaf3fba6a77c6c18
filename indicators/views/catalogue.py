"""Pages of the indicator catalogue: frameworks, indicators with their provenance, the
workspace's indicators page and its own (custom) indicators, and the staff import of a
framework. Routes are listed at the bottom, next to their views.

The catalogue is public knowledge for every signed-in user (the site is private through
`LoginRequiredMiddleware`); a workspace's custom indicators are read with access to it and
written with `Perm.EDIT`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from core.forms import add_service_errors
from core.htmx import HtmxTemplateMixin
from stakeholders.access import WorkspaceMixin
from stakeholders.models import User
from stakeholders.permissions import Perm

from ..catalogue import CatalogueFileError, read_catalogue_file
from ..choices import Axis
from ..forms.catalogue import CustomIndicatorForm, FrameworkImportForm
from ..models import Framework, Indicator, Unit
from ..selectors.catalogue import (
    catalogue_indicator_list,
    custom_indicator_list,
    dimension_list,
    framework_list,
    starter_framework,
    workspace_indicator_groups,
)
from ..services import catalogue as services


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def unit_bounds(unit: Unit) -> str:
    """The unit's bounds in words ("from 0 to 100", "0 or more", "no bounds")."""
    low, high = unit.minimum, unit.maximum
    if unit.code == services.ORDINAL_UNIT:
        return _("one of the indicator's categories")
    if low is not None and high is not None:
        return _("from %(low)s to %(high)s") % {"low": _number(low), "high": _number(high)}
    if low is not None:
        return _("%(low)s or more, no upper bound") % {"low": _number(low)}
    if high is not None:
        return _("at most %(high)s") % {"high": _number(high)}
    return _("no bounds (negative values allowed)")


def axis_labels(indicator: Indicator) -> list[str]:
    labels = dict(Axis.choices)
    return [str(labels[axis]) for axis in indicator.allowed_axes()]


def indicator_facts(indicator: Indicator) -> dict[str, Any]:
    """What an indicator's page shows of it, prepared once for the template."""
    return {
        "indicator": indicator,
        "bounds": unit_bounds(indicator.unit),
        "axes": axis_labels(indicator),
        "titles": sorted((indicator.titles or {}).items()),
        "is_starter": bool(indicator.framework and indicator.framework.code == "starter"),
    }


# The catalogue ---------------------------------------------------------------------------------


class FrameworkListView(TemplateView):
    """Every framework of the catalogue with its counts, description and provenance."""

    template_name = "indicators/catalogue/framework_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["frameworks"] = list(framework_list())
        context["can_import"] = bool(getattr(self.request.user, "is_staff", False))
        return context


class FrameworkDetailView(TemplateView):
    """A framework's dimensions with their indicators."""

    template_name = "indicators/catalogue/framework_detail.html"

    @cached_property
    def framework(self) -> Framework:
        framework = framework_list().filter(pk=self.kwargs["pk"]).first()
        if framework is None:
            raise Http404("No such framework")
        return framework

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        framework = self.framework
        groups: dict[int | None, dict[str, Any]] = {
            dimension.pk: {"dimension": dimension, "indicators": []}
            for dimension in dimension_list(framework=framework)
        }
        for indicator in catalogue_indicator_list(framework=framework):
            groups.setdefault(indicator.dimension_id, {"dimension": None, "indicators": []})
            groups[indicator.dimension_id]["indicators"].append(indicator)
        context["framework"] = framework
        context["groups"] = [group for group in groups.values() if group["indicators"]]
        context["is_starter"] = framework.code == "starter"
        return context


class IndicatorDetailView(TemplateView):
    """A catalogue indicator with its provenance (a workspace's own are shown in it)."""

    template_name = "indicators/catalogue/indicator_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        indicator = catalogue_indicator_list().filter(pk=self.kwargs["pk"]).first()
        if indicator is None:
            raise Http404("No such indicator")
        context.update(indicator_facts(indicator))
        return context


class StaffRequiredMixin:
    """Platform administrators only (Django staff); others get 403."""

    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class FrameworkImportView(StaffRequiredMixin, FormView):
    """Load another framework from a CSV/XLSX catalogue file: every row checked, all or none."""

    template_name = "indicators/catalogue/framework_import.html"
    form_class = FrameworkImportForm

    def form_valid(self, form: FrameworkImportForm) -> HttpResponse:
        data = form.cleaned_data
        upload = data["file"]
        try:
            catalogue = read_catalogue_file(upload, upload.name)
            result = services.framework_import(
                actor=cast(User, self.request.user),
                catalogue=catalogue,
                code=data["code"],
                name=data["name"],
                version=data["version"],
                description=data["description"],
                provenance=data["provenance"],
                dimensions_from=data["dimensions_from"],
            )
        except CatalogueFileError as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        except services.CatalogueImportError as error:
            return self.render_to_response(
                self.get_context_data(form=form, row_errors=error.errors)
            )
        messages.success(
            self.request,
            _(
                "The framework “%(name)s” was loaded: %(dimensions)s dimension(s) and "
                "%(indicators)s indicator(s)."
            )
            % {
                "name": result.framework.name,
                "dimensions": result.dimension_count,
                "indicators": result.indicator_count,
            },
        )
        return HttpResponseRedirect(
            reverse("indicators:framework_detail", kwargs={"pk": result.framework.pk})
        )


# A workspace's indicators ----------------------------------------------------------------------

CUSTOM_ONLY = "custom"


class WorkspaceIndicatorListView(WorkspaceMixin, HtmxTemplateMixin, TemplateView):
    """The indicators a workspace works with, by dimension: a framework's (the starter set by
    default) and the workspace's own. Live search with htmx; grouped, never paginated (a
    framework has tens of indicators), at a fixed number of queries."""

    template_name = "indicators/catalogue/workspace_indicators.html"
    htmx_partial = "results"

    def get_template_names(self) -> list[str]:
        htmx = getattr(self.request, "htmx", None)
        if htmx and htmx.history_restore_request:
            return [self.template_name]
        return super().get_template_names()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        frameworks = list(framework_list())
        starter = next((f for f in frameworks if f.code == "starter"), None)
        chosen = self.request.GET.get("framework", "")
        framework: Framework | None = starter
        if chosen == CUSTOM_ONLY:
            framework = None
        elif chosen.isdigit():
            framework = next((f for f in frameworks if f.pk == int(chosen)), starter)
        dimension_value = self.request.GET.get("dimension", "")
        dimension = int(dimension_value) if dimension_value.isdigit() else None
        search = self.request.GET.get("q", "").strip()[:100]
        context["groups"] = workspace_indicator_groups(
            user=self.request.user,
            workspace=self.workspace,
            framework=framework,
            dimension=dimension,
            search=search,
        )
        context["shown_count"] = sum(len(group.indicators) for group in context["groups"])
        context["frameworks"] = frameworks
        context["framework"] = framework
        context["selected_framework"] = (
            chosen if chosen == CUSTOM_ONLY else (str(framework.pk) if framework else "")
        )
        context["dimensions"] = list(dimension_list(framework=starter)) if starter else []
        context["selected_dimension"] = dimension
        context["q"] = search
        context["can_edit"] = Perm.EDIT in self.perms
        context["filtered"] = bool(search or dimension or chosen)
        return context

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
        return response


class CustomIndicatorMixin(WorkspaceMixin):
    """`self.indicator`: one of this workspace's own indicators (404 otherwise)."""

    @cached_property
    def indicator(self) -> Indicator:
        indicator = (
            custom_indicator_list(user=self.request.user, workspace=self.workspace)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if indicator is None:
            raise Http404("No such indicator in this workspace")
        return indicator

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["indicator"] = self.indicator
        return context


def _starter_dimensions() -> Any:
    starter = starter_framework()
    return dimension_list(framework=starter) if starter else dimension_list().none()


class CustomIndicatorCreateView(WorkspaceMixin, FormView):
    permission = Perm.EDIT
    form_class = CustomIndicatorForm
    template_name = "indicators/catalogue/custom_indicator_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["dimensions"] = _starter_dimensions()
        return kwargs

    def form_valid(self, form: CustomIndicatorForm) -> HttpResponse:
        try:
            indicator = services.custom_indicator_create(
                actor=cast(User, self.request.user),
                workspace=self.workspace,
                **form.service_values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The indicator “%(name)s” was added to this workspace.") % {"name": indicator.name},
        )
        return HttpResponseRedirect(
            reverse(
                "indicators:custom_indicator_detail",
                kwargs={"slug": self.workspace.slug, "pk": indicator.pk},
            )
        )


class CustomIndicatorDetailView(CustomIndicatorMixin, TemplateView):
    template_name = "indicators/catalogue/custom_indicator_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(indicator_facts(self.indicator))
        context["can_edit"] = Perm.EDIT in self.perms
        return context


class CustomIndicatorUpdateView(CustomIndicatorMixin, FormView):
    permission = Perm.EDIT
    form_class = CustomIndicatorForm
    template_name = "indicators/catalogue/custom_indicator_form.html"

    def get_initial(self) -> dict[str, Any]:
        return CustomIndicatorForm.initial_for(self.indicator)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["dimensions"] = _starter_dimensions()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["editing"] = True
        return context

    def form_valid(self, form: CustomIndicatorForm) -> HttpResponse:
        try:
            indicator = services.custom_indicator_update(
                actor=cast(User, self.request.user),
                indicator=self.indicator,
                **form.service_values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The indicator “%(name)s” was saved.") % {"name": indicator.name}
        )
        return HttpResponseRedirect(
            reverse(
                "indicators:custom_indicator_detail",
                kwargs={"slug": self.workspace.slug, "pk": indicator.pk},
            )
        )


class CustomIndicatorDeleteView(CustomIndicatorMixin, TemplateView):
    """Confirm, then delete; an indicator with values is refused with the reason."""

    permission = Perm.EDIT
    template_name = "indicators/catalogue/custom_indicator_confirm_delete.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["refusal"] = services.custom_indicator_delete_error(self.indicator)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        name = self.indicator.name
        try:
            services.custom_indicator_delete(
                actor=cast(User, request.user), indicator=self.indicator
            )
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        messages.success(request, _("The indicator “%(name)s” was deleted.") % {"name": name})
        return HttpResponseRedirect(
            reverse("indicators:workspace_indicators", kwargs={"slug": self.workspace.slug})
        )


W = "w/<slug:slug>/"

urlpatterns = [
    path("indicators/", FrameworkListView.as_view(), name="framework_list"),
    path("indicators/import/", FrameworkImportView.as_view(), name="framework_import"),
    path("indicators/frameworks/<int:pk>/", FrameworkDetailView.as_view(), name="framework_detail"),
    path("indicators/<int:pk>/", IndicatorDetailView.as_view(), name="indicator_detail"),
    path(f"{W}indicators/", WorkspaceIndicatorListView.as_view(), name="workspace_indicators"),
    path(
        f"{W}indicators/custom/new/",
        CustomIndicatorCreateView.as_view(),
        name="custom_indicator_create",
    ),
    path(
        f"{W}indicators/custom/<int:pk>/",
        CustomIndicatorDetailView.as_view(),
        name="custom_indicator_detail",
    ),
    path(
        f"{W}indicators/custom/<int:pk>/edit/",
        CustomIndicatorUpdateView.as_view(),
        name="custom_indicator_update",
    ),
    path(
        f"{W}indicators/custom/<int:pk>/delete/",
        CustomIndicatorDeleteView.as_view(),
        name="custom_indicator_delete",
    ),
]
