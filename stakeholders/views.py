"""Pages of a workspace's people and organisations, and the public invitation page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView

from core.forms import add_service_errors
from core.htmx import HtmxTemplateMixin
from core.paging import page_range

from . import selectors, services
from .access import WorkspaceMixin
from .choices import Role
from .filters import MembershipFilterSet, OrganisationFilterSet
from .forms import (
    InvitationAcceptForm,
    InvitationForm,
    MembershipForm,
    OrganisationForm,
    WorkspaceSettingsForm,
)
from .models import Invitation, Membership, Organisation
from .permissions import Perm
from .services import InvitationInvalid


def _members_url(workspace: Any) -> str:
    return reverse("stakeholders:membership_list", kwargs={"slug": workspace.slug})


# Workspace settings -----------------------------------------------------------------------------


class WorkspaceUpdateView(WorkspaceMixin, FormView):
    permission = Perm.MANAGE_WORKSPACE
    form_class = WorkspaceSettingsForm
    template_name = "stakeholders/workspace_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.workspace
        kwargs["organisations"] = selectors.organisation_list(
            user=self.request.user, workspace=self.workspace
        )
        return kwargs

    def form_valid(self, form: WorkspaceSettingsForm) -> HttpResponse:
        try:
            services.workspace_update(
                actor=self.request.user, workspace=self.workspace, **form.changed_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The workspace settings were saved."))
        return HttpResponseRedirect(self.workspace.get_absolute_url())


# Members and invitations -----------------------------------------------------------------------


class MembershipListView(WorkspaceMixin, ListView):
    template_name = "stakeholders/membership_list.html"
    context_object_name = "memberships"

    def get_queryset(self) -> QuerySet[Membership]:
        self.filterset = MembershipFilterSet(
            self.request.GET or None,
            queryset=selectors.membership_list(user=self.request.user, workspace=self.workspace),
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["roles"] = Role.choices
        context["selected_role"] = self.request.GET.get("role", "")
        if Perm.MANAGE_MEMBERS in self.perms:
            context["invitations"] = selectors.invitation_list(
                user=self.request.user, workspace=self.workspace, pending_only=True
            )
        return context


class InvitationCreateView(WorkspaceMixin, FormView):
    permission = Perm.MANAGE_MEMBERS
    form_class = InvitationForm
    template_name = "stakeholders/invitation_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["organisations"] = selectors.organisation_list(
            user=self.request.user, workspace=self.workspace
        )
        return kwargs

    def form_valid(self, form: InvitationForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            invitation, _token = services.invitation_create(
                actor=self.request.user,
                workspace=self.workspace,
                email=data["email"],
                role=data["role"],
                organisation=data["organisation"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
        )
        return HttpResponseRedirect(_members_url(self.workspace))


class MembershipObjectMixin(WorkspaceMixin):
    """Fetches `self.membership` through the restricted selector (404 if not in the workspace)."""

    permission = Perm.MANAGE_MEMBERS

    @cached_property
    def membership(self) -> Membership:
        membership = (
            selectors.membership_list(
                user=self.request.user, workspace=self.workspace, perm=Perm.MANAGE_MEMBERS
            )
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if membership is None:
            raise Http404("No such membership")
        return membership

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["membership"] = self.membership
        return context


class MembershipUpdateView(MembershipObjectMixin, FormView):
    form_class = MembershipForm
    template_name = "stakeholders/membership_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.membership
        kwargs["organisations"] = selectors.organisation_list(
            user=self.request.user, workspace=self.workspace
        )
        return kwargs

    def form_valid(self, form: MembershipForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.membership_update(
                actor=self.request.user,
                membership=self.membership,
                role=data["role"],
                organisation=data["organisation"],
                focal_point=data["focal_point"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(person)s's membership was updated.") % {"person": self.membership.user},
        )
        return HttpResponseRedirect(_members_url(self.workspace))


class MembershipDeleteView(MembershipObjectMixin, TemplateView):
    template_name = "stakeholders/membership_confirm_delete.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person = self.membership.user
        try:
            services.membership_remove(actor=request.user, membership=self.membership)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        messages.success(
            request, _("%(person)s was removed from the workspace.") % {"person": person}
        )
        if person.pk == request.user.pk and not selectors.workspace_is_readable(
            user=request.user, workspace_id=self.workspace.pk
        ):
            return HttpResponseRedirect(reverse("mainstreaming:workspace_list"))
        return HttpResponseRedirect(_members_url(self.workspace))


class InvitationRevokeView(WorkspaceMixin, TemplateView):
    permission = Perm.MANAGE_MEMBERS
    template_name = "stakeholders/invitation_confirm_revoke.html"

    @cached_property
    def invitation(self) -> Invitation:
        invitation = (
            selectors.invitation_list(user=self.request.user, workspace=self.workspace)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if invitation is None:
            raise Http404("No such invitation")
        return invitation

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["invitation"] = self.invitation
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.invitation_revoke(actor=request.user, invitation=self.invitation)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        messages.success(
            request,
            _("The invitation to %(email)s was revoked.") % {"email": self.invitation.email},
        )
        return HttpResponseRedirect(_members_url(self.workspace))


# Organisations ---------------------------------------------------------------------------------


class OrganisationListView(WorkspaceMixin, HtmxTemplateMixin, ListView):
    """The registry with live search: htmx requests get only the `results` fragment."""

    template_name = "stakeholders/organisation_list.html"
    htmx_partial = "results"
    context_object_name = "organisations"
    paginate_by = 25

    def get_template_names(self) -> list[str]:
        htmx = getattr(self.request, "htmx", None)
        if htmx and htmx.history_restore_request:
            # A history restore needs the whole page, not the fragment.
            return [self.template_name]
        return super().get_template_names()

    def get_queryset(self) -> QuerySet[Organisation]:
        self.filterset = OrganisationFilterSet(
            self.request.GET or None,
            queryset=selectors.organisation_list(user=self.request.user, workspace=self.workspace),
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        context["page_range"] = page_range(context["page_obj"])
        return context

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        # Same URL, two bodies: caches must key on the htmx headers.
        patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
        return response


class OrganisationObjectMixin(WorkspaceMixin):
    @cached_property
    def organisation(self) -> Organisation:
        organisation = (
            selectors.organisation_list(user=self.request.user, workspace=self.workspace)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if organisation is None:
            raise Http404("No such organisation")
        return organisation


class OrganisationDetailView(OrganisationObjectMixin, DetailView):
    template_name = "stakeholders/organisation_detail.html"
    context_object_name = "organisation"

    def get_object(self, queryset: Any = None) -> Organisation:
        return self.organisation

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["memberships"] = selectors.membership_list(
            user=self.request.user, workspace=self.workspace
        ).filter(organisation=self.object)
        context["units"] = selectors.organisation_list(
            user=self.request.user, workspace=self.workspace
        ).filter(parent=self.object)
        return context


class OrganisationFormMixin(WorkspaceMixin):
    permission = Perm.MANAGE_ORGANISATIONS
    form_class = OrganisationForm
    template_name = "stakeholders/organisation_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["organisations"] = selectors.organisation_list(
            user=self.request.user, workspace=self.workspace
        )
        return kwargs


class OrganisationCreateView(OrganisationFormMixin, FormView):
    def form_valid(self, form: OrganisationForm) -> HttpResponse:
        try:
            organisation = services.organisation_create(
                actor=self.request.user, workspace=self.workspace, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(name)s was added to the registry.") % {"name": organisation}
        )
        return HttpResponseRedirect(organisation.get_absolute_url())


class OrganisationUpdateView(OrganisationFormMixin, OrganisationObjectMixin, FormView):
    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.organisation
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["organisation"] = self.organisation
        return context

    def form_valid(self, form: OrganisationForm) -> HttpResponse:
        try:
            organisation = services.organisation_update(
                actor=self.request.user,
                organisation=self.organisation,
                **form.changed_values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s was saved.") % {"name": organisation})
        return HttpResponseRedirect(organisation.get_absolute_url())


# Activity --------------------------------------------------------------------------------------


class ActivityView(WorkspaceMixin, TemplateView):
    permission = Perm.VIEW_ACTIVITY
    template_name = "stakeholders/activity.html"
    per_page = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = selectors.activity_list(
            user=self.request.user,
            workspace=self.workspace,
            page_number=self.request.GET.get("page", 1),
            per_page=self.per_page,
        )
        context["page_obj"] = page
        context["entries"] = page.object_list
        context["query_string"] = ""
        context["page_range"] = page_range(page)
        return context


# Invitation links (public) ---------------------------------------------------------------------


INVALID_STATUS = {
    InvitationInvalid.UNKNOWN: 404,
    InvitationInvalid.EXPIRED: 410,
    InvitationInvalid.USED: 410,
    InvitationInvalid.REVOKED: 410,
}


@method_decorator(login_not_required, name="dispatch")
class InvitationAcceptView(TemplateView):
    """Where an invitation link lands: create an account, or accept with the existing one."""

    template_name = "stakeholders/invitation_accept.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            self.invitation = services.invitation_for_token_unrestricted(kwargs["token"])
        except InvitationInvalid as invalid:
            return self.invalid(invalid)
        self.account = services.existing_user_for_email_unrestricted(self.invitation.email)
        return super().dispatch(request, *args, **kwargs)

    def invalid(self, invalid: InvitationInvalid) -> HttpResponse:
        return render(
            self.request,
            "stakeholders/invitation_invalid.html",
            {"reason": invalid.reason},
            status=INVALID_STATUS[invalid.reason],
        )

    @property
    def situation(self) -> str:
        """new_account | accept | sign_in | other_account"""
        user = self.request.user
        if self.account is None:
            return "other_account" if user.is_authenticated else "new_account"
        if not user.is_authenticated:
            return "sign_in"
        return "accept" if user.pk == self.account.pk else "other_account"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["invitation"] = self.invitation
        context["situation"] = self.situation
        context["login_url"] = reverse("login") + "?" + urlencode({"next": self.request.path})
        if self.situation == "new_account":
            context.setdefault("form", InvitationAcceptForm(email=self.invitation.email))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = kwargs["token"]
        situation = self.situation
        if situation == "new_account":
            form = InvitationAcceptForm(request.POST, email=self.invitation.email)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form))
            data = form.cleaned_data
            try:
                membership = services.invitation_accept(
                    token=token,
                    username=data["username"],
                    password=data["password"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                )
            except InvitationInvalid as invalid:
                return self.invalid(invalid)
            except ValidationError as error:
                add_service_errors(form, error)
                return self.render_to_response(self.get_context_data(form=form))
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        elif situation == "accept":
            try:
                membership = services.invitation_accept(token=token, user=request.user)
            except InvitationInvalid as invalid:
                return self.invalid(invalid)
            except ValidationError as error:
                return self.render_to_response(self.get_context_data(errors=error.messages))
        else:
            return self.render_to_response(self.get_context_data(), status=400)
        messages.success(
            request,
            _("Welcome to %(workspace)s. You joined as %(role)s.")
            % {"workspace": membership.workspace, "role": membership.get_role_display()},
        )
        return HttpResponseRedirect(membership.workspace.get_absolute_url())
