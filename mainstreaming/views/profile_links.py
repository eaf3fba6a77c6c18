"""Pages where the migration profile feeds the planning cycle: turn a Part D recommendation into
a draft priority (one action, with a confirmation form). Routes at the bottom."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from core.forms import PortalFormMixin, add_service_errors
from profiles.models import Recommendation
from stakeholders.access import WorkspaceMixin
from stakeholders.permissions import Perm

from ..models import Cycle, EntryPointConcern
from ..selectors import cycles as cycle_selectors
from ..selectors.planning import concern_list
from ..services.profile_links import recommendation_priority_existing, recommendation_to_priority


class RecommendationPriorityForm(PortalFormMixin, forms.Form):
    cycle = forms.ModelChoiceField(
        label=gettext_lazy("Planning cycle"),
        help_text=gettext_lazy("The priority is added, as a draft, at the end of its ranking."),
        queryset=Cycle.objects.none(),
        empty_label=None,
    )
    concern = forms.ModelChoiceField(
        label=gettext_lazy("Entry-point concern"),
        queryset=EntryPointConcern.objects.none(),
        empty_label=None,
    )
    title = forms.CharField(
        label=gettext_lazy("Title of the priority"),
        help_text=gettext_lazy("Start from the recommendation; make it short."),
        max_length=250,
    )
    gender_considerations = forms.CharField(
        label=gettext_lazy("Gender considerations"),
        help_text=gettext_lazy("How the priority affects women, men and gender roles."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Say how the priority affects gender roles.")},
    )
    rights_considerations = forms.CharField(
        label=gettext_lazy("Migrants' rights considerations"),
        help_text=gettext_lazy("How the priority protects migrants' rights."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Say how the priority protects rights.")},
    )

    def __init__(self, *args: Any, cycles: Any, concerns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles  # type: ignore[attr-defined]
        self.fields["concern"].queryset = concerns  # type: ignore[attr-defined]


class RecommendationPriorityView(WorkspaceMixin, FormView):
    """GET: the confirmation form (or, once done, the priority it became); POST: create it."""

    permission = Perm.EDIT
    form_class = RecommendationPriorityForm
    template_name = "mainstreaming/profile_links/recommendation_priority.html"

    @cached_property
    def recommendation(self) -> Recommendation:
        recommendation = (
            Recommendation.objects.filter(workspace=self.workspace, pk=self.kwargs["pk"])
            .select_related("section__edition", "section__workspace", "workspace")
            .first()
        )
        if recommendation is None:
            raise Http404("No such recommendation")
        return recommendation

    @cached_property
    def cycles(self) -> Any:
        return cycle_selectors.cycle_list(user=self.request.user, workspace=self.workspace)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["cycles"] = self.cycles
        kwargs["concerns"] = concern_list(user=self.request.user, workspace=self.workspace)
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        current = self.cycles.first()
        return {"cycle": current.pk if current else None, "title": self.recommendation.text[:250]}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["recommendation"] = self.recommendation
        context["section"] = self.recommendation.section
        context["existing"] = recommendation_priority_existing(self.recommendation)
        context["has_cycles"] = self.cycles.exists()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        existing = recommendation_priority_existing(self.recommendation)
        if existing is not None:
            messages.info(request, _("This recommendation already became a priority."))
            return HttpResponseRedirect(existing.get_absolute_url())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: RecommendationPriorityForm) -> HttpResponse:
        try:
            priority, _created = recommendation_to_priority(
                actor=cast(Any, self.request.user),
                recommendation=self.recommendation,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The recommendation became the draft priority “%(title)s”.")
            % {"title": priority.title},
        )
        return HttpResponseRedirect(priority.get_absolute_url())


urlpatterns = [
    path(
        "w/<slug:slug>/profiles/recommendations/<int:pk>/priority/",
        RecommendationPriorityView.as_view(),
        name="recommendation_priority",
    ),
]
