"""The corridor page and the page where a side marks what it shares (issue 5). Routes at the
bottom.

The corridor page brings both sides together: their roles, the corridor's description, each
side's shared priorities, actions and indicator series (approved content only, and only while
the corridor is active) and the joint actions. It lives here because priorities, actions and
series belong to later apps than stakeholders (DESIGN §2); the list, proposal, answers and joint
actions are stakeholders pages (stakeholders/corridors_views.py).
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from core.forms import PortalFormMixin, add_service_errors
from indicators.selectors.corridors import shareable_indicators, shared_indicator_ids
from stakeholders.choices import JointActionStatus
from stakeholders.corridors_views import CorridorObjectMixin, corridor_url
from stakeholders.models import User
from stakeholders.permissions import CORRIDOR_MANAGE, CORRIDOR_SHARE

from ..selectors.corridors import (
    corridor_joint_actions,
    corridor_sides,
    shareable_actions,
    shareable_priorities,
    shared_action_ids,
    shared_priority_ids,
)
from ..services.corridors import corridor_shares_set


class CorridorDetailView(CorridorObjectMixin, TemplateView):
    template_name = "mainstreaming/corridors/corridor_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        corridor = self.corridor
        may_manage = CORRIDOR_MANAGE in self.perms
        joint_actions = list(corridor_joint_actions(corridor=corridor))
        context.update(
            sides=corridor_sides(corridor=corridor, workspace=self.workspace),
            joint_actions=joint_actions,
            agreed_count=sum(j.status == JointActionStatus.AGREED for j in joint_actions),
            may_manage=may_manage,
            may_answer=may_manage
            and corridor.status == "proposed"
            and corridor.partner_id == self.workspace.pk,
            may_withdraw_proposal=may_manage
            and corridor.status == "proposed"
            and corridor.proposer_id == self.workspace.pk,
            may_end=may_manage and corridor.is_active,
            may_share=CORRIDOR_SHARE in self.perms and corridor.is_active,
        )
        return context


class ItemChoiceField(forms.ModelMultipleChoiceField):
    """An approved item, labelled with its approved title."""

    def label_from_instance(self, obj: Any) -> str:
        snapshot = obj.approved_snapshot or {}
        return str(snapshot.get("title") or snapshot.get("name") or obj)


class SeriesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} – {obj.name}"


class CorridorSharesForm(PortalFormMixin, forms.Form):
    priorities = ItemChoiceField(
        label=gettext_lazy("Priorities"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Approved priorities only. The partner sees the approved version."),
    )
    actions = ItemChoiceField(
        label=gettext_lazy("Actions"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Approved actions only. The partner sees the approved version."),
    )
    indicators = SeriesChoiceField(
        label=gettext_lazy("Indicator series"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Series with approved values. The partner sees approved values."),
    )

    def __init__(self, *args: Any, workspace: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["priorities"].queryset = shareable_priorities(workspace=workspace)
        fields["actions"].queryset = shareable_actions(workspace=workspace)
        fields["indicators"].queryset = shareable_indicators(workspace=workspace)


class CorridorShareView(CorridorObjectMixin, FormView):
    """A side's coordinator ticks the approved items it shares with this active corridor."""

    permission = CORRIDOR_SHARE
    form_class = CorridorSharesForm
    template_name = "mainstreaming/corridors/corridor_share.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["workspace"] = self.workspace
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        corridor, workspace = self.corridor, self.workspace
        return {
            "priorities": sorted(shared_priority_ids(corridor=corridor, workspace=workspace)),
            "actions": sorted(shared_action_ids(corridor=corridor, workspace=workspace)),
            "indicators": sorted(shared_indicator_ids(corridor=corridor, workspace=workspace)),
        }

    def form_valid(self, form: CorridorSharesForm) -> HttpResponse:
        try:
            corridor_shares_set(
                actor=cast(User, self.request.user),
                corridor=self.corridor,
                workspace=self.workspace,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("What this workspace shares with the corridor was saved."))
        return HttpResponseRedirect(corridor_url(self.corridor, self.workspace.slug))


CORRIDOR = "w/<slug:slug>/corridors/<int:pk>"

urlpatterns: list[URLPattern] = [
    path(f"{CORRIDOR}/", CorridorDetailView.as_view(), name="corridor_detail"),
    path(f"{CORRIDOR}/share/", CorridorShareView.as_view(), name="corridor_share"),
]
