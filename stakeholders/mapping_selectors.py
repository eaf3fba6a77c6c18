"""Reads of stakeholder mapping and capacity needs: restricted querysets and the summaries.

Organisation kinds are grouped for the map's filter the way the seed report names the parties
to coordination (`KIND_GROUPS`): ministries and agencies (planning bodies and statistics offices
are government agencies), local government, civil society (academia included: research
institutes take part as civil society in national platforms), diaspora, private sector, donors
and development partners (other international organisations such as development banks), and the
UN. Organisations of kind "other" fall in no group: they appear only when no group is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.charts import GridPoint

from .choices import CapacityArea, NeedPriority, OrganisationKind, ProcessRole
from .coordination_models import CapacityNeed, StakeholderProfile
from .models import Organisation, User, Workspace
from .permissions import Perm, restrict

K = OrganisationKind

# group value → (label, organisation kinds in the group)
KIND_GROUPS: dict[str, tuple[Promise, tuple[str, ...]]] = {
    "government": (
        _("Ministries and agencies"),
        (K.MINISTRY, K.PLANNING_BODY, K.STATISTICS_OFFICE),
    ),
    "local_government": (_("Local government"), (K.LOCAL_GOVERNMENT,)),
    "civil_society": (_("Civil society"), (K.CSO, K.ACADEMIA)),
    "diaspora": (_("Diaspora"), (K.DIASPORA,)),
    "private_sector": (_("Private sector"), (K.PRIVATE_SECTOR,)),
    "donors": (_("Donors and development partners"), (K.DONOR, K.INTERNATIONAL)),
    "un": (_("United Nations"), (K.UN_AGENCY,)),
}


def kind_group_choices() -> list[tuple[str, Promise]]:
    return [(value, label) for value, (label, _kinds) in KIND_GROUPS.items()]


def kind_group_of(kind: str) -> str:
    """The group value of an organisation kind ('' for kinds in no group)."""
    for value, (_label, kinds) in KIND_GROUPS.items():
        if kind in kinds:
            return value
    return ""


def sees_engagement_notes(perms: frozenset[Perm]) -> bool:
    """Engagement notes are working notes about partners: members who take part in the process
    (those who may comment) read them; observers and the national coordinator reading a local
    workspace see the grid and the scores only."""
    return Perm.COMMENT in perms


# Stakeholder profiles --------------------------------------------------------------------------


def stakeholder_profile_list(
    *,
    user: User | AnonymousUser,
    workspace: Workspace,
    kind_group: str = "",
    role: str = "",
    perm: Perm = Perm.ACCESS,
) -> QuerySet[StakeholderProfile]:
    """The workspace's profiles, strongest influence first; filters by kind group and role."""
    profiles = restrict(
        StakeholderProfile.objects.filter(workspace=workspace), user, perm
    ).select_related("organisation", "workspace")
    if kind_group in KIND_GROUPS:
        profiles = profiles.filter(organisation__kind__in=KIND_GROUPS[kind_group][1])
    if role in ProcessRole.values:
        profiles = profiles.filter(role=role)
    return profiles.order_by("-influence", "-interest", "organisation__name", "pk")


def unprofiled_organisations(
    *, user: User | AnonymousUser, workspace: Workspace, keep: Organisation | None = None
) -> QuerySet[Organisation]:
    """The workspace's organisations without a profile yet (plus `keep`, the one being edited)."""
    organisations = restrict(Organisation.objects.filter(workspace=workspace), user, Perm.ACCESS)
    condition = Q(stakeholder_profile__isnull=True)
    if keep is not None:
        condition |= Q(pk=keep.pk)
    return organisations.filter(condition).order_by("name")


def profile_label(profile: StakeholderProfile) -> str:
    """The name shown on the grid: the acronym when there is one, else the name."""
    return profile.organisation.acronym or profile.organisation.name


def mapping_grid_points(profiles: list[StakeholderProfile]) -> list[GridPoint]:
    """Interest on the x axis, influence on the y axis (the usual power–interest grid)."""
    return [GridPoint(x=p.interest, y=p.influence, label=profile_label(p)) for p in profiles]


# Capacity needs --------------------------------------------------------------------------------


def capacity_need_list(
    *,
    user: User | AnonymousUser,
    workspace: Workspace,
    organisation: int | None = None,
    area: str = "",
    priority: str = "",
    met: bool | None = None,
    perm: Perm = Perm.ACCESS,
) -> QuerySet[CapacityNeed]:
    needs = restrict(CapacityNeed.objects.filter(workspace=workspace), user, perm).select_related(
        "organisation", "supported_by", "workspace"
    )
    if organisation is not None:
        needs = needs.filter(organisation_id=organisation)
    if area in CapacityArea.values:
        needs = needs.filter(area=area)
    if priority in NeedPriority.values:
        needs = needs.filter(priority=priority)
    if met is not None:
        needs = needs.filter(met=met)
    return needs.order_by("met", "area", "organisation__name", "pk")


@dataclass
class AreaRow:
    """One area of the summary: needs counted by priority, and how many are met."""

    area: str
    label: Any
    by_priority: dict[str, int]
    met: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_priority.values())

    @property
    def open(self) -> int:
        return self.total - self.met

    @property
    def cells(self) -> list[tuple[Any, int]]:
        """(priority label, count) in the order of `NeedPriority`."""
        return [(label, self.by_priority[value]) for value, label in NeedPriority.choices]


@dataclass
class OrganisationRow:
    organisation_id: int
    name: str
    open: int = 0
    met: int = 0

    @property
    def total(self) -> int:
        return self.open + self.met


@dataclass
class CapacitySummary:
    """Needs by area × priority, by organisation, and open against met (two queries)."""

    areas: list[AreaRow]
    organisations: list[OrganisationRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(row.total for row in self.areas)

    @property
    def met(self) -> int:
        return sum(row.met for row in self.areas)

    @property
    def open(self) -> int:
        return self.total - self.met

    @property
    def priority_totals(self) -> list[int]:
        return [sum(row.by_priority[p] for row in self.areas) for p in NeedPriority.values]


def capacity_summary(*, user: User | AnonymousUser, workspace: Workspace) -> CapacitySummary:
    needs = restrict(CapacityNeed.objects.filter(workspace=workspace), user, Perm.ACCESS).order_by()
    areas = {
        value: AreaRow(value, label, {p: 0 for p in NeedPriority.values})
        for value, label in CapacityArea.choices
    }
    for area, priority, met, count in needs.values_list("area", "priority", "met").annotate(
        n=Count("pk")
    ):
        areas[area].by_priority[priority] += count
        if met:
            areas[area].met += count
    organisations: list[OrganisationRow] = []
    for org_id, name, acronym, open_count, met_count in (
        needs.values_list("organisation_id", "organisation__name", "organisation__acronym")
        .annotate(open=Count("pk", filter=Q(met=False)), done=Count("pk", filter=Q(met=True)))
        .order_by("-open", "organisation__name")
    ):
        label = f"{name} ({acronym})" if acronym else name
        organisations.append(OrganisationRow(org_id, label, open_count, met_count))
    return CapacitySummary(areas=list(areas.values()), organisations=organisations)
