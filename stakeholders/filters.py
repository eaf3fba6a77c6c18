"""FilterSets shared by the HTML lists and the API."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .choices import InvitationStatus, OrganisationKind, Role, WorkspaceLevel
from .models import Invitation, Membership, Organisation, Workspace


class WorkspaceFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("Level"), choices=WorkspaceLevel.choices)
    country = django_filters.CharFilter(label=_("Country (alpha-3)"), lookup_expr="iexact")

    class Meta:
        model = Workspace
        fields = ["level", "country"]


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices)

    class Meta:
        model = Organisation
        fields = ["q", "kind"]

    def search(
        self, queryset: QuerySet[Organisation], name: str, value: str
    ) -> QuerySet[Organisation]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(acronym__icontains=value))


class MembershipFilterSet(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices)
    organisation = django_filters.NumberFilter(
        label=_("Organisation"), field_name="organisation_id"
    )

    class Meta:
        model = Membership
        fields = ["role", "organisation"]


class InvitationFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=InvitationStatus.choices)

    class Meta:
        model = Invitation
        fields = ["status"]
