"""Pages of the plan: entry-point concerns, ranked priorities, objectives, actions, the action
plan, the logframe and the timeline. Routes are listed at the bottom, next to their views.

Every item is fetched through the restricted selectors of `selectors.planning` (404 otherwise)
and shown through `Shown`: readers without drafts see the approved snapshot only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.forms import add_service_errors
from core.paging import page_range
from stakeholders.access import WorkspaceMixin
from stakeholders.models import Organisation
from stakeholders.permissions import Perm, restrict
from stakeholders.review import readable_items
from stakeholders.review_views import ReviewableUpdateMixin, review_panel_context

from ..filters_planning import ActionFilterSet
from ..forms.planning import (
    ActionForm,
    ActionStatusForm,
    ConcernForm,
    ObjectiveForm,
    PriorityForm,
    PriorityMoveForm,
)
from ..models import KPI, Action, Cycle, Objective, Priority
from ..selectors import planning as selectors
from ..selectors.cycles import cycle_list
from ..services import planning as services


def _organisations(view: Any) -> QuerySet[Organisation]:
    return restrict(
        Organisation.objects.filter(workspace=view.workspace), view.request.user, Perm.ACCESS
    ).order_by("name")


# Mixins ----------------------------------------------------------------------------------------


class CycleMixin(WorkspaceMixin):
    """`self.cycle`: the cycle of the URL's `pk`, in this workspace, else 404."""

    @cached_property
    def cycle(self) -> Cycle:
        cycle = cycle_list(user=self.request.user, workspace=self.workspace).filter(
            pk=self.kwargs["pk"]
        )
        found = cycle.first()
        if found is None:
            raise Http404("No such cycle")
        return found

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cycle"] = self.cycle
        return context


class PlanItemMixin(WorkspaceMixin):
    """`self.item` (a priority, objective or action of the URL's `pk`) and `self.shown`."""

    model: type[Priority] | type[Objective] | type[Action]
    context_name: str = ""

    def item_queryset(self) -> QuerySet[Any]:
        user, workspace = self.request.user, self.workspace
        if self.model is Priority:
            return selectors.priority_queryset(user=user, workspace=workspace)
        if self.model is Objective:
            return selectors.objective_queryset(user=user, workspace=workspace)
        return selectors.action_queryset(user=user, workspace=workspace)

    @cached_property
    def item(self) -> Any:
        found = self.item_queryset().filter(pk=self.kwargs["pk"]).first()
        if found is None:
            raise Http404("No such item")
        return found

    @cached_property
    def related(self) -> dict[str, dict[Any, Any]]:
        return selectors.related_for(user=self.request.user, workspace=self.workspace)

    def shown(self, item: Any) -> selectors.Shown:
        return selectors.Shown(item, perms=self.perms, related=self.related)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["item"] = self.item
        context[self.context_name] = self.shown(self.item)
        context["cycle"] = self.item.cycle
        if self.model is not Priority:
            priority = (
                self.item.priority if self.model is Objective else self.item.objective.priority
            )
            context["priority"] = self.shown(priority)
        if self.model is Action:
            context["objective"] = self.shown(self.item.objective)
        return context


