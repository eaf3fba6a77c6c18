"""The donor's overview page and endpoint: approved highlights only, pinned query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from mainstreaming.choices import ReportKind, ReportStatus, RightsLevel
from mainstreaming.models import Report
from stakeholders.review import review_approve, review_submit
from tests.mainstreaming.monitoring_factories import make_kpi, plan, report
from tests.querycount import assert_pinned_queries

pytestmark = pytest.mark.django_db


def _report(workspace, title: str, level: str = RightsLevel.APPROVED) -> Report:
    return Report.objects.create(
        workspace=workspace,
        kind=ReportKind.INDICATOR_FACT_SHEET,
        parameters={},
        parameters_key=title,
        rights_level=level,
        title=title,
        status=ReportStatus.DONE,
        finished_at=timezone.now(),
    )


@pytest.fixture
def highlights(world):
    editor, reviewer = world["editor"], world["reviewer"]
    data = plan(editor, world.workspace, title="Plan Émergent 2025–2029")
    review_submit(actor=editor, items=[data["objective"]])
    review_approve(actor=reviewer, items=[data["objective"]])
    kpi = make_kpi(editor, data["cycle"], objective=data["objective"], name="Approved KPI")
    update = report(editor, kpi, "2025", 30)
    review_submit(actor=editor, items=[kpi, update])
    review_approve(actor=reviewer, items=[kpi, update])
    make_kpi(editor, data["cycle"], objective=data["objective"], name="Draft KPI")
    _report(world.workspace, "Approved quarterly report")
    _report(world.workspace, "Internal drafts report", RightsLevel.DRAFTS)
    return data


def test_donor_page_lists_own_workspaces_with_approved_highlights(client, world, highlights):
    client.force_login(world["observer"])
    body = client.get(reverse("mainstreaming:donor_home")).content.decode()
    assert "National workspace" in body
    assert "Unlinked workspace" not in body and "City workspace" not in body
    assert "Plan Émergent 2025–2029" in body
    # Positive control and absence in one page: the approved report, not the drafts one.
    assert "Approved quarterly report" in body
    assert "Internal drafts report" not in body
    assert reverse("mainstreaming:report_list", kwargs={"slug": "national"}) in body
    assert reverse("indicators:export", kwargs={"slug": "national"}) in body


def test_donor_counts_approved_kpis_only(client, world, highlights):
    client.force_login(world["observer"])
    (item,) = client.get("/api/donor/").json()
    assert item["slug"] == "national"
    # One approved KPI counted; the draft KPI is not (it would make 2).
    assert sum(count["count"] for count in item["kpi_counts"]) == 1
    assert [r["title"] for r in item["reports"]] == ["Approved quarterly report"]
    assert item["cycle"]["title"] == "Plan Émergent 2025–2029"
    # An editor sees the same approved-level page (the draft KPI still absent).
    client.force_login(world["editor"])
    (item,) = client.get("/api/donor/").json()
    assert sum(count["count"] for count in item["kpi_counts"]) == 1


def test_donor_page_empty_state(client, django_user_model):
    user = django_user_model.objects.create_user(username="lonely", password="x")
    client.force_login(user)
    body = client.get(reverse("mainstreaming:donor_home")).content.decode()
    assert "You are not a member of any workspace yet." in body


def test_donor_page_queries_pinned(client, world, highlights):
    client.force_login(world["observer"])
    counter = iter(range(1000))

    def rows(n: int) -> None:
        for _ in range(n):
            _report(world.workspace, f"Report {next(counter)}")

    assert_pinned_queries(client, reverse("mainstreaming:donor_home"), rows=rows, expected=12)
