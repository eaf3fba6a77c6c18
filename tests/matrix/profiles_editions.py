"""Permission-matrix rows of migration-profile editions and templates
(profiles/views/editions.py, profiles/api/editions.py).

In "national": a published edition ("pe_published", every section approved) and a draft one
("pe_draft"), a customised template ("pe_template") with a section ("pe_tsection"). In "city" a
published edition; in "elsewhere" a draft edition and a template. Statuses written by hand from
DESIGN §3: members who see drafts (coordinator, editor, reviewer) see every edition; contributors
and observers see published ones only (a draft edition is a 404 for them); editors and
coordinators start, change and clone; only a coordinator publishes. The national coordinator
reads the city's published edition only; everything of another workspace is a 404.
"""

from __future__ import annotations

from typing import Any

from . import C, N, row

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
READ = "302 200 200 200 200 200 404 404"
READ_DRAFT = "302 200 200 200 404 404 404 404"
READ_CITY = "302 200 404 404 404 404 200 404"
EDIT_PAGE = "302 200 200 403 403 403 404 404"
NOT_FOUND = "302 404 404 404 404 404 404 404"
API_READ = "403 200 200 200 200 200 404 404"
API_READ_DRAFT = "403 200 200 200 404 404 404 404"
API_NOT_FOUND = "403 404 404 404 404 404 404 404"

ROWS = [
    # Pages: editions.
    row("profiles:edition_list", "GET", READ, slug=N),
    row("profiles:edition_list", "GET", READ_CITY, slug=C),
    row("profiles:edition_start", "GET", EDIT_PAGE, slug=N),
    row("profiles:edition_start", "POST", EDIT_PAGE, slug=N, data="title="),
    row("profiles:edition_compare", "GET", READ, slug=N),
    row("profiles:edition_detail", "GET", READ, slug=N, pk="pe_published"),
    row("profiles:edition_detail", "GET", READ_DRAFT, slug=N, pk="pe_draft"),
    row("profiles:edition_detail", "GET", READ_CITY, slug=C, pk="pe_city"),
    row("profiles:edition_detail", "GET", NOT_FOUND, slug=N, pk="pe_foreign"),
    row("profiles:edition_update", "GET", EDIT_PAGE, slug=N, pk="pe_draft"),
    row("profiles:edition_update", "POST", EDIT_PAGE, slug=N, pk="pe_draft", data="title="),
    row("profiles:edition_clone", "GET", EDIT_PAGE, slug=N, pk="pe_published"),
    row("profiles:edition_clone", "POST", EDIT_PAGE, slug=N, pk="pe_published", data="title="),
    row(
        "profiles:edition_publish",
        "GET",
        "302 200 403 403 403 403 404 404",
        slug=N,
        pk="pe_draft",
    ),
    row(
        "profiles:edition_publish",
        "POST",
        "302 400 403 403 403 403 404 404",
        slug=N,
        pk="pe_draft",
    ),
    # Pages: templates.
    row("profiles:template_list", "GET", READ, slug=N),
    row("profiles:template_detail", "GET", READ, slug=N, pk="pe_preset"),
    row("profiles:template_detail", "GET", READ, slug=N, pk="pe_template"),
    row("profiles:template_detail", "GET", NOT_FOUND, slug=N, pk="pe_foreign_template"),
    row("profiles:template_customise", "GET", EDIT_PAGE, slug=N, pk="pe_preset"),
    row("profiles:template_customise", "POST", EDIT_PAGE, slug=N, pk="pe_preset", data="name="),
    row("profiles:template_section_create", "GET", EDIT_PAGE, slug=N, pk="pe_template"),
    row(
        "profiles:template_section_create",
        "POST",
        EDIT_PAGE,
        slug=N,
        pk="pe_template",
        data="title=",
    ),
    row(
        "profiles:template_section_create",
        "GET",
        "302 404 404 403 403 403 404 404",
        slug=N,
        pk="pe_preset",
    ),
    row("profiles:template_section_update", "GET", EDIT_PAGE, slug=N, pk="pe_tsection"),
    row(
        "profiles:template_section_update",
        "POST",
        EDIT_PAGE,
        slug=N,
        pk="pe_tsection",
        data="title=",
    ),
    row(
        "profiles:template_section_move",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        pk="pe_tsection",
        data="direction=down",
    ),
    row("profiles:template_section_delete", "GET", EDIT_PAGE, slug=N, pk="pe_tsection"),
    row(
        "profiles:template_section_delete",
        "POST",
        "302 302 302 403 403 403 404 404",
        slug=N,
        pk="pe_tsection",
    ),
    # API: templates.
    row("profile-preset-list", "GET", "403 200 200 200 200 200 200 200"),
    row("profile-preset-detail", "GET", "403 200 200 200 200 200 200 200", pk="pe_preset"),
    row("profile-template-list", "GET", API_READ, workspace_slug=N),
    row(
        "profile-template-list",
        "POST",
        "403 400 400 403 403 403 404 404",
        workspace_slug=N,
        data="{}",
    ),
    row("profile-template-detail", "GET", API_READ, workspace_slug=N, pk="pe_template"),
    row(
        "profile-template-detail",
        "PATCH",
        "403 200 200 403 403 403 404 404",
        workspace_slug=N,
        pk="pe_template",
        data='{"name": "Renamed"}',
    ),
    row(
        "profile-template-detail",
        "DELETE",
        "403 204 204 403 403 403 404 404",
        workspace_slug=N,
        pk="pe_template",
    ),
    row(
        "profile-template-detail",
        "GET",
        API_NOT_FOUND,
        workspace_slug=N,
        pk="pe_foreign_template",
    ),
    # API: editions.
    row("profile-edition-list", "GET", API_READ, workspace_slug=N),
    row("profile-edition-list", "GET", "403 200 404 404 404 404 200 404", workspace_slug=C),
    row(
        "profile-edition-list",
        "POST",
        "403 400 400 403 403 403 404 404",
        workspace_slug=N,
        data="{}",
    ),
    row("profile-edition-detail", "GET", API_READ, workspace_slug=N, pk="pe_published"),
    row("profile-edition-detail", "GET", API_READ_DRAFT, workspace_slug=N, pk="pe_draft"),
    row("profile-edition-detail", "GET", API_NOT_FOUND, workspace_slug=N, pk="pe_foreign"),
    row(
        "profile-edition-detail",
        "PATCH",
        "403 200 200 403 403 403 404 404",
        workspace_slug=N,
        pk="pe_draft",
        data='{"stage": "implementation"}',
    ),
    row(
        "profile-edition-detail",
        "DELETE",
        "403 204 204 403 403 403 404 404",
        workspace_slug=N,
        pk="pe_draft",
    ),
    row(
        "profile-edition-clone",
        "POST",
        "403 201 201 403 403 403 404 404",
        workspace_slug=N,
        pk="pe_published",
        data="{}",
    ),
    row(
        "profile-edition-publish",
        "POST",
        "403 400 403 403 403 403 404 404",
        workspace_slug=N,
        pk="pe_draft",
        data="{}",
    ),
    row(
        "profile-edition-compare",
        "GET",
        API_READ_DRAFT,
        workspace_slug=N,
        pk="pe_draft",
    ),
]


