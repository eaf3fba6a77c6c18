import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from stakeholders.choices import InvitationStatus, OrganisationKind, Role
from stakeholders.models import Invitation, Membership, Organisation, User, Workspace
from stakeholders.permissions import Perm, role_group_name, workspace_perms
from stakeholders.services import (
    invitation_create,
    invitation_revoke,
    membership_update,
    organisation_update,
)

from ..factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"stakeholders:{name}", kwargs=kwargs)


def _membership(world, role):
    return Membership.objects.get(workspace=world.workspace, user=world[role])


def _organisation(world):
    return _membership(world, "coordinator").organisation


def _invite(world, email="new.person@example.org", role=Role.EDITOR):
    return invitation_create(
        actor=world["coordinator"],
        workspace=world.workspace,
        email=email,
        role=role,
        organisation=_organisation(world),
    )


# Members -------------------------------------------------------------------------------------


def test_membership_list_shows_members_and_hides_management_from_observer(client, world):
    client.force_login(world["observer"])
    response = client.get(url("membership_list", slug="national"))
    assert response.status_code == 200
    body = response.content.decode()
    assert str(world["editor"]) in body
    assert "Reviewer" in body
    assert url("membership_update", slug="national", pk=_membership(world, "editor").pk) not in body
    assert "Invite someone" not in body

    client.force_login(world["coordinator"])
    body = client.get(url("membership_list", slug="national")).content.decode()
    assert url("membership_update", slug="national", pk=_membership(world, "editor").pk) in body
    assert "Invite someone" in body


def test_membership_list_filters_by_role(client, world):
    client.force_login(world["coordinator"])
    body = client.get(url("membership_list", slug="national"), {"role": "editor"}).content.decode()
    assert str(world["editor"]) in body
    assert str(world["observer"]) not in body
    assert "1 member" in body


