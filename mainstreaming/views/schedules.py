"""Pages of report schedules: list (with subscribe / unsubscribe), create, change, delete.

Who (the services decide; these pages only ask first): coordinators (`Perm.PUBLISH`) manage
the schedules and see them all. Every member with `Perm.REQUEST_REPORTS` sees the schedules
they may subscribe to — every approved-level one, drafts-level ones only if they see drafts —
and subscribes or unsubscribes themselves (POST buttons). A schedule they may not read is not
found (404).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core.forms import add_service_errors
from core.paging import page_range
from indicators.models import Indicator
from profiles.models import Edition
from stakeholders.access import WorkspaceMixin
from stakeholders.models import User, Workspace
from stakeholders.permissions import Perm

from ..choices import ReportKind, RightsLevel
from ..forms.schedules import FIELD_OF_KIND, ScheduleForm
from ..models import Cycle, ReportSchedule
from ..services import schedules as services


def schedule_list(*, workspace: Workspace, perms: frozenset[Perm], user: Any) -> QuerySet[Any]:
    """The schedules of `workspace` this reader sees, with `is_subscribed` and
    `subscriber_count` annotated (no query per row)."""
    queryset = ReportSchedule.objects.filter(workspace=workspace)
    if Perm.PUBLISH not in perms and Perm.VIEW_DRAFTS not in perms:
        queryset = queryset.filter(rights_level=RightsLevel.APPROVED)
    subscriptions = ReportSchedule.subscribers.through.objects.filter(
        reportschedule_id=OuterRef("pk"), user_id=getattr(user, "pk", None)
    )
    return (
        queryset.select_related("created_by")
        .annotate(
            is_subscribed=Exists(subscriptions),
            subscriber_count=Count("subscribers", distinct=True),
        )
        .order_by("kind", "pk")
    )


def subject_labels(schedules: list[ReportSchedule]) -> dict[int, str]:
    """What each schedule is about (cycle, edition or indicator), by schedule id: one query per
    kind present, never one per schedule."""
    ids: dict[str, set[int]] = {name: set() for name in FIELD_OF_KIND.values()}
    for schedule in schedules:
        name = FIELD_OF_KIND.get(ReportKind(schedule.kind)) if schedule.kind else None
        value = schedule.parameters.get(name) if name else None
        if name and str(value).isdigit():
            ids[name].add(int(value))
    models: dict[str, Any] = {"cycle": Cycle, "edition": Edition, "indicator": Indicator}
    found: dict[str, dict[int, str]] = {
        name: {obj.pk: str(obj) for obj in models[name].objects.filter(pk__in=pks)} if pks else {}
        for name, pks in ids.items()
    }
    labels = {}
    for schedule in schedules:
        name = FIELD_OF_KIND.get(ReportKind(schedule.kind))
        value = schedule.parameters.get(name) if name else None
        labels[schedule.pk] = found.get(name or "", {}).get(
            int(value) if str(value).isdigit() else -1, "–"
        )
    return labels


class ScheduleMixin(WorkspaceMixin):
    """A schedule of this workspace the reader sees (404 otherwise)."""

    @cached_property
    def schedule(self) -> ReportSchedule:
        schedule = (
            schedule_list(workspace=self.workspace, perms=self.perms, user=self.request.user)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if schedule is None:
            raise Http404("No such schedule")
        return schedule

    def list_url(self) -> str:
        return reverse("mainstreaming:schedule_list", kwargs={"slug": self.workspace.slug})


class ScheduleListView(WorkspaceMixin, ListView):
    """The workspace's report schedules: coordinators manage them, members subscribe."""

    permission = Perm.REQUEST_REPORTS
    template_name = "reports/schedules/schedule_list.html"
    context_object_name = "schedules"
    paginate_by = 25

    def get_queryset(self) -> Any:
        return schedule_list(workspace=self.workspace, perms=self.perms, user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        schedules = list(context["schedules"])
        labels = subject_labels(schedules)
        for schedule in schedules:
            schedule.subject_label = labels[schedule.pk]  # type: ignore[attr-defined]
        context["schedules"] = schedules
        context["page_range"] = page_range(context["page_obj"])
        context["query_string"] = ""
        context["manages"] = Perm.PUBLISH in self.perms
        context["sees_drafts"] = Perm.VIEW_DRAFTS in self.perms
        return context


class ScheduleFormMixin(WorkspaceMixin):
    permission = Perm.PUBLISH
    template_name = "reports/schedules/schedule_form.html"
    form_class = ScheduleForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]
        kwargs.update(workspace=self.workspace, perms=self.perms)
        return kwargs

    def get_success_url(self) -> str:
        return reverse("mainstreaming:schedule_list", kwargs={"slug": self.workspace.slug})


