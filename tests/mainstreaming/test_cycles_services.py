"""Services and selectors of cycles: update, stage sign-off, section deletion and evidence."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mainstreaming.choices import CycleStage
from mainstreaming.models import Cycle, Evidence, SituationSection, StageSignoff
from mainstreaming.selectors.cycles import (
    cycle_list,
    evidence_list,
    stage_readiness,
)
from mainstreaming.services.cycles import (
    can_delete_item,
    cycle_update,
    document_kinds,
    evidence_create,
    evidence_delete,
    situation_section_delete,
    stage_signoff,
)
from stakeholders.permissions import workspace_perms
from stakeholders.review import review_edit

from .cycles_factories import (
    DOCX,
    PDF,
    add_action,
    add_kpi,
    add_objective,
    add_priority,
    approve_all,
    open_cycle,
    sample,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _sections(cycle: Cycle) -> list[SituationSection]:
    return list(cycle.sections.order_by("position"))


# Cycles ----------------------------------------------------------------------------------------


def test_cycle_update_changes_fields_and_records_the_actor(world) -> None:
    cycle = open_cycle(world)
    cycle_update(actor=world["editor"], cycle=cycle, title="PND 2026", end_year=2030)
    cycle.refresh_from_db()
    assert (cycle.title, cycle.end_year) == ("PND 2026", 2030)
    assert cycle.history.first().history_user == world["editor"]
    with pytest.raises(PermissionDenied):
        cycle_update(actor=world["reviewer"], cycle=cycle, title="No")
    with pytest.raises(ValidationError):
        cycle_update(actor=world["editor"], cycle=cycle, start_year=2031)
    cycle.refresh_from_db()
    assert cycle.title == "PND 2026"


def test_cycle_list_puts_current_cycles_first(world) -> None:
    done = open_cycle(world, title="Old")
    Cycle.objects.filter(pk=done.pk).update(
        completed_at="2024-01-01T00:00:00Z", start_year=2030, end_year=2031
    )
    current = open_cycle(world, title="New")
    assert list(cycle_list(user=world["observer"], workspace=world.workspace)) == [current, done]


# Sign-off --------------------------------------------------------------------------------------


def test_stage_signoff_refused_with_the_list_of_what_is_missing(world) -> None:
    cycle = open_cycle(world)
    sections = _sections(cycle)
    approve_all(world, sections[:6])
    with pytest.raises(ValidationError) as refused:
        stage_signoff(actor=world["coordinator"], cycle=cycle, stage=CycleStage.SITUATION_ANALYSIS)
    message = " ".join(refused.value.messages)
    assert (
        "2 sections not approved: Capacity needs (draft), Gender and migrants' rights (draft)"
        in message
    )
    assert "Development context" not in message  # approved ones are not listed
    cycle.refresh_from_db()
    assert cycle.current_stage == CycleStage.SITUATION_ANALYSIS
    assert not StageSignoff.objects.exists()
    # Positive control: once the last two are approved, the stage is signed off.
    approve_all(world, sections[6:])
    signoff = stage_signoff(
        actor=world["coordinator"], cycle=cycle, stage="situation_analysis", note="WG 12 May"
    )
    assert (signoff.stage, signoff.signed_by, signoff.note) == (
        "situation_analysis",
        world["coordinator"],
        "WG 12 May",
    )
    cycle.refresh_from_db()
    assert cycle.current_stage == CycleStage.PRIORITIES
    assert cycle.history.first().history_user == world["coordinator"]


@pytest.mark.parametrize("role", ["editor", "reviewer", "contributor", "observer", "outsider"])
def test_stage_signoff_is_for_coordinators_only(world, role) -> None:
    cycle = open_cycle(world)
    approve_all(world, _sections(cycle))
    with pytest.raises(PermissionDenied):
        stage_signoff(actor=world[role], cycle=cycle, stage="situation_analysis")
    assert not StageSignoff.objects.exists()
    stage_signoff(actor=world["coordinator"], cycle=cycle, stage="situation_analysis")
    assert StageSignoff.objects.count() == 1


def test_stage_signoff_only_the_current_stage_and_not_twice(world) -> None:
    cycle = open_cycle(world)
    approve_all(world, _sections(cycle))
    with pytest.raises(ValidationError, match="Only the current stage"):
        stage_signoff(actor=world["coordinator"], cycle=cycle, stage="priorities")
    stage_signoff(actor=world["coordinator"], cycle=cycle, stage="situation_analysis")
    with pytest.raises(ValidationError, match="Only the current stage"):
        stage_signoff(actor=world["coordinator"], cycle=cycle, stage="situation_analysis")
    assert StageSignoff.objects.count() == 1


def test_stage_signoff_refuses_an_empty_stage(world) -> None:
    cycle = open_cycle(world)
    for section in _sections(cycle):
        situation_section_delete(actor=world["editor"], section=section)
    with pytest.raises(ValidationError, match="no section yet"):
        stage_signoff(actor=world["coordinator"], cycle=cycle, stage="situation_analysis")


def test_stage_signoff_through_all_four_stages_completes_the_cycle(world) -> None:
    coordinator, editor = world["coordinator"], world["editor"]
    cycle = open_cycle(world)
    approve_all(world, _sections(cycle))
    stage_signoff(actor=coordinator, cycle=cycle, stage="situation_analysis")

    with pytest.raises(ValidationError, match="No priority"):
        stage_signoff(actor=coordinator, cycle=cycle, stage="priorities")
    priority = add_priority(cycle, editor)
    with pytest.raises(ValidationError, match=r"1 priority not approved: Diaspora bonds \(draft\)"):
        stage_signoff(actor=coordinator, cycle=cycle, stage="priorities")
    approve_all(world, [priority])
    stage_signoff(actor=coordinator, cycle=cycle, stage="priorities")

    objective = add_objective(priority, editor)
    approve_all(world, [objective])
    with pytest.raises(ValidationError, match="no action yet"):
        stage_signoff(actor=coordinator, cycle=cycle, stage="action_plan")
    action = add_action(objective, editor)
    with pytest.raises(ValidationError, match="1 action not approved"):
        stage_signoff(actor=coordinator, cycle=cycle, stage="action_plan")
    approve_all(world, [action])
    stage_signoff(actor=coordinator, cycle=cycle, stage="action_plan")
    cycle.refresh_from_db()
    assert cycle.current_stage == CycleStage.MONITORING and cycle.completed_at is None

    with pytest.raises(ValidationError, match="No KPI"):
        stage_signoff(actor=coordinator, cycle=cycle, stage="monitoring")
    approve_all(world, [add_kpi(objective, editor)])
    stage_signoff(actor=coordinator, cycle=cycle, stage="monitoring")
    cycle.refresh_from_db()
    assert cycle.completed_at is not None
    assert [s.status for s in stage_readiness(cycle=cycle)] == ["signed_off"] * 4
    with pytest.raises(ValidationError, match="complete"):
        stage_signoff(actor=coordinator, cycle=cycle, stage="monitoring")


def test_stage_readiness_counts_by_state_in_fixed_queries(world, django_assert_num_queries) -> None:
    cycle = open_cycle(world)
    sections = _sections(cycle)
    approve_all(world, sections[:3])
    with django_assert_num_queries(3):
        stages = stage_readiness(cycle=cycle)
    first = stages[0]
    assert [s.status for s in stages] == ["current", "not_started", "not_started", "not_started"]
    assert (first.total, first.approved, first.counts) == (8, 3, {"approved": 3, "draft": 5})
    assert [item.title for item in first.missing][:1] == [
        "Institutional framework and coordination"
    ]
    assert not first.ready
    assert stages[1].problems == ["No priority has been added yet."]


# Section deletion ------------------------------------------------------------------------------


def test_section_delete_rules_and_renumbering(world) -> None:
    cycle = open_cycle(world)
    first, second, *_rest = _sections(cycle)
    approve_all(world, [second])
    second.refresh_from_db()
    editor_perms = workspace_perms(world["editor"], world.workspace)
    assert can_delete_item(editor_perms, first) and not can_delete_item(editor_perms, second)
    with pytest.raises(PermissionDenied):
        situation_section_delete(actor=world["editor"], section=second)
    with pytest.raises(PermissionDenied):
        situation_section_delete(actor=world["reviewer"], section=first)
    situation_section_delete(actor=world["editor"], section=first)
    situation_section_delete(actor=world["coordinator"], section=second)
    assert not SituationSection.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert list(cycle.sections.order_by("position").values_list("position", flat=True)) == list(
        range(6)
    )


def test_section_delete_removes_evidence_files_on_commit(
    world, _media, django_capture_on_commit_callbacks
) -> None:
    cycle = open_cycle(world)
    section = _sections(cycle)[0]
    evidence = evidence_create(
        actor=world["editor"], section=section, title="Survey", file=sample("pdf")
    )
    stored = Path(evidence.file.path)
    assert stored.exists() and stored.is_relative_to(_media)
    with django_capture_on_commit_callbacks(execute=True):
        situation_section_delete(actor=world["editor"], section=section)
    assert not stored.exists()
    assert not Evidence.objects.exists()


# Evidence --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "content_type"),
    [
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("odt", "application/vnd.oasis.opendocument.text"),
        ("csv", "text/csv"),
        ("png", "image/png"),
    ],
)
def test_evidence_create_accepts_allowed_documents(world, kind, content_type) -> None:
    section = _sections(open_cycle(world))[0]
    evidence = evidence_create(
        actor=world["editor"], section=section, title="Doc", file=sample(kind)
    )
    assert (evidence.kind, evidence.content_type) == ("document", content_type)
    assert evidence.size and evidence.added_by == world["editor"]
    assert evidence.file.name.startswith(f"evidence/{world.workspace.pk}/")


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("exe_as_pdf", "content of this file is not of an accepted type"),
        ("zip_as_docx", "content of this file is not of an accepted type"),
        ("docx_as_pdf", "ends in .PDF but its content is not"),
        ("exe", "This type of file is not accepted"),
    ],
)
def test_evidence_create_refuses_a_file_whose_content_is_not_allowed(world, kind, message) -> None:
    section = _sections(open_cycle(world))[0]
    with pytest.raises(ValidationError) as refused:
        evidence_create(actor=world["editor"], section=section, title="Bad", file=sample(kind))
    assert message in " ".join(refused.value.message_dict["file"])
    assert not Evidence.objects.exists()
    # Positive control: a real PDF is accepted on the same section.
    evidence_create(actor=world["editor"], section=section, title="Good", file=sample("pdf"))
    assert Evidence.objects.count() == 1


def test_evidence_create_refuses_a_file_over_the_limit(world, settings) -> None:
    settings.EVIDENCE_MAX_UPLOAD_BYTES = len(PDF) - 1
    section = _sections(open_cycle(world))[0]
    with pytest.raises(ValidationError, match="larger than"):
        evidence_create(actor=world["editor"], section=section, title="Big", file=sample("pdf"))
    settings.EVIDENCE_MAX_UPLOAD_BYTES = len(PDF)
    evidence_create(actor=world["editor"], section=section, title="Fits", file=sample("pdf"))
    assert Evidence.objects.count() == 1


def test_evidence_links_and_permissions(world) -> None:
    section = _sections(open_cycle(world))[0]
    link = evidence_create(
        actor=world["editor"], section=section, title="IOM profile", url="https://iom.int/x"
    )
    assert (link.kind, link.file.name) == ("link", "")
    with pytest.raises(ValidationError):
        evidence_create(
            actor=world["editor"],
            section=section,
            title="Both",
            url="https://a.b",
            file=sample("pdf"),
        )
    with pytest.raises(ValidationError):
        evidence_create(actor=world["editor"], section=section, title="Neither")
    for role in ("reviewer", "contributor", "observer"):
        with pytest.raises(PermissionDenied):
            evidence_create(actor=world[role], section=section, title="No", url="https://a.b")
        with pytest.raises(PermissionDenied):
            evidence_delete(actor=world[role], evidence=link)
    evidence_delete(actor=world["editor"], evidence=link)
    assert not Evidence.objects.exists()


def test_evidence_added_in_a_new_draft_stays_hidden_from_approved_readers(world) -> None:
    section = _sections(open_cycle(world))[0]
    before = evidence_create(
        actor=world["editor"], section=section, title="Census 2013", url="https://ansd.sn/c"
    )
    approve_all(world, [section])
    section.refresh_from_db()
    review_edit(
        actor=world["editor"],
        item=section,
        expected_lock_version=section.lock_version,
        narrative="New draft",
    )
    after = evidence_create(
        actor=world["editor"], section=section, title="Survey 2024", url="https://ansd.sn/s"
    )
    assert (before.added_in_version, after.added_in_version) == (1, 2)
    observer = workspace_perms(world["observer"], world.workspace)
    editor = workspace_perms(world["editor"], world.workspace)
    assert list(evidence_list(user=world["observer"], section=section, perms=observer)) == [before]
    assert list(evidence_list(user=world["editor"], section=section, perms=editor)) == [
        before,
        after,
    ]


def test_document_kinds_judges_the_content_not_the_name() -> None:
    assert document_kinds(PDF) == {"pdf"}
    assert document_kinds(DOCX) == {"docx"}
    assert document_kinds(b"a,b\n1,2\n") == {"csv", "txt"}
    assert document_kinds(b"\x00\x01\x02binary") == set()
