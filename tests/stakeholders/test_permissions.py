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


# Readability of reviewable content: restrict_readable (any workspaces, by the user's grants)
# and restrict_readable_with (one workspace, by perms already known) agree.


def _sections_in_every_state(workspace, *, editor, reviewer):
    """One situation section per review state of a fresh cycle of `workspace`, by name."""
    from mainstreaming.services import cycle_create
    from stakeholders.review import (
        review_approve,
        review_edit,
        review_return,
        review_share,
        review_submit,
    )

    cycle = cycle_create(
        actor=editor, workspace=workspace, title="Cycle", start_year=2025, end_year=2029
    )
    names = (
        "draft",
        "draft_shared",
        "submitted",
        "approved",
        "approved_then_edited",
        "returned",
        "returned_shared",
    )
    items = dict(zip(names, cycle.sections.order_by("position"), strict=False))
    assert len(items) == len(names)
    review_submit(
        actor=editor,
        items=[items[n] for n in ("submitted", "approved", "approved_then_edited", "returned")]
        + [items["returned_shared"]],
    )
    review_approve(actor=reviewer, items=[items["approved"], items["approved_then_edited"]])
    review_return(
        actor=reviewer, items=[items["returned"], items["returned_shared"]], reason="Sources?"
    )
    edited = items["approved_then_edited"]
    edited.refresh_from_db()
    review_edit(actor=editor, item=edited, expected_lock_version=edited.lock_version, title="V2")
    review_share(actor=editor, items=[items["draft_shared"], items["returned_shared"]], shared=True)
    return {name: item.pk for name, item in items.items()}


def test_restrict_readable_with_agrees_with_restrict_readable_for_every_role_and_state(world):
    from django.contrib.auth.models import AnonymousUser

    from mainstreaming.models import SituationSection
    from stakeholders.choices import Role
    from stakeholders.permissions import (
        can_read_item_with,
        restrict_readable,
        restrict_readable_with,
    )
    from stakeholders.review import ReviewState

    from ..factories import MembershipFactory

    national = _sections_in_every_state(
        world.workspace, editor=world["editor"], reviewer=world["reviewer"]
    )
    city_editor = MembershipFactory(workspace=world.city, role=Role.EDITOR).user
    city = _sections_in_every_state(
        world.city, editor=city_editor, reviewer=world["citycoordinator"]
    )
    states = set(
        SituationSection.objects.filter(pk__in=national.values()).values_list(
            "review_state", flat=True
        )
    )
    assert states == set(ReviewState.values)  # every state is covered
    users = {**world.users, "anonymous": AnonymousUser()}
    seen = {}
    for workspace, pks in ((world.workspace, national), (world.city, city)):
        queryset = SituationSection.objects.filter(workspace=workspace)
        items = list(queryset.filter(pk__in=pks.values()))
        for name, user in users.items():
            perms = workspace_perms(user, workspace)
            mine = set(restrict_readable_with(queryset, perms).values_list("pk", flat=True))
            theirs = set(restrict_readable(queryset, user).values_list("pk", flat=True))
            assert mine == theirs, (name, workspace.slug)
            assert mine & set(pks.values()) == {
                item.pk for item in items if can_read_item_with(perms, item)
            }, (name, workspace.slug)
            by_name = {k for k, pk in pks.items() if pk in mine}
            seen[(name, workspace.slug)] = by_name
    # Positive controls, by hand (DESIGN §3): drafts readers read every state, contributors
    # the approved and the shared ones, observers and national coordinators on a local
    # workspace the approved ones, everyone else nothing.
    every = set(national)
    approved = {"approved", "approved_then_edited"}
    assert seen[("coordinator", "national")] == every
    assert seen[("editor", "national")] == every
    assert seen[("reviewer", "national")] == every
    assert seen[("contributor", "national")] == approved | {"draft_shared", "returned_shared"}
    assert seen[("observer", "national")] == approved
    assert seen[("citycoordinator", "city")] == every
    assert seen[("coordinator", "city")] == approved
    for name in ("outsider", "anonymous", "citycoordinator"):
        assert seen[(name, "national")] == set()
    for name in ("editor", "reviewer", "contributor", "observer", "outsider", "anonymous"):
        assert seen[(name, "city")] == set()