class ScheduleCreateView(ScheduleFormMixin, FormView):
    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        initial["language"] = getattr(self.request, "LANGUAGE_CODE", "en")
        return initial

    def form_valid(self, form: ScheduleForm) -> HttpResponse:
        try:
            services.schedule_create(
                actor=cast(User, self.request.user), workspace=self.workspace, **form.values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The report is scheduled."))
        return HttpResponseRedirect(self.get_success_url())


class ScheduleUpdateView(ScheduleMixin, ScheduleFormMixin, FormView):
    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["schedule"] = self.schedule
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["schedule"] = self.schedule
        context["editing"] = True
        return context

    def form_valid(self, form: ScheduleForm) -> HttpResponse:
        values = form.values()
        subscribers = values.pop("subscribers")
        try:
            services.schedule_update(
                actor=cast(User, self.request.user),
                schedule=self.schedule,
                subscribers=subscribers,
                **values,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The schedule is saved."))
        return HttpResponseRedirect(self.get_success_url())


class ScheduleDeleteView(ScheduleMixin, TemplateView):
    """Confirmation page (GET), then delete (POST); the reports it produced stay."""

    permission = Perm.PUBLISH
    template_name = "reports/schedules/schedule_confirm_delete.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["schedule"] = self.schedule
        context["subject_label"] = subject_labels([self.schedule])[self.schedule.pk]
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        services.schedule_delete(actor=cast(User, request.user), schedule=self.schedule)
        messages.success(request, _("The schedule is deleted. Its reports stay in the archive."))
        return HttpResponseRedirect(self.list_url())


class ScheduleSubscribeView(ScheduleMixin, View):
    """Subscribe myself (POST only: the button on the list)."""

    permission = Perm.REQUEST_REPORTS

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.schedule_subscribe(actor=cast(User, request.user), schedule=self.schedule)
        except PermissionDenied:
            messages.error(request, _("You may not subscribe to this report."))
        else:
            messages.success(
                request, _("You are subscribed: you will get an e-mail when each report is ready.")
            )
        return HttpResponseRedirect(self.list_url())


class ScheduleUnsubscribeView(ScheduleMixin, View):
    """Unsubscribe myself (POST only: the button on the list)."""

    permission = Perm.REQUEST_REPORTS

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        services.schedule_unsubscribe(actor=cast(User, request.user), schedule=self.schedule)
        messages.success(request, _("You are unsubscribed from this report."))
        return HttpResponseRedirect(self.list_url())


S = "w/<slug:slug>/reports/schedules"

urlpatterns = [
    path(f"{S}/", ScheduleListView.as_view(), name="schedule_list"),
    path(f"{S}/new/", ScheduleCreateView.as_view(), name="schedule_create"),
    path(f"{S}/<int:pk>/edit/", ScheduleUpdateView.as_view(), name="schedule_update"),
    path(f"{S}/<int:pk>/delete/", ScheduleDeleteView.as_view(), name="schedule_delete"),
    path(f"{S}/<int:pk>/subscribe/", ScheduleSubscribeView.as_view(), name="schedule_subscribe"),
    path(
        f"{S}/<int:pk>/unsubscribe/",
        ScheduleUnsubscribeView.as_view(),
        name="schedule_unsubscribe",
    ),
]
