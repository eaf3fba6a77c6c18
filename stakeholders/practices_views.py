"""Pages of the good-practice exchange; routes at the bottom.

In a workspace (`/w/<slug>/practices/…`) members write, propose and publish practices; the
library (`/practices/…`) shows every published practice to every signed-in user. The rules of
who reads and does what are in `practices_selectors` (module docstring).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, register_converter, reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView

from core.forms import add_service_errors
from core.htmx import HtmxTemplateMixin
from core.paging import page_range

from . import practices_services as services
from .access import WorkspaceMixin, workspace_and_perms
from .choices import PracticeStatus
from .coordination_models import Practice
from .models import User
from .permissions import Perm
from .practices_forms import PracticeForm, PracticeLibraryFilterForm, PracticeTransitionForm
from .practices_selectors import (
    PRACTICE_ACTIONS,
    practice_actions,
    practice_library,
    practice_library_countries,
    practice_list,
    practice_return_reason,
)
from .selectors import organisation_list

PER_PAGE = 25


class PracticeActionConverter:
    regex = "|".join(PRACTICE_ACTIONS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# Registered once here; used by these routes and by stakeholders/api/practices.py.
register_converter(PracticeActionConverter, "practiceaction")

ACTION_TEXT = {
    "propose": {
        "title": gettext_lazy("Propose “%(title)s” for publication?"),
        "body": gettext_lazy(
            "The coordinator will read it and publish it in the library, or return it to you "
            "with a reason. You can still change it while it is proposed."
        ),
        "button": gettext_lazy("Propose for publication"),
        "done": gettext_lazy("The practice was proposed for publication."),
    },
    "publish": {
        "title": gettext_lazy("Publish “%(title)s”?"),
        "body": gettext_lazy(
            "Every signed-in user of the portal, in any country, will be able to read it in the "
            "good-practice library."
        ),
        "button": gettext_lazy("Publish in the library"),
        "done": gettext_lazy("The practice is published in the library."),
    },
    "return": {
        "title": gettext_lazy("Return “%(title)s” to draft?"),
        "body": gettext_lazy("Its author can change it and propose it again."),
        "button": gettext_lazy("Return to draft"),
        "done": gettext_lazy("The practice was returned to draft."),
    },
    "withdraw": {
        "title": gettext_lazy("Withdraw “%(title)s” from the library?"),
        "body": gettext_lazy(
            "It leaves the library at once; members who see drafts keep it in this workspace."
        ),
        "button": gettext_lazy("Withdraw from the library"),
        "done": gettext_lazy("The practice was withdrawn from the library."),
    },
}


def _detail_url(practice: Practice) -> str:
    return reverse(
        "stakeholders:practice_detail",
        kwargs={"slug": practice.workspace.slug, "pk": practice.pk},
    )


def _list_url(slug: str) -> str:
    return reverse("stakeholders:practice_list", kwargs={"slug": slug})


# In a workspace --------------------------------------------------------------------------------


class PracticeListView(WorkspaceMixin, ListView):
    """The workspace's practices the reader may see, with their status."""

    template_name = "stakeholders/practices/practice_list.html"
    context_object_name = "practices"
    paginate_by = PER_PAGE

    def get_queryset(self) -> Any:
        queryset = practice_list(user=self.request.user, workspace=self.workspace, perms=self.perms)
        status = self.request.GET.get("status", "")
        if status in PracticeStatus.values:
            queryset = queryset.filter(status=status)
        return queryset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["statuses"] = PracticeStatus.choices
        context["selected_status"] = self.request.GET.get("status", "")
        context["can_create"] = Perm.COMMENT in self.perms
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        context["page_range"] = page_range(context["page_obj"])
        return context


class PracticeCreateView(WorkspaceMixin, FormView):
    permission = Perm.COMMENT
    form_class = PracticeForm
    template_name = "stakeholders/practices/practice_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["organisations"] = organisation_list(
            user=self.request.user, workspace=self.workspace
        )
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        membership = self.workspace.memberships.filter(user=self._actor()).first()
        return {"contact_organisation": membership.organisation_id if membership else None}

    def form_valid(self, form: PracticeForm) -> HttpResponse:
        try:
            practice = services.practice_create(
                actor=self._actor(), workspace=self.workspace, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The practice was saved as a draft. Propose it for publication when it is ready."),
        )
        return HttpResponseRedirect(_detail_url(practice))

    def _actor(self) -> User:
        assert isinstance(self.request.user, User)
        return self.request.user


