import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from stakeholders.choices import Role
from stakeholders.demo import ACCOUNTS, DEMO_PASSWORD
from stakeholders.models import Membership, Organisation, Workspace
from stakeholders.permissions import Perm, workspace_perms

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        Workspace.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
        get_user_model().objects.count(),
    )


def test_load_demo_is_safe_to_run_again(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    first = _counts()
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == first
    assert first[0] == 3 and first[3] == len(ACCOUNTS)


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
