"""The workspace's content version (stakeholders/cache.py, stakeholders/signals.py): which writes
bump which workspaces, in the writing transaction, and what the summary cache keys are made of."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import translation

from mainstreaming.services.cycles import cycle_create, situation_section_create
from stakeholders.cache import note_version_read, summary_cache_key, touch_workspace
from stakeholders.choices import Role
from stakeholders.models import Workspace
from stakeholders.permissions import Perm, role_group, workspace_perms
from stakeholders.review import comment_add, review_approve, review_submit
from stakeholders.services import (
    membership_update,
    organisation_update,
    user_update_account,
    workspace_update,
)

from ..factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def versions(world, *, note: bool = True) -> dict[str, int]:
    """The content version of the three workspaces of the world, as the database holds them;
    read as a page reads it (`note`), so that the next write in the test bumps it again."""
    if note:
        for workspace in (world.workspace, world.city, world.other):
            note_version_read(workspace.pk)
    rows = dict(
        Workspace.objects.filter(
            pk__in=[world.workspace.pk, world.city.pk, world.other.pk]
        ).values_list("slug", "content_version")
    )
    return {"national": rows["national"], "city": rows["city"], "other": rows["elsewhere"]}


def bumped(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {name for name in before if after[name] != before[name]}


def _cycle(world):
    return cycle_create(
        actor=world["editor"], workspace=world.workspace, title="Cycle", start_year=2025,
        end_year=2029,
    )  # fmt: skip


def test_item_writes_bump_their_workspace_only(world):
    before = versions(world)
    organisation = OrganisationFactory(workspace=world.workspace)
    after_create = versions(world)
    assert bumped(before, after_create) == {"national"}
    organisation_update(actor=world["coordinator"], organisation=organisation, acronym="NEW")
    after_update = versions(world)
    assert bumped(after_create, after_update) == {"national"}
    organisation.delete()
    assert bumped(after_update, versions(world)) == {"national"}


def test_a_write_in_another_workspace_does_not_bump_this_one(world):
    before = versions(world)
    OrganisationFactory(workspace=world.other)
    assert bumped(before, versions(world)) == {"other"}


def test_bulk_review_transitions_bump_through_the_event_log(world):
    cycle = _cycle(world)
    sections = list(cycle.sections.all()[:3])
    assert len(sections) == 3
    before = versions(world)
    review_submit(actor=world["editor"], items=sections)
    after_submit = versions(world)
    assert bumped(before, after_submit) == {"national"}
    review_approve(actor=world["reviewer"], items=sections)
    assert bumped(after_submit, versions(world)) == {"national"}


def test_comment_bumps_its_workspace(world):
    section = _cycle(world).sections.first()
    before = versions(world)
    comment_add(actor=world["coordinator"], item=section, body="Where do these figures come from?")
    assert bumped(before, versions(world)) == {"national"}


def test_membership_and_group_changes_bump_the_workspace_and_its_family(world):
    membership = world["observer"].memberships.get(workspace=world.workspace)
    before = versions(world)
    membership_update(actor=world["coordinator"], membership=membership, role=Role.EDITOR)
    # The national workspace and its local workspace (whose home says who may read it).
    assert bumped(before, versions(world)) == {"national", "city"}
    before = versions(world)
    world["outsider"].groups.add(role_group(world.city, Role.OBSERVER))
    assert bumped(before, versions(world)) == {"national", "city"}
    before = versions(world)
    role_group(world.other, Role.OBSERVER).user_set.add(world["observer"])
    assert bumped(before, versions(world)) == {"other"}


def test_workspace_save_bumps_itself_parent_and_local_workspaces(world):
    before = versions(world)
    workspace_update(actor=world["coordinator"], workspace=world.workspace, description="New")
    assert bumped(before, versions(world)) == {"national", "city"}
    before = versions(world)
    workspace_update(actor=world["citycoordinator"], workspace=world.city, description="New")
    assert bumped(before, versions(world)) == {"national", "city"}


def test_saving_a_stale_workspace_never_sets_its_version_back(world):
    versions(world)
    stale = Workspace.objects.get(pk=world.workspace.pk)
    touch_workspace(world.workspace.pk)
    current = versions(world)["national"]
    assert stale.content_version == current - 1
    stale.description = "Saved from an old copy"
    stale.save()
    assert stale.content_version == current + 1  # read back from the UPDATE
    assert versions(world)["national"] == current + 1


def test_a_user_renamed_bumps_the_workspaces_they_are_a_member_of(world):
    before = versions(world)
    user_update_account(user=world["citycoordinator"], first_name="Renamed")
    assert bumped(before, versions(world)) == {"city"}
    before = versions(world)
    world["observer"].save(update_fields=["last_login"])  # signing in changes nothing shown
    assert bumped(before, versions(world)) == set()


def test_many_to_many_changes_bump_the_item_workspace(world):
    from mainstreaming.models import Action

    from ..mainstreaming.bench_seed import seed_cycle_content

    cycle = _cycle(world)
    organisation = world.workspace.organisations.first()
    seed_cycle_content(cycle=cycle, actor=world["editor"], organisation=organisation, n=1)
    action = Action.objects.get(cycle=cycle)
    partner = OrganisationFactory(workspace=world.workspace)
    before = versions(world)
    action.partners.add(partner)
    after_add = versions(world)
    assert bumped(before, after_add) == {"national"}
    action.partners.clear()
    assert bumped(after_add, versions(world)) == {"national"}


def test_one_bump_per_transaction_unless_someone_read_the_version_in_between(world):
    cycle = _cycle(world)
    with transaction.atomic():
        start = versions(world)["national"]
        OrganisationFactory(workspace=world.workspace)
        OrganisationFactory(workspace=world.workspace)
        situation_section_create(actor=world["editor"], cycle=cycle, title="One")
        # Three rows written: the first bumped, the others were covered by that bump.
        once = versions(world, note=False)["national"]
        assert once == start + 1
        # Reading the version (a page in this same transaction) makes the next write bump it.
        workspace = Workspace.objects.get(pk=world.workspace.pk)
        summary_cache_key(
            "home", workspace=workspace, user=world["editor"], perms=frozenset({Perm.ACCESS})
        )
        OrganisationFactory(workspace=world.workspace)
        assert versions(world)["national"] == once + 1


def test_a_bump_rolled_back_with_its_savepoint_is_made_again(world):
    with transaction.atomic():
        start = versions(world)["national"]
        with pytest.raises(RuntimeError), transaction.atomic():
            OrganisationFactory(workspace=world.workspace)
            assert versions(world)["national"] == start + 1
            raise RuntimeError("roll back")
        assert versions(world)["national"] == start
        OrganisationFactory(workspace=world.workspace)
        assert versions(world)["national"] == start + 1


def test_outside_a_transaction_every_touch_bumps(world, django_assert_num_queries):
    start = versions(world)["national"]
    with django_assert_num_queries(1):
        touch_workspace(world.workspace.pk)
    assert versions(world)["national"] == start + 1


def test_cache_key_is_per_user_permissions_language_and_query(world):
    """Not per version: the entry holds its version (a reader's view takes one entry)."""
    workspace = Workspace.objects.get(pk=world.workspace.pk)
    coordinator, observer = world["coordinator"], world["observer"]
    perms = workspace_perms(coordinator, workspace)

    def key(**kwargs):
        options = {"workspace": workspace, "user": coordinator, "perms": perms, **kwargs}
        return summary_cache_key("home", **options)

    base = key()
    assert key() == base  # positive control: the same reader and version share the entry
    assert key(user=observer, perms=workspace_perms(observer, workspace)) != base
    assert key(perms=perms - {Perm.VIEW_DRAFTS}) != base
    assert key(extra=["page=2"]) != base
    with translation.override("fr"):
        assert key() != base
    workspace.content_version += 1
    assert key() == base  # the entry says which version it shows (test_summary_cache)
    assert summary_cache_key("monitoring", workspace=workspace, user=coordinator, perms=perms) != (
        base
    )


def test_membership_factory_for_new_member_bumps(world):
    before = versions(world)
    MembershipFactory(workspace=world.city, role=Role.OBSERVER)
    assert bumped(before, versions(world)) == {"national", "city"}
