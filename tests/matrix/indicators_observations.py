"""Permission-matrix rows of observations and data sources (indicators/views/observations.py,
views/sources.py, api/observations.py, api/sources.py).

In "national" the editor enters an approved value of ECO-02 ("obs", approved by the reviewer)
and a draft ("draft_obs"), and registers a data source; the city has an approved value; the
unlinked workspace has one too. Statuses are written by hand from DESIGN §3: every member reads
approved values, drafts are read by those who see drafts, editors and coordinators enter and
change values and keep the source registry, only a coordinator deletes an approved value,
submit needs the editor's right; in the city the national coordinator reads approved values only.
"""

from __future__ import annotations

from typing import Any

from . import C, N, row

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
ROWS = [
    # Pages: observations.
    row("indicators:observation_list", "GET", "302 200 200 200 200 200 404 404", slug=N),
    row("indicators:observation_list", "GET", "302 200 404 404 404 404 200 404", slug=C),
    row("indicators:observation_create", "GET", "302 200 200 403 403 403 404 404", slug=N),
    row("indicators:observation_create", "POST", "302 200 200 403 403 403 404 404", slug=N),
    row("indicators:observation_batch_review", "GET", "302 200 200 200 403 403 404 404", slug=N),
    row("indicators:observation_batch_review", "GET", "302 403 404 404 404 404 200 404", slug=C),
    row(
        "indicators:observation_batch_review",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        data="action=submit",
    ),
    row(
        "indicators:observation_detail", "GET", "302 200 200 200 200 200 404 404", slug=N, pk="obs"
    ),
    row(
        "indicators:observation_detail",
        "GET",
        "302 200 200 200 404 404 404 404",
        slug=N,
        pk="draft_obs",
    ),
    row(
        "indicators:observation_detail",
        "GET",
        "302 200 404 404 404 404 200 404",
        slug=C,
        pk="city_obs",
    ),
    row(
        "indicators:observation_detail",
        "GET",
        "302 404 404 404 404 404 404 404",
        slug=N,
        pk="foreign_obs",
    ),
    row(
        "indicators:observation_update", "GET", "302 200 200 403 403 403 404 404", slug=N, pk="obs"
    ),
    row(
        "indicators:observation_update",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        pk="obs",
        data="value=13&quality=final",
    ),
    row(
        "indicators:observation_delete", "GET", "302 200 403 403 403 403 404 404", slug=N, pk="obs"
    ),
    row(
        "indicators:observation_delete",
        "GET",
        "302 200 200 403 403 403 404 404",
        slug=N,
        pk="draft_obs",
    ),
    row(
        "indicators:observation_delete",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        pk="draft_obs",
    ),
    row(
        "indicators:observation_delete",
        "POST",
        "302 403 404 404 404 404 302 404",
        slug=C,
        pk="city_obs",
    ),
    # Pages: grids.
    row(
        "indicators:indicator_grid",
        "GET",
        "302 200 200 200 200 200 404 404",
        slug=N,
        indicator_pk="o_indicator",
    ),
    row(
        "indicators:indicator_grid",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        indicator_pk="o_indicator",
    ),
    row(
        "indicators:indicator_grid",
        "GET",
        "302 200 404 404 404 404 200 404",
        slug=C,
        indicator_pk="o_indicator",
    ),
    row(
        "indicators:indicator_grid",
        "GET",
        "302 404 404 404 404 404 404 404",
        slug=N,
        indicator_pk="o_foreign_indicator",
    ),
    row(
        "indicators:dimension_grid",
        "GET",
        "302 200 200 200 200 200 404 404",
        slug=N,
        dimension_pk="o_dimension",
    ),
    row(
        "indicators:dimension_grid",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        dimension_pk="o_dimension",
    ),
    # Pages: data sources.
    row("indicators:data_source_list", "GET", "302 200 200 200 200 200 404 404", slug=N),
    row("indicators:data_source_list", "GET", "302 200 404 404 404 404 200 404", slug=C),
    row("indicators:data_source_create", "GET", "302 200 200 403 403 403 404 404", slug=N),
    row("indicators:data_source_create", "POST", "302 200 200 403 403 403 404 404", slug=N),
    row(
        "indicators:data_source_update",
        "GET",
        "302 200 200 403 403 403 404 404",
        slug=N,
        pk="o_source",
    ),
    row(
        "indicators:data_source_update",
        "POST",
        "302 200 200 403 403 403 404 404",
        slug=N,
        pk="o_source",
    ),
    row(
        "indicators:data_source_update",
        "GET",
        "302 404 404 403 403 403 404 404",
        slug=N,
        pk="o_foreign_source",
    ),
    row(
        "indicators:data_source_delete",
        "GET",
        "302 200 200 403 403 403 404 404",
        slug=N,
        pk="o_source",
    ),
    row(
        "indicators:data_source_delete",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        pk="o_source",
    ),
    # API: observations.
    row("observation-list", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N),
    row("observation-list", "GET", "403 200 404 404 404 404 200 404", workspace_slug=C),
    row("observation-list", "POST", "403 400 400 403 403 403 404 404", workspace_slug=N, data="{}"),
    row(
        "observation-review",
        "POST",
        "403 200 200 403 403 403 404 404",
        workspace_slug=N,
        data='{"action": "submit"}',
    ),
    row("observation-detail", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N, pk="obs"),
    row(
        "observation-detail",
        "GET",
        "403 200 200 200 404 404 404 404",
        workspace_slug=N,
        pk="draft_obs",
    ),
    row(
        "observation-detail",
        "GET",
        "403 404 404 404 404 404 404 404",
        workspace_slug=N,
        pk="foreign_obs",
    ),
    row(
        "observation-detail",
        "PATCH",
        "403 428 428 403 403 403 404 404",
        workspace_slug=N,
        pk="obs",
        data='{"value": "14"}',
    ),
    row(
        "observation-detail",
        "DELETE",
        "403 204 403 403 403 403 404 404",
        workspace_slug=N,
        pk="obs",
    ),
    row(
        "observation-detail",
        "DELETE",
        "403 204 204 403 403 403 404 404",
        workspace_slug=N,
        pk="draft_obs",
    ),
    # API: data sources.
    row("data-source-list", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N),
    row("data-source-list", "POST", "403 400 400 403 403 403 404 404", workspace_slug=N, data="{}"),
    row(
        "data-source-detail",
        "GET",
        "403 200 200 200 200 200 404 404",
        workspace_slug=N,
        pk="o_source",
    ),
    row(
        "data-source-detail",
        "GET",
        "403 404 404 404 404 404 404 404",
        workspace_slug=N,
        pk="o_foreign_source",
    ),
    row(
        "data-source-detail",
        "PATCH",
        "403 200 200 403 403 403 404 404",
        workspace_slug=N,
        pk="o_source",
        data='{"limitations": "Small sample."}',
    ),
    row(
        "data-source-detail",
        "DELETE",
        "403 204 204 403 403 403 404 404",
        workspace_slug=N,
        pk="o_source",
    ),
]


