"""The stakeholders part of the illustrative demo (DESIGN §7). Safe to run again."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from .choices import OrganisationKind as Kind
from .choices import Role, WorkspaceLevel
from .models import Membership, Organisation, User, Workspace
from .services import (
    membership_create,
    organisation_create,
    workspace_create,
    workspace_update,
)

DEMO_PASSWORD = "mainstreaming-demo"
DEMO_NOTE = (
    "**Illustrative demo data.** Names, people and figures in this workspace are invented to "
    "show how the portal works; they are not official information of any government."
)


@dataclass
class DemoWorkspace:
    slug: str
    name: str
    level: str
    country: str
    locality: str = ""
    parent: str = ""
    time_zone: str = "UTC"
    plan: str = ""
    organisations: list[tuple[str, str, str]] = field(default_factory=list)
    lead: str = ""


WORKSPACES = [
    DemoWorkspace(
        slug="demo-senegal",
        name="Senegal — national mainstreaming workspace (demo)",
        level=WorkspaceLevel.NATIONAL,
        country="SEN",
        time_zone="Africa/Dakar",
        plan="National development strategy 2025–2029 (illustrative)",
        lead="MPLAN",
        organisations=[
            ("Ministry of Planning (demo)", "MPLAN", Kind.PLANNING_BODY),
            ("Ministry of Labour and Employment (demo)", "MLE", Kind.MINISTRY),
            ("Ministry of Foreign Affairs and Nationals Abroad (demo)", "MFA", Kind.MINISTRY),
            ("National Statistics Office (demo)", "NSO", Kind.STATISTICS_OFFICE),
            ("Migrant Rights Network (demo)", "MRN", Kind.CSO),
            ("Diaspora Investors Association (demo)", "DIA", Kind.DIASPORA),
            ("Chamber of Commerce (demo)", "CCI", Kind.PRIVATE_SECTOR),
            ("Development Partner Agency (demo)", "DPA", Kind.DONOR),
            ("UN Country Team (demo)", "UNCT", Kind.UN_AGENCY),
        ],
    ),
    DemoWorkspace(
        slug="demo-dakar",
        name="Dakar — city mainstreaming workspace (demo)",
        level=WorkspaceLevel.LOCAL,
        country="SEN",
        locality="Dakar",
        parent="demo-senegal",
        time_zone="Africa/Dakar",
        plan="City development plan 2026–2030 (illustrative)",
        lead="CITY",
        organisations=[
            ("City of Dakar (demo)", "CITY", Kind.LOCAL_GOVERNMENT),
            ("Neighbourhood Migrant Support Centre (demo)", "NMSC", Kind.CSO),
        ],
    ),
    DemoWorkspace(
        slug="demo-philippines",
        name="Philippines — national mainstreaming workspace (demo)",
        level=WorkspaceLevel.NATIONAL,
        country="PHL",
        time_zone="Asia/Manila",
        plan="Philippine development plan (illustrative)",
        lead="NEDA",
        organisations=[
            ("National Planning Authority (demo)", "NEDA", Kind.PLANNING_BODY),
            ("Overseas Workers Welfare Office (demo)", "OWWO", Kind.MINISTRY),
        ],
    ),
]

# username → (first name, last name, workspace slug, organisation acronym, role)
ACCOUNTS = {
    "coordinator": ("Awa", "Coordinator", "demo-senegal", "MPLAN", Role.COORDINATOR),
    "editor": ("Moussa", "Editor", "demo-senegal", "MLE", Role.EDITOR),
    "reviewer": ("Fatou", "Reviewer", "demo-senegal", "NSO", Role.REVIEWER),
    "contributor": ("Ibrahima", "Contributor", "demo-senegal", "MRN", Role.CONTRIBUTOR),
    "observer": ("Claire", "Observer", "demo-senegal", "DPA", Role.OBSERVER),
    "citycoordinator": ("Aminata", "City", "demo-dakar", "CITY", Role.COORDINATOR),
    "outsider": ("Jose", "Outsider", "demo-philippines", "NEDA", Role.COORDINATOR),
}


def _user(username: str, first_name: str, last_name: str) -> User:
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@demo.invalid",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


@transaction.atomic
def load() -> dict[str, Workspace]:
    """Create the demo workspaces, organisations and accounts that do not exist yet."""
    workspaces: dict[str, Workspace] = {}
    for spec in WORKSPACES:
        workspace = Workspace.objects.filter(slug=spec.slug).first()
        if workspace is None:
            workspace = workspace_create(
                actor=None,
                slug=spec.slug,
                name=spec.name,
                level=spec.level,
                country=spec.country,
                locality=spec.locality,
                parent=workspaces.get(spec.parent),
                time_zone=spec.time_zone,
                development_plan=spec.plan,
                description=DEMO_NOTE,
            )
        for name, acronym, kind in spec.organisations:
            if not Organisation.objects.filter(workspace=workspace, name=name).exists():
                organisation_create(
                    actor=None,
                    workspace=workspace,
                    name=name,
                    acronym=acronym,
                    kind=kind,
                    country="" if kind in (Kind.DONOR, Kind.UN_AGENCY) else spec.country,
                )
        if spec.lead and workspace.lead_organisation is None:
            workspace_update(
                actor=None,
                workspace=workspace,
                lead_organisation=Organisation.objects.get(workspace=workspace, acronym=spec.lead),
            )
        workspaces[spec.slug] = workspace

    for username, (first, last, slug, acronym, role) in ACCOUNTS.items():
        user = _user(username, first, last)
        workspace = workspaces[slug]
        if not Membership.objects.filter(workspace=workspace, user=user).exists():
            membership_create(
                actor=None,
                workspace=workspace,
                user=user,
                role=role,
                organisation=Organisation.objects.get(workspace=workspace, acronym=acronym),
                focal_point=role == Role.COORDINATOR,
            )
    return workspaces
