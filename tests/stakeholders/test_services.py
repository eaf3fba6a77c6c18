from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from stakeholders.choices import InvitationStatus, Role, WorkspaceLevel
from stakeholders.models import Invitation, Membership, User, Workspace
from stakeholders.permissions import Perm, workspace_perms
from stakeholders.services import (
    InvitationInvalid,
    invitation_accept,
    invitation_create,
    invitation_for_token_unrestricted,
    invitation_revoke,
    membership_remove,
    membership_update,
    organisation_create,
    workspace_create,
)

from ..factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _invite(world, email="new.person@example.org", role=Role.EDITOR, **kwargs):
    organisation = world.workspace.organisations.first()
    return invitation_create(
        actor=world["coordinator"],
        workspace=world.workspace,
        email=email,
        role=role,
        organisation=organisation,
        **kwargs,
    )


def test_workspace_create_grants_role_groups(world):
    workspace = workspace_create(
        actor=None,
        name="New",
        slug="new",
        level=WorkspaceLevel.NATIONAL,
        country="MAR",
    )
    assert workspace.history.count() == 1
    assert workspace_perms(world["coordinator"], workspace) == frozenset()


def test_workspace_create_refuses_local_without_national_parent(world):
    with pytest.raises(ValidationError) as error:
        workspace_create(
            actor=None,
            name="Lost city",
            slug="lost",
            level=WorkspaceLevel.LOCAL,
            country="SEN",
            locality="Lost",
        )
    assert "parent" in error.value.message_dict


def test_workspace_create_refuses_parent_in_another_country(world):
    with pytest.raises(ValidationError) as error:
        workspace_create(
            actor=None,
            name="Manila",
            slug="manila",
            level=WorkspaceLevel.LOCAL,
            country="PHL",
            locality="Manila",
            parent=world.workspace,
        )
    assert "same country" in str(error.value)
    assert not Workspace.objects.filter(slug="manila").exists()


def test_workspace_create_refuses_unknown_country(world):
    with pytest.raises(ValidationError) as error:
        workspace_create(
            actor=None, name="X", slug="x", level=WorkspaceLevel.NATIONAL, country="XXX"
        )
    assert "country" in error.value.message_dict


def test_organisation_create_records_history_with_actor(world):
    organisation = organisation_create(
        actor=world["coordinator"],
        workspace=world.workspace,
        name="Ministry of Health",
        acronym="MOH",
        kind="ministry",
        country="SEN",
    )
    record = organisation.history.get()
    assert record.history_type == "+"
    assert record.history_user == world["coordinator"]


def test_organisation_create_refuses_duplicate_name_in_workspace(world):
    existing = world.workspace.organisations.first()
    with pytest.raises(ValidationError):
        organisation_create(
            actor=world["coordinator"],
            workspace=world.workspace,
            name=existing.name.upper(),
            kind="ministry",
        )
    # The same name is fine in another workspace (positive control).
    organisation_create(
        actor=world["outsider"], workspace=world.other, name=existing.name, kind="ministry"
    )