def targets(world: Any) -> dict[str, str]:
    from indicators.models import Indicator
    from stakeholders.choices import Role
    from tests.factories import MembershipFactory
    from tests.indicators.observation_factories import approved, enter, make_source, starter

    editor, reviewer = world["editor"], world["reviewer"]
    obs = approved(editor, reviewer, world.workspace, period="2020", value="12")
    draft = enter(editor, world.workspace, period="2021", value="13")
    source = make_source(editor, world.workspace)
    city_reviewer = MembershipFactory(workspace=world.city, role=Role.REVIEWER).user
    city_obs = approved(world["citycoordinator"], city_reviewer, world.city, value="7")
    foreign_reviewer = MembershipFactory(workspace=world.other, role=Role.REVIEWER).user
    foreign_obs = approved(world["outsider"], foreign_reviewer, world.other, value="3")
    foreign_source = make_source(world["outsider"], world.other)
    indicator = starter("ECO-02")
    foreign_indicator = Indicator.objects.create(
        workspace=world.other, code="OWN-1", name="Own indicator", unit=indicator.unit
    )
    return {
        "obs": str(obs.pk),
        "draft_obs": str(draft.pk),
        "city_obs": str(city_obs.pk),
        "foreign_obs": str(foreign_obs.pk),
        "o_indicator": str(indicator.pk),
        "o_foreign_indicator": str(foreign_indicator.pk),
        "o_dimension": str(indicator.dimension_id),
        "o_source": str(source.pk),
        "o_foreign_source": str(foreign_source.pk),
    }
