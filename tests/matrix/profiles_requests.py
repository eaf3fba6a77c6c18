"""Permission-matrix rows of migration profiles: data requests (profiles/views/requests.py,
profiles/api/requests.py) and the reading of an edition (views/reading.py, the `edition-read`
endpoint).

In "national" the coordinator asked the contributor's organisation twice: "r_request" (answered
with a CSV file) and "r_open" (open); "r_other" is asked of another organisation. Statuses are
written by hand from DESIGN §3: those who see drafts read every request; a contributor reads
and answers those of their own organisation only (another organisation's request is not found);
an editor reads them all but answers only for their own organisation (403 here); observers read
no request (403 on the list, 404 on one); only the coordinator asks, changes, reopens, cancels
and deletes. The national coordinator reads the city's published edition but none of its
requests. Readers who do not see drafts read published editions only.
"""

from __future__ import annotations

from . import C, N, row

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
ROWS = [
    # Pages: data requests.
    row("profiles:data_request_list", "GET", "302 200 200 200 200 403 404 404", slug=N),
    row("profiles:data_request_list", "GET", "302 403 404 404 404 404 200 404", slug=C),
    row("profiles:data_request_create", "GET", "302 200 403 403 403 403 404 404", slug=N),
    row("profiles:data_request_create", "POST", "302 200 403 403 403 403 404 404", slug=N),
    row(
        "profiles:data_request_organisation",
        "GET",
        "302 200 200 200 200 403 404 404",
        slug=N,
        org_pk="r_org",
    ),
    row(
        "profiles:data_request_detail",
        "GET",
        "302 200 200 200 200 404 404 404",
        slug=N,
        pk="r_request",
    ),
    row(
        "profiles:data_request_detail",
        "GET",
        "302 200 200 200 404 404 404 404",
        slug=N,
        pk="r_other",
    ),
    row(
        "profiles:data_request_detail",
        "GET",
        "302 404 404 404 404 404 200 404",
        slug=C,
        pk="r_city_request",
    ),
    row(
        "profiles:data_request_answer",
        "GET",
        "302 200 403 403 200 403 404 404",
        slug=N,
        pk="r_open",
    ),
    row(
        "profiles:data_request_answer",
        "POST",
        "302 302 403 403 302 403 404 404",
        slug=N,
        pk="r_open",
        data="answer_note=Figures+attached",
    ),
    row(
        "profiles:data_request_answer",
        "GET",
        "302 200 403 403 404 403 404 404",
        slug=N,
        pk="r_other",
    ),
    row(
        "profiles:data_request_cancel",
        "GET",
        "302 200 403 403 403 403 404 404",
        slug=N,
        pk="r_open",
    ),
    row(
        "profiles:data_request_cancel",
        "POST",
        "302 302 403 403 403 403 404 404",
        slug=N,
        pk="r_open",
    ),
    row(
        "profiles:data_request_reopen",
        "GET",
        "302 200 403 403 403 403 404 404",
        slug=N,
        pk="r_request",
    ),
    row(
        "profiles:data_request_reopen",
        "POST",
        "302 302 403 403 403 403 404 404",
        slug=N,
        pk="r_request",
    ),
    row(
        "profiles:data_request_download",
        "GET",
        "302 200 200 200 200 404 404 404",
        slug=N,
        pk="r_request",
    ),
    # Pages: reading.
    row(
        "profiles:edition_read", "GET", "302 200 200 200 200 200 404 404", slug=N, pk="r_published"
    ),
    row("profiles:edition_read", "GET", "302 200 200 200 404 404 404 404", slug=N, pk="r_draft"),
    row(
        "profiles:edition_read",
        "GET",
        "302 200 404 404 404 404 200 404",
        slug=C,
        pk="r_city_published",
    ),
    # API.
    row("data-request-list", "GET", "403 200 200 200 200 403 404 404", workspace_slug=N),
    row("data-request-list", "GET", "403 403 404 404 404 404 200 404", workspace_slug=C),
    row(
        "data-request-list",
        "POST",
        "403 400 403 403 403 403 404 404",
        workspace_slug=N,
        data="{}",
    ),
    row(
        "data-request-detail",
        "GET",
        "403 200 200 200 200 404 404 404",
        workspace_slug=N,
        pk="r_request",
    ),
    row(
        "data-request-detail",
        "GET",
        "403 200 200 200 404 404 404 404",
        workspace_slug=N,
        pk="r_other",
    ),
    row(
        "data-request-detail",
        "PATCH",
        "403 200 403 403 403 403 404 404",
        workspace_slug=N,
        pk="r_open",
        data='{"period": "2020-2024"}',
    ),
    row(
        "data-request-detail",
        "DELETE",
        "403 204 403 403 403 403 404 404",
        workspace_slug=N,
        pk="r_open",
    ),
    row(
        "data-request-answer",
        "POST",
        "403 200 403 403 200 403 404 404",
        workspace_slug=N,
        pk="r_open",
        data='{"answer_note": "Figures attached"}',
    ),
    row(
        "data-request-reopen",
        "POST",
        "403 200 403 403 403 403 404 404",
        workspace_slug=N,
        pk="r_request",
    ),
    row(
        "data-request-cancel",
        "POST",
        "403 200 403 403 403 403 404 404",
        workspace_slug=N,
        pk="r_open",
    ),
    row(
        "data-request-download",
        "GET",
        "403 200 200 200 200 404 404 404",
        workspace_slug=N,
        pk="r_request",
    ),
    row(
        "edition-read",
        "GET",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        pk="r_published",
    ),
    row("edition-read", "GET", "403 200 200 200 404 404 404 404", workspace_slug=N, pk="r_draft"),
    row(
        "edition-read",
        "GET",
        "403 200 404 404 404 404 200 404",
        workspace_slug=C,
        pk="r_city_published",
    ),
]


