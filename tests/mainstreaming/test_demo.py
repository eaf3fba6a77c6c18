import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from mainstreaming.choices import CycleStage, Direction, ProgressStatus
from mainstreaming.demo import CITY_CYCLE, NATIONAL_CYCLE
from mainstreaming.models import (
    KPI,
    Action,
    Cycle,
    Objective,
    Priority,
    ProgressUpdate,
    SituationSection,
    StageSignoff,
)
from mainstreaming.selectors.home import kpi_status_summary
from stakeholders.choices import Role
from stakeholders.demo import ACCOUNTS, DEMO_PASSWORD
from stakeholders.models import Membership, Organisation, Workspace
from stakeholders.permissions import Perm, workspace_perms
from stakeholders.review import ReviewEvent

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        Workspace.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
        get_user_model().objects.count(),
        *(
            model.objects.count()
            for model in (
                Cycle,
                SituationSection,
                StageSignoff,
                Priority,
                Objective,
                Action,
                KPI,
                ProgressUpdate,
                ReviewEvent,
            )
        ),
    )


def test_load_demo_is_safe_to_run_again(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    first = _counts()
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == first
    # Three workspaces of the stakeholders demo plus the corridor partner's, whose coordinator
    # `partner` is the one account beyond ACCOUNTS.
    assert first[0] == 4 and first[3] == len(ACCOUNTS) + 1


def test_load_demo_accounts_have_the_documented_roles(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    users = {u.username: u for u in get_user_model().objects.all()}
    for username in ACCOUNTS:
        assert users[username].check_password(DEMO_PASSWORD)
    national = Workspace.objects.get(slug="demo-senegal")
    city = Workspace.objects.get(slug="demo-dakar")
    unlinked = Workspace.objects.get(slug="demo-philippines")
    for role in Role:
        membership = Membership.objects.get(user=users[role.value], workspace=national)
        assert membership.role == role
    assert city.parent == national
    assert Membership.objects.get(user=users["citycoordinator"]).workspace == city
    # The outsider's workspace is never linked to the first one.
    assert unlinked.parent is None and not unlinked.local_workspaces.exists()
    assert workspace_perms(users["outsider"], national) == frozenset()
    assert Perm.MANAGE_MEMBERS in workspace_perms(users["outsider"], unlinked)
    assert "Illustrative demo data" in national.description


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    users = {u.username: u for u in get_user_model().objects.all()}
    national = Cycle.objects.get(workspace__slug="demo-senegal", title=NATIONAL_CYCLE)
    return users, national


def _states(queryset) -> dict[str, int]:
    found: dict[str, int] = {}
    for state in queryset.values_list("review_state", flat=True):
        found[state] = found.get(state, 0) + 1
    return found


def test_demo_cycle_has_content_in_every_stage(demo):
    users, cycle = demo
    assert "Illustrative" in cycle.title and "Illustrative" in cycle.plan
    # Situation analysis and priorities signed off by the coordinator; the action plan is current.
    signoffs = StageSignoff.objects.filter(cycle=cycle)
    assert {s.stage for s in signoffs} == {CycleStage.SITUATION_ANALYSIS, CycleStage.PRIORITIES}
    assert {s.signed_by for s in signoffs} == {users["coordinator"]}
    assert cycle.current_stage == CycleStage.ACTION_PLAN
    # Eight sections: all approved once; now one draft, one submitted, one returned version.
    sections = SituationSection.objects.filter(cycle=cycle)
    assert _states(sections) == {"approved": 5, "draft": 1, "submitted": 1, "returned": 1}
    assert not sections.filter(approved_version__isnull=True).exists()
    assert ReviewEvent.objects.filter(action="return").exclude(reason="").exists()
    # Four-eyes: the reviewer approved what the editor submitted.
    approvals = ReviewEvent.objects.filter(action="approve")
    assert set(approvals.values_list("actor__username", flat=True)) == {"reviewer"}
    priorities = Priority.objects.filter(cycle=cycle)
    assert priorities.count() >= 4
    assert priorities.values("concern").distinct().count() == priorities.count()
    assert not priorities.filter(gender_considerations="").exists()
    actions = Action.objects.filter(cycle=cycle)
    assert {a.budget_currency for a in actions} == {"XOF", "EUR"}
    assert actions.values("lead_organisation").distinct().count() >= 3
    assert actions.values("funding_status").distinct().count() == 3
    assert actions.values("implementation_status").distinct().count() >= 3
    assert len({a.start_date.year for a in actions}) >= 2
    assert _states(actions)["submitted"] == 1 and _states(actions)["draft"] == 1
    kpis = KPI.objects.filter(cycle=cycle)
    assert {k.direction for k in kpis} == {Direction.HIGHER, Direction.LOWER}
    assert kpis.filter(action__isnull=False).exists() and kpis.filter(objective__isnull=False)
    assert all(len(k.targets) >= 2 for k in kpis)
    periods = set(ProgressUpdate.objects.filter(kpi__cycle=cycle).values_list("period", flat=True))
    assert len(periods) >= 4
    # Readers without drafts see every status among the approved KPIs.
    summary = kpi_status_summary(
        user=users["observer"],
        cycle=cycle,
        perms=workspace_perms(users["observer"], cycle.workspace),
    )
    assert all(summary.counts[status] >= 1 for status in ProgressStatus.values), summary.counts


def test_demo_city_priority_serves_a_national_priority(demo):
    _users, national = demo
    city = Cycle.objects.get(workspace__slug="demo-dakar", title=CITY_CYCLE)
    (priority,) = Priority.objects.filter(cycle=city)
    assert priority.national_priority is not None
    assert priority.national_priority.cycle == national


def test_demo_users_see_what_their_role_allows(client, demo):
    users, cycle = demo
    home = reverse("mainstreaming:workspace_home", kwargs={"slug": "demo-senegal"})
    draft_text = "A new labour-force survey round"
    section = SituationSection.objects.get(cycle=cycle, narrative__contains=draft_text)
    section_url = section.get_absolute_url()

    client.force_login(users["reviewer"])
    waiting = client.get(home).context["waiting"]
    assert {(type(e.item).__name__, e.needed_action) for e in waiting} == {
        ("SituationSection", "review"),
        ("Section", "review"),
        ("Action", "review"),
        ("ProgressUpdate", "review"),
        ("Observation", "review"),
    }

    client.force_login(users["editor"])
    waiting = client.get(home).context["waiting"]
    assert [(type(e.item).__name__, e.needed_action) for e in waiting] == [
        ("SituationSection", "revise")
    ]
    assert draft_text in client.get(section_url).content.decode()

    client.force_login(users["observer"])
    response = client.get(home)
    body = response.content.decode()
    assert NATIONAL_CYCLE in body and "Approved items" in body
    assert "waiting" not in response.context
    body = client.get(section_url).content.decode()
    assert "labour-force surveys cover migration partly" in body  # the approved text
    assert draft_text not in body

    client.force_login(users["outsider"])
    assert client.get(home).status_code == 404
