"""Pages of coordination platforms: platforms (reviewable), seats, meetings with their decisions
and follow-ups, the open follow-ups of a workspace and the iCalendar feed of upcoming meetings.
Routes are listed at the bottom, next to their views.

Who reads what: a platform is reviewable content (readers without drafts see its approved
snapshot). Its seats, meetings, minutes, decisions and follow-ups are working records, not
reviewed one by one: every member who may read the platform reads them, so once a platform has
been approved its meetings are read by all members (observers included); the meetings of a
platform that was never approved are drafts, read by those who see drafts. Editors and
coordinators record and change everything (Perm.EDIT); a follow-up's status may also be changed
by a contributor whose organisation owns it.

Dates and times are entered and shown in the workspace's time zone.
"""

from __future__ import annotations

import zoneinfo
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.forms import add_service_errors
from core.markdown import render_markdown
from core.paging import page_range

from . import platforms_services as services
from .access import WorkspaceMixin
from .choices import OPEN_FOLLOW_UP_STATUSES, FollowUpStatus, PlatformKind
from .coordination_models import Decision, FollowUp, Meeting, Platform, Seat
from .models import Organisation
from .permissions import Perm
from .platforms_forms import (
    DecisionForm,
    FollowUpForm,
    FollowUpStatusForm,
    MeetingForm,
    PlatformForm,
    SeatForm,
)
from .platforms_selectors import (
    decision_list,
    follow_up_list,
    meeting_list,
    member_organisation_id,
    open_follow_up_list,
    organisations_by_id,
    organisations_of,
    platform_list,
    seat_list,
    upcoming_meeting_list,
    with_owner_membership,
)
from .review import visible_content
from .review_views import ReviewableUpdateMixin, review_panel_context

PER_PAGE = 25
FORM_TEMPLATE = "stakeholders/platforms/form.html"
DELETE_TEMPLATE = "stakeholders/platforms/confirm_delete.html"


def workspace_zone(workspace: Any) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(workspace.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


class _InWorkspaceTime:
    """Forms read and pages show dates in the workspace's time zone (set by WorkspaceMixin)."""

    workspace: Any

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        with timezone.override(workspace_zone(self.workspace)):
            response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
            # Template responses render after the view returns: render them in the zone too.
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            return response


class CoordinationMixin(WorkspaceMixin, _InWorkspaceTime):
    """The workspace, its permissions, its time zone, and the objects of the URL (404 when the
    reader may not read them)."""

    def _one(self, queryset: Any, pk: Any, label: str) -> Any:
        found = queryset.filter(pk=pk).first()
        if found is None:
            raise Http404(f"No such {label}")
        return found

    def platform_for(self, pk: Any) -> Platform:
        return cast(
            Platform,
            self._one(platform_list(workspace=self.workspace, perms=self.perms), pk, "platform"),
        )

    def meeting_for(self, pk: Any) -> Meeting:
        return cast(
            Meeting,
            self._one(meeting_list(workspace=self.workspace, perms=self.perms), pk, "meeting"),
        )

    @cached_property
    def organisations(self) -> Any:
        return organisations_of(self.workspace)

    @property
    def actor(self) -> Any:
        return self.request.user

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["time_zone"] = self.workspace.time_zone
        context["platform_list_url"] = reverse(
            "stakeholders:platform_list", kwargs={"slug": self.workspace.slug}
        )
        return context


def platform_title(platform: Platform, perms: frozenset[Perm]) -> str:
    return str(visible_content(platform, perms=perms).get("name") or platform.name)


class ServiceFormMixin(CoordinationMixin):
    """A FormView whose `save(form)` calls a service and returns where to go next."""

    template_name = FORM_TEMPLATE
    heading = ""
    submit_label = ""
    success_text = ""

    def save(self, form: Any) -> str:
        raise NotImplementedError

    def crumbs(self) -> list[tuple[str, str]]:
        return []

    def cancel_url(self) -> str:
        crumbs = self.crumbs()
        return (
            crumbs[-1][1]
            if crumbs
            else reverse("stakeholders:platform_list", kwargs={"slug": self.workspace.slug})
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            heading=self.heading,
            submit_label=self.submit_label,
            crumbs=self.crumbs(),
            cancel_url=self.cancel_url(),
        )
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            target = self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        if self.success_text:
            messages.success(self.request, self.success_text)
        return HttpResponseRedirect(target)


class ServiceDeleteView(CoordinationMixin, TemplateView):
    """A confirmation page (GET) and the deletion (POST) of one object."""

    template_name = DELETE_TEMPLATE
    permission = Perm.EDIT

    def target(self) -> Any:
        raise NotImplementedError

    def may_delete(self) -> bool:
        return Perm.EDIT in self.perms

    def describe(self) -> dict[str, Any]:
        raise NotImplementedError

    def delete(self) -> str:
        raise NotImplementedError

    def check(self) -> None:
        self.target()
        if not self.may_delete():
            raise PermissionDenied

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.describe())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check()
        text = self.describe().get("done", "")
        try:
            target = self.delete()
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        if text:
            messages.success(request, text)
        return HttpResponseRedirect(target)


