"""The coordination platforms part of the illustrative demo: in `demo-senegal`, a national
working group on international migration and development (approved, with terms of reference),
its seats, two past meetings with minutes, decisions and follow-ups (one done, one open, one
overdue) and one upcoming meeting. Safe to run again: nothing is added once the group exists.

Run after `stakeholders.demo.load()` (the workspaces, organisations and accounts).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import platforms_services as services
from .choices import FollowUpStatus, PlatformKind, SeatKind
from .coordination_models import Platform
from .models import Organisation, User, Workspace
from .review import review_approve, review_submit

WORKSPACE = "demo-senegal"
NAME = "National working group on international migration and development (demo)"

MANDATE = """*Illustrative demo content.*

The working group brings ministries, the statistics office, civil society, the diaspora and the
private sector together to **mainstream migration** into the national development strategy:
it agrees the priorities, follows the action plan and reviews progress every quarter."""

TERMS = """*Illustrative demo content.*

## Membership
- Chaired by the Ministry of Planning; line ministries and the statistics office are members.
- Civil society, diaspora and private-sector organisations sit as members; development
  partners and the UN country team as observers.

## Meetings
- Ordinary meetings every quarter; extraordinary meetings at the chair's request.
- Minutes are circulated within two weeks; decisions are taken by consensus.

## Follow-up
- Every action agreed has an owner organisation and a due date, reviewed at the next meeting."""

SEATS = [
    ("MPLAN", "Awa Coordinator", SeatKind.MEMBER, True),
    ("MLE", "Moussa Editor", SeatKind.MEMBER, True),
    ("MFA", "", SeatKind.MEMBER, False),
    ("NSO", "Fatou Reviewer", SeatKind.MEMBER, True),
    ("MRN", "Ibrahima Contributor", SeatKind.MEMBER, True),
    ("DIA", "", SeatKind.MEMBER, False),
    ("DPA", "Claire Observer", SeatKind.OBSERVER, False),
]


def _user(username: str) -> User:
    return get_user_model().objects.get(username=username)


@transaction.atomic
def load() -> Platform | None:
    """Create the demo working group with its meetings (None if the demo workspace is missing)."""
    workspace = Workspace.objects.filter(slug=WORKSPACE).first()
    if workspace is None:
        return None
    existing = Platform.objects.filter(workspace=workspace, name=NAME).first()
    if existing is not None:
        return existing
    coordinator, editor, reviewer = _user("coordinator"), _user("editor"), _user("reviewer")
    organisations = {o.acronym: o for o in Organisation.objects.filter(workspace=workspace)}

    platform = services.platform_create(
        actor=coordinator,
        workspace=workspace,
        name=NAME,
        kind=PlatformKind.INTER_MINISTERIAL,
        mandate=MANDATE,
        terms_of_reference=TERMS,
        legal_basis="Ministerial order no. 0000 (illustrative)",
        established_on=datetime.date(2024, 3, 15),
        chair=organisations["MPLAN"],
    )
    review_submit(actor=editor, items=platform)
    review_approve(actor=reviewer, items=platform)

    for acronym, person, kind, focal_point in SEATS:
        services.seat_create(
            actor=coordinator,
            platform=platform,
            organisation=organisations[acronym],
            person=person,
            kind=kind,
            focal_point=focal_point,
        )

    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    today = timezone.localdate()
    first = services.meeting_create(
        actor=coordinator,
        platform=platform,
        title="First ordinary meeting (demo)",
        starts_at=now - datetime.timedelta(days=75),
        ends_at=now - datetime.timedelta(days=75) + datetime.timedelta(hours=3),
        location="Ministry of Planning, conference room (illustrative)",
        agenda="1. Adoption of the terms of reference\n2. Work plan for the year\n3. Data needs",
        minutes=(
            "*Illustrative demo minutes.*\n\nThe chair opened the meeting. Members adopted the "
            "terms of reference and discussed the **work plan**. The statistics office presented "
            "the main data gaps on labour migration."
        ),
        attendees=[organisations[a] for a in ("MPLAN", "MLE", "MFA", "NSO", "MRN", "DPA")],
    )
    adopt = services.decision_create(
        actor=coordinator, meeting=first, text="The terms of reference are adopted."
    )
    data = services.decision_create(
        actor=coordinator,
        meeting=first,
        text="A note on labour-migration data gaps is prepared for the next meeting.",
    )
    services.follow_up_create(
        actor=coordinator,
        meeting=first,
        decision=adopt,
        title="Circulate the adopted terms of reference to all members",
        owner=organisations["MPLAN"],
        due_on=today - datetime.timedelta(days=60),
        status=FollowUpStatus.DONE,
        note="Sent by e-mail (illustrative).",
    )
    services.follow_up_create(
        actor=coordinator,
        meeting=first,
        decision=data,
        title="Prepare a note on labour-migration data gaps",
        owner=organisations["NSO"],
        due_on=today - datetime.timedelta(days=10),
        status=FollowUpStatus.IN_PROGRESS,
    )

    second = services.meeting_create(
        actor=coordinator,
        platform=platform,
        title="Second ordinary meeting (demo)",
        starts_at=now - datetime.timedelta(days=20),
        ends_at=now - datetime.timedelta(days=20) + datetime.timedelta(hours=2),
        location="Online",
        agenda="1. Follow-up of the first meeting\n2. Consultation of civil society",
        minutes=(
            "*Illustrative demo minutes.*\n\nMembers reviewed the follow-ups. The Migrant Rights "
            "Network proposed a consultation of returnee associations."
        ),
        attendees=[organisations[a] for a in ("MPLAN", "MLE", "NSO", "MRN", "DIA", "CCI")],
    )
    consult = services.decision_create(
        actor=coordinator,
        meeting=second,
        text="Returnee associations are consulted on the draft priorities.",
    )
    services.follow_up_create(
        actor=coordinator,
        meeting=second,
        decision=consult,
        title="Organise a consultation of returnee associations",
        owner=organisations["MRN"],
        due_on=today + datetime.timedelta(days=30),
    )

    services.meeting_create(
        actor=coordinator,
        platform=platform,
        title="Third ordinary meeting (demo)",
        starts_at=now + datetime.timedelta(days=14),
        ends_at=now + datetime.timedelta(days=14, hours=3),
        location="Ministry of Planning, conference room (illustrative)",
        agenda=(
            "1. Data-gap note (statistics office)\n2. Results of the consultation\n"
            "3. Draft priorities"
        ),
    )
    return platform
