"""Permission-matrix rows of report jobs (mainstreaming/views/reports.py, api/reports.py).

Every member with Perm.REQUEST_REPORTS (all roles) requests and reads reports, but only those
at or below their rights level: a drafts-level report is read by those who see drafts
(coordinator, editor, reviewer), never by a contributor or an observer (DESIGN §6). In the city
workspace the national coordinator reads approved content but may not request reports (403).
Another workspace's report under this workspace's address is not found.
"""

from __future__ import annotations

from typing import Any

from . import C, N, row

_ALL = "302 200 200 200 200 200 404 404"
_DRAFTS = "302 200 200 200 404 404 404 404"
_CITY = "302 403 404 404 404 404 200 404"
_NONE = "302 404 404 404 404 404 404 404"

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
ROWS = [
    # Pages.
    row("mainstreaming:report_list", "GET", _ALL, slug=N),
    row("mainstreaming:report_list", "GET", _CITY, slug=C),
    row("mainstreaming:report_create", "GET", _ALL, slug=N),
    # An empty form answers with its errors (200); nothing is requested.
    row("mainstreaming:report_create", "POST", _ALL, slug=N),
    row("mainstreaming:report_create", "POST", _CITY, slug=C),
    row("mainstreaming:report_detail", "GET", _ALL, slug=N, pk="r_report"),
    row("mainstreaming:report_detail", "GET", _DRAFTS, slug=N, pk="r_drafts_report"),
    row("mainstreaming:report_detail", "GET", _CITY, slug=C, pk="r_city_report"),
    row("mainstreaming:report_detail", "GET", _NONE, slug=N, pk="r_foreign_report"),
    row("mainstreaming:report_download", "GET", _ALL, slug=N, pk="r_report"),
    row("mainstreaming:report_download", "GET", _DRAFTS, slug=N, pk="r_drafts_report"),
    row("mainstreaming:report_download", "GET", _CITY, slug=C, pk="r_city_report"),
    row(
        "mainstreaming:report_retry",
        "POST",
        "302 302 302 302 302 302 404 404",
        slug=N,
        pk="r_failed_report",
    ),
    # API.
    row("report-list", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N),
    row("report-list", "GET", "403 403 404 404 404 404 200 404", workspace_slug=C),
    row(
        "report-list",
        "POST",
        "403 400 400 400 400 400 404 404",
        workspace_slug=N,
        data='{"kind": "cycle_progress", "parameters": {}}',
    ),
    row("report-detail", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N, pk="r_report"),
    row(
        "report-detail",
        "GET",
        "403 200 200 200 404 404 404 404",
        workspace_slug=N,
        pk="r_drafts_report",
    ),
    row(
        "report-detail",
        "GET",
        "403 404 404 404 404 404 404 404",
        workspace_slug=N,
        pk="r_foreign_report",
    ),
    row(
        "report-download", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N, pk="r_report"
    ),
    row(
        "report-download",
        "GET",
        "403 200 200 200 404 404 404 404",
        workspace_slug=N,
        pk="r_drafts_report",
    ),
    row(
        "report-retry",
        "POST",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        pk="r_failed_report",
    ),
]


def targets(world: Any) -> dict[str, str]:
    from mainstreaming.choices import ReportStatus, RightsLevel
    from tests.mainstreaming.planning_factories import make_cycle
    from tests.reports.report_factories import make_report

    cycle = make_cycle(world, title="Reported cycle")
    city_cycle = make_cycle(world, workspace=world.city, title="Reported city cycle")
    foreign_cycle = make_cycle(
        world, workspace=world.other, actor=world["outsider"], title="Foreign cycle"
    )
    done = {"status": ReportStatus.DONE, "with_file": True}
    report = make_report(world.workspace, cycle=cycle, user=world["observer"], **done)
    drafts = make_report(
        world.workspace,
        cycle=cycle,
        user=world["editor"],
        rights_level=RightsLevel.DRAFTS,
        **done,
    )
    failed = make_report(
        world.workspace, cycle=cycle, status=ReportStatus.FAILED, error="x", parameters={"n": 1}
    )
    city = make_report(world.city, cycle=city_cycle, user=world["citycoordinator"], **done)
    foreign = make_report(world.other, cycle=foreign_cycle, user=world["outsider"], **done)
    return {
        "r_report": str(report.pk),
        "r_drafts_report": str(drafts.pk),
        "r_failed_report": str(failed.pk),
        "r_city_report": str(city.pk),
        "r_foreign_report": str(foreign.pk),
    }