# Platforms -------------------------------------------------------------------------------------


class PlatformListView(CoordinationMixin, TemplateView):
    """The workspace's coordination platforms."""

    template_name = "stakeholders/platforms/platform_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        platforms = platform_list(workspace=self.workspace, perms=self.perms)
        page = Paginator(platforms, PER_PAGE).get_page(self.request.GET.get("page"))
        by_id = organisations_by_id(self.workspace)
        rows = []
        for platform in page.object_list:
            content = visible_content(platform, perms=self.perms)
            kind = content.get("kind")
            rows.append(
                {
                    "platform": platform,
                    "name": content.get("name", ""),
                    "kind": PlatformKind(kind).label if kind in PlatformKind.values else "",
                    "chair": by_id.get(content.get("chair_id") or 0),
                    "established_on": content.get("established_on"),
                }
            )
        context.update(
            rows=rows,
            page_obj=page,
            page_range=page_range(page),
            query_string="",
            can_edit=Perm.EDIT in self.perms,
            sees_drafts=Perm.VIEW_DRAFTS in self.perms,
            follow_ups_url=reverse(
                "stakeholders:follow_up_list", kwargs={"slug": self.workspace.slug}
            ),
            calendar_url=reverse(
                "stakeholders:meeting_calendar", kwargs={"slug": self.workspace.slug}
            ),
        )
        return context


class PlatformCreateView(ServiceFormMixin, FormView):
    permission = Perm.EDIT
    form_class = PlatformForm

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Set up a coordination platform")

    @property
    def submit_label(self) -> str:  # type: ignore[override]
        return _("Save as a draft")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organisations": self.organisations}

    def save(self, form: PlatformForm) -> str:
        platform = services.platform_create(
            actor=self.actor, workspace=self.workspace, **form.service_values()
        )
        messages.success(
            self.request,
            _("The platform was saved as a draft. Submit it for review when it is ready."),
        )
        return reverse(
            "stakeholders:platform_detail", kwargs={"slug": self.workspace.slug, "pk": platform.pk}
        )


class PlatformObjectMixin(CoordinationMixin):
    @cached_property
    def platform(self) -> Platform:
        return self.platform_for(self.kwargs["pk"])

    def platform_url(self) -> str:
        return reverse(
            "stakeholders:platform_detail",
            kwargs={"slug": self.workspace.slug, "pk": self.platform.pk},
        )

    def crumbs(self) -> list[tuple[str, str]]:
        return [(platform_title(self.platform, self.perms), self.platform_url())]


class PlatformDetailView(PlatformObjectMixin, TemplateView):
    """A platform: its mandate and terms of reference, chair, seats, meetings, review."""

    template_name = "stakeholders/platforms/platform_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        platform = self.platform
        content = visible_content(platform, perms=self.perms)
        kind = content.get("kind")
        chair_id = content.get("chair_id")
        context.update(
            platform=platform,
            content=content,
            kind_label=PlatformKind(kind).label if kind in PlatformKind.values else "",
            chair=(organisations_by_id(self.workspace).get(chair_id) if chair_id else None),
            seats=list(
                seat_list(workspace=self.workspace, perms=self.perms).filter(platform=platform)
            ),
            meetings=list(
                meeting_list(workspace=self.workspace, perms=self.perms).filter(platform=platform)
            ),
            review=review_panel_context(request=self.request, item=platform, perms=self.perms),
            can_edit=Perm.EDIT in self.perms,
            can_delete=services.platform_may_delete(platform=platform, perms=self.perms),
            now=timezone.now(),
        )
        return context


