import pytest

from stakeholders.models import Membership, Organisation, Workspace
from stakeholders.permissions import ROLE_PERMS, Perm, can, restrict, workspace_perms

from ..conftest import ROLES

pytestmark = pytest.mark.django_db


# Hand-written: what each role holds on its own workspace (DESIGN §3).
EXPECTED = {
    "coordinator": set(Perm),
    "editor": {
        Perm.ACCESS,
        Perm.VIEW_DRAFTS,
        Perm.EDIT,
        Perm.COMMENT,
        Perm.SUBMIT,
        Perm.SHARE,
        Perm.ANSWER_REQUESTS,
        Perm.REQUEST_REPORTS,
    },
    "reviewer": {Perm.ACCESS, Perm.VIEW_DRAFTS, Perm.COMMENT, Perm.REVIEW, Perm.REQUEST_REPORTS},
    "contributor": {Perm.ACCESS, Perm.COMMENT, Perm.ANSWER_REQUESTS, Perm.REQUEST_REPORTS},
    "observer": {Perm.ACCESS, Perm.REQUEST_REPORTS},
}


@pytest.mark.parametrize("role", ROLES)
def test_workspace_perms_match_the_design_table(world, role):
    assert workspace_perms(world[role], world.workspace) == EXPECTED[role]
    assert set(ROLE_PERMS[role]) == EXPECTED[role]


def test_outsider_holds_nothing_on_the_first_workspace(world):
    assert workspace_perms(world["outsider"], world.workspace) == frozenset()
    assert Perm.ACCESS in workspace_perms(world["outsider"], world.other)  # positive control


def test_national_coordinator_reads_local_workspace_but_nothing_more(world):
    perms = workspace_perms(world["coordinator"], world.city)
    assert perms == {Perm.ACCESS}
    assert workspace_perms(world["editor"], world.city) == frozenset()
    # The city coordinator does not read the national workspace.
    assert workspace_perms(world["citycoordinator"], world.workspace) == frozenset()


def test_anonymous_holds_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert workspace_perms(AnonymousUser(), world.workspace) == frozenset()
    assert not restrict(Workspace.objects.all(), AnonymousUser(), Perm.ACCESS).exists()


def test_can_and_restrict_always_agree(world):
    users = [*world.users.values()]
    objects = [
        *Workspace.objects.all(),
        *Organisation.objects.select_related("workspace"),
        *Membership.objects.select_related("workspace"),
    ]
    checked = 0
    for user in users:
        for perm in Perm:
            for model in (Workspace, Organisation, Membership):
                allowed = set(
                    restrict(model.objects.all(), user, perm).values_list("pk", flat=True)
                )
                for obj in objects:
                    if isinstance(obj, model):
                        assert can(user, perm, obj) == (obj.pk in allowed), (user, perm, obj)
                        checked += 1
    assert checked > 1000


def test_inactive_user_loses_everything(world):
    user = world["coordinator"]
    user.is_active = False
    user.save()
    assert workspace_perms(user, world.workspace) == frozenset()
    assert not restrict(Workspace.objects.all(), user, Perm.ACCESS).exists()
