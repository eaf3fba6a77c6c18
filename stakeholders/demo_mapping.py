"""The stakeholder map and capacity needs of the illustrative demo (DESIGN §7). Safe to run
again: a profile or a need that exists already is left as it is.

Runs after `stakeholders.demo.load()` (it needs the demo workspace and its organisations)."""

from __future__ import annotations

from django.db import transaction

from .choices import CapacityArea as Area
from .choices import NeedPriority as Priority
from .choices import ProcessRole as Role
from .coordination_models import CapacityNeed, StakeholderProfile
from .mapping_services import (
    capacity_need_create,
    capacity_need_mark_met,
    stakeholder_profile_create,
)
from .models import Membership, Organisation, Workspace

WORKSPACE = "demo-senegal"

# acronym → (interest, influence, role, engagement notes)
PROFILES = {
    "MPLAN": (5, 5, Role.LEAD, "Chairs the working group. *Illustrative.*"),
    "MLE": (5, 4, Role.IMPLEMENTER, "Leads the labour-migration actions. *Illustrative.*"),
    "MFA": (4, 4, Role.IMPLEMENTER, "Consular network reaches the diaspora. *Illustrative.*"),
    "NSO": (3, 3, Role.DATA_PROVIDER, "Runs the labour-force survey module. *Illustrative.*"),
    "MRN": (5, 2, Role.CONSULTED, "Brings returnees' voices; invite to every forum."),
    "DIA": (4, 2, Role.CONSULTED, "Interested in diaspora bonds. *Illustrative.*"),
    "CCI": (2, 3, Role.INFORMED, "Keep informed on skills matching. *Illustrative.*"),
    "DPA": (3, 4, Role.INFORMED, "Funds the profile update. *Illustrative.*"),
}

# (organisation, area, priority, need, planned support, supporting organisation, met)
NEEDS = [
    (
        "NSO",
        Area.DATA,
        Priority.HIGH,
        "Migration module in the labour-force survey (demo).",
        "Sampling advice and two survey rounds.",
        "UNCT",
        False,
    ),
    (
        "NSO",
        Area.ANALYSIS,
        Priority.MEDIUM,
        "Analysts able to link census and survey data (demo).",
        "Two-week training course.",
        "DPA",
        True,
    ),
    (
        "MLE",
        Area.POLICY,
        Priority.HIGH,
        "A labour-migration policy note for the plan (demo).",
        "Policy adviser for six months.",
        "DPA",
        False,
    ),
    (
        "MLE",
        Area.IMPLEMENTATION,
        Priority.MEDIUM,
        "Inspectors trained on recruitment fees (demo).",
        "",
        None,
        False,
    ),
    (
        "MPLAN",
        Area.COORDINATION,
        Priority.HIGH,
        "A secretariat for the working group (demo).",
        "One coordinator seconded.",
        "UNCT",
        False,
    ),
    (
        "MFA",
        Area.DATA,
        Priority.LOW,
        "Consular registration data in a shared format (demo).",
        "",
        None,
        False,
    ),
    (
        "MRN",
        Area.COORDINATION,
        Priority.MEDIUM,
        "Funds to attend platform meetings (demo).",
        "Travel grants.",
        "DPA",
        True,
    ),
]


@transaction.atomic
def load() -> None:
    workspace = Workspace.objects.filter(slug=WORKSPACE).first()
    if workspace is None:
        return
    membership = (
        Membership.objects.filter(workspace=workspace, user__username="coordinator")
        .select_related("user")
        .first()
    )
    if membership is None:
        return
    actor = membership.user
    organisations = {o.acronym: o for o in Organisation.objects.filter(workspace=workspace)}
    for acronym, (interest, influence, role, notes) in PROFILES.items():
        organisation = organisations.get(acronym)
        if (
            organisation is None
            or StakeholderProfile.objects.filter(organisation=organisation).exists()
        ):
            continue
        stakeholder_profile_create(
            actor=actor,
            workspace=workspace,
            organisation=organisation,
            interest=interest,
            influence=influence,
            role=role,
            notes=notes,
        )
    for acronym, area, priority, text, support, supporter, met in NEEDS:
        organisation = organisations.get(acronym)
        if (
            organisation is None
            or CapacityNeed.objects.filter(
                workspace=workspace, organisation=organisation, description=text
            ).exists()
        ):
            continue
        need = capacity_need_create(
            actor=actor,
            workspace=workspace,
            organisation=organisation,
            area=area,
            priority=priority,
            description=text,
            planned_support=support,
            supported_by=organisations.get(supporter) if supporter else None,
        )
        if met:
            capacity_need_mark_met(actor=actor, need=need)