def test_invitation_create_sends_email_with_link(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["coordinator"])
    organisation = _organisation(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("invitation_create", slug="national"),
            {"email": "amina@example.org", "role": Role.REVIEWER, "organisation": organisation.pk},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == url("membership_list", slug="national")
    assert "Invitation sent to amina@example.org" in response.content.decode()
    invitation = Invitation.objects.get(email="amina@example.org")
    assert invitation.status == InvitationStatus.PENDING
    assert invitation.role == Role.REVIEWER
    assert invitation.invited_by == world["coordinator"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amina@example.org"]
    assert "National workspace" in mail.outbox[0].subject
    match = re.search(r"/invitations/([\w-]+)/", mail.outbox[0].body)
    assert match is not None
    # The emailed link is the working one.
    assert client.get(f"/invitations/{match.group(1)}/").status_code == 200


def test_invitation_create_shows_service_error_and_keeps_input(client, world):
    client.force_login(world["coordinator"])
    response = client.post(
        url("invitation_create", slug="national"),
        {
            "email": world["editor"].email,
            "role": Role.REVIEWER,
            "organisation": _organisation(world).pk,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'href="#id_email"' in body
    assert "already a member" in body
    assert f'value="{world["editor"].email}"' in body
    assert not Invitation.objects.filter(email=world["editor"].email).exists()


def test_invitation_create_refuses_organisation_of_another_workspace(client, world):
    foreign = Membership.objects.get(user=world["outsider"]).organisation
    client.force_login(world["coordinator"])
    response = client.post(
        url("invitation_create", slug="national"),
        {"email": "x@example.org", "role": Role.EDITOR, "organisation": foreign.pk},
    )
    assert response.status_code == 200
    assert 'href="#id_organisation"' in response.content.decode()
    assert not Invitation.objects.filter(email="x@example.org").exists()


def test_membership_update_changes_role(client, world):
    membership = _membership(world, "observer")
    client.force_login(world["coordinator"])
    page = client.get(url("membership_update", slug="national", pk=membership.pk))
    assert page.status_code == 200
    assert str(world["observer"]) in page.content.decode()
    response = client.post(
        url("membership_update", slug="national", pk=membership.pk),
        {"role": Role.REVIEWER, "organisation": membership.organisation_id, "focal_point": "on"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.REVIEWER
    assert membership.focal_point is True
    assert membership.history.first().history_user == world["coordinator"]


def test_membership_update_refuses_to_demote_last_coordinator(client, world):
    membership = _membership(world, "coordinator")
    client.force_login(world["coordinator"])
    response = client.post(
        url("membership_update", slug="national", pk=membership.pk),
        {"role": Role.EDITOR, "organisation": membership.organisation_id},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "at least one coordinator" in body
    membership.refresh_from_db()
    assert membership.role == Role.COORDINATOR


def test_membership_delete_asks_for_confirmation_then_removes(client, world):
    membership = _membership(world, "contributor")
    client.force_login(world["coordinator"])
    page = client.get(url("membership_delete", slug="national", pk=membership.pk))
    assert page.status_code == 200
    assert "Remove member" in page.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()  # GET changes nothing

    response = client.post(url("membership_delete", slug="national", pk=membership.pk), follow=True)
    assert response.status_code == 200
    assert "was removed from the workspace" in response.content.decode()
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_membership_delete_refuses_last_coordinator(client, world):
    membership = _membership(world, "coordinator")
    client.force_login(world["coordinator"])
    response = client.post(url("membership_delete", slug="national", pk=membership.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "at least one coordinator" in body
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_membership_from_another_workspace_is_404(client, world):
    foreign = Membership.objects.get(user=world["outsider"])
    client.force_login(world["coordinator"])
    assert client.get(url("membership_delete", slug="national", pk=foreign.pk)).status_code == 404
    own = _membership(world, "observer")
    assert client.get(url("membership_delete", slug="national", pk=own.pk)).status_code == 200


def test_invitation_revoke_confirms_then_revokes(client, world):
    invitation, _token = _invite(world)
    client.force_login(world["coordinator"])
    page = client.get(url("invitation_revoke", slug="national", pk=invitation.pk))
    assert page.status_code == 200
    assert "Revoke the invitation to new.person@example.org?" in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING

    response = client.post(url("invitation_revoke", slug="national", pk=invitation.pk), follow=True)
    assert "was revoked" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED


# Organisations -------------------------------------------------------------------------------


def test_organisation_list_searches_and_serves_fragment_to_htmx(client, world):
    OrganisationFactory(workspace=world.workspace, name="Ministry of Labour", acronym="MOL")
    OrganisationFactory(
        workspace=world.workspace,
        name="Diaspora Forum",
        acronym="DF",
        kind=OrganisationKind.DIASPORA,
    )
    client.force_login(world["observer"])

    full = client.get(url("organisation_list", slug="national"), {"q": "labour"})
    body = full.content.decode()
    assert "<html" in body
    assert "Ministry of Labour" in body
    assert "Diaspora Forum" not in body

    fragment = client.get(
        url("organisation_list", slug="national"), {"q": "forum"}, headers={"HX-Request": "true"}
    )
    body = fragment.content.decode()
    assert "<html" not in body
    assert "<h1" not in body
    assert 'id="organisation-results"' in body
    assert "Diaspora Forum" in body
    assert "Ministry of Labour" not in body
    assert "HX-Request" in fragment["Vary"]

    by_kind = client.get(
        url("organisation_list", slug="national"), {"kind": OrganisationKind.DIASPORA}
    ).content.decode()
    assert "Diaspora Forum" in by_kind
    assert "Ministry of Labour" not in by_kind


def test_organisation_list_paginates_by_25(client, world):
    for number in range(30):
        OrganisationFactory(workspace=world.workspace, name=f"Agency {number:02d}")
    client.force_login(world["observer"])
    first = client.get(url("organisation_list", slug="national"), {"q": "agency"})
    body = first.content.decode()
    assert body.count("Agency ") == 25
    assert "?q=agency&amp;page=2" in body
    assert 'aria-current="page"' in body
    assert '<span class="visually-hidden">Page </span>2</a>' in body
    second = client.get(url("organisation_list", slug="national"), {"q": "agency", "page": 2})
    assert second.content.decode().count("Agency ") == 5


def test_organisation_create_through_form(client, world):
    parent = _organisation(world)
    client.force_login(world["coordinator"])
    assert client.get(url("organisation_create", slug="national")).status_code == 200
    response = client.post(
        url("organisation_create", slug="national"),
        {
            "name": "Department of Diaspora Affairs",
            "acronym": "DDA",
            "kind": OrganisationKind.MINISTRY,
            "country": "SEN",
            "parent": parent.pk,
            "website": "",
        },
    )
    organisation = Organisation.objects.get(name="Department of Diaspora Affairs")
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.workspace == world.workspace
    assert organisation.parent == parent
    assert organisation.history.first().history_user == world["coordinator"]


def test_organisation_create_refuses_parent_from_another_workspace(client, world):
    foreign = Membership.objects.get(user=world["outsider"]).organisation
    client.force_login(world["coordinator"])
    response = client.post(
        url("organisation_create", slug="national"),
        {"name": "Unit", "kind": OrganisationKind.MINISTRY, "parent": foreign.pk},
    )
    assert response.status_code == 200
    assert 'href="#id_parent"' in response.content.decode()
    assert not Organisation.objects.filter(name="Unit").exists()


def test_organisation_create_refuses_duplicate_name(client, world):
    existing = _organisation(world)
    client.force_login(world["coordinator"])
    response = client.post(
        url("organisation_create", slug="national"),
        {"name": existing.name.upper(), "kind": OrganisationKind.MINISTRY},
    )
    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert Organisation.objects.filter(name__iexact=existing.name).count() == 1


def test_organisation_detail_lists_its_members(client, world):
    organisation = _membership(world, "editor").organisation
    client.force_login(world["contributor"])
    body = client.get(
        url("organisation_detail", slug="national", pk=organisation.pk)
    ).content.decode()
    assert organisation.name in body
    assert str(world["editor"]) in body
    assert str(world["observer"]) not in body


def test_organisation_update_through_form(client, world):
    organisation = _organisation(world)
    client.force_login(world["coordinator"])
    response = client.post(
        url("organisation_update", slug="national", pk=organisation.pk),
        {
            "name": "Renamed ministry",
            "acronym": organisation.acronym,
            "kind": organisation.kind,
            "country": organisation.country,
            "website": "",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Renamed ministry"


# Workspace settings and activity ---------------------------------------------------------------


def test_workspace_update_saves_settings(client, world):
    lead = _organisation(world)
    client.force_login(world["coordinator"])
    assert client.get(url("workspace_update", slug="national")).status_code == 200
    response = client.post(
        url("workspace_update", slug="national"),
        {
            "name": "Senegal national workspace",
            "lead_organisation": lead.pk,
            "development_plan": "Plan Sénégal Émergent",
            "time_zone": "Africa/Dakar",
            "description": "Our *shared* space.",
            "suppression_threshold": "10",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/w/national/"
    assert "<em>shared</em>" in response.content.decode()
    world.workspace.refresh_from_db()
    assert world.workspace.name == "Senegal national workspace"
    assert world.workspace.lead_organisation == lead
    assert world.workspace.suppression_threshold == 10


def test_workspace_update_refuses_lead_from_another_workspace(client, world):
    foreign = Membership.objects.get(user=world["outsider"]).organisation
    client.force_login(world["coordinator"])
    response = client.post(
        url("workspace_update", slug="national"),
        {"name": "X", "lead_organisation": foreign.pk, "time_zone": "UTC"},
    )
    assert response.status_code == 200
    assert 'href="#id_lead_organisation"' in response.content.decode()
    world.workspace.refresh_from_db()
    assert world.workspace.name == "National workspace"


def test_activity_shows_who_changed_what(client, world):
    membership = _membership(world, "observer")
    old_organisation = membership.organisation
    new_organisation = _membership(world, "editor").organisation
    membership_update(
        actor=world["coordinator"],
        membership=membership,
        role=Role.REVIEWER,
        organisation=new_organisation,
    )
    organisation_update(
        actor=world["coordinator"], organisation=_organisation(world), name="Ministry of Planning"
    )
    invitation, _token = _invite(world, email="someone@example.org")
    invitation_revoke(actor=world["coordinator"], invitation=invitation)
    # Another workspace's history never shows here.
    organisation_update(
        actor=world["outsider"],
        organisation=Membership.objects.get(user=world["outsider"]).organisation,
        name="Secret agency",
    )

    client.force_login(world["coordinator"])
    response = client.get(url("activity", slug="national"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Membership changed" in body
    assert "<del>Observer</del>" in body
    assert "<ins>Reviewer</ins>" in body
    assert f"<del>{old_organisation}</del>" in body
    assert f"<ins>{new_organisation}</ins>" in body
    assert "<ins>Ministry of Planning</ins>" in body
    assert "Invitation created" in body
    assert "<del>Pending</del>" in body and "<ins>Revoked</ins>" in body
    assert str(world["coordinator"]) in body
    assert "Secret agency" not in body


def test_activity_is_paginated(client, world):
    organisation = _organisation(world)
    for number in range(55):
        organisation_update(
            actor=world["coordinator"], organisation=organisation, acronym=f"A{number}"
        )
    client.force_login(world["coordinator"])
    first = client.get(url("activity", slug="national")).content.decode()
    assert "<ins>A54</ins>" in first
    assert "<ins>A0</ins>" not in first
    assert "page=2" in first
    assert '<span class="visually-hidden">Page </span>2</a>' in first
    second = client.get(url("activity", slug="national"), {"page": 2}).content.decode()
    assert "<ins>A0</ins>" in second


# Invitation links ----------------------------------------------------------------------------


def _accept_url(token):
    return url("invitation_accept", token=token)


def test_invitation_accept_creates_account_membership_and_signs_in(client, world):
    invitation, token = _invite(world, email="fatou@example.org", role=Role.CONTRIBUTOR)
    page = client.get(_accept_url(token))
    assert page.status_code == 200
    assert "Create your account" in page.content.decode()

    response = client.post(
        _accept_url(token),
        {
            "username": "fatou",
            "first_name": "Fatou",
            "last_name": "Diop",
            "password": "a-very-long-passphrase-9",
            "password_confirmation": "a-very-long-passphrase-9",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/w/national/"
    user = User.objects.get(username="fatou")
    assert user.email == "fatou@example.org"
    assert Membership.objects.get(user=user, workspace=world.workspace).role == Role.CONTRIBUTOR
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    home = client.get("/w/national/")
    assert home.status_code == 200
    assert "Fatou Diop" in home.content.decode()


def test_invitation_accept_rejects_weak_or_mismatched_password(client, world):
    _invitation, token = _invite(world, email="fatou@example.org")
    response = client.post(
        _accept_url(token),
        {
            "username": "fatou",
            "first_name": "Fatou",
            "last_name": "Diop",
            "password": "short",
            "password_confirmation": "short",
        },
    )
    assert response.status_code == 200
    assert 'href="#id_password"' in response.content.decode()
    response = client.post(
        _accept_url(token),
        {
            "username": "fatou",
            "first_name": "Fatou",
            "last_name": "Diop",
            "password": "a-very-long-passphrase-9",
            "password_confirmation": "another-one-9876",
        },
    )
    assert 'href="#id_password_confirmation"' in response.content.decode()
    assert not User.objects.filter(username="fatou").exists()


def test_invitation_accept_with_existing_account(client, world):
    person = UserFactory(email="known@example.org")
    _invitation, token = _invite(world, email="known@example.org", role=Role.REVIEWER)

    anonymous = client.get(_accept_url(token)).content.decode()
    assert "Sign in to accept" in anonymous
    assert f"/accounts/login/?next=%2Finvitations%2F{token}%2F" in anonymous
    assert "Create your account" not in anonymous

    client.force_login(world["editor"])
    other = client.get(_accept_url(token)).content.decode()
    assert "You are signed in as" in other
    assert client.post(_accept_url(token)).status_code == 400
    assert not Membership.objects.filter(user=person, workspace=world.workspace).exists()

    client.force_login(person)
    page = client.get(_accept_url(token)).content.decode()
    assert "Accept invitation" in page
    response = client.post(_accept_url(token))
    assert response.status_code == 302
    assert Membership.objects.get(user=person, workspace=world.workspace).role == Role.REVIEWER


def _assert_nothing_created(world, users_before, memberships_before):
    assert User.objects.count() == users_before
    assert Membership.objects.count() == memberships_before


def test_invitation_accept_expired_link(client, world):
    _invitation, token = _invite(world, email="late@example.org")
    users, memberships = User.objects.count(), Membership.objects.count()
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        page = client.get(_accept_url(token))
        assert page.status_code == 410
        assert "This invitation has expired" in page.content.decode()
        response = client.post(
            _accept_url(token),
            {
                "username": "late",
                "first_name": "L",
                "last_name": "Ate",
                "password": "a-very-long-passphrase-9",
                "password_confirmation": "a-very-long-passphrase-9",
            },
        )
        assert response.status_code == 410
    _assert_nothing_created(world, users, memberships)


def test_invitation_accept_used_link(client, world):
    _invitation, token = _invite(world, email="once@example.org")
    data = {
        "username": "once",
        "first_name": "O",
        "last_name": "Nce",
        "password": "a-very-long-passphrase-9",
        "password_confirmation": "a-very-long-passphrase-9",
    }
    assert client.post(_accept_url(token), data).status_code == 302
    client.logout()
    users, memberships = User.objects.count(), Membership.objects.count()
    page = client.get(_accept_url(token))
    assert page.status_code == 410
    assert "already been used" in page.content.decode()
    again = client.post(_accept_url(token), {**data, "username": "twice"})
    assert again.status_code == 410
    _assert_nothing_created(world, users, memberships)


def test_invitation_accept_revoked_link(client, world):
    invitation, token = _invite(world, email="revoked@example.org")
    invitation_revoke(actor=world["coordinator"], invitation=invitation)
    users, memberships = User.objects.count(), Membership.objects.count()
    page = client.get(_accept_url(token))
    assert page.status_code == 410
    assert "This invitation was withdrawn" in page.content.decode()
    response = client.post(
        _accept_url(token),
        {
            "username": "revoked",
            "first_name": "R",
            "last_name": "V",
            "password": "a-very-long-passphrase-9",
            "password_confirmation": "a-very-long-passphrase-9",
        },
    )
    assert response.status_code == 410
    _assert_nothing_created(world, users, memberships)


def test_invitation_accept_tampered_link(client, world):
    _invitation, token = _invite(world, email="tamper@example.org")
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    users, memberships = User.objects.count(), Membership.objects.count()
    page = client.get(_accept_url(tampered))
    assert page.status_code == 404
    assert "This invitation link is not valid" in page.content.decode()
    response = client.post(
        _accept_url(tampered),
        {
            "username": "tamper",
            "first_name": "T",
            "last_name": "P",
            "password": "a-very-long-passphrase-9",
            "password_confirmation": "a-very-long-passphrase-9",
        },
    )
    assert response.status_code == 404
    _assert_nothing_created(world, users, memberships)
    # Positive control: the untampered token still works.
    assert client.get(_accept_url(token)).status_code == 200


# Platform administration ---------------------------------------------------------------------


@pytest.fixture
def admin_client(client, world):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_changelists_render(admin_client, world):
    _invite(world)
    for model in ("user", "workspace", "organisation", "membership", "invitation"):
        response = admin_client.get(f"/admin/stakeholders/{model}/")
        assert response.status_code == 200, model


def test_admin_workspace_add_goes_through_service(admin_client, world):
    response = admin_client.post(
        "/admin/stakeholders/workspace/add/",
        {
            "name": "Morocco national workspace",
            "slug": "morocco",
            "level": "national",
            "country": "MAR",
            "locality": "",
            "development_plan": "",
            "time_zone": "Africa/Casablanca",
            "description": "",
            "suppression_threshold": "5",
        },
    )
    assert response.status_code == 302
    workspace = Workspace.objects.get(slug="morocco")
    # The service made the role groups; a plain save would not.
    assert Group.objects.filter(name=role_group_name(workspace, Role.COORDINATOR)).exists()
    assert workspace.history.count() == 1


def test_admin_refuses_to_delete_last_coordinator(admin_client, world):
    coordinator = _membership(world, "coordinator")
    response = admin_client.post(
        f"/admin/stakeholders/membership/{coordinator.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert "at least one coordinator" in response.content.decode()
    assert Membership.objects.filter(pk=coordinator.pk).exists()

    observer = _membership(world, "observer")
    admin_client.post(f"/admin/stakeholders/membership/{observer.pk}/delete/", {"post": "yes"})
    assert not Membership.objects.filter(pk=observer.pk).exists()
    assert not world["observer"].groups.filter(name__startswith="workspace:").exists()


def test_admin_invitation_is_read_only_and_hides_token(admin_client, world):
    invitation, token = _invite(world)
    response = admin_client.get(f"/admin/stakeholders/invitation/{invitation.pk}/change/")
    assert response.status_code == 200
    body = response.content.decode()
    assert invitation.email in body
    assert token not in body
    assert invitation.token_hash not in body
    assert 'name="_save"' not in body
    assert admin_client.get("/admin/stakeholders/invitation/add/").status_code == 403


def test_admin_membership_add_and_change_go_through_services(admin_client, world):
    person = UserFactory()
    organisation = _organisation(world)
    response = admin_client.post(
        "/admin/stakeholders/membership/add/",
        {
            "user": person.pk,
            "workspace": world.workspace.pk,
            "organisation": organisation.pk,
            "role": Role.EDITOR,
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person, workspace=world.workspace)
    assert Perm.EDIT in workspace_perms(person, world.workspace)

    coordinator = _membership(world, "coordinator")
    response = admin_client.post(
        f"/admin/stakeholders/membership/{coordinator.pk}/change/",
        {"organisation": coordinator.organisation_id, "role": Role.OBSERVER},
        follow=True,
    )
    assert "at least one coordinator" in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.role == Role.COORDINATOR
    admin_client.post(
        f"/admin/stakeholders/membership/{membership.pk}/change/",
        {"organisation": organisation.pk, "role": Role.OBSERVER},
    )
    assert Perm.EDIT not in workspace_perms(person, world.workspace)
    assert Perm.ACCESS in workspace_perms(person, world.workspace)


def test_admin_user_cannot_be_deleted_only_deactivated(admin_client, world):
    user = world["coordinator"]
    response = admin_client.post(f"/admin/stakeholders/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert type(user).objects.filter(pk=user.pk).exists()
    # Editing the account (e.g. deactivating it) stays possible (positive control).
    assert admin_client.get(f"/admin/stakeholders/user/{user.pk}/change/").status_code == 200