class PracticeObjectMixin(WorkspaceMixin):
    """`self.practice`: a practice of this workspace the user may read (404 otherwise)."""

    #: The action (of `practice_actions`) this page needs; 403 without it.
    needs_action: str = ""

    @cached_property
    def practice(self) -> Practice:
        practice = (
            practice_list(user=self.request.user, workspace=self.workspace, perms=self.perms)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if practice is None:
            raise Http404("No such practice")
        return practice

    @cached_property
    def actions(self) -> frozenset[str]:
        return practice_actions(user=self.request.user, perms=self.perms, practice=self.practice)

    @property
    def actor(self) -> User:
        assert isinstance(self.request.user, User)
        return self.request.user

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        """The workspace (404), the practice (404), then the action this page needs (403)."""
        self.workspace, self.perms = workspace_and_perms(request, kwargs["slug"])
        if self.required_permission() not in self.perms:
            raise PermissionDenied
        self.practice  # noqa: B018 - 404 for a practice the user may not read
        action = self.required_action()
        if action and action not in self.actions:
            raise PermissionDenied
        # WorkspaceMixin's own checks are done just above.
        return super(WorkspaceMixin, self).dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def required_action(self) -> str:
        return self.needs_action

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["practice"] = self.practice
        context["actions"] = self.actions
        context["detail_url"] = _detail_url(self.practice)
        return context


class PracticeDetailView(PracticeObjectMixin, TemplateView):
    template_name = "stakeholders/practices/practice_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["return_reason"] = practice_return_reason(practice=self.practice)
        context["library_url"] = (
            reverse("stakeholders:practice_library_detail", kwargs={"pk": self.practice.pk})
            if self.practice.status == PracticeStatus.PUBLISHED
            else None
        )
        return context


class PracticeUpdateView(PracticeObjectMixin, FormView):
    needs_action = "edit"
    form_class = PracticeForm
    template_name = "stakeholders/practices/practice_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.practice
        kwargs["organisations"] = organisation_list(
            user=self.request.user, workspace=self.workspace
        )
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["editing"] = True
        return context

    def form_valid(self, form: PracticeForm) -> HttpResponse:
        try:
            services.practice_update(
                actor=self.actor, practice=self.practice, **form.changed_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The practice was saved."))
        return HttpResponseRedirect(_detail_url(self.practice))


class PracticeTransitionView(PracticeObjectMixin, FormView):
    """Confirmation page (with a reason where one is asked) for propose, publish, return,
    withdraw."""

    form_class = PracticeTransitionForm
    template_name = "stakeholders/practices/practice_transition.html"

    def required_action(self) -> str:
        return str(self.kwargs["action"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["action"] = self.kwargs["action"]
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        action = self.kwargs["action"]
        text = ACTION_TEXT[action]
        context["action"] = action
        context["heading"] = str(text["title"]) % {"title": self.practice.title}
        context["body"] = text["body"]
        context["button"] = text["button"]
        context["asks_reason"] = action in ("return", "withdraw")
        return context

    def form_valid(self, form: PracticeTransitionForm) -> HttpResponse:
        action = self.kwargs["action"]
        try:
            services.practice_transition(
                actor=self.actor,
                practice=self.practice,
                action=action,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, str(ACTION_TEXT[action]["done"]))
        return HttpResponseRedirect(_detail_url(self.practice))


class PracticeDeleteView(PracticeObjectMixin, TemplateView):
    needs_action = "delete"
    template_name = "stakeholders/practices/practice_confirm_delete.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        title = self.practice.title
        try:
            services.practice_delete(actor=self.actor, practice=self.practice)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        messages.success(request, _("The draft “%(title)s” was deleted.") % {"title": title})
        return HttpResponseRedirect(_list_url(self.workspace.slug))


# The library -----------------------------------------------------------------------------------


class PracticeLibraryView(HtmxTemplateMixin, ListView):
    """Published practices of every workspace, with search and filters (htmx: the results)."""

    template_name = "stakeholders/practices/library.html"
    htmx_partial = "results"
    context_object_name = "practices"
    paginate_by = PER_PAGE

    def get_template_names(self) -> list[str]:
        htmx = getattr(self.request, "htmx", None)
        if htmx and htmx.history_restore_request:
            return [self.template_name]
        return super().get_template_names()

    def get_queryset(self) -> Any:
        self.filter_form = PracticeLibraryFilterForm(
            self.request.GET or None, countries=practice_library_countries()
        )
        filters = (
            self.filter_form.filters()
            if self.filter_form.is_bound
            else {"q": "", "area": "", "country": "", "level": ""}
        )
        self.active_filters = filters
        return practice_library(user=self.request.user, **filters)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["filtered"] = any(self.active_filters.values())
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        context["page_range"] = page_range(context["page_obj"])
        return context

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
        return response


class PracticeLibraryDetailView(TemplateView):
    """A published practice; a link to its workspace only for those who may open it."""

    template_name = "stakeholders/practices/library_detail.html"

    @cached_property
    def practice(self) -> Practice:
        practice = practice_library(user=self.request.user).filter(pk=self.kwargs["pk"]).first()
        if practice is None:
            raise Http404("No such practice")
        return practice

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["practice"] = self.practice
        if self.practice.links_to_workspace:  # type: ignore[attr-defined]
            context["workspace_practice_url"] = _detail_url(self.practice)
        return context


urlpatterns: list[URLPattern] = [
    path("w/<slug:slug>/practices/", PracticeListView.as_view(), name="practice_list"),
    path("w/<slug:slug>/practices/new/", PracticeCreateView.as_view(), name="practice_create"),
    path(
        "w/<slug:slug>/practices/<int:pk>/",
        PracticeDetailView.as_view(),
        name="practice_detail",
    ),
    path(
        "w/<slug:slug>/practices/<int:pk>/edit/",
        PracticeUpdateView.as_view(),
        name="practice_update",
    ),
    path(
        "w/<slug:slug>/practices/<int:pk>/delete/",
        PracticeDeleteView.as_view(),
        name="practice_delete",
    ),
    path(
        "w/<slug:slug>/practices/<int:pk>/<practiceaction:action>/",
        PracticeTransitionView.as_view(),
        name="practice_transition",
    ),
    path("practices/", PracticeLibraryView.as_view(), name="practice_library"),
    path(
        "practices/<int:pk>/",
        PracticeLibraryDetailView.as_view(),
        name="practice_library_detail",
    ),
]
