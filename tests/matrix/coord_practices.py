"""Permission-matrix rows of the good-practice exchange (stakeholders/practices_views.py,
stakeholders/api/practices.py).

In "national": "p_published" and "p_draft" were written by the contributor, "p_proposed" by the
editor; "p_city" is published in the city, "p_foreign" in the unlinked workspace. Statuses are
written by hand from the rules in `stakeholders/practices_selectors.py`: everyone with access
reads published practices, those who see drafts read all, an author reads their own; anyone who
comments creates; the author or an editor edits, proposes and deletes a draft; the coordinator
publishes, returns and withdraws. The library (/practices/) shows published practices to every
signed-in user and nothing else. The national coordinator only reads the city's published ones.
"""

from __future__ import annotations

from typing import Any

from . import C, N, row

ALL_200 = "302 200 200 200 200 200 200 200"
ALL_404 = "302 404 404 404 404 404 404 404"
DRAFT_OWNERS = "302 200 200 403 200 404 404 404"
DRAFT_OWNERS_POST = "302 302 302 403 302 404 404 404"

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
ROWS = [
    # Pages of a workspace.
    row("stakeholders:practice_list", "GET", "302 200 200 200 200 200 404 404", slug=N),
    row("stakeholders:practice_list", "GET", "302 200 404 404 404 404 200 404", slug=C),
    row("stakeholders:practice_create", "GET", "302 200 200 200 200 403 404 404", slug=N),
    row("stakeholders:practice_create", "POST", "302 200 200 200 200 403 404 404", slug=N),
    row("stakeholders:practice_create", "GET", "302 403 404 404 404 404 200 404", slug=C),
    row(
        "stakeholders:practice_detail",
        "GET",
        "302 200 200 200 200 200 404 404",
        slug=N,
        pk="p_published",
    ),
    row(
        "stakeholders:practice_detail",
        "GET",
        "302 200 200 200 200 404 404 404",
        slug=N,
        pk="p_draft",
    ),
    row(
        "stakeholders:practice_detail",
        "GET",
        "302 200 200 200 404 404 404 404",
        slug=N,
        pk="p_proposed",
    ),
    row(
        "stakeholders:practice_detail",
        "GET",
        "302 200 404 404 404 404 200 404",
        slug=C,
        pk="p_city",
    ),
    row("stakeholders:practice_detail", "GET", ALL_404, slug=N, pk="p_foreign"),
    row("stakeholders:practice_update", "GET", DRAFT_OWNERS, slug=N, pk="p_draft"),
    row(
        "stakeholders:practice_update",
        "POST",
        DRAFT_OWNERS_POST,
        slug=N,
        pk="p_draft",
        data="title=Changed&summary=Changed&area=data",
    ),
    row(
        "stakeholders:practice_update",
        "GET",
        "302 403 403 403 403 403 404 404",
        slug=N,
        pk="p_published",
    ),
    row("stakeholders:practice_delete", "GET", DRAFT_OWNERS, slug=N, pk="p_draft"),
    row("stakeholders:practice_delete", "POST", DRAFT_OWNERS_POST, slug=N, pk="p_draft"),
    row(
        "stakeholders:practice_transition",
        "GET",
        DRAFT_OWNERS,
        slug=N,
        pk="p_draft",
        action="propose",
    ),
    row(
        "stakeholders:practice_transition",
        "POST",
        DRAFT_OWNERS_POST,
        slug=N,
        pk="p_draft",
        action="propose",
    ),
    row(
        "stakeholders:practice_transition",
        "GET",
        "302 200 403 403 404 404 404 404",
        slug=N,
        pk="p_proposed",
        action="publish",
    ),
    row(
        "stakeholders:practice_transition",
        "POST",
        "302 302 403 403 404 404 404 404",
        slug=N,
        pk="p_proposed",
        action="publish",
    ),
    row(
        "stakeholders:practice_transition",
        "POST",
        "302 302 403 403 404 404 404 404",
        slug=N,
        pk="p_proposed",
        action="return",
        data="reason=Name+the+partners",
    ),
    row(
        "stakeholders:practice_transition",
        "POST",
        "302 302 403 403 403 403 404 404",
        slug=N,
        pk="p_published",
        action="withdraw",
    ),
    row(
        "stakeholders:practice_transition",
        "GET",
        "302 403 404 404 404 404 200 404",
        slug=C,
        pk="p_city",
        action="withdraw",
    ),
    # The library, for every signed-in user; published practices only.
    row("stakeholders:practice_library", "GET", ALL_200),
    row("stakeholders:practice_library_detail", "GET", ALL_200, pk="p_published"),
    row("stakeholders:practice_library_detail", "GET", ALL_200, pk="p_city"),
    row("stakeholders:practice_library_detail", "GET", ALL_404, pk="p_draft"),
    row("stakeholders:practice_library_detail", "GET", ALL_404, pk="p_proposed"),
    # API: the library.
    row("practice-list", "GET", "403 200 200 200 200 200 200 200"),
    row("practice-detail", "GET", "403 200 200 200 200 200 200 200", pk="p_published"),
    row("practice-detail", "GET", "403 404 404 404 404 404 404 404", pk="p_proposed"),
    # API: a workspace's practices.
    row("workspace-practice-list", "GET", "403 200 200 200 200 200 404 404", workspace_slug=N),
    row(
        "workspace-practice-list",
        "POST",
        "403 400 400 400 400 403 404 404",
        workspace_slug=N,
        data="{}",
    ),
    row("workspace-practice-list", "GET", "403 200 404 404 404 404 200 404", workspace_slug=C),
    row(
        "workspace-practice-list",
        "POST",
        "403 403 404 404 404 404 400 404",
        workspace_slug=C,
        data="{}",
    ),
    row(
        "workspace-practice-detail",
        "GET",
        "403 200 200 200 200 404 404 404",
        workspace_slug=N,
        pk="p_draft",
    ),
    row(
        "workspace-practice-detail",
        "PATCH",
        "403 200 200 403 200 403 404 404",
        workspace_slug=N,
        pk="p_draft",
        data='{"title": "Changed"}',
    ),
    row(
        "workspace-practice-detail",
        "DELETE",
        "403 204 204 403 204 403 404 404",
        workspace_slug=N,
        pk="p_draft",
    ),
    row(
        "workspace-practice-detail",
        "GET",
        "403 404 404 404 404 404 404 404",
        workspace_slug=N,
        pk="p_foreign",
    ),
    row(
        "workspace-practice-transition",
        "POST",
        "403 200 200 403 200 404 404 404",
        workspace_slug=N,
        pk="p_draft",
        action="propose",
        data="{}",
    ),
    row(
        "workspace-practice-transition",
        "POST",
        "403 200 403 403 404 404 404 404",
        workspace_slug=N,
        pk="p_proposed",
        action="publish",
        data="{}",
    ),
    row(
        "workspace-practice-transition",
        "POST",
        "403 200 403 403 404 404 404 404",
        workspace_slug=N,
        pk="p_proposed",
        action="return",
        data='{"reason": "Name the partners"}',
    ),
    row(
        "workspace-practice-transition",
        "POST",
        "403 200 403 403 403 403 404 404",
        workspace_slug=N,
        pk="p_published",
        action="withdraw",
        data="{}",
    ),
    row(
        "workspace-practice-transition",
        "POST",
        "403 403 404 404 404 404 200 404",
        workspace_slug=C,
        pk="p_city",
        action="withdraw",
        data="{}",
    ),
]


def targets(world: Any) -> dict[str, str]:
    from stakeholders.choices import PracticeStatus
    from tests.coordination.practice_factories import make_practice

    contributor, editor = world["contributor"], world["editor"]
    coordinator, city_coordinator = world["coordinator"], world["citycoordinator"]
    published = make_practice(
        contributor,
        world.workspace,
        status=PracticeStatus.PUBLISHED,
        publisher=coordinator,
        title="Matrix published practice",
    )
    draft = make_practice(contributor, world.workspace, title="Matrix draft practice")
    proposed = make_practice(
        editor, world.workspace, status=PracticeStatus.PROPOSED, title="Matrix proposed practice"
    )
    city = make_practice(
        city_coordinator,
        world.city,
        status=PracticeStatus.PUBLISHED,
        publisher=city_coordinator,
        title="Matrix city practice",
    )
    foreign = make_practice(
        world["outsider"],
        world.other,
        status=PracticeStatus.PUBLISHED,
        publisher=world["outsider"],
        title="Matrix foreign practice",
    )
    return {
        "p_published": str(published.pk),
        "p_draft": str(draft.pk),
        "p_proposed": str(proposed.pk),
        "p_city": str(city.pk),
        "p_foreign": str(foreign.pk),
    }
