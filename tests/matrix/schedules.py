"""Permission-matrix rows of report schedules (mainstreaming/views/schedules.py,
api/schedules.py).

Coordinators (Perm.PUBLISH) create, change and delete schedules; every member with
Perm.REQUEST_REPORTS (all roles) reads the schedules they may subscribe to and subscribes
or unsubscribes themselves: approved-level schedules for everyone, drafts-level ones only for
those who see drafts (coordinator, editor, reviewer) — to the others a drafts-level schedule is
not found. In the city workspace the national coordinator reads approved content only and has
no reports right (403). Another workspace's schedule under this workspace's address is not found.
"""

from __future__ import annotations

from typing import Any

from . import C, N, row

_ALL = "302 200 200 200 200 200 404 404"
_MANAGE = "302 200 403 403 403 403 404 404"
_CITY = "302 403 404 404 404 404 200 404"
_SUBSCRIBE = "302 302 302 302 302 302 404 404"
_API_ALL = "403 200 200 200 200 200 404 404"
_API_DRAFTS = "403 200 200 200 404 404 404 404"

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
ROWS = [
    # Pages.
    row("mainstreaming:schedule_list", "GET", _ALL, slug=N),
    row("mainstreaming:schedule_list", "GET", _CITY, slug=C),
    row("mainstreaming:schedule_create", "GET", _MANAGE, slug=N),
    # An empty form answers with its errors (200); nothing is scheduled.
    row("mainstreaming:schedule_create", "POST", _MANAGE, slug=N),
    row("mainstreaming:schedule_create", "POST", _CITY, slug=C),
    row("mainstreaming:schedule_update", "GET", _MANAGE, slug=N, pk="s_schedule"),
    row("mainstreaming:schedule_update", "POST", _MANAGE, slug=N, pk="s_schedule"),
    row(
        "mainstreaming:schedule_update",
        "GET",
        "302 404 403 403 403 403 404 404",
        slug=N,
        pk="s_foreign_schedule",
    ),
    row("mainstreaming:schedule_delete", "GET", _MANAGE, slug=N, pk="s_schedule"),
    row(
        "mainstreaming:schedule_delete",
        "POST",
        "302 302 403 403 403 403 404 404",
        slug=N,
        pk="s_schedule",
    ),
    row("mainstreaming:schedule_subscribe", "POST", _SUBSCRIBE, slug=N, pk="s_schedule"),
    row(
        "mainstreaming:schedule_subscribe",
        "POST",
        "302 302 302 302 404 404 404 404",
        slug=N,
        pk="s_drafts_schedule",
    ),
    row(
        "mainstreaming:schedule_subscribe",
        "POST",
        "302 403 404 404 404 404 302 404",
        slug=C,
        pk="s_city_schedule",
    ),
    row("mainstreaming:schedule_unsubscribe", "POST", _SUBSCRIBE, slug=N, pk="s_schedule"),
    # API.
    row("report-schedule-list", "GET", _API_ALL, workspace_slug=N),
    row("report-schedule-list", "GET", "403 403 404 404 404 404 200 404", workspace_slug=C),
    row(
        "report-schedule-list",
        "POST",
        "403 400 403 403 403 403 404 404",
        workspace_slug=N,
        data="{}",
    ),
    row("report-schedule-detail", "GET", _API_ALL, workspace_slug=N, pk="s_schedule"),
    row("report-schedule-detail", "GET", _API_DRAFTS, workspace_slug=N, pk="s_drafts_schedule"),
    row(
        "report-schedule-detail",
        "GET",
        "403 404 404 404 404 404 404 404",
        workspace_slug=N,
        pk="s_foreign_schedule",
    ),
    row(
        "report-schedule-detail",
        "PATCH",
        "403 200 403 403 403 403 404 404",
        workspace_slug=N,
        pk="s_schedule",
        data='{"frequency": "monthly"}',
    ),
    row(
        "report-schedule-detail",
        "DELETE",
        "403 204 403 403 403 403 404 404",
        workspace_slug=N,
        pk="s_schedule",
    ),
    row("report-schedule-subscribe", "POST", _API_ALL, workspace_slug=N, pk="s_schedule"),
    row(
        "report-schedule-subscribe",
        "POST",
        _API_DRAFTS,
        workspace_slug=N,
        pk="s_drafts_schedule",
    ),
    row("report-schedule-unsubscribe", "POST", _API_ALL, workspace_slug=N, pk="s_schedule"),
]


def targets(world: Any) -> dict[str, str]:
    from mainstreaming.choices import ReportKind, RightsLevel, ScheduleFrequency
    from mainstreaming.services.schedules import schedule_create
    from tests.indicators.import_factories import indicator

    def make(workspace: Any, actor: Any, **extra: Any) -> str:
        schedule = schedule_create(
            actor=actor,
            workspace=workspace,
            kind=ReportKind.INDICATOR_FACT_SHEET,
            parameters={"indicator": indicator("GOV-02").pk},
            frequency=ScheduleFrequency.QUARTERLY,
            **extra,
        )
        return str(schedule.pk)

    return {
        "s_schedule": make(world.workspace, world["coordinator"]),
        "s_drafts_schedule": make(
            world.workspace, world["coordinator"], rights_level=RightsLevel.DRAFTS
        ),
        "s_city_schedule": make(world.city, world["citycoordinator"]),
        "s_foreign_schedule": make(world.other, world["outsider"]),
    }