class PlatformUpdateView(ReviewableUpdateMixin, PlatformObjectMixin, ServiceFormMixin, FormView):
    permission = Perm.EDIT
    form_class = PlatformForm

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Change %(name)s") % {"name": self.platform.name}

    @property
    def submit_label(self) -> str:  # type: ignore[override]
        return _("Save changes")

    def get_reviewable(self) -> Platform:
        return self.platform

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        content = self.platform.review_content()
        initial.update({k: v for k, v in content.items() if k != "chair_id"})
        initial["chair"] = content.get("chair_id")
        return initial

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organisations": self.organisations}

    def review_changes(self, form: Any) -> dict[str, Any]:
        values = form.service_values()
        chair = values.pop("chair")
        values["chair_id"] = chair.pk if chair else None
        return cast(dict[str, Any], values)

    def get_success_url(self) -> str:
        return self.platform_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["approved_notice"] = self.platform.review_state == "approved"
        return context


class PlatformDeleteView(PlatformObjectMixin, ServiceDeleteView):
    def target(self) -> Platform:
        return self.platform

    def may_delete(self) -> bool:
        return services.platform_may_delete(platform=self.platform, perms=self.perms)

    def describe(self) -> dict[str, Any]:
        name = platform_title(self.platform, self.perms)
        return {
            "heading": _("Delete the platform “%(name)s”?") % {"name": name},
            "warning": _(
                "Its seats, meetings, decisions and follow-ups are deleted with it. "
                "This cannot be undone."
            ),
            "submit_label": _("Delete platform"),
            "cancel_url": self.platform_url(),
            "crumbs": self.crumbs(),
            "done": _("The platform “%(name)s” was deleted.") % {"name": name},
        }

    def delete(self) -> str:
        services.platform_delete(actor=self.actor, platform=self.platform)
        return reverse("stakeholders:platform_list", kwargs={"slug": self.workspace.slug})


# Seats -----------------------------------------------------------------------------------------


class SeatCreateView(PlatformObjectMixin, ServiceFormMixin, FormView):
    permission = Perm.EDIT
    form_class = SeatForm

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Add a seat")

    @property
    def submit_label(self) -> str:  # type: ignore[override]
        return _("Add seat")

    @property
    def success_text(self) -> str:  # type: ignore[override]
        return _("The seat was added.")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.platform  # noqa: B018 - 404 before anything is shown
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organisations": self.organisations}

    def save(self, form: SeatForm) -> str:
        services.seat_create(actor=self.actor, platform=self.platform, **form.cleaned_data)
        return self.platform_url() + "#seats"


class SeatObjectMixin(PlatformObjectMixin):
    @cached_property
    def seat(self) -> Seat:
        return cast(
            Seat,
            self._one(
                seat_list(workspace=self.workspace, perms=self.perms),
                self.kwargs["pk"],
                "seat",
            ),
        )

    @cached_property
    def platform(self) -> Platform:
        return self.platform_for(self.seat.platform_id)


class SeatUpdateView(SeatObjectMixin, ServiceFormMixin, FormView):
    permission = Perm.EDIT
    form_class = SeatForm

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Change the seat of %(organisation)s") % {"organisation": self.seat.organisation}

    @property
    def submit_label(self) -> str:  # type: ignore[override]
        return _("Save changes")

    @property
    def success_text(self) -> str:  # type: ignore[override]
        return _("The seat was changed.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "organisations": self.organisations,
            "instance": self.seat,
        }

    def save(self, form: SeatForm) -> str:
        services.seat_update(actor=self.actor, seat=self.seat, **form.cleaned_data)
        return self.platform_url() + "#seats"


