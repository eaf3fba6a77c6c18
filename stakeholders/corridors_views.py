"""Corridor pages of the stakeholders app: the list, the proposal, the answers and the end of a
corridor, and joint actions. Routes at the bottom.

The corridor page itself, which shows both sides' shared priorities, actions and indicator
series, is `mainstreaming:corridor_detail` (mainstreaming/views/corridors.py): those items
belong to later apps, which stakeholders never imports (DESIGN §2). Every corridor is read from
one of its sides, under that side's address (/w/<slug>/corridors/…); from anywhere else it is
not found.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, register_converter, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from core.forms import add_service_errors

from . import corridors_services as services
from .access import WorkspaceMixin
from .corridors_forms import CorridorForm, JointActionForm
from .corridors_selectors import (
    corridor_get,
    corridor_groups,
    corridor_partner_search,
    joint_action_get,
)
from .models import Corridor, JointAction, User
from .permissions import CORRIDOR_MANAGE


def corridor_url(corridor: Corridor, slug: str) -> str:
    return reverse("mainstreaming:corridor_detail", kwargs={"slug": slug, "pk": corridor.pk})


class CorridorListView(WorkspaceMixin, TemplateView):
    """The workspace's corridors: active, proposed to it, proposed by it, declined or ended."""

    template_name = "stakeholders/corridors/corridor_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["groups"] = corridor_groups(user=self.request.user, workspace=self.workspace)
        context["may_manage"] = CORRIDOR_MANAGE in self.perms
        return context


class CorridorCreateView(WorkspaceMixin, FormView):
    """Propose a corridor: find the partner by exact short name or country code, then propose."""

    permission = CORRIDOR_MANAGE
    form_class = CorridorForm
    template_name = "stakeholders/corridors/corridor_form.html"

    @cached_property
    def query(self) -> str:
        return self.request.GET.get("q", "").strip()[:60]

    @cached_property
    def candidates(self) -> Any:
        return corridor_partner_search(query=self.query, exclude=self.workspace)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["candidates"] = self.candidates
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["query"] = self.query
        context["found"] = list(self.candidates) if self.query else []
        return context

    def form_valid(self, form: CorridorForm) -> HttpResponse:
        try:
            corridor = services.corridor_propose(
                actor=cast(User, self.request.user), workspace=self.workspace, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The corridor was proposed to %(partner)s. Its coordinators can now accept it.")
            % {"partner": corridor.partner.name},
        )
        return HttpResponseRedirect(corridor_url(corridor, self.workspace.slug))


class CorridorObjectMixin(WorkspaceMixin):
    """`self.corridor`: a corridor with this workspace as a side (404 otherwise)."""

    @cached_property
    def corridor(self) -> Corridor:
        corridor = corridor_get(
            user=self.request.user, workspace=self.workspace, pk=self.kwargs["pk"]
        )
        if corridor is None:
            raise Http404("No such corridor")
        return corridor

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["corridor"] = self.corridor
        context["other_side"] = self.corridor.other_side(self.workspace)
        context["corridor_url"] = corridor_url(self.corridor, self.workspace.slug)
        return context


class CorridorTransitionView(CorridorObjectMixin, TemplateView):
    """Confirm, then accept, decline or end a corridor."""

    permission = CORRIDOR_MANAGE
    template_name = "stakeholders/corridors/corridor_confirm.html"

    def check(self) -> str:
        action = self.kwargs["action"]
        if action not in services.CORRIDOR_ACTIONS:
            raise Http404("No such action")
        self.corridor  # noqa: B018 - 404 before anything else
        if action in ("accept", "decline") and self.corridor.partner_id != self.workspace.pk:
            raise PermissionDenied
        return str(action)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.check()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["action"] = self.kwargs["action"]
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = self.check()
        try:
            services.corridor_transition(
                actor=cast(User, request.user),
                corridor=self.corridor,
                workspace=self.workspace,
                action=action,
            )
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        done = {
            "accept": _("The corridor is active. Each side can now share approved items."),
            "decline": _("The proposal was declined."),
            "end": _("The corridor has ended. Nothing more is shared along it."),
        }
        messages.success(request, done[action])
        return HttpResponseRedirect(corridor_url(self.corridor, self.workspace.slug))


class JointActionCreateView(CorridorObjectMixin, FormView):
    permission = CORRIDOR_MANAGE
    form_class = JointActionForm
    template_name = "stakeholders/corridors/joint_action_form.html"

    def form_valid(self, form: JointActionForm) -> HttpResponse:
        try:
            services.joint_action_propose(
                actor=cast(User, self.request.user),
                corridor=self.corridor,
                workspace=self.workspace,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The joint action was proposed. The other side can now agree to it.")
        )
        return HttpResponseRedirect(corridor_url(self.corridor, self.workspace.slug))


class JointActionTransitionView(CorridorObjectMixin, TemplateView):
    """Confirm, then agree to or withdraw a joint action."""

    permission = CORRIDOR_MANAGE
    template_name = "stakeholders/corridors/joint_action_confirm.html"

    @cached_property
    def joint_action(self) -> JointAction:
        if self.kwargs["action"] not in services.JOINT_ACTION_ACTIONS:
            raise Http404("No such action")
        found = joint_action_get(corridor=self.corridor, pk=self.kwargs["joint_pk"])
        if found is None:
            raise Http404("No such joint action")
        return found

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.joint_action  # noqa: B018 - 404 before anything else
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["joint_action"] = self.joint_action
        context["action"] = self.kwargs["action"]
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.joint_action_transition(
                actor=cast(User, request.user),
                joint_action=self.joint_action,
                workspace=self.workspace,
                action=self.kwargs["action"],
            )
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        if self.kwargs["action"] == "agree":
            messages.success(request, _("The joint action is agreed by both sides."))
        else:
            messages.success(request, _("The joint action was withdrawn."))
        return HttpResponseRedirect(corridor_url(self.corridor, self.workspace.slug))


class CorridorActionConverter:
    """`accept`, `decline` or `end`: nothing else, so sibling routes of other apps stay free."""

    regex = "|".join(services.CORRIDOR_ACTIONS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class JointActionActionConverter(CorridorActionConverter):
    regex = "|".join(services.JOINT_ACTION_ACTIONS)


# Registered once, here; stakeholders.api.corridors imports this module for them.
register_converter(CorridorActionConverter, "corridoraction")
register_converter(JointActionActionConverter, "jointaction")

CORRIDOR = "w/<slug:slug>/corridors/<int:pk>"

urlpatterns: list[URLPattern] = [
    path("w/<slug:slug>/corridors/", CorridorListView.as_view(), name="corridor_list"),
    path("w/<slug:slug>/corridors/new/", CorridorCreateView.as_view(), name="corridor_create"),
    path(
        f"{CORRIDOR}/joint-actions/new/",
        JointActionCreateView.as_view(),
        name="joint_action_create",
    ),
    path(
        f"{CORRIDOR}/joint-actions/<int:joint_pk>/<jointaction:action>/",
        JointActionTransitionView.as_view(),
        name="joint_action_transition",
    ),
    path(
        f"{CORRIDOR}/<corridoraction:action>/",
        CorridorTransitionView.as_view(),
        name="corridor_transition",
    ),
]
