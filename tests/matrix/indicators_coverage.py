"""Permission-matrix rows of indicators (coverage): the coverage matrix, data gaps and an
indicator's data page (indicators/views/coverage.py, indicators/api/coverage.py).

Statuses are written by hand from DESIGN §3: every member reads coverage, gaps and charts
(approved values only for contributors and observers); editors and coordinators write gaps; the
national coordinator reads the city workspace and writes nothing there. "cov_gap" is a gap of
"national", "cov_city_gap" one of "city", "cov_foreign_gap" one of "elsewhere";
"cov_foreign_indicator" is an own indicator of "elsewhere". A gap from a cell POSTed without a
cell is not found for those who may write (the real click is tested in test_coverage.py).
"""

from __future__ import annotations

from typing import Any

from . import C, N, row

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
ROWS = [
    # Pages.
    row("indicators:coverage", "GET", "302 200 200 200 200 200 404 404", slug=N),
    row("indicators:coverage", "GET", "302 200 404 404 404 404 200 404", slug=C),
    row("indicators:data_gap_from_cell", "POST", "302 404 404 403 403 403 404 404", slug=N),
    row("indicators:data_gap_list", "GET", "302 200 200 200 200 200 404 404", slug=N),
    row("indicators:data_gap_list", "GET", "302 200 404 404 404 404 200 404", slug=C),
    row("indicators:data_gap_create", "GET", "302 200 200 403 403 403 404 404", slug=N),
    row("indicators:data_gap_create", "POST", "302 200 200 403 403 403 404 404", slug=N),
    row("indicators:data_gap_create", "GET", "302 403 404 404 404 404 200 404", slug=C),
    row(
        "indicators:data_gap_update", "GET", "302 200 200 403 403 403 404 404", slug=N, pk="cov_gap"
    ),
    row(
        "indicators:data_gap_update",
        "POST",
        "302 200 200 403 403 403 404 404",
        slug=N,
        pk="cov_gap",
    ),
    row(
        "indicators:data_gap_update",
        "GET",
        "302 404 404 403 403 403 404 404",
        slug=N,
        pk="cov_foreign_gap",
    ),
    row(
        "indicators:data_gap_update",
        "GET",
        "302 403 404 404 404 404 200 404",
        slug=C,
        pk="cov_city_gap",
    ),
    row(
        "indicators:data_gap_close", "POST", "302 302 302 403 403 403 404 404", slug=N, pk="cov_gap"
    ),
    row(
        "indicators:data_gap_delete", "GET", "302 200 200 403 403 403 404 404", slug=N, pk="cov_gap"
    ),
    row(
        "indicators:data_gap_delete",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        pk="cov_gap",
    ),
    row(
        "indicators:indicator_data",
        "GET",
        "302 200 200 200 200 200 404 404",
        slug=N,
        indicator_pk="cov_indicator",
    ),
    row(
        "indicators:indicator_data",
        "GET",
        "302 200 404 404 404 404 200 404",
        slug=C,
        indicator_pk="cov_indicator",
    ),
    row(
        "indicators:indicator_data",
        "GET",
        "302 404 404 404 404 404 404 404",
        slug=N,
        indicator_pk="cov_foreign_indicator",
    ),
    # API.
    row("indicators-coverage", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N),
    row("indicators-coverage", "GET", "403 200 404 404 404 404 200 404", workspace_slug=C),
    row("data-gap-list", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N),
    row("data-gap-list", "GET", "403 200 404 404 404 404 200 404", workspace_slug=C),
    row("data-gap-list", "POST", "403 400 400 403 403 403 404 404", workspace_slug=N, data="{}"),
    row(
        "data-gap-detail",
        "GET",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        pk="cov_gap",
    ),
    row(
        "data-gap-detail",
        "PATCH",
        "403 200 200 403 403 403 404 404",
        workspace_slug=N,
        pk="cov_gap",
        data='{"note": "Updated"}',
    ),
    row(
        "data-gap-detail",
        "PUT",
        "403 400 400 403 403 403 404 404",
        workspace_slug=N,
        pk="cov_gap",
        data="{}",
    ),
    row(
        "data-gap-detail",
        "DELETE",
        "403 204 204 403 403 403 404 404",
        workspace_slug=N,
        pk="cov_gap",
    ),
    row(
        "data-gap-detail",
        "GET",
        "403 404 404 404 404 404 404 404",
        workspace_slug=N,
        pk="cov_foreign_gap",
    ),
    row(
        "data-gap-detail",
        "PATCH",
        "403 403 404 404 404 404 200 404",
        workspace_slug=C,
        pk="cov_city_gap",
        data='{"note": "Updated"}',
    ),
]


def targets(world: Any) -> dict[str, str]:
    from indicators.models import Indicator
    from indicators.services.gaps import data_gap_create

    indicator = Indicator.objects.get(framework__code="starter", code="ECO-02")

    def gap(actor: Any, workspace: Any) -> str:
        created = data_gap_create(
            actor=actor, workspace=workspace, indicator=indicator, year=2024, reason="other"
        )
        return str(created.pk)

    foreign_indicator = Indicator.objects.create(
        workspace=world.other, code="COV-OWN", name="Their own indicator", unit=indicator.unit
    )
    return {
        "cov_indicator": str(indicator.pk),
        "cov_foreign_indicator": str(foreign_indicator.pk),
        "cov_gap": gap(world["coordinator"], world.workspace),
        "cov_city_gap": gap(world["citycoordinator"], world.city),
        "cov_foreign_gap": gap(world["outsider"], world.other),
    }
