"""Permission-matrix rows of indicators (imports and exports: indicators/views/imports.py,
indicators/api/imports.py).

Imports are drafts in the making: those who see drafts (coordinator, editor, reviewer) read
them; editors and coordinators upload, import and cancel. Exports are for everyone with access
(readers without drafts get approved values only, tested in tests/indicators/test_export.py).
In the city workspace the national coordinator only reads approved content: exports yes,
imports no. An import of another workspace under this workspace's address is not found.
"""

from __future__ import annotations

from typing import Any

from indicators.choices import ImportStatus
from indicators.models import ImportJob

from . import C, N, row

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
ROWS = [
    # Pages.
    row("indicators:import_list", "GET", "302 200 200 200 403 403 404 404", slug=N),
    row("indicators:import_list", "GET", "302 403 404 404 404 404 200 404", slug=C),
    row("indicators:import_create", "GET", "302 200 200 403 403 403 404 404", slug=N),
    row("indicators:import_create", "POST", "302 200 200 403 403 403 404 404", slug=N),
    row("indicators:import_create", "GET", "302 403 404 404 404 404 200 404", slug=C),
    row("indicators:import_template", "GET", "302 200 200 403 403 403 404 404", slug=N, fmt="xlsx"),
    row("indicators:import_template", "GET", "302 200 200 403 403 403 404 404", slug=N, fmt="csv"),
    row("indicators:import_detail", "GET", "302 200 200 200 403 403 404 404", slug=N, pk="i_job"),
    row(
        "indicators:import_detail",
        "GET",
        "302 403 404 404 404 404 200 404",
        slug=C,
        pk="i_city_job",
    ),
    row(
        "indicators:import_detail",
        "GET",
        "302 404 404 404 403 403 404 404",
        slug=N,
        pk="i_foreign_job",
    ),
    row("indicators:import_commit", "POST", "302 302 302 403 403 403 404 404", slug=N, pk="i_job"),
    row("indicators:import_cancel", "GET", "302 200 200 403 403 403 404 404", slug=N, pk="i_job"),
    row("indicators:import_cancel", "POST", "302 302 302 403 403 403 404 404", slug=N, pk="i_job"),
    row("indicators:export", "GET", "302 200 200 200 200 200 404 404", slug=N),
    row("indicators:export", "GET", "302 200 404 404 404 404 200 404", slug=C),
    row("indicators:export_download", "GET", "302 200 200 200 200 200 404 404", slug=N, fmt="sdmx"),
    row("indicators:export_download", "GET", "302 200 404 404 404 404 200 404", slug=C, fmt="csv"),
    # API.
    row("import-job-list", "GET", "403 200 200 200 403 403 404 404", workspace_slug=N),
    row("import-job-list", "POST", "403 400 400 403 403 403 404 404", workspace_slug=N, data="{}"),
    row("import-job-list", "GET", "403 403 404 404 404 404 200 404", workspace_slug=C),
    row(
        "import-job-detail",
        "GET",
        "403 200 200 200 403 403 404 404",
        workspace_slug=N,
        pk="i_job",
    ),
    row(
        "import-job-detail",
        "GET",
        "403 404 404 404 403 403 404 404",
        workspace_slug=N,
        pk="i_foreign_job",
    ),
    row(
        "import-job-commit",
        "POST",
        "403 202 202 403 403 403 404 404",
        workspace_slug=N,
        pk="i_job",
    ),
    row(
        "observation-bulk",
        "POST",
        "403 200 200 403 403 403 404 404",
        workspace_slug=N,
        data="[]",
    ),
    row(
        "observation-bulk",
        "POST",
        "403 403 404 404 404 404 200 404",
        workspace_slug=C,
        data="[]",
    ),
    row("observation-export", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N),
    row("observation-export", "GET", "403 200 404 404 404 404 200 404", workspace_slug=C),
    row(
        "observation-export-format",
        "GET",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        fmt="xlsx",
    ),
]


def _job(workspace: Any, user: Any) -> ImportJob:
    return ImportJob.objects.create(
        workspace=workspace,
        created_by=user,
        file="imports/matrix.csv",
        original_name="values.csv",
        status=ImportStatus.READY,
        total_rows=1,
        processed_rows=1,
        created_count=1,
    )


def targets(world: Any) -> dict[str, str]:
    return {
        "i_job": str(_job(world.workspace, world["editor"]).pk),
        "i_city_job": str(_job(world.city, world["citycoordinator"]).pk),
        "i_foreign_job": str(_job(world.other, world["outsider"]).pk),
    }