class DeleteMixin(PlanItemMixin, TemplateView):
    """Confirmation page, then the delete service. Once approved, coordinators only."""

    permission = Perm.EDIT
    template_name = "mainstreaming/planning/confirm_delete.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_delete()
        return super().get(request, *args, **kwargs)

    @cached_property
    def on_record(self) -> bool:
        return services.was_approved_once(self.item)

    def check_delete(self) -> None:
        if self.on_record and Perm.MANAGE_WORKSPACE not in self.perms:
            raise PermissionDenied

    def goes_with_it(self) -> dict[str, int]:
        item = self.item
        if isinstance(item, Priority):
            return {
                "objectives": Objective.objects.filter(priority=item).count(),
                "actions": Action.objects.filter(objective__priority=item).count(),
                "kpis": KPI.objects.filter(objective__priority=item).count()
                + KPI.objects.filter(action__objective__priority=item).count(),
            }
        if isinstance(item, Objective):
            return {
                "actions": Action.objects.filter(objective=item).count(),
                "kpis": KPI.objects.filter(objective=item).count()
                + KPI.objects.filter(action__objective=item).count(),
            }
        return {"kpis": KPI.objects.filter(action=item).count()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["verbose_name"] = self.item._meta.verbose_name
        context["goes_with_it"] = self.goes_with_it()
        context["on_record"] = self.on_record
        context["cancel_url"] = self.item.get_absolute_url()
        return context

    def after_delete_url(self) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check_delete()
        title = str(self.shown(self.item))
        target = self.after_delete_url()
        delete = {
            Priority: lambda: services.priority_delete(actor=self.actor, priority=self.item),
            Objective: lambda: services.objective_delete(actor=self.actor, objective=self.item),
            Action: lambda: services.action_delete(actor=self.actor, action=self.item),
        }[self.model]
        delete()
        messages.success(request, _("“%(title)s” was deleted.") % {"title": title})
        return HttpResponseRedirect(target)

    @property
    def actor(self) -> Any:
        return self.request.user


# Entry-point concerns --------------------------------------------------------------------------


class ConcernListView(WorkspaceMixin, TemplateView):
    """The concerns priorities start from: the portal's defaults and the workspace's own."""

    template_name = "mainstreaming/planning/concern_list.html"
    write_permission = Perm.EDIT

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        concerns = list(selectors.concern_list(user=self.request.user, workspace=self.workspace))
        context["defaults"] = sorted((c for c in concerns if c.workspace_id is None), key=str)
        context["own"] = [c for c in concerns if c.workspace_id is not None]
        if Perm.EDIT in self.perms:
            context.setdefault("form", ConcernForm())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ConcernForm(request.POST)
        if form.is_valid():
            try:
                concern = services.concern_create(
                    actor=cast(Any, request.user),
                    workspace=self.workspace,
                    name=form.cleaned_data["name"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("“%(name)s” was added.") % {"name": concern})
                return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)


# Priorities ------------------------------------------------------------------------------------


class PriorityListView(CycleMixin, TemplateView):
    """The cycle's ranked priorities; editors reorder them, reviewers act on a selection."""

    template_name = "mainstreaming/planning/priority_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        priorities = selectors.priority_list(user=self.request.user, cycle=self.cycle)
        related = selectors.related_for(user=self.request.user, workspace=self.workspace)
        shown = selectors.show(priorities, perms=self.perms, related=related)
        context["priorities"] = shown
        context["last_rank"] = max((p.rank for p in shown), default=0)
        context["kind"] = "mainstreaming.priority"
        return context


class PriorityFormMixin(WorkspaceMixin):
    permission = Perm.EDIT
    form_class = PriorityForm
    template_name = "mainstreaming/planning/priority_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["concerns"] = selectors.concern_choices(
            user=self.request.user, workspace=self.workspace
        )
        kwargs["national_priorities"] = (
            selectors.national_priority_choices_unrestricted(workspace=self.workspace)
            if self.workspace.parent_id is not None
            else None
        )
        return kwargs


