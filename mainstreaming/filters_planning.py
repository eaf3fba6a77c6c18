"""FilterSets of the action plan, shared by the action-plan page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .choices import FundingStatus, ImplementationStatus
from .models import Action


class ActionFilterSet(django_filters.FilterSet):
    """Implementation status (not reviewed), funding status and lead organisation.

    With `approved_only=True` (readers of approved content) the reviewed fields are filtered on
    their approved values, so a filter never reveals what a draft changed.
    """

    implementation_status = django_filters.ChoiceFilter(
        label=_("Implementation status"), choices=ImplementationStatus.choices
    )
    funding_status = django_filters.ChoiceFilter(
        label=_("Funding status"), choices=FundingStatus.choices, method="filter_reviewed"
    )
    lead_organisation = django_filters.NumberFilter(
        label=_("Lead organisation"), method="filter_reviewed"
    )

    class Meta:
        model = Action
        fields = ["implementation_status", "funding_status", "lead_organisation"]

    def __init__(self, *args: Any, approved_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.approved_only = approved_only

    def filter_reviewed(
        self, queryset: QuerySet[Action], name: str, value: Any
    ) -> QuerySet[Action]:
        if value in (None, ""):
            return queryset
        column = name
        if name == "lead_organisation":
            column, value = "lead_organisation_id", int(value)
        if self.approved_only:
            return queryset.filter(**{f"approved_snapshot__{column}": value})
        return queryset.filter(**{column: value})
