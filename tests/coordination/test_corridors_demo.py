"""The corridors demo: a partner workspace coordinated by `partner`, an active corridor with
demo-senegal, a joint action agreed by both; the outsider's workspace stays unlinked."""

from __future__ import annotations

from django.db.models import Q

from stakeholders import demo, demo_corridors
from stakeholders.choices import CorridorStatus, JointActionStatus, Role
from stakeholders.models import Corridor, JointAction, Membership, Workspace


def test_demo_corridor_loads_twice_without_duplicates(db, client):
    demo.load()
    first = demo_corridors.load()
    again = demo_corridors.load()
    assert first.pk == again.pk
    assert Corridor.objects.count() == 1
    assert JointAction.objects.count() == 1
    assert Workspace.objects.filter(slug="demo-italy").count() == 1

    corridor = Corridor.objects.get()
    assert (corridor.proposer.slug, corridor.partner.slug) == ("demo-senegal", "demo-italy")
    assert corridor.status == CorridorStatus.ACTIVE
    assert JointAction.objects.get().status == JointActionStatus.AGREED
    membership = Membership.objects.get(user__username="partner")
    assert (membership.workspace.slug, membership.role) == ("demo-italy", Role.COORDINATOR)
    assert membership.user.check_password("mainstreaming-demo")
    philippines = Workspace.objects.get(slug="demo-philippines")
    assert not Corridor.objects.filter(Q(proposer=philippines) | Q(partner=philippines)).exists()

    client.force_login(membership.user)
    page = client.get(f"/w/demo-italy/corridors/{corridor.pk}/")
    assert page.status_code == 200
    assert "Joint pre-departure orientation" in page.content.decode()
    client.force_login(Membership.objects.get(user__username="outsider").user)
    assert client.get(f"/w/demo-philippines/corridors/{corridor.pk}/").status_code == 404


def test_share_demo_items_shares_approved_senegal_items_once(db):
    from mainstreaming import demo as mainstreaming_demo
    from mainstreaming.selectors.corridors import corridor_shared_priorities
    from mainstreaming.services.corridors import share_demo_items

    demo.load()
    corridor = demo_corridors.load()
    mainstreaming_demo.load()
    first = share_demo_items()
    again = share_demo_items()
    assert first is not None and first == again
    assert first.priorities  # something is shared …
    shared = corridor_shared_priorities(corridor=corridor, workspace=corridor.proposer)
    assert len(shared) == len(first.priorities)  # … and all of it approved
