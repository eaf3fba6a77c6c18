"""Data requests: lifecycle (open, overdue, answered, reopened, cancelled), who may answer,
the answer file served only through access-checked views, the pages and the API."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from profiles.models import DataRequest
from profiles.selectors.requests import data_request_list, filter_requests, workspace_today
from profiles.services.requests import (
    data_request_answer,
    data_request_cancel,
    data_request_reopen,
)
from stakeholders.permissions import workspace_perms
from tests.factories import MembershipFactory, OrganisationFactory
from tests.indicators.observation_factories import enter, starter
from tests.querycount import assert_pinned_queries

from .requests_factories import ask, csv_file, organisation_of

pytestmark = pytest.mark.django_db

DAKAR = ZoneInfo("Africa/Dakar")


def listed(world, user, **filters):
    queryset = data_request_list(
        workspace=world.workspace,
        perms=workspace_perms(user, world.workspace),
        organisation_id=organisation_of(user, world.workspace).pk,
    )
    return list(filter_requests(queryset, today=workspace_today(world.workspace), **filters))


def test_data_request_lifecycle_with_overdue(world):
    coordinator, contributor = world["coordinator"], world["contributor"]
    asked = organisation_of(contributor, world.workspace)
    with time_machine.travel(datetime.datetime(2030, 6, 1, 12, tzinfo=DAKAR), tick=False):
        request = ask(coordinator, world.workspace, asked, due_on=datetime.date(2030, 6, 30))
        assert request.status == "open"
        assert [r.is_overdue for r in listed(world, coordinator)] == [False]
    # Due on 30 June in Dakar: still on time on the day, overdue the next day there.
    with time_machine.travel(datetime.datetime(2030, 6, 30, 23, 30, tzinfo=DAKAR), tick=False):
        assert [r.is_overdue for r in listed(world, coordinator)] == [False]
    with time_machine.travel(datetime.datetime(2030, 7, 1, 0, 30, tzinfo=DAKAR), tick=False):
        assert [r.is_overdue for r in listed(world, coordinator)] == [True]
        assert [r.pk for r in listed(world, coordinator, status="overdue")] == [request.pk]
        data_request_answer(
            actor=contributor, request=request, note="Here are the figures.", file=csv_file()
        )
        request.refresh_from_db()
        assert request.status == "answered"
        assert request.answered_by == contributor
        assert request.answered_at == datetime.datetime(2030, 7, 1, 0, 30, tzinfo=DAKAR)
        assert request.answer_content_type == "text/csv"
        assert request.answer_file.read() == b"year,value\n2022,1200\n"
        # Answered: no longer overdue, and not in the "overdue" filter.
        assert [r.is_overdue for r in listed(world, coordinator)] == [False]
        assert listed(world, coordinator, status="overdue") == []
        assert [r.pk for r in listed(world, coordinator, status="answered")] == [request.pk]

    with pytest.raises(ValidationError):  # a second answer to a closed request
        data_request_answer(actor=contributor, request=request, note="Again")
    data_request_reopen(actor=coordinator, request=request)
    request.refresh_from_db()
    assert (request.status, request.answered_at, request.answer_note) == (
        "open",
        None,
        "Here are the figures.",
    )
    data_request_cancel(actor=coordinator, request=request)
    request.refresh_from_db()
    assert request.status == "cancelled"
    assert request.history.count() == 4  # created, answered, reopened, cancelled


def test_data_request_answer_only_by_the_asked_organisation(world):
    coordinator, contributor = world["coordinator"], world["contributor"]
    other_contributor = MembershipFactory(workspace=world.workspace, role="contributor").user
    mine = ask(coordinator, world.workspace, organisation_of(contributor, world.workspace))
    with pytest.raises(PermissionDenied):
        data_request_answer(actor=other_contributor, request=mine, note="Not ours to answer")
    # The editor answers only for their own organisation too; the observer never.
    with pytest.raises(PermissionDenied):
        data_request_answer(actor=world["editor"], request=mine, note="Not ours")
    with pytest.raises(PermissionDenied):
        data_request_answer(actor=world["observer"], request=mine, note="No")
    mine.refresh_from_db()
    assert mine.status == "open"
    # Positive control: the asked organisation's contributor answers.
    data_request_answer(actor=contributor, request=mine, note="Ours")
    mine.refresh_from_db()
    assert (mine.status, mine.answer_note) == ("answered", "Ours")


def test_data_request_answer_links_observations_of_the_requested_indicator(world):
    coordinator, editor = world["coordinator"], world["editor"]
    request = ask(
        coordinator,
        world.workspace,
        organisation_of(editor, world.workspace),
        indicator=starter("ECO-02"),
    )
    value = enter(editor, world.workspace, code="ECO-02", period="2022", value="12.5")
    other = enter(editor, world.workspace, code="ECO-01", period="2022", value="3")
    with pytest.raises(ValidationError):
        data_request_answer(actor=editor, request=request, observations=[other])
    data_request_answer(actor=editor, request=request, observations=[value])
    assert list(request.observations.all()) == [value]


def test_data_request_answer_file_type_checked(world):
    coordinator, contributor = world["coordinator"], world["contributor"]
    request = ask(coordinator, world.workspace, organisation_of(contributor, world.workspace))
    for name, content in [
        ("report.pdf", b"%PDF-1.4 fake"),
        ("values.xlsx", b"year,value\n2022,3\n"),  # text pretending to be Excel
        ("values.csv", b"\x00\x01binary"),
    ]:
        with pytest.raises(ValidationError) as error:
            data_request_answer(actor=contributor, request=request, file=csv_file(name, content))
        assert "answer_file" in error.value.message_dict
    request.refresh_from_db()
    assert request.status == "open"
    data_request_answer(actor=contributor, request=request, file=csv_file())
    request.refresh_from_db()
    assert request.status == "answered"


def test_data_request_list_page_overdue_first_and_contributor_sees_own_organisation(world, client):
    coordinator, contributor = world["coordinator"], world["contributor"]
    theirs = ask(coordinator, world.workspace, what="Ministry figures, later")
    with time_machine.travel(datetime.datetime(2030, 6, 1, tzinfo=DAKAR), tick=False):
        late = ask(
            coordinator,
            world.workspace,
            organisation_of(contributor, world.workspace),
            what="Remittance inflows by month",
            due_on=datetime.date(2030, 5, 1),
        )
        url = reverse("profiles:data_request_list", kwargs={"slug": world.workspace.slug})
        client.force_login(coordinator)
        page = client.get(url).content.decode()
        assert page.index("Remittance inflows by month") < page.index("Ministry figures, later")
        assert "Overdue" in page
        client.force_login(contributor)
        page = client.get(url).content.decode()
        assert "Remittance inflows by month" in page
        assert "Ministry figures, later" not in page
        detail = reverse(
            "profiles:data_request_detail", kwargs={"slug": world.workspace.slug, "pk": theirs.pk}
        )
        assert client.get(detail).status_code == 404
        assert late.pk


def test_data_request_answer_page_uploads_and_file_served_only_through_the_view(world, client):
    coordinator, contributor = world["coordinator"], world["contributor"]
    request = ask(coordinator, world.workspace, organisation_of(contributor, world.workspace))
    kwargs = {"slug": world.workspace.slug, "pk": request.pk}
    client.force_login(contributor)
    response = client.post(
        reverse("profiles:data_request_answer", kwargs=kwargs),
        {"answer_note": "Attached.", "answer_file": csv_file()},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "answered"
    download = reverse("profiles:data_request_download", kwargs=kwargs)
    detail = client.get(reverse("profiles:data_request_detail", kwargs=kwargs)).content.decode()
    assert download in detail
    assert request.answer_file.url not in detail  # never the media address
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"year,value\n2022,1200\n"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(world["observer"])
    assert client.get(download).status_code == 404
    client.force_login(world["outsider"])
    assert client.get(download).status_code == 404


def test_data_request_create_cancel_reopen_pages(world, client):
    organisation = OrganisationFactory(workspace=world.workspace, name="Statistics office")
    client.force_login(world["coordinator"])
    slug = world.workspace.slug
    response = client.post(
        reverse("profiles:data_request_create", kwargs={"slug": slug}),
        {"organisation": organisation.pk, "what": "Census tables", "due_on": "2030-01-31"},
    )
    assert response.status_code == 302
    request = DataRequest.objects.get(what="Census tables")
    kwargs = {"slug": slug, "pk": request.pk}
    assert (
        "Census tables"
        in client.get(reverse("profiles:data_request_cancel", kwargs=kwargs)).content.decode()
    )
    assert client.post(reverse("profiles:data_request_cancel", kwargs=kwargs)).status_code == 302
    request.refresh_from_db()
    assert request.status == "cancelled"
    assert client.post(reverse("profiles:data_request_reopen", kwargs=kwargs)).status_code == 302
    request.refresh_from_db()
    assert request.status == "open"
    # Missing fields: the form comes back with an error summary.
    response = client.post(reverse("profiles:data_request_create", kwargs={"slug": slug}), {})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_data_request_api_lifecycle(world, client):
    coordinator, contributor = world["coordinator"], world["contributor"]
    asked = organisation_of(contributor, world.workspace)
    base = f"/api/workspaces/{world.workspace.slug}/data-requests/"
    client.force_login(coordinator)
    response = client.post(
        base,
        {"organisation": asked.pk, "what": "Returns by year", "due_on": "2030-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "open"
    client.force_login(contributor)
    response = client.post(f"{base}{pk}/answer/", {"answer_note": "x", "answer_file": csv_file()})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "answered"
    assert body["answer_file"] == f"{base}{pk}/download/"
    assert client.get(body["answer_file"]).status_code == 200
    client.force_login(coordinator)
    assert client.post(f"{base}{pk}/reopen/").json()["status"] == "open"
    assert client.post(f"{base}{pk}/cancel/").json()["status"] == "cancelled"
    assert client.get(base, {"status": "cancelled"}).json()["count"] == 1
    assert client.get(base, {"status": "open"}).json()["count"] == 0
    assert client.delete(f"{base}{pk}/").status_code == 204


def test_data_request_list_query_counts(world, client):
    coordinator = world["coordinator"]
    organisation = OrganisationFactory(workspace=world.workspace)

    def rows(count):
        for index in range(count):
            ask(coordinator, world.workspace, organisation, what=f"Request {index}")

    client.force_login(coordinator)
    url = reverse("profiles:data_request_list", kwargs={"slug": world.workspace.slug})
    assert_pinned_queries(client, url, rows=rows, expected=QUERIES_PAGE)


def test_data_request_endpoint_query_counts(world, client):
    coordinator = world["coordinator"]
    organisation = OrganisationFactory(workspace=world.workspace)

    def rows(count):
        for index in range(count):
            ask(coordinator, world.workspace, organisation, what=f"Request {index}")

    client.force_login(coordinator)
    url = f"/api/workspaces/{world.workspace.slug}/data-requests/"
    assert_pinned_queries(client, url, rows=rows, expected=QUERIES_API)


QUERIES_PAGE = 10
QUERIES_API = 8