class SeatDeleteView(SeatObjectMixin, ServiceDeleteView):
    def target(self) -> Seat:
        return self.seat

    def describe(self) -> dict[str, Any]:
        organisation = self.seat.organisation
        return {
            "heading": _("Remove the seat of %(organisation)s?") % {"organisation": organisation},
            "warning": _("The organisation keeps its past attendance and follow-ups."),
            "submit_label": _("Remove seat"),
            "cancel_url": self.platform_url(),
            "crumbs": self.crumbs(),
            "done": _("The seat of %(organisation)s was removed.") % {"organisation": organisation},
        }

    def delete(self) -> str:
        services.seat_delete(actor=self.actor, seat=self.seat)
        return self.platform_url() + "#seats"


# Meetings --------------------------------------------------------------------------------------


class MeetingCreateView(PlatformObjectMixin, ServiceFormMixin, FormView):
    permission = Perm.EDIT
    form_class = MeetingForm

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Record a meeting")

    @property
    def submit_label(self) -> str:  # type: ignore[override]
        return _("Save meeting")

    @property
    def success_text(self) -> str:  # type: ignore[override]
        return _("The meeting was saved. Add its decisions and follow-up actions below.")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.platform  # noqa: B018
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organisations": self.organisations}

    def save(self, form: MeetingForm) -> str:
        meeting = services.meeting_create(
            actor=self.actor, platform=self.platform, **form.service_values()
        )
        return reverse(
            "stakeholders:meeting_detail", kwargs={"slug": self.workspace.slug, "pk": meeting.pk}
        )


class MeetingObjectMixin(PlatformObjectMixin):
    meeting_kwarg = "pk"

    @cached_property
    def meeting(self) -> Meeting:
        return self.meeting_for(self.kwargs[self.meeting_kwarg])

    @cached_property
    def platform(self) -> Platform:
        return self.platform_for(self.meeting.platform_id)

    def meeting_url(self) -> str:
        return reverse(
            "stakeholders:meeting_detail",
            kwargs={"slug": self.workspace.slug, "pk": self.meeting.pk},
        )

    def crumbs(self) -> list[tuple[str, str]]:
        return [*super().crumbs(), (self.meeting.title, self.meeting_url())]


class MeetingDetailView(MeetingObjectMixin, TemplateView):
    """A meeting: agenda, attendance, minutes, decisions and follow-up actions."""

    template_name = "stakeholders/platforms/meeting_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting = self.meeting
        follow_ups = with_owner_membership(
            follow_up_list(workspace=self.workspace, perms=self.perms).filter(meeting=meeting),
            user=self.request.user,
            workspace=self.workspace,
        )
        can_edit = Perm.EDIT in self.perms
        may_answer = Perm.ANSWER_REQUESTS in self.perms
        rows = [
            {"follow_up": f, "may_set_status": can_edit or (may_answer and f.owned_by_me)}
            for f in follow_ups.order_by("due_on", "pk")
        ]
        context.update(
            meeting=meeting,
            platform=self.platform,
            platform_name=platform_title(self.platform, self.perms),
            attendees=list(meeting.attendees.order_by("name")),
            decisions=list(
                decision_list(workspace=self.workspace, perms=self.perms).filter(meeting=meeting)
            ),
            follow_up_rows=rows,
            can_edit=can_edit,
        )
        return context


class MeetingUpdateView(MeetingObjectMixin, ServiceFormMixin, FormView):
    permission = Perm.EDIT
    form_class = MeetingForm

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Change %(title)s") % {"title": self.meeting.title}

    @property
    def submit_label(self) -> str:  # type: ignore[override]
        return _("Save changes")

    @property
    def success_text(self) -> str:  # type: ignore[override]
        return _("The meeting was changed.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "organisations": self.organisations,
            "instance": self.meeting,
        }

    def save(self, form: MeetingForm) -> str:
        values = form.service_values()
        attendees = values.pop("attendees")
        services.meeting_update(
            actor=self.actor, meeting=self.meeting, attendees=attendees, **values
        )
        return self.meeting_url()


class MeetingDeleteView(MeetingObjectMixin, ServiceDeleteView):
    def target(self) -> Meeting:
        return self.meeting

    def describe(self) -> dict[str, Any]:
        title = self.meeting.title
        return {
            "heading": _("Delete the meeting “%(title)s”?") % {"title": title},
            "warning": _(
                "Its minutes, decisions and follow-up actions are deleted with it. "
                "This cannot be undone."
            ),
            "submit_label": _("Delete meeting"),
            "cancel_url": self.meeting_url(),
            "crumbs": self.crumbs(),
            "done": _("The meeting “%(title)s” was deleted.") % {"title": title},
        }

    def delete(self) -> str:
        target = self.platform_url()
        services.meeting_delete(actor=self.actor, meeting=self.meeting)
        return target + "#meetings"


