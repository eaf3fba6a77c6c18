"""The corridors part of the illustrative demo (issue 5). Safe to run again.

Adds a partner national workspace (Italy, destination; invented content) coordinated by the demo
account `partner`, an active corridor between `demo-senegal` (origin) and it, and one joint action
agreed by both. The outsider's workspace (`demo-philippines`) stays unlinked. Senegal's shared
priorities, actions and series are marked by `mainstreaming.services.corridors.share_demo_items()`
once mainstreaming's demo has approved them (stakeholders never imports a later app).
Run after `stakeholders.demo.load()`.
"""

from __future__ import annotations

from django.db import transaction

from .choices import CorridorRole, CorridorStatus, JointActionStatus, Role, WorkspaceLevel
from .choices import OrganisationKind as Kind
from .corridors_services import (
    corridor_accept,
    corridor_propose,
    joint_action_agree,
    joint_action_propose,
)
from .demo import DEMO_NOTE, _user
from .models import Corridor, JointAction, Membership, Organisation, Workspace
from .services import membership_create, organisation_create, workspace_create, workspace_update

PARTNER_SLUG = "demo-italy"
PARTNER_USERNAME = "partner"
CORRIDOR_DESCRIPTION = (
    "**Illustrative demo corridor.** Senegalese workers and students move to Italy, mostly to "
    "the agricultural and care sectors of the north; remittances flow back to Senegal's regions "
    "of origin. Figures and names are invented."
)
JOINT_ACTION_TITLE = "Joint pre-departure orientation for seasonal workers (demo)"


@transaction.atomic
def load() -> Corridor:
    """The partner workspace, its coordinator `partner`, and the active corridor with Senegal."""
    senegal = Workspace.objects.get(slug="demo-senegal")
    italy = Workspace.objects.filter(slug=PARTNER_SLUG).first()
    if italy is None:
        italy = workspace_create(
            actor=None,
            slug=PARTNER_SLUG,
            name="Italy — national mainstreaming workspace (demo)",
            level=WorkspaceLevel.NATIONAL,
            country="ITA",
            time_zone="Europe/Rome",
            development_plan="National recovery and resilience plan (illustrative)",
            description=DEMO_NOTE,
        )
    if not Organisation.objects.filter(workspace=italy, acronym="MLSP").exists():
        organisation_create(
            actor=None,
            workspace=italy,
            name="Ministry of Labour and Social Policies (demo)",
            acronym="MLSP",
            kind=Kind.MINISTRY,
            country="ITA",
        )
    lead = Organisation.objects.get(workspace=italy, acronym="MLSP")
    if italy.lead_organisation_id is None:
        workspace_update(actor=None, workspace=italy, lead_organisation=lead)
    partner = _user(PARTNER_USERNAME, "Giulia", "Partner")
    if not Membership.objects.filter(workspace=italy, user=partner).exists():
        membership_create(
            actor=None,
            workspace=italy,
            user=partner,
            organisation=lead,
            role=Role.COORDINATOR,
            focal_point=True,
        )
    coordinator = Membership.objects.get(workspace=senegal, role=Role.COORDINATOR).user

    corridor = Corridor.objects.filter(
        proposer=senegal, partner=italy, status__in=[CorridorStatus.PROPOSED, CorridorStatus.ACTIVE]
    ).first()
    if corridor is None:
        corridor = corridor_propose(
            actor=coordinator,
            workspace=senegal,
            partner=italy,
            proposer_role=CorridorRole.ORIGIN,
            partner_role=CorridorRole.DESTINATION,
            description=CORRIDOR_DESCRIPTION,
        )
    if corridor.status == CorridorStatus.PROPOSED:
        corridor = corridor_accept(actor=partner, corridor=corridor)
    joint = JointAction.objects.filter(corridor=corridor, title=JOINT_ACTION_TITLE).first()
    if joint is None:
        joint = joint_action_propose(
            actor=coordinator,
            corridor=corridor,
            workspace=senegal,
            title=JOINT_ACTION_TITLE,
            description=(
                "Both labour ministries run one orientation course before departure: rights at "
                "work, housing, and sending money home at low cost. Illustrative."
            ),
        )
    if joint.status == JointActionStatus.PROPOSED:
        joint_action_agree(actor=partner, joint_action=joint, workspace=italy)
    return corridor