def targets(world: Any) -> dict[str, str]:
    from profiles.services.templates import template_customise
    from stakeholders.choices import Role
    from tests.factories import MembershipFactory
    from tests.profiles.edition_factories import preset, publish, start_edition

    editor, reviewer, coordinator = world["editor"], world["reviewer"], world["coordinator"]
    published = start_edition(editor, world.workspace)
    publish(published, submitter=editor, reviewer=reviewer, coordinator=coordinator)
    draft = start_edition(
        editor, world.workspace, title="Draft profile 2020–2024", start=2020, end=2024
    )
    # Compare on the draft uses its previous edition.
    draft.previous = published
    draft.save(update_fields=["previous"])
    template = template_customise(actor=editor, workspace=world.workspace, preset=preset())

    city_coordinator = world["citycoordinator"]
    city_reviewer = MembershipFactory(workspace=world.city, role=Role.REVIEWER).user
    city = start_edition(city_coordinator, world.city, title="City profile")
    publish(city, submitter=city_coordinator, reviewer=city_reviewer, coordinator=city_coordinator)

    foreign = start_edition(world["outsider"], world.other, title="Elsewhere profile")
    foreign_template = template_customise(
        actor=world["outsider"], workspace=world.other, preset=preset()
    )
    return {
        "pe_published": str(published.pk),
        "pe_draft": str(draft.pk),
        "pe_city": str(city.pk),
        "pe_foreign": str(foreign.pk),
        "pe_preset": str(preset().pk),
        "pe_template": str(template.pk),
        "pe_tsection": str(template.sections.order_by("position").first().pk),  # type: ignore[union-attr]
        "pe_foreign_template": str(foreign_template.pk),
    }