class MeetingCalendarView(CoordinationMixin, View):
    """The upcoming meetings of the workspace's platforms as an iCalendar file."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from icalendar import Calendar, Event

        zone = workspace_zone(self.workspace)
        calendar = Calendar()
        calendar.add("prodid", "-//Migration mainstreaming portal//Coordination//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", _("Meetings of %(name)s") % {"name": self.workspace.name})
        host = request.get_host().split(":")[0] or "localhost"
        now = timezone.now()
        for meeting in upcoming_meeting_list(workspace=self.workspace, perms=self.perms, now=now):
            event = Event()
            event.add("uid", f"meeting-{meeting.pk}@{host}")
            event.add("dtstamp", meeting.updated_at or now)
            event.add("dtstart", meeting.starts_at.astimezone(zone))
            if meeting.ends_at:
                event.add("dtend", meeting.ends_at.astimezone(zone))
            event.add("summary", f"{meeting.title} ({meeting.platform.name})")
            if meeting.location:
                event.add("location", meeting.location)
            if meeting.agenda:
                event.add("description", strip_tags(render_markdown(meeting.agenda)).strip())
            event.add(
                "url",
                request.build_absolute_uri(
                    reverse(
                        "stakeholders:meeting_detail",
                        kwargs={"slug": self.workspace.slug, "pk": meeting.pk},
                    )
                ),
            )
            calendar.add_component(event)
        calendar.add_missing_timezones()
        response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.workspace.slug}.ics"'
        return response


# Decisions -------------------------------------------------------------------------------------


class DecisionCreateView(MeetingObjectMixin, ServiceFormMixin, FormView):
    permission = Perm.EDIT
    form_class = DecisionForm

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Record a decision")

    @property
    def submit_label(self) -> str:  # type: ignore[override]
        return _("Add decision")

    @property
    def success_text(self) -> str:  # type: ignore[override]
        return _("The decision was added.")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.meeting  # noqa: B018
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "creating": True}

    def save(self, form: DecisionForm) -> str:
        services.decision_create(
            actor=self.actor, meeting=self.meeting, text=form.cleaned_data["text"]
        )
        return self.meeting_url() + "#decisions"


class DecisionObjectMixin(MeetingObjectMixin):
    @cached_property
    def decision(self) -> Decision:
        return cast(
            Decision,
            self._one(
                decision_list(workspace=self.workspace, perms=self.perms),
                self.kwargs["pk"],
                "decision",
            ),
        )

    @cached_property
    def meeting(self) -> Meeting:
        return self.meeting_for(self.decision.meeting_id)


class DecisionUpdateView(DecisionObjectMixin, ServiceFormMixin, FormView):
    permission = Perm.EDIT
    form_class = DecisionForm

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Change a decision")

    @property
    def submit_label(self) -> str:  # type: ignore[override]
        return _("Save changes")

    @property
    def success_text(self) -> str:  # type: ignore[override]
        return _("The decision was changed.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.decision}

    def save(self, form: DecisionForm) -> str:
        services.decision_update(actor=self.actor, decision=self.decision, **form.cleaned_data)
        return self.meeting_url() + "#decisions"


class DecisionDeleteView(DecisionObjectMixin, ServiceDeleteView):
    def target(self) -> Decision:
        return self.decision

    def describe(self) -> dict[str, Any]:
        return {
            "heading": _("Remove this decision?"),
            "quote": self.decision.text,
            "warning": _("Follow-up actions linked to it are kept, without the link."),
            "submit_label": _("Remove decision"),
            "cancel_url": self.meeting_url(),
            "crumbs": self.crumbs(),
            "done": _("The decision was removed."),
        }

    def delete(self) -> str:
        services.decision_delete(actor=self.actor, decision=self.decision)
        return self.meeting_url() + "#decisions"


# Follow-ups ------------------------------------------------------------------------------------


class FollowUpListView(CoordinationMixin, TemplateView):
    """The open follow-ups of the workspace, overdue first; by organisation with `?owner=`."""

    template_name = "stakeholders/platforms/follow_up_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        organisations = list(self.organisations)
        owner_id = params.get("owner", "")
        owner: Organisation | None = None
        if owner_id.isdigit():
            owner = next((o for o in organisations if o.pk == int(owner_id)), None)
            if owner is None:
                raise Http404("No such organisation")
        status = params.get("status", "")
        if status not in [s.value for s in OPEN_FOLLOW_UP_STATUSES]:
            status = ""
        overdue = params.get("overdue") == "1"
        follow_ups = with_owner_membership(
            open_follow_up_list(
                workspace=self.workspace,
                perms=self.perms,
                owner=owner,
                status=status,
                overdue=overdue,
            ),
            user=self.request.user,
            workspace=self.workspace,
        )
        page = Paginator(follow_ups, PER_PAGE).get_page(params.get("page"))
        can_edit = Perm.EDIT in self.perms
        may_answer = Perm.ANSWER_REQUESTS in self.perms
        query = params.copy()
        query.pop("page", None)
        context.update(
            rows=[
                {"follow_up": f, "may_set_status": can_edit or (may_answer and f.owned_by_me)}
                for f in page.object_list
            ],
            page_obj=page,
            page_range=page_range(page),
            query_string=query.urlencode(),
            organisations=organisations,
            owner=owner,
            statuses=[(s.value, s.label) for s in OPEN_FOLLOW_UP_STATUSES],
            selected_status=status,
            overdue=overdue,
            filtered=bool(owner or status or overdue),
            my_organisation_id=member_organisation_id(
                user=self.request.user, workspace=self.workspace
            ),
        )
        return context


class FollowUpCreateView(MeetingObjectMixin, ServiceFormMixin, FormView):
    permission = Perm.EDIT
    form_class = FollowUpForm

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Add a follow-up action")

    @property
    def submit_label(self) -> str:  # type: ignore[override]
        return _("Add follow-up action")

    @property
    def success_text(self) -> str:  # type: ignore[override]
        return _("The follow-up action was added.")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.meeting  # noqa: B018
        return super().get(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"status": FollowUpStatus.OPEN}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "organisations": self.organisations,
            "decisions": Decision.objects.filter(meeting=self.meeting),
        }

    def save(self, form: FollowUpForm) -> str:
        services.follow_up_create(actor=self.actor, meeting=self.meeting, **form.service_values())
        return self.meeting_url() + "#follow-ups"


class FollowUpObjectMixin(MeetingObjectMixin):
    @cached_property
    def follow_up(self) -> FollowUp:
        return cast(
            FollowUp,
            self._one(
                follow_up_list(workspace=self.workspace, perms=self.perms),
                self.kwargs["pk"],
                "follow-up",
            ),
        )

    @cached_property
    def meeting(self) -> Meeting:
        return self.meeting_for(self.follow_up.meeting_id)


class FollowUpUpdateView(FollowUpObjectMixin, ServiceFormMixin, FormView):
    permission = Perm.EDIT
    form_class = FollowUpForm

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Change a follow-up action")

    @property
    def submit_label(self) -> str:  # type: ignore[override]
        return _("Save changes")

    @property
    def success_text(self) -> str:  # type: ignore[override]
        return _("The follow-up action was changed.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "organisations": self.organisations,
            "decisions": Decision.objects.filter(meeting_id=self.follow_up.meeting_id),
            "instance": self.follow_up,
        }

    def save(self, form: FollowUpForm) -> str:
        services.follow_up_update(
            actor=self.actor, follow_up=self.follow_up, **form.service_values()
        )
        return self.meeting_url() + "#follow-ups"


class FollowUpStatusView(FollowUpObjectMixin, ServiceFormMixin, FormView):
    """Mark a follow-up in progress or done, or reopen it: editors, and the members of the
    organisation that owns it."""

    form_class = FollowUpStatusForm

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Update the status of “%(title)s”") % {"title": self.follow_up.title}

    @property
    def submit_label(self) -> str:  # type: ignore[override]
        return _("Save status")

    def check(self) -> None:
        allowed = services.follow_up_may_set_status(
            follow_up=self.follow_up,
            perms=self.perms,
            member_organisation_id=member_organisation_id(
                user=self.request.user, workspace=self.workspace
            ),
        )
        if not allowed:
            raise PermissionDenied

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check()
        return super().post(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"status": self.follow_up.status, "note": self.follow_up.note}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["follow_up"] = self.follow_up
        return context

    def cancel_url(self) -> str:
        return self.meeting_url() + "#follow-ups"

    def save(self, form: FollowUpStatusForm) -> str:
        follow_up = services.follow_up_set_status(
            actor=self.actor,
            follow_up=self.follow_up,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            self.request,
            _("“%(title)s” is now %(status)s.")
            % {"title": follow_up.title, "status": follow_up.get_status_display().lower()},
        )
        return self.meeting_url() + "#follow-ups"


class FollowUpDeleteView(FollowUpObjectMixin, ServiceDeleteView):
    def target(self) -> FollowUp:
        return self.follow_up

    def describe(self) -> dict[str, Any]:
        title = self.follow_up.title
        return {
            "heading": _("Delete the follow-up action “%(title)s”?") % {"title": title},
            "warning": _("This cannot be undone."),
            "submit_label": _("Delete follow-up action"),
            "cancel_url": self.meeting_url(),
            "crumbs": self.crumbs(),
            "done": _("The follow-up action “%(title)s” was deleted.") % {"title": title},
        }

    def delete(self) -> str:
        services.follow_up_delete(actor=self.actor, follow_up=self.follow_up)
        return self.meeting_url() + "#follow-ups"


W = "w/<slug:slug>/"

urlpatterns = [
    path(f"{W}platforms/", PlatformListView.as_view(), name="platform_list"),
    path(f"{W}platforms/new/", PlatformCreateView.as_view(), name="platform_create"),
    path(f"{W}platforms/<int:pk>/", PlatformDetailView.as_view(), name="platform_detail"),
    path(f"{W}platforms/<int:pk>/edit/", PlatformUpdateView.as_view(), name="platform_update"),
    path(f"{W}platforms/<int:pk>/delete/", PlatformDeleteView.as_view(), name="platform_delete"),
    path(f"{W}platforms/<int:pk>/seats/new/", SeatCreateView.as_view(), name="seat_create"),
    path(f"{W}seats/<int:pk>/edit/", SeatUpdateView.as_view(), name="seat_update"),
    path(f"{W}seats/<int:pk>/delete/", SeatDeleteView.as_view(), name="seat_delete"),
    path(
        f"{W}platforms/<int:pk>/meetings/new/", MeetingCreateView.as_view(), name="meeting_create"
    ),
    path(f"{W}meetings.ics", MeetingCalendarView.as_view(), name="meeting_calendar"),
    path(f"{W}meetings/<int:pk>/", MeetingDetailView.as_view(), name="meeting_detail"),
    path(f"{W}meetings/<int:pk>/edit/", MeetingUpdateView.as_view(), name="meeting_update"),
    path(f"{W}meetings/<int:pk>/delete/", MeetingDeleteView.as_view(), name="meeting_delete"),
    path(
        f"{W}meetings/<int:pk>/decisions/new/",
        DecisionCreateView.as_view(),
        name="decision_create",
    ),
    path(f"{W}decisions/<int:pk>/edit/", DecisionUpdateView.as_view(), name="decision_update"),
    path(f"{W}decisions/<int:pk>/delete/", DecisionDeleteView.as_view(), name="decision_delete"),
    path(
        f"{W}meetings/<int:pk>/follow-ups/new/",
        FollowUpCreateView.as_view(),
        name="follow_up_create",
    ),
    path(f"{W}follow-ups/", FollowUpListView.as_view(), name="follow_up_list"),
    path(f"{W}follow-ups/<int:pk>/edit/", FollowUpUpdateView.as_view(), name="follow_up_update"),
    path(f"{W}follow-ups/<int:pk>/status/", FollowUpStatusView.as_view(), name="follow_up_status"),
    path(f"{W}follow-ups/<int:pk>/delete/", FollowUpDeleteView.as_view(), name="follow_up_delete"),
]