class PriorityCreateView(PriorityFormMixin, CycleMixin, FormView):
    def get_initial(self) -> dict[str, Any]:
        level = "local" if self.workspace.parent_id is not None else "national"
        return {"level": level}

    def form_valid(self, form: PriorityForm) -> HttpResponse:
        data = form.cleaned_data
        concern = (
            selectors.concern_list(user=self.request.user, workspace=self.workspace)
            .filter(pk=data["concern"])
            .first()
        )
        if concern is None:
            form.add_error("concern", _("Choose one of the concerns listed."))
            return self.form_invalid(form)
        national = None
        if data.get("national_priority"):
            national = Priority.objects.filter(pk=data["national_priority"]).first()
        try:
            priority = services.priority_create(
                actor=cast(Any, self.request.user),
                cycle=self.cycle,
                concern=concern,
                title=data["title"],
                rationale=data["rationale"],
                affected_groups=data["affected_groups"],
                gender_considerations=data["gender_considerations"],
                rights_considerations=data["rights_considerations"],
                level=data["level"],
                national_priority=national,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The priority was added at the end of the ranking."))
        return HttpResponseRedirect(priority.get_absolute_url())


class PriorityDetailView(PlanItemMixin, TemplateView):
    model = Priority
    context_name = "priority"
    template_name = "mainstreaming/planning/priority_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        objectives = []
        for objective in selectors.objectives_with_actions(user=user, priority=self.item):
            shown = self.shown(objective)
            shown.actions = [self.shown(a) for a in objective.readable_actions]
            objectives.append(shown)
        context["objectives"] = objectives
        context["review"] = review_panel_context(
            request=self.request, item=self.item, perms=self.perms
        )
        shown = context["priority"]
        national_id = shown.values.get("national_priority_id")
        if national_id is not None:
            context["national_priority_url"] = None
            national = (
                readable_items(Priority.objects.filter(pk=national_id), user=user)
                .select_related("workspace")
                .first()
            )
            if national is not None:
                context["national_priority_url"] = national.get_absolute_url()
        if self.workspace.parent_id is None:
            context["local_priorities"] = [
                {"priority": p, "title": (p.approved_snapshot or {}).get("title", "")}
                for p in selectors.linked_local_priority_list(user=user, priority=self.item)
            ]
        return context


class PriorityUpdateView(ReviewableUpdateMixin, PriorityFormMixin, PlanItemMixin, FormView):
    model = Priority
    context_name = "priority"

    def get_reviewable(self) -> Any:
        return self.item

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        item = self.item
        initial.update(
            {name: getattr(item, name) for name in item.review_fields if not name.endswith("_id")}
        )
        initial["concern"] = item.concern_id
        initial["national_priority"] = item.national_priority_id
        return initial

    def review_changes(self, form: Any) -> dict[str, Any]:
        data = form.cleaned_data
        changes = {
            name: data[name]
            for name in (
                "title",
                "rationale",
                "affected_groups",
                "gender_considerations",
                "rights_considerations",
                "level",
            )
        }
        changes["concern_id"] = data["concern"]
        if "national_priority" in form.fields:
            changes["national_priority_id"] = data.get("national_priority")
        return changes

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        allowed = {c for c, _label in form.fields["concern"].choices if c}
        if data["concern"] not in allowed:
            form.add_error("concern", _("Choose one of the concerns listed."))
            return self.form_invalid(form)
        return super().form_valid(form)


class PriorityMoveView(WorkspaceMixin, View):
    """POST `rank`: put the priority there; back to the ranked list."""

    permission = Perm.EDIT
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        priority = (
            selectors.priority_queryset(user=request.user, workspace=self.workspace)
            .filter(pk=kwargs["pk"])
            .first()
        )
        if priority is None:
            raise Http404("No such priority")
        form = PriorityMoveForm(request.POST)
        if form.is_valid():
            services.priority_move(
                actor=cast(Any, request.user), priority=priority, rank=form.cleaned_data["rank"]
            )
            messages.success(
                request,
                _("The priority is now number %(rank)s.") % {"rank": priority.rank},
            )
        else:
            messages.error(request, _("Choose where to move the priority."))
        target = reverse(
            "mainstreaming:priority_list",
            kwargs={"slug": self.workspace.slug, "pk": priority.cycle_id},
        )
        return HttpResponseRedirect(f"{target}#priority-{priority.pk}")


class PriorityDeleteView(DeleteMixin):
    model = Priority
    context_name = "shown_item"

    def after_delete_url(self) -> str:
        return reverse(
            "mainstreaming:priority_list",
            kwargs={"slug": self.workspace.slug, "pk": self.item.cycle_id},
        )


# Objectives ------------------------------------------------------------------------------------


class ObjectiveCreateView(PlanItemMixin, FormView):
    """Add an objective under the priority of the URL."""

    model = Priority
    context_name = "priority"
    permission = Perm.EDIT
    form_class = ObjectiveForm
    template_name = "mainstreaming/planning/objective_form.html"

    def form_valid(self, form: ObjectiveForm) -> HttpResponse:
        try:
            objective = services.objective_create(
                actor=cast(Any, self.request.user), priority=self.item, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The objective was added."))
        return HttpResponseRedirect(objective.get_absolute_url())


class ObjectiveDetailView(PlanItemMixin, TemplateView):
    model = Objective
    context_name = "objective"
    template_name = "mainstreaming/planning/objective_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        actions = selectors.action_queryset(user=user, workspace=self.workspace).filter(
            objective=self.item
        )
        context["actions"] = [self.shown(a) for a in actions.order_by("position", "pk")]
        kpis = selectors.kpi_queryset(user=user).filter(objective=self.item)
        context["kpis"] = [self.shown(k) for k in kpis.order_by("position", "pk")]
        context["review"] = review_panel_context(
            request=self.request, item=self.item, perms=self.perms
        )
        return context


class ObjectiveUpdateView(ReviewableUpdateMixin, PlanItemMixin, FormView):
    model = Objective
    context_name = "objective"
    permission = Perm.EDIT
    form_class = ObjectiveForm
    template_name = "mainstreaming/planning/objective_form.html"

    def get_reviewable(self) -> Any:
        return self.item

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        initial.update(title=self.item.title, description=self.item.description)
        return initial


class ObjectiveDeleteView(DeleteMixin):
    model = Objective
    context_name = "shown_item"

    def after_delete_url(self) -> str:
        return str(self.item.priority.get_absolute_url())


# Actions ---------------------------------------------------------------------------------------


class ActionFormMixin(PlanItemMixin):
    permission = Perm.EDIT
    form_class = ActionForm
    template_name = "mainstreaming/planning/action_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["organisations"] = _organisations(self)
        return kwargs


class ActionCreateView(ActionFormMixin, FormView):
    """Add an action under the objective of the URL."""

    model = Objective
    context_name = "objective"

    def form_valid(self, form: ActionForm) -> HttpResponse:
        try:
            action = services.action_create(
                actor=cast(Any, self.request.user), objective=self.item, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The action was added."))
        return HttpResponseRedirect(action.get_absolute_url())


class ActionDetailView(PlanItemMixin, TemplateView):
    model = Action
    context_name = "action"
    template_name = "mainstreaming/planning/action_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        kpis = selectors.kpi_queryset(user=self.request.user).filter(action=self.item)
        context["kpis"] = [self.shown(k) for k in kpis.order_by("position", "pk")]
        context["review"] = review_panel_context(
            request=self.request, item=self.item, perms=self.perms
        )
        if Perm.EDIT in self.perms:
            context["status_form"] = ActionStatusForm(
                initial={"implementation_status": self.item.implementation_status}
            )
        return context


class ActionUpdateView(ReviewableUpdateMixin, ActionFormMixin, FormView):
    model = Action
    context_name = "action"

    def get_reviewable(self) -> Any:
        return self.item

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        item = self.item
        initial.update(
            {name: getattr(item, name) for name in item.review_fields if not name.endswith("_id")}
        )
        initial["lead_organisation"] = item.lead_organisation_id
        initial["partners"] = [p.pk for p in item.partners.all()]
        return initial

    def review_changes(self, form: Any) -> dict[str, Any]:
        data = form.cleaned_data
        changes = {
            name: data[name]
            for name in self.item.review_fields
            if not name.endswith("_id") and name in data
        }
        changes["lead_organisation_id"] = data["lead_organisation"].pk
        changes["budget_currency"] = (data.get("budget_currency") or "").upper()
        return changes

    def save_extra(self, form: Any, item: Any) -> None:
        services.action_set_partners(
            actor=cast(Any, self.request.user), action=item, partners=form.cleaned_data["partners"]
        )


class ActionStatusView(PlanItemMixin, FormView):
    """Report the implementation status (not reviewed)."""

    model = Action
    context_name = "action"
    permission = Perm.EDIT
    form_class = ActionStatusForm
    template_name = "mainstreaming/planning/action_status_form.html"

    def get_initial(self) -> dict[str, Any]:
        return {"implementation_status": self.item.implementation_status}

    def form_valid(self, form: ActionStatusForm) -> HttpResponse:
        try:
            services.action_set_status(
                actor=cast(Any, self.request.user),
                action=self.item,
                implementation_status=form.cleaned_data["implementation_status"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Implementation status: %(status)s.")
            % {"status": self.item.get_implementation_status_display()},
        )
        return HttpResponseRedirect(self.item.get_absolute_url())


class ActionDeleteView(DeleteMixin):
    model = Action
    context_name = "shown_item"

    def after_delete_url(self) -> str:
        return str(self.item.objective.get_absolute_url())


# The plan as a whole ---------------------------------------------------------------------------


class ActionPlanView(CycleMixin, TemplateView):
    """Every action with its objective and priority, filters, and budget totals per currency."""

    template_name = "mainstreaming/planning/action_plan.html"
    paginate_by = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = ActionFilterSet(
            self.request.GET or None,
            queryset=selectors.action_list(user=user, cycle=self.cycle),
            approved_only=Perm.VIEW_DRAFTS not in self.perms,
        )
        actions = filterset.qs
        related = selectors.related_for(user=user, workspace=self.workspace)
        organisations = sorted(related["lead_organisation"].values(), key=lambda o: o.name)
        page = Paginator(actions, self.paginate_by).get_page(self.request.GET.get("page"))
        rows = []
        for action in page.object_list:
            shown = selectors.Shown(action, perms=self.perms, related=related)
            shown.objective_shown = selectors.Shown(action.objective, perms=self.perms)
            shown.priority_shown = selectors.Shown(
                action.objective.priority, perms=self.perms, related=related
            )
            rows.append(shown)
        totals = selectors.budget_totals(actions, perms=self.perms)
        priorities = selectors.show(
            selectors.priority_list(user=user, cycle=self.cycle), perms=self.perms
        )
        context.update(
            {
                "filter": filterset,
                "organisations": organisations,
                "actions": rows,
                "page_obj": page,
                "page_range": page_range(page),
                "query_string": _query_without_page(self.request),
                "totals": totals,
                "priority_totals": [
                    {"priority": p, "rows": totals.rows(totals.by_priority[p.pk])}
                    for p in priorities
                    if p.pk in totals.by_priority
                ],
                "approved_only": Perm.VIEW_DRAFTS not in self.perms,
            }
        )
        return context


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class LogframeView(CycleMixin, TemplateView):
    """Priority → objective → action → KPIs, as nested tables."""

    template_name = "mainstreaming/planning/logframe.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tree"] = selectors.plan_tree(
            user=self.request.user, cycle=self.cycle, perms=self.perms
        )
        context["approved_only"] = Perm.VIEW_DRAFTS not in self.perms
        return context


@dataclass
class TimelineCell:
    year: int
    quarter: int
    filled: bool


def _quarter(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def timeline_cells(cycle: Cycle, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """The quarters of the cycle's years an action covers; whether it starts before or ends
    after the cycle (then shown clamped to the cycle's first or last quarter)."""
    first, last = (cycle.start_year, 1), (cycle.end_year, 4)
    begins, ends = _quarter(start), _quarter(end)
    cells = [
        TimelineCell(year, quarter, begins <= (year, quarter) <= ends)
        for year in cycle.years
        for quarter in (1, 2, 3, 4)
    ]
    return {
        "cells": cells,
        "starts_before": begins < first,
        "ends_after": ends > last,
        "outside": ends < first or begins > last,
    }


class TimelineView(CycleMixin, TemplateView):
    """Actions on the cycle's years × quarters, grouped by priority and objective."""

    template_name = "mainstreaming/planning/timeline.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        tree = selectors.plan_tree(user=self.request.user, cycle=self.cycle, perms=self.perms)
        for priority in tree:
            for objective in priority.objectives:
                for action in objective.actions:
                    action.timeline = timeline_cells(self.cycle, action.start_date, action.end_date)
        context["tree"] = tree
        context["quarters"] = [(year, q) for year in self.cycle.years for q in (1, 2, 3, 4)]
        context["years"] = list(self.cycle.years)
        context["approved_only"] = Perm.VIEW_DRAFTS not in self.perms
        return context


urlpatterns = [
    path("w/<slug:slug>/concerns/", ConcernListView.as_view(), name="concern_list"),
    path(
        "w/<slug:slug>/cycles/<int:pk>/priorities/",
        PriorityListView.as_view(),
        name="priority_list",
    ),
    path(
        "w/<slug:slug>/cycles/<int:pk>/priorities/new/",
        PriorityCreateView.as_view(),
        name="priority_create",
    ),
    path(
        "w/<slug:slug>/priorities/<int:pk>/", PriorityDetailView.as_view(), name="priority_detail"
    ),
    path(
        "w/<slug:slug>/priorities/<int:pk>/edit/",
        PriorityUpdateView.as_view(),
        name="priority_update",
    ),
    path(
        "w/<slug:slug>/priorities/<int:pk>/move/", PriorityMoveView.as_view(), name="priority_move"
    ),
    path(
        "w/<slug:slug>/priorities/<int:pk>/delete/",
        PriorityDeleteView.as_view(),
        name="priority_delete",
    ),
    path(
        "w/<slug:slug>/priorities/<int:pk>/objectives/new/",
        ObjectiveCreateView.as_view(),
        name="objective_create",
    ),
    path(
        "w/<slug:slug>/objectives/<int:pk>/", ObjectiveDetailView.as_view(), name="objective_detail"
    ),
    path(
        "w/<slug:slug>/objectives/<int:pk>/edit/",
        ObjectiveUpdateView.as_view(),
        name="objective_update",
    ),
    path(
        "w/<slug:slug>/objectives/<int:pk>/delete/",
        ObjectiveDeleteView.as_view(),
        name="objective_delete",
    ),
    path(
        "w/<slug:slug>/objectives/<int:pk>/actions/new/",
        ActionCreateView.as_view(),
        name="action_create",
    ),
    path("w/<slug:slug>/actions/<int:pk>/", ActionDetailView.as_view(), name="action_detail"),
    path("w/<slug:slug>/actions/<int:pk>/edit/", ActionUpdateView.as_view(), name="action_update"),
    path(
        "w/<slug:slug>/actions/<int:pk>/delete/", ActionDeleteView.as_view(), name="action_delete"
    ),
    path(
        "w/<slug:slug>/actions/<int:pk>/status/", ActionStatusView.as_view(), name="action_status"
    ),
    path(
        "w/<slug:slug>/cycles/<int:pk>/action-plan/", ActionPlanView.as_view(), name="action_plan"
    ),
    path("w/<slug:slug>/cycles/<int:pk>/logframe/", LogframeView.as_view(), name="logframe"),
    path("w/<slug:slug>/cycles/<int:pk>/timeline/", TimelineView.as_view(), name="timeline"),
]
