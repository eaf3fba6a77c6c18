"""Permission-matrix rows of the indicator catalogue (indicators/views/catalogue.py,
indicators/api/catalogue.py).

The catalogue (frameworks, their dimensions and indicators) is read by every signed-in user;
the framework import is for platform staff only (none of the columns is staff: 403). A
workspace's own indicators are read by anyone with access to the workspace (the national
coordinator reads the city's) and written by its editors and coordinators; another
workspace's custom indicator is not found, nor is a custom indicator at a catalogue address.
"""

from __future__ import annotations

from typing import Any

from . import C, N, Row, row

ALL = "302 200 200 200 200 200 200 200"
API_ALL = "403 200 200 200 200 200 200 200"

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
ROWS: list[Row] = [
    # Catalogue pages.
    row("indicators:framework_list", "GET", ALL),
    row("indicators:framework_detail", "GET", ALL, pk="c_framework"),
    row("indicators:indicator_detail", "GET", ALL, pk="c_indicator"),
    row("indicators:indicator_detail", "GET", "302 404 404 404 404 404 404 404", pk="c_custom"),
    row("indicators:framework_import", "GET", "302 403 403 403 403 403 403 403"),
    row("indicators:framework_import", "POST", "302 403 403 403 403 403 403 403"),
    # A workspace's indicators.
    row("indicators:workspace_indicators", "GET", "302 200 200 200 200 200 404 404", slug=N),
    row("indicators:workspace_indicators", "GET", "302 200 404 404 404 404 200 404", slug=C),
    row("indicators:custom_indicator_create", "GET", "302 200 200 403 403 403 404 404", slug=N),
    row("indicators:custom_indicator_create", "POST", "302 200 200 403 403 403 404 404", slug=N),
    row("indicators:custom_indicator_create", "GET", "302 403 404 404 404 404 200 404", slug=C),
    row(
        "indicators:custom_indicator_detail",
        "GET",
        "302 200 200 200 200 200 404 404",
        slug=N,
        pk="c_custom",
    ),
    row(
        "indicators:custom_indicator_detail",
        "GET",
        "302 200 404 404 404 404 200 404",
        slug=C,
        pk="c_city_custom",
    ),
    row(
        "indicators:custom_indicator_detail",
        "GET",
        "302 404 404 404 404 404 404 404",
        slug=N,
        pk="c_foreign_custom",
    ),
    row(
        "indicators:custom_indicator_update",
        "GET",
        "302 200 200 403 403 403 404 404",
        slug=N,
        pk="c_custom",
    ),
    row(
        "indicators:custom_indicator_update",
        "POST",
        "302 200 200 403 403 403 404 404",
        slug=N,
        pk="c_custom",
    ),
    row(
        "indicators:custom_indicator_update",
        "GET",
        "302 403 404 404 404 404 200 404",
        slug=C,
        pk="c_city_custom",
    ),
    row(
        "indicators:custom_indicator_delete",
        "GET",
        "302 200 200 403 403 403 404 404",
        slug=N,
        pk="c_custom",
    ),
    row(
        "indicators:custom_indicator_delete",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        pk="c_custom",
    ),
    # API.
    row("framework-list", "GET", API_ALL),
    row("framework-detail", "GET", API_ALL, pk="c_framework"),
    row("dimension-list", "GET", API_ALL),
    row("indicator-list", "GET", API_ALL),
    row("indicator-detail", "GET", API_ALL, pk="c_indicator"),
    row("indicator-detail", "GET", "403 404 404 404 404 404 404 404", pk="c_custom"),
    row("custom-indicator-list", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N),
    row(
        "custom-indicator-list",
        "POST",
        "403 400 400 403 403 403 404 404",
        workspace_slug=N,
        data="{}",
    ),
    row("custom-indicator-list", "GET", "403 200 404 404 404 404 200 404", workspace_slug=C),
    row(
        "custom-indicator-detail",
        "GET",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        pk="c_custom",
    ),
    row(
        "custom-indicator-detail",
        "GET",
        "403 200 404 404 404 404 200 404",
        workspace_slug=C,
        pk="c_city_custom",
    ),
    row(
        "custom-indicator-detail",
        "GET",
        "403 404 404 404 404 404 404 404",
        workspace_slug=N,
        pk="c_foreign_custom",
    ),
    row(
        "custom-indicator-detail",
        "PATCH",
        "403 200 200 403 403 403 404 404",
        workspace_slug=N,
        pk="c_custom",
        data='{"name": "Renamed"}',
    ),
    row(
        "custom-indicator-detail",
        "DELETE",
        "403 204 204 403 403 403 404 404",
        workspace_slug=N,
        pk="c_custom",
    ),
]


def targets(world: Any) -> dict[str, str]:
    from indicators.models import Framework, Indicator
    from tests.indicators.catalogue_factories import make_custom_indicator

    custom = make_custom_indicator(world["editor"], world.workspace, code="MX-01")
    city_custom = make_custom_indicator(world["citycoordinator"], world.city, code="MX-02")
    foreign = make_custom_indicator(world["outsider"], world.other, code="MX-03")
    return {
        "c_framework": str(Framework.objects.get(code="starter").pk),
        "c_indicator": str(Indicator.objects.get(framework__code="starter", code="ECO-01").pk),
        "c_custom": str(custom.pk),
        "c_city_custom": str(city_custom.pk),
        "c_foreign_custom": str(foreign.pk),
    }
