"""Permission-matrix rows of monitoring (mainstreaming/views/monitoring.py, api/monitoring.py).

In "national" the editor opens a cycle with an approved objective and action, an approved KPI
with an approved update ("kpi", "update"), a draft update and a never-approved KPI. Statuses are
written by hand from DESIGN §3: everyone with access reads approved KPIs and updates; drafts
are read by those who see drafts; editors and coordinators add, change and delete drafts; only
a coordinator deletes what was approved once. In the city workspace the national coordinator
reads approved content only. A KPI page without `?objective=`/`?action=` is not found.
"""

from __future__ import annotations

from stakeholders.review import review_approve, review_submit

from . import C, N, row

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
ROWS = [
    # Pages.
    row(
        "mainstreaming:monitoring_dashboard",
        "GET",
        "302 200 200 200 200 200 404 404",
        slug=N,
        pk="m_cycle",
    ),
    row(
        "mainstreaming:monitoring_dashboard",
        "GET",
        "302 200 404 404 404 404 200 404",
        slug=C,
        pk="m_city_cycle",
    ),
    row(
        "mainstreaming:monitoring_dashboard",
        "GET",
        "302 404 404 404 404 404 404 404",
        slug=N,
        pk="m_foreign_cycle",
    ),
    row(
        "mainstreaming:monitoring_organisation",
        "GET",
        "302 200 200 200 200 200 404 404",
        slug=N,
        pk="m_cycle",
        org_pk="m_organisation",
    ),
    row(
        "mainstreaming:monitoring_organisation",
        "GET",
        "302 200 404 404 404 404 200 404",
        slug=C,
        pk="m_city_cycle",
        org_pk="m_city_organisation",
    ),
    row("mainstreaming:kpi_create", "GET", "302 404 404 403 403 403 404 404", slug=N, pk="m_cycle"),
    row(
        "mainstreaming:kpi_create", "POST", "302 404 404 403 403 403 404 404", slug=N, pk="m_cycle"
    ),
    row(
        "mainstreaming:kpi_create",
        "GET",
        "302 403 404 404 404 404 404 404",
        slug=C,
        pk="m_city_cycle",
    ),
    row("mainstreaming:kpi_detail", "GET", "302 200 200 200 200 200 404 404", slug=N, pk="m_kpi"),
    row(
        "mainstreaming:kpi_detail",
        "GET",
        "302 200 200 200 404 404 404 404",
        slug=N,
        pk="m_draft_kpi",
    ),
    row(
        "mainstreaming:kpi_detail",
        "GET",
        "302 200 404 404 404 404 200 404",
        slug=C,
        pk="m_city_kpi",
    ),
    row(
        "mainstreaming:kpi_detail",
        "GET",
        "302 404 404 404 404 404 404 404",
        slug=N,
        pk="m_foreign_kpi",
    ),
    row("mainstreaming:kpi_update", "GET", "302 200 200 403 403 403 404 404", slug=N, pk="m_kpi"),
    row("mainstreaming:kpi_update", "POST", "302 200 200 403 403 403 404 404", slug=N, pk="m_kpi"),
    row(
        "mainstreaming:kpi_update",
        "GET",
        "302 403 404 404 404 404 200 404",
        slug=C,
        pk="m_city_kpi",
    ),
    row("mainstreaming:kpi_feed", "GET", "302 200 200 403 403 403 404 404", slug=N, pk="m_kpi"),
    row("mainstreaming:kpi_feed", "POST", "302 200 200 403 403 403 404 404", slug=N, pk="m_kpi"),
    row("mainstreaming:kpi_delete", "GET", "302 200 403 403 403 403 404 404", slug=N, pk="m_kpi"),
    row(
        "mainstreaming:kpi_delete",
        "GET",
        "302 200 200 403 403 403 404 404",
        slug=N,
        pk="m_draft_kpi",
    ),
    row(
        "mainstreaming:kpi_delete",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        pk="m_draft_kpi",
    ),
    row(
        "mainstreaming:kpi_delete",
        "POST",
        "302 403 404 404 404 404 302 404",
        slug=C,
        pk="m_city_kpi",
    ),
    row(
        "mainstreaming:progress_update_create",
        "GET",
        "302 200 200 403 403 403 404 404",
        slug=N,
        pk="m_kpi",
    ),
    row(
        "mainstreaming:progress_update_create",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        pk="m_kpi",
        data="period=2027&actual_value=3",
    ),
    row(
        "mainstreaming:progress_update_detail",
        "GET",
        "302 200 200 200 200 200 404 404",
        slug=N,
        pk="m_update",
    ),
    row(
        "mainstreaming:progress_update_detail",
        "GET",
        "302 200 200 200 404 404 404 404",
        slug=N,
        pk="m_draft_update",
    ),
    row(
        "mainstreaming:progress_update_detail",
        "GET",
        "302 200 404 404 404 404 200 404",
        slug=C,
        pk="m_city_update",
    ),
    row(
        "mainstreaming:progress_update_update",
        "GET",
        "302 200 200 403 403 403 404 404",
        slug=N,
        pk="m_update",
    ),
    row(
        "mainstreaming:progress_update_update",
        "POST",
        "302 200 200 403 403 403 404 404",
        slug=N,
        pk="m_draft_update",
    ),
    row(
        "mainstreaming:progress_update_delete",
        "GET",
        "302 200 403 403 403 403 404 404",
        slug=N,
        pk="m_update",
    ),
    row(
        "mainstreaming:progress_update_delete",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        pk="m_draft_update",
    ),
    # API.
    row("kpi-list", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N, cycle_pk="m_cycle"),
    row(
        "kpi-list",
        "POST",
        "403 400 400 403 403 403 404 404",
        workspace_slug=N,
        cycle_pk="m_cycle",
        data="{}",
    ),
    row(
        "kpi-list",
        "GET",
        "403 200 404 404 404 404 200 404",
        workspace_slug=C,
        cycle_pk="m_city_cycle",
    ),
    row(
        "kpi-list",
        "GET",
        "403 404 404 404 404 404 404 404",
        workspace_slug=N,
        cycle_pk="m_foreign_cycle",
    ),
    row("kpi-detail", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N, pk="m_kpi"),
    row("kpi-detail", "GET", "403 200 200 200 404 404 404 404", workspace_slug=N, pk="m_draft_kpi"),
    row("kpi-detail", "GET", "403 200 404 404 404 404 200 404", workspace_slug=C, pk="m_city_kpi"),
    row(
        "kpi-detail", "GET", "403 404 404 404 404 404 404 404", workspace_slug=N, pk="m_foreign_kpi"
    ),
    row(
        "kpi-detail",
        "PATCH",
        "403 428 428 403 403 403 404 404",
        workspace_slug=N,
        pk="m_kpi",
        data='{"name": "New"}',
    ),
    row("kpi-detail", "DELETE", "403 204 403 403 403 403 404 404", workspace_slug=N, pk="m_kpi"),
    row(
        "kpi-detail",
        "DELETE",
        "403 204 204 403 403 403 404 404",
        workspace_slug=N,
        pk="m_draft_kpi",
    ),
    row(
        "progress-update-list",
        "GET",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        kpi_pk="m_kpi",
    ),
    row(
        "progress-update-list",
        "POST",
        "403 201 201 403 403 403 404 404",
        workspace_slug=N,
        kpi_pk="m_kpi",
        data='{"period": "2027", "actual_value": "3"}',
    ),
    row(
        "progress-update-list",
        "GET",
        "403 200 404 404 404 404 200 404",
        workspace_slug=C,
        kpi_pk="m_city_kpi",
    ),
    row(
        "progress-update-detail",
        "GET",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        pk="m_update",
    ),
    row(
        "progress-update-detail",
        "GET",
        "403 200 200 200 404 404 404 404",
        workspace_slug=N,
        pk="m_draft_update",
    ),
    row(
        "progress-update-detail",
        "PATCH",
        "403 428 428 403 403 403 404 404",
        workspace_slug=N,
        pk="m_update",
        data='{"note": "New"}',
    ),
    row(
        "progress-update-detail",
        "DELETE",
        "403 204 403 403 403 403 404 404",
        workspace_slug=N,
        pk="m_update",
    ),
    row(
        "progress-update-detail",
        "DELETE",
        "403 204 204 403 403 403 404 404",
        workspace_slug=N,
        pk="m_draft_update",
    ),
    row(
        "monitoring-dashboard",
        "GET",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        cycle_pk="m_cycle",
    ),
    row(
        "monitoring-dashboard",
        "GET",
        "403 200 404 404 404 404 200 404",
        workspace_slug=C,
        cycle_pk="m_city_cycle",
    ),
]