def targets(world) -> dict[str, str]:
    from profiles.services.editions import edition_publish
    from profiles.services.requests import data_request_answer
    from stakeholders.choices import Role
    from stakeholders.review import review_approve, review_submit
    from tests.factories import MembershipFactory, OrganisationFactory
    from tests.profiles.requests_factories import ask, csv_file, organisation_of
    from tests.profiles.section_factories import make_edition, make_section

    coordinator, contributor = world["coordinator"], world["contributor"]
    theirs = organisation_of(contributor, world.workspace)
    answered = ask(coordinator, world.workspace, theirs, what="Answered request")
    data_request_answer(actor=contributor, request=answered, note="Here", file=csv_file())
    still_open = ask(coordinator, world.workspace, theirs, what="Open request")
    other = ask(coordinator, world.workspace, OrganisationFactory(workspace=world.workspace))

    city_coordinator = world["citycoordinator"]
    city_request = ask(city_coordinator, world.city)

    def published(workspace, submitter, reviewer, publisher, number):
        edition = make_edition(world, workspace=workspace, number=number)
        section = make_section(edition, actor=submitter)
        review_submit(actor=submitter, items=[section])
        review_approve(actor=reviewer, items=[section])
        edition.refresh_from_db()
        return edition_publish(actor=publisher, edition=edition)

    national = published(world.workspace, world["editor"], world["reviewer"], coordinator, 71)
    draft = make_edition(world, number=72)
    make_section(draft, actor=world["editor"])
    city_reviewer = MembershipFactory(workspace=world.city, role=Role.REVIEWER).user
    city = published(world.city, city_coordinator, city_reviewer, city_coordinator, 71)
    return {
        "r_org": str(theirs.pk),
        "r_request": str(answered.pk),
        "r_open": str(still_open.pk),
        "r_other": str(other.pk),
        "r_city_request": str(city_request.pk),
        "r_published": str(national.pk),
        "r_draft": str(draft.pk),
        "r_city_published": str(city.pk),
    }
