"""The good-practice part of the illustrative demo: published practices of the Senegal and
Dakar demo workspaces, one proposed and one draft. Safe to run again (a practice is known by its
workspace and title). Runs after `stakeholders.demo.load()`, which creates the workspaces and
accounts it uses."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from .choices import PracticeArea, PracticeStatus
from .coordination_models import Practice
from .models import Organisation, Workspace
from .practices_services import practice_create, practice_transition

LABEL = "Illustrative example: "


@dataclass(frozen=True)
class DemoPractice:
    workspace: str
    title: str
    summary: str
    area: str
    contact: str  # acronym of one of the workspace's organisations
    author: str  # username
    status: str
    what_worked: str = ""
    what_did_not: str = ""
    publisher: str = ""  # username of the coordinator who publishes it


PRACTICES = [
    DemoPractice(
        workspace="demo-senegal",
        title="A one-stop desk for diaspora investors",
        summary="A single desk in the investment agency answers diaspora investors' questions "
        "on permits, land and finance, with a focal point in each ministry.",
        area=PracticeArea.DIASPORA,
        contact="DIA",
        author="contributor",
        status=PracticeStatus.PUBLISHED,
        publisher="coordinator",
        what_worked="- One named focal point per ministry\n- Answers within **ten working days**",
        what_did_not="- Land questions still took months\n- The desk was little known abroad",
    ),
    DemoPractice(
        workspace="demo-senegal",
        title="Migration questions in the labour force survey",
        summary="The statistics office added four questions on migration history to its "
        "quarterly labour force survey, so that returnees and migrants can be counted.",
        area=PracticeArea.DATA,
        contact="NSO",
        author="editor",
        status=PracticeStatus.PUBLISHED,
        publisher="coordinator",
        what_worked="Reusing an existing survey cost little and gave **quarterly** figures.",
        what_did_not="Samples were too small for results below the regional level.",
    ),
    DemoPractice(
        workspace="demo-senegal",
        title="An inter-ministerial working group with a rotating secretariat",
        summary="The planning ministry chairs a working group on migration and development; "
        "the secretariat rotates yearly among line ministries, so each owns the agenda once.",
        area=PracticeArea.COORDINATION,
        contact="MPLAN",
        author="coordinator",
        status=PracticeStatus.PUBLISHED,
        publisher="coordinator",
        what_worked="Line ministries came to meetings they had prepared themselves.",
        what_did_not="Hand-overs between secretariats lost follow-up actions.",
    ),
    DemoPractice(
        workspace="demo-senegal",
        title="Pre-departure orientation run with recruitment agencies",
        summary="Civil society and licensed recruitment agencies run a one-day orientation "
        "for workers before they leave: contracts, rights, remittances, whom to call.",
        area=PracticeArea.LABOUR,
        contact="MRN",
        author="contributor",
        status=PracticeStatus.PROPOSED,
        what_worked="Agencies made attendance part of their recruitment process.",
    ),
    DemoPractice(
        workspace="demo-senegal",
        title="Comparing remittance costs for families",
        summary="A draft note on publishing the cost of sending money home through each "
        "provider, to help families choose.",
        area=PracticeArea.REMITTANCES,
        contact="CCI",
        author="editor",
        status=PracticeStatus.DRAFT,
    ),
    DemoPractice(
        workspace="demo-dakar",
        title="Migrant help desks in city service centres",
        summary="The city opened help desks in three district service centres where migrants "
        "and returnees get information and referrals in their language.",
        area=PracticeArea.LOCAL,
        contact="NMSC",
        author="citycoordinator",
        status=PracticeStatus.PUBLISHED,
        publisher="citycoordinator",
        what_worked="Staff from a neighbourhood support centre worked at the desks.",
        what_did_not="Opening hours did not suit people working in the informal sector.",
    ),
    DemoPractice(
        workspace="demo-dakar",
        title="A city migration council with civil-society seats",
        summary="The city's migration council gives a third of its seats to civil society and "
        "diaspora associations and reports to the municipal council twice a year.",
        area=PracticeArea.COORDINATION,
        contact="CITY",
        author="citycoordinator",
        status=PracticeStatus.PUBLISHED,
        publisher="citycoordinator",
        what_worked="Civil society set half of the agenda items.",
        what_did_not="Members changed often; minutes were the only memory.",
    ),
]

# The order of the lifecycle, to bring an existing practice forward on a second run.
_STEPS: dict[str, list[str]] = {
    PracticeStatus.PROPOSED: ["propose"],
    PracticeStatus.PUBLISHED: ["propose", "publish"],
}


@transaction.atomic
def load() -> list[Practice]:
    """Create the demo practices that do not exist yet; returns all of them."""
    users = get_user_model()._default_manager
    loaded = []
    for spec in PRACTICES:
        workspace = Workspace.objects.get(slug=spec.workspace)
        existing = Practice.objects.filter(workspace=workspace, title=spec.title).first()
        if existing is not None:
            loaded.append(existing)
            continue
        author = users.get(username=spec.author)
        practice = practice_create(
            actor=author,
            workspace=workspace,
            title=spec.title,
            summary=LABEL + spec.summary,
            area=spec.area,
            what_worked=spec.what_worked,
            what_did_not=spec.what_did_not,
            contact_organisation=Organisation.objects.get(
                workspace=workspace, acronym=spec.contact
            ),
        )
        for action in _STEPS.get(spec.status, []):
            actor = users.get(username=spec.publisher) if action == "publish" else author
            practice = practice_transition(actor=actor, practice=practice, action=action)
        loaded.append(practice)
    return loaded