def targets(world) -> dict[str, str]:
    from stakeholders.choices import Role
    from tests.factories import MembershipFactory
    from tests.mainstreaming.monitoring_factories import make_kpi, plan, report

    editor, reviewer = world["editor"], world["reviewer"]
    national = plan(editor, world.workspace, title="Monitored cycle")

    def approve(submitter, approver, *items):
        review_submit(actor=submitter, items=list(items))
        review_approve(actor=approver, items=list(items))

    approve(editor, reviewer, national["objective"], national["action"])
    kpi = make_kpi(editor, national["cycle"], objective=national["objective"])
    approve(editor, reviewer, kpi)
    update = report(editor, kpi, "2025", 12)
    approve(editor, reviewer, update)
    draft_update = report(editor, kpi, "2026", 14)
    draft_kpi = make_kpi(editor, national["cycle"], action=national["action"], name="Draft KPI")

    city_coordinator = world["citycoordinator"]
    city_reviewer = MembershipFactory(workspace=world.city, role=Role.REVIEWER).user
    city = plan(city_coordinator, world.city, title="City cycle")
    city_kpi = make_kpi(city_coordinator, city["cycle"], objective=city["objective"])
    city_update = report(city_coordinator, city_kpi, "2025", 11)
    approve(city_coordinator, city_reviewer, city["objective"], city_kpi, city_update)

    foreign = plan(world["outsider"], world.other, title="Elsewhere cycle")
    foreign_kpi = make_kpi(world["outsider"], foreign["cycle"], objective=foreign["objective"])
    return {
        "m_cycle": str(national["cycle"].pk),
        "m_city_cycle": str(city["cycle"].pk),
        "m_foreign_cycle": str(foreign["cycle"].pk),
        "m_organisation": str(kpi.responsible_organisation_id),
        "m_city_organisation": str(city_kpi.responsible_organisation_id),
        "m_kpi": str(kpi.pk),
        "m_draft_kpi": str(draft_kpi.pk),
        "m_city_kpi": str(city_kpi.pk),
        "m_foreign_kpi": str(foreign_kpi.pk),
        "m_update": str(update.pk),
        "m_draft_update": str(draft_update.pk),
        "m_city_update": str(city_update.pk),
    }
