"""Permission-matrix rows of cycles, stage sign-off, situation sections and evidence (H2).

Statuses are written by hand from DESIGN §3: everyone with access reads cycles and approved
sections; drafts are read by coordinators, editors and reviewers (contributors only when shared,
observers never); editors and coordinators edit; only coordinators sign off a stage and delete a
section that was approved once. Evidence added in a new draft is hidden from readers of the
approved snapshot (contributor, observer). In "city" the national coordinator reads approved
content only; another workspace's object under this workspace's address is not found.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from mainstreaming.services.cycles import cycle_create, evidence_create
from stakeholders.choices import Role
from stakeholders.review import review_approve, review_edit, review_submit

from . import C, N, row

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
READ = "302 200 200 200 200 200 404 404"
READ_DRAFT = "302 200 200 200 404 404 404 404"
EDIT_GET = "302 200 200 403 403 403 404 404"
EDIT_POST = "302 302 302 403 403 403 404 404"
CITY_READ = "302 200 404 404 404 404 200 404"
CITY_DRAFT = "302 404 404 404 404 404 200 404"
CITY_EDIT = "302 403 404 404 404 404 200 404"
FOREIGN = "302 404 404 404 404 404 404 404"
FOREIGN_EDIT = "302 404 404 403 403 403 404 404"
API_READ = "403 200 200 200 200 200 404 404"
API_READ_DRAFT = "403 200 200 200 404 404 404 404"
API_CITY_READ = "403 200 404 404 404 404 200 404"

# Statuses in COLUMNS order: anon coord editor reviewer contrib observer citycoord outsider
ROWS = [
    # Cycles.
    row("mainstreaming:cycle_list", "GET", READ, slug=N),
    row("mainstreaming:cycle_list", "GET", CITY_READ, slug=C),
    row("mainstreaming:cycle_create", "GET", EDIT_GET, slug=N),
    row("mainstreaming:cycle_create", "POST", EDIT_GET, slug=N),  # empty form: 200 with errors
    row(
        "mainstreaming:cycle_create",
        "POST",
        EDIT_POST,
        slug=N,
        data="title=PND&start_year=2025&end_year=2029",
    ),
    row("mainstreaming:cycle_create", "GET", CITY_EDIT, slug=C),
    row("mainstreaming:cycle_detail", "GET", READ, slug=N, pk="cy_cycle"),
    row("mainstreaming:cycle_detail", "GET", CITY_READ, slug=C, pk="cy_city_cycle"),
    row("mainstreaming:cycle_detail", "GET", FOREIGN, slug=N, pk="cy_foreign_cycle"),
    row("mainstreaming:cycle_update", "GET", EDIT_GET, slug=N, pk="cy_cycle"),
    row(
        "mainstreaming:cycle_update",
        "POST",
        EDIT_POST,
        slug=N,
        pk="cy_cycle",
        data="title=PND+2&start_year=2025&end_year=2030",
    ),
    row("mainstreaming:cycle_update", "GET", CITY_EDIT, slug=C, pk="cy_city_cycle"),
    row("mainstreaming:cycle_update", "GET", FOREIGN_EDIT, slug=N, pk="cy_foreign_cycle"),
    # Stage sign-off: coordinators only; refused (400) while items are not approved.
    row(
        "mainstreaming:stage_signoff",
        "GET",
        "302 200 403 403 403 403 404 404",
        slug=N,
        pk="cy_cycle",
        stage="situation_analysis",
    ),
    row(
        "mainstreaming:stage_signoff",
        "POST",
        "302 400 403 403 403 403 404 404",
        slug=N,
        pk="cy_cycle",
        stage="situation_analysis",
    ),
    row(
        "mainstreaming:stage_signoff",
        "POST",
        "302 302 403 403 403 403 404 404",
        slug=N,
        pk="cy_ready_cycle",
        stage="situation_analysis",
    ),
    row(
        "mainstreaming:stage_signoff",
        "GET",
        CITY_EDIT,
        slug=C,
        pk="cy_city_cycle",
        stage="situation_analysis",
    ),
    # Situation sections.
    row("mainstreaming:section_list", "GET", READ, slug=N, pk="cy_cycle"),
    row("mainstreaming:section_list", "GET", CITY_READ, slug=C, pk="cy_city_cycle"),
    row("mainstreaming:section_create", "GET", EDIT_GET, slug=N, pk="cy_cycle"),
    row(
        "mainstreaming:section_create",
        "POST",
        EDIT_POST,
        slug=N,
        pk="cy_cycle",
        data="title=Climate&narrative=Floods",
    ),
    row("mainstreaming:section_create", "GET", CITY_EDIT, slug=C, pk="cy_city_cycle"),
    row("mainstreaming:section_detail", "GET", READ_DRAFT, slug=N, pk="cy_draft_section"),
    row("mainstreaming:section_detail", "GET", READ, slug=N, pk="cy_approved_section"),
    row("mainstreaming:section_detail", "GET", CITY_DRAFT, slug=C, pk="cy_city_draft_section"),
    row("mainstreaming:section_detail", "GET", CITY_READ, slug=C, pk="cy_city_approved_section"),
    row("mainstreaming:section_detail", "GET", FOREIGN, slug=N, pk="cy_foreign_section"),
    row("mainstreaming:section_update", "GET", EDIT_GET, slug=N, pk="cy_draft_section"),
    row("mainstreaming:section_update", "POST", EDIT_GET, slug=N, pk="cy_draft_section"),
    row(
        "mainstreaming:section_update",
        "POST",
        EDIT_POST,
        slug=N,
        pk="cy_draft_section",
        data="title=Context&narrative=New&lock_version=1",
    ),
    row("mainstreaming:section_update", "GET", CITY_EDIT, slug=C, pk="cy_city_approved_section"),
    row("mainstreaming:section_update", "GET", FOREIGN_EDIT, slug=N, pk="cy_foreign_section"),
    row(
        "mainstreaming:section_move",
        "POST",
        EDIT_POST,
        slug=N,
        pk="cy_approved_section",
        data="direction=up",
    ),
    # No position given: the citycoordinator is sent back with a message.
    row(
        "mainstreaming:section_move",
        "POST",
        "302 403 404 404 404 404 302 404",
        slug=C,
        pk="cy_city_approved_section",
    ),
    row("mainstreaming:section_delete", "GET", EDIT_GET, slug=N, pk="cy_draft_section"),
    row("mainstreaming:section_delete", "POST", EDIT_POST, slug=N, pk="cy_draft_section"),
    # Approved once: part of the record, only a coordinator deletes it.
    row(
        "mainstreaming:section_delete",
        "GET",
        "302 200 403 403 403 403 404 404",
        slug=N,
        pk="cy_approved_section",
    ),
    row(
        "mainstreaming:section_delete",
        "POST",
        "302 302 403 403 403 403 404 404",
        slug=N,
        pk="cy_approved_section",
    ),
    row("mainstreaming:section_delete", "GET", CITY_EDIT, slug=C, pk="cy_city_draft_section"),
    # Evidence.
    row("mainstreaming:evidence_create", "GET", EDIT_GET, slug=N, pk="cy_approved_section"),
    row(
        "mainstreaming:evidence_create",
        "POST",
        EDIT_POST,
        slug=N,
        pk="cy_approved_section",
        data="title=IOM&url=https://iom.int/profile",
    ),
    row("mainstreaming:evidence_create", "GET", CITY_EDIT, slug=C, pk="cy_city_approved_section"),
    row("mainstreaming:evidence_download", "GET", READ, slug=N, pk="cy_approved_evidence"),
    # Added in a new draft after the approved version: only drafts readers download it.
    row("mainstreaming:evidence_download", "GET", READ_DRAFT, slug=N, pk="cy_late_evidence"),
    row("mainstreaming:evidence_download", "GET", CITY_READ, slug=C, pk="cy_city_evidence"),
    row("mainstreaming:evidence_download", "GET", FOREIGN, slug=N, pk="cy_foreign_evidence"),
    row("mainstreaming:evidence_delete", "GET", EDIT_GET, slug=N, pk="cy_approved_evidence"),
    row("mainstreaming:evidence_delete", "POST", EDIT_POST, slug=N, pk="cy_approved_evidence"),
    row("mainstreaming:evidence_delete", "GET", CITY_EDIT, slug=C, pk="cy_city_evidence"),
    # API.
    row("cycle-list", "GET", API_READ, workspace_slug=N),
    row("cycle-list", "GET", API_CITY_READ, workspace_slug=C),
    row(
        "cycle-list",
        "POST",
        "403 201 201 403 403 403 404 404",
        workspace_slug=N,
        data='{"title": "PND", "start_year": 2025, "end_year": 2029}',
    ),
    row("cycle-list", "POST", "403 403 404 404 404 404 400 404", workspace_slug=C, data="{}"),
    row("cycle-detail", "GET", API_READ, workspace_slug=N, pk="cy_cycle"),
    row("cycle-detail", "GET", API_CITY_READ, workspace_slug=C, pk="cy_city_cycle"),
    row(
        "cycle-detail",
        "GET",
        "403 404 404 404 404 404 404 404",
        workspace_slug=N,
        pk="cy_foreign_cycle",
    ),
    row(
        "cycle-detail",
        "PATCH",
        "403 200 200 403 403 403 404 404",
        workspace_slug=N,
        pk="cy_cycle",
        data='{"title": "PND 2"}',
    ),
    row(
        "cycle-signoff",
        "POST",
        "403 400 403 403 403 403 404 404",
        workspace_slug=N,
        pk="cy_cycle",
        data='{"stage": "situation_analysis"}',
    ),
    row(
        "cycle-signoff",
        "POST",
        "403 200 403 403 403 403 404 404",
        workspace_slug=N,
        pk="cy_ready_cycle",
        data='{"stage": "situation_analysis"}',
    ),
    row(
        "cycle-signoff",
        "POST",
        "403 403 404 404 404 404 400 404",
        workspace_slug=C,
        pk="cy_city_cycle",
        data='{"stage": "situation_analysis"}',
    ),
    row("section-list", "GET", API_READ, workspace_slug=N, cycle_pk="cy_cycle"),
    row("section-list", "GET", API_CITY_READ, workspace_slug=C, cycle_pk="cy_city_cycle"),
    row(
        "section-list",
        "POST",
        "403 201 201 403 403 403 404 404",
        workspace_slug=N,
        cycle_pk="cy_cycle",
        data='{"title": "Climate", "narrative": "Floods"}',
    ),
    row("section-detail", "GET", API_READ_DRAFT, workspace_slug=N, pk="cy_draft_section"),
    row("section-detail", "GET", API_READ, workspace_slug=N, pk="cy_approved_section"),
    row(
        "section-detail",
        "GET",
        "403 404 404 404 404 404 200 404",
        workspace_slug=C,
        pk="cy_city_draft_section",
    ),
    row(
        "section-detail",
        "GET",
        "403 404 404 404 404 404 404 404",
        workspace_slug=N,
        pk="cy_foreign_section",
    ),
    # Without If-Match: 428 for those who may edit.
    row(
        "section-detail",
        "PATCH",
        "403 428 428 403 403 403 404 404",
        workspace_slug=N,
        pk="cy_draft_section",
        data='{"narrative": "x"}',
    ),
    row(
        "section-detail",
        "DELETE",
        "403 204 204 403 403 403 404 404",
        workspace_slug=N,
        pk="cy_draft_section",
    ),
    row(
        "section-detail",
        "DELETE",
        "403 204 403 403 403 403 404 404",
        workspace_slug=N,
        pk="cy_approved_section",
    ),
    row(
        "section-move",
        "POST",
        "403 200 200 403 403 403 404 404",
        workspace_slug=N,
        pk="cy_approved_section",
        data='{"position": 0}',
    ),
    row("evidence-list", "GET", API_READ, workspace_slug=N, section_pk="cy_approved_section"),
    row("evidence-list", "GET", API_READ_DRAFT, workspace_slug=N, section_pk="cy_draft_section"),
    row(
        "evidence-list",
        "GET",
        API_CITY_READ,
        workspace_slug=C,
        section_pk="cy_city_approved_section",
    ),
    row(
        "evidence-list",
        "POST",
        "403 201 201 403 403 403 404 404",
        workspace_slug=N,
        section_pk="cy_approved_section",
        data='{"title": "IOM", "url": "https://iom.int/profile"}',
    ),
    row("evidence-detail", "GET", API_READ, workspace_slug=N, pk="cy_approved_evidence"),
    row("evidence-detail", "GET", API_READ_DRAFT, workspace_slug=N, pk="cy_late_evidence"),
    row(
        "evidence-detail",
        "GET",
        "403 404 404 404 404 404 404 404",
        workspace_slug=N,
        pk="cy_foreign_evidence",
    ),
    row(
        "evidence-detail",
        "DELETE",
        "403 204 204 403 403 403 404 404",
        workspace_slug=N,
        pk="cy_approved_evidence",
    ),
    row("evidence-download", "GET", API_READ, workspace_slug=N, pk="cy_approved_evidence"),
    row("evidence-download", "GET", API_READ_DRAFT, workspace_slug=N, pk="cy_late_evidence"),
    row("evidence-download", "GET", API_CITY_READ, workspace_slug=C, pk="cy_city_evidence"),
]


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("survey.pdf", PDF, content_type="application/pdf")


def _cycle(actor, workspace, title):
    cycle = cycle_create(
        actor=actor, workspace=workspace, title=title, start_year=2025, end_year=2029
    )
    return cycle, list(cycle.sections.order_by("position"))


def targets(world) -> dict[str, str]:
    from tests.factories import MembershipFactory

    editor, reviewer = world["editor"], world["reviewer"]
    cycle, (draft, approved, revised, *_rest) = _cycle(editor, world.workspace, "National")
    approved_evidence = evidence_create(actor=editor, section=approved, title="A", file=_pdf())
    review_submit(actor=editor, items=[approved, revised])
    review_approve(actor=reviewer, items=[approved, revised])
    revised.refresh_from_db()
    review_edit(
        actor=editor, item=revised, expected_lock_version=revised.lock_version, narrative="v2"
    )
    late_evidence = evidence_create(actor=editor, section=revised, title="L", file=_pdf())

    ready, ready_sections = _cycle(editor, world.workspace, "Ready")
    review_submit(actor=editor, items=ready_sections)
    review_approve(actor=reviewer, items=ready_sections)

    city_coordinator = world["citycoordinator"]
    city_reviewer = MembershipFactory(workspace=world.city, role=Role.REVIEWER).user
    city_cycle, (city_draft, city_approved, *_rest) = _cycle(city_coordinator, world.city, "City")
    city_evidence = evidence_create(
        actor=city_coordinator, section=city_approved, title="C", file=_pdf()
    )
    review_submit(actor=city_coordinator, items=city_approved)
    review_approve(actor=city_reviewer, items=city_approved)

    outsider = world["outsider"]
    foreign_cycle, (foreign, *_rest) = _cycle(outsider, world.other, "Elsewhere")
    foreign_evidence = evidence_create(actor=outsider, section=foreign, title="F", file=_pdf())
    return {
        "cy_cycle": str(cycle.pk),
        "cy_ready_cycle": str(ready.pk),
        "cy_city_cycle": str(city_cycle.pk),
        "cy_foreign_cycle": str(foreign_cycle.pk),
        "cy_draft_section": str(draft.pk),
        "cy_approved_section": str(approved.pk),
        "cy_city_draft_section": str(city_draft.pk),
        "cy_city_approved_section": str(city_approved.pk),
        "cy_foreign_section": str(foreign.pk),
        "cy_approved_evidence": str(approved_evidence.pk),
        "cy_late_evidence": str(late_evidence.pk),
        "cy_city_evidence": str(city_evidence.pk),
        "cy_foreign_evidence": str(foreign_evidence.pk),
    }