def test_invitation_create_sends_one_email_with_single_use_link(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation, token = _invite(world)
    assert len(callbacks) == 1
    assert invitation.status == InvitationStatus.PENDING
    assert invitation.token_hash != token and token not in invitation.token_hash
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert f"/invitations/{token}/" in message.body
    assert world.workspace.name in message.body


def test_invitation_create_replaces_pending_invitation_to_same_address(world):
    first, first_token = _invite(world)
    second, second_token = _invite(world, email="NEW.person@example.org")
    first.refresh_from_db()
    assert first.status == InvitationStatus.REVOKED
    assert second.status == InvitationStatus.PENDING
    with pytest.raises(InvitationInvalid) as error:
        invitation_for_token_unrestricted(first_token)
    assert error.value.reason == InvitationInvalid.REVOKED
    assert invitation_for_token_unrestricted(second_token) == second


def test_invitation_create_refuses_existing_member(world):
    with pytest.raises(ValidationError):
        _invite(world, email=world["editor"].email)
    assert not Invitation.objects.filter(email=world["editor"].email).exists()


def test_invitation_accept_creates_account_and_membership(world):
    invitation, token = _invite(world, role=Role.REVIEWER)
    membership = invitation_accept(
        token=token, username="newperson", password="a-very-long-passphrase", first_name="New"
    )
    assert membership.role == Role.REVIEWER
    assert membership.user.email == "new.person@example.org"
    assert membership.user.check_password("a-very-long-passphrase")
    assert Perm.REVIEW in workspace_perms(membership.user, world.workspace)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.accepted_by == membership.user


def test_invitation_accept_attaches_existing_account(world):
    person = UserFactory(email="known@example.org")
    _invitation, token = _invite(world, email="known@example.org", role=Role.OBSERVER)
    membership = invitation_accept(token=token, user=person)
    assert membership.user == person
    assert User.objects.filter(email__iexact="known@example.org").count() == 1


def test_invitation_accept_refuses_new_account_when_email_is_taken(world):
    UserFactory(email="known@example.org")
    _invitation, token = _invite(world, email="known@example.org")
    with pytest.raises(ValidationError):
        invitation_accept(token=token, username="another", password="a-very-long-passphrase")
    assert not User.objects.filter(username="another").exists()


def test_invitation_accept_refuses_another_signed_in_account(world):
    _invitation, token = _invite(world, email="someone@example.org")
    with pytest.raises(ValidationError):
        invitation_accept(token=token, user=world["outsider"])
    assert not Membership.objects.filter(user=world["outsider"], workspace=world.workspace).exists()


def test_invitation_accept_refuses_weak_password_and_creates_nothing(world):
    invitation, token = _invite(world)
    with pytest.raises(ValidationError):
        invitation_accept(token=token, username="weak", password="12345")
    assert not User.objects.filter(username="weak").exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_invitation_accept_twice_is_refused(world):
    _invitation, token = _invite(world)
    invitation_accept(token=token, username="first", password="a-very-long-passphrase")
    with pytest.raises(InvitationInvalid) as error:
        invitation_accept(token=token, username="second", password="a-very-long-passphrase")
    assert error.value.reason == InvitationInvalid.USED
    assert not User.objects.filter(username="second").exists()


def test_invitation_accept_after_expiry_is_refused(world):
    _invitation, token = _invite(world)
    with (
        time_machine.travel(timezone.now() + timedelta(days=15)),
        pytest.raises(InvitationInvalid) as error,
    ):
        invitation_accept(token=token, username="late", password="a-very-long-passphrase")
    assert error.value.reason == InvitationInvalid.EXPIRED
    assert not User.objects.filter(username="late").exists()
    # Within the validity period the same token works (positive control).
    invitation_accept(token=token, username="ontime", password="a-very-long-passphrase")


def test_invitation_accept_with_tampered_token_is_refused(world):
    _invitation, token = _invite(world)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(InvitationInvalid) as error:
        invitation_accept(token=tampered, username="tamper", password="a-very-long-passphrase")
    assert error.value.reason == InvitationInvalid.UNKNOWN
    assert not User.objects.filter(username="tamper").exists()


def test_invitation_revoke_blocks_the_link(world):
    invitation, token = _invite(world)
    invitation_revoke(actor=world["coordinator"], invitation=invitation)
    with pytest.raises(InvitationInvalid) as error:
        invitation_accept(token=token, username="late", password="a-very-long-passphrase")
    assert error.value.reason == InvitationInvalid.REVOKED


def test_membership_update_changes_role_and_permissions(world):
    membership = Membership.objects.get(user=world["observer"], workspace=world.workspace)
    assert Perm.EDIT not in workspace_perms(world["observer"], world.workspace)
    membership_update(actor=world["coordinator"], membership=membership, role=Role.EDITOR)
    assert Perm.EDIT in workspace_perms(world["observer"], world.workspace)
    assert (
        world["observer"].groups.filter(name__startswith=f"workspace:{world.workspace.pk}:").count()
        == 1
    )
    assert membership.history.first().history_user == world["coordinator"]


def test_membership_update_refuses_demoting_the_last_coordinator(world):
    membership = Membership.objects.get(user=world["coordinator"], workspace=world.workspace)
    with pytest.raises(ValidationError) as error:
        membership_update(actor=world["coordinator"], membership=membership, role=Role.EDITOR)
    assert error.value.code == "last_coordinator"
    membership.refresh_from_db()
    assert membership.role == Role.COORDINATOR


def test_membership_remove_refuses_the_last_coordinator_but_allows_with_another(world):
    coordinator = Membership.objects.get(user=world["coordinator"], workspace=world.workspace)
    with pytest.raises(ValidationError):
        membership_remove(actor=world["coordinator"], membership=coordinator)
    assert Membership.objects.filter(pk=coordinator.pk).exists()
    editor = Membership.objects.get(user=world["editor"], workspace=world.workspace)
    membership_update(actor=world["coordinator"], membership=editor, role=Role.COORDINATOR)
    membership_remove(actor=world["editor"], membership=coordinator)
    assert not Membership.objects.filter(pk=coordinator.pk).exists()
    assert workspace_perms(world["coordinator"], world.workspace) == frozenset()


def test_membership_remove_records_deletion_in_history(world):
    membership = Membership.objects.get(user=world["observer"], workspace=world.workspace)
    pk = membership.pk
    membership_remove(actor=world["coordinator"], membership=membership)
    record = Membership.history.filter(id=pk).first()
    assert record.history_type == "-"
    assert record.history_user == world["coordinator"]


def test_membership_organisation_must_belong_to_workspace(world):
    membership = Membership.objects.get(user=world["observer"], workspace=world.workspace)
    foreign = OrganisationFactory(workspace=world.other)
    with pytest.raises(ValidationError):
        membership_update(actor=world["coordinator"], membership=membership, organisation=foreign)
    membership.refresh_from_db()
    assert membership.organisation.workspace == world.workspace


def test_organisation_update_refuses_a_cycle_of_parents(world):
    from stakeholders.services import organisation_update

    parent = organisation_create(
        actor=world["coordinator"], workspace=world.workspace, name="Ministry", kind="ministry"
    )
    unit = organisation_create(
        actor=world["coordinator"],
        workspace=world.workspace,
        name="Department",
        kind="ministry",
        parent=parent,
    )
    with pytest.raises(ValidationError) as error:
        organisation_update(actor=world["coordinator"], organisation=parent, parent=unit)
    assert "under itself" in str(error.value)
    parent.refresh_from_db()
    assert parent.parent is None
    assert unit.parent == parent  # the legal direction was kept (positive control)
