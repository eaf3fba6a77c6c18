"""Writes on planning cycles, their stage sign-offs, situation analysis and evidence.

Keyword-only, one transaction each, `full_clean()` before saving, the actor recorded in the
history. Review transitions of the sections go through `stakeholders.review`.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath
from typing import Any

import puremagic
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from profiles.models import Edition
from stakeholders.models import User, Workspace
from stakeholders.permissions import Perm, can, workspace_perms

from ..choices import NEXT_STAGE, CycleStage, EvidenceKind
from ..models import Cycle, Evidence, SituationSection, StageSignoff

DEFAULT_SITUATION_SECTIONS = (
    _("Development context"),
    _(
        "Migration situation (immigration, emigration, internal migration, return, "
        "remittances, diaspora)"
    ),
    _("Policy and legal framework"),
    _("Institutional framework and coordination"),
    _("Stakeholders and partnerships"),
    _("Data availability and gaps"),
    _("Capacity needs"),
    _("Gender and migrants' rights"),
)


def _save(obj: Any, *, actor: User | None) -> None:
    obj.full_clean()
    obj._history_user = actor
    obj.save()


def _require_edit(actor: User, workspace: Workspace) -> None:
    if not can(actor, Perm.EDIT, workspace):
        raise PermissionDenied


@transaction.atomic
def cycle_create(
    *,
    actor: User,
    workspace: Workspace,
    title: str,
    start_year: int,
    end_year: int,
    plan: str = "",
) -> Cycle:
    """Open a planning cycle with the default situation-analysis sections."""
    _require_edit(actor, workspace)
    cycle = Cycle(
        workspace=workspace, title=title, start_year=start_year, end_year=end_year, plan=plan
    )
    _save(cycle, actor=actor)
    for position, section_title in enumerate(DEFAULT_SITUATION_SECTIONS):
        section = SituationSection(
            cycle=cycle,
            workspace=workspace,
            title=str(section_title),
            position=position,
            created_by=actor,
        )
        section.lock_version = 1
        _save(section, actor=actor)
    return cycle


@transaction.atomic
def situation_section_create(
    *,
    actor: User,
    cycle: Cycle,
    title: str,
    narrative: str = "",
    position: int | None = None,
) -> SituationSection:
    """Add a section, at the end unless a position is given."""
    _require_edit(actor, cycle.workspace)
    Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
    count = SituationSection.objects.filter(cycle=cycle).count()
    section = SituationSection(
        cycle=cycle,
        workspace=cycle.workspace,
        title=title,
        narrative=narrative,
        position=count,
        created_by=actor,
    )
    section.lock_version = 1
    _save(section, actor=actor)
    if position is not None and position != count:
        return situation_section_move(actor=actor, section=section, position=position)
    return section


@transaction.atomic
def situation_section_move(
    *, actor: User, section: SituationSection, position: int
) -> SituationSection:
    """Put the section at `position` (0-based, clamped) and renumber its cycle's sections."""
    _require_edit(actor, section.workspace)
    Cycle.objects.select_for_update().filter(pk=section.cycle_id).first()
    sections = list(
        SituationSection.objects.select_for_update()
        .filter(cycle_id=section.cycle_id)
        .order_by("position", "pk")
    )
    moving = next(s for s in sections if s.pk == section.pk)
    sections.remove(moving)
    sections.insert(max(0, min(position, len(sections))), moving)
    for index, each in enumerate(sections):
        if each.position != index:
            each.position = index
            each.lock_version += 1
            _save(each, actor=actor)
    section.position = moving.position
    section.lock_version = moving.lock_version
    return moving


@transaction.atomic
def cycle_update(
    *,
    actor: User,
    cycle: Cycle,
    title: str | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
    plan: str | None = None,
) -> Cycle:
    """Change a cycle's title, years or the plan it feeds (the cycle itself is not reviewed)."""
    _require_edit(actor, cycle.workspace)
    changes = {"title": title, "start_year": start_year, "end_year": end_year, "plan": plan}
    for name, value in changes.items():
        if value is not None:
            setattr(cycle, name, value)
    _save(cycle, actor=actor)
    return cycle


# Stage sign-off --------------------------------------------------------------------------------


@transaction.atomic
def stage_signoff(*, actor: User, cycle: Cycle, stage: str, note: str = "") -> StageSignoff:
    """Sign off the cycle's current stage once every item of it is approved; move to the next.

    Coordinators only (Perm.PUBLISH). Refused with a ValidationError that lists what is missing
    (item titles and states) while the stage is empty or holds an item that is not approved.
    Signing off the last stage completes the cycle.
    """
    from ..selectors.cycles import stage_readiness

    if not can(actor, Perm.PUBLISH, cycle.workspace):
        raise PermissionDenied
    locked = Cycle.objects.select_for_update().select_related("workspace").get(pk=cycle.pk)
    if stage not in CycleStage.values:
        raise ValidationError({"stage": _("There is no such stage.")}, code="invalid")
    if locked.completed_at is not None:
        raise ValidationError(_("This cycle is complete: every stage is signed off."), code="done")
    if stage != locked.current_stage:
        raise ValidationError(
            _("Only the current stage (%(current)s) can be signed off.")
            % {"current": CycleStage(locked.current_stage).label},
            code="not_current",
        )
    status = next(s for s in stage_readiness(cycle=locked) if s.stage == stage)
    if not status.ready:
        raise ValidationError(list(status.problems), code="not_ready")
    signoff = StageSignoff(
        cycle=locked, workspace=locked.workspace, stage=stage, signed_by=actor, note=note.strip()
    )
    signoff.full_clean()
    signoff.save()
    following = NEXT_STAGE.get(CycleStage(stage))
    if following is None:
        locked.completed_at = timezone.now()
    else:
        locked.current_stage = following
    _save(locked, actor=actor)
    cycle.current_stage, cycle.completed_at = locked.current_stage, locked.completed_at
    return signoff


# Situation sections ----------------------------------------------------------------------------


def _renumber(cycle_id: int, *, actor: User) -> None:
    sections = SituationSection.objects.select_for_update().filter(cycle_id=cycle_id)
    for index, each in enumerate(sections.order_by("position", "pk")):
        if each.position != index:
            each.position = index
            each.lock_version += 1
            _save(each, actor=actor)


def can_delete_item(perms: frozenset[Perm], item: Any) -> bool:
    """Editors delete what was never approved; once approved, it is part of the record and only a
    coordinator deletes it."""
    if item.approved_version is None:
        return Perm.EDIT in perms
    return Perm.MANAGE_WORKSPACE in perms


def _delete_files_on_commit(names: list[str | None]) -> None:
    stored = [name for name in names if name]
    if not stored:
        return
    storage = Evidence._meta.get_field("file").storage

    def delete() -> None:
        for name in stored:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def situation_section_delete(*, actor: User, section: SituationSection) -> None:
    """Delete a section with its evidence (files removed once the deletion is committed)."""
    if not can_delete_item(workspace_perms(actor, section.workspace), section):
        raise PermissionDenied
    Cycle.objects.select_for_update().filter(pk=section.cycle_id).first()
    files: list[str | None] = list(
        Evidence.objects.filter(section=section).values_list("file", flat=True)
    )
    section._history_user = actor  # type: ignore[attr-defined]
    section.delete()
    _renumber(section.cycle_id, actor=actor)
    _delete_files_on_commit(files)


# Evidence --------------------------------------------------------------------------------------

# What may be uploaded: the extension, the type found in the content, the type it is served as.
DOCUMENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv",
    "txt": "text/plain",
    "png": "image/png",
    "jpg": "image/jpeg",
}
EXTENSION_ALIASES = {"jpeg": "jpg"}
ACCEPTED_EXTENSIONS = sorted([*DOCUMENT_TYPES, *EXTENSION_ALIASES])

_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}


def _zip_kind(data: bytes) -> str | None:
    """docx, xlsx, odt or ods from the parts of a ZIP container, else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                return _ODF_MIMETYPES.get(archive.read("mimetype").strip())
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return "docx"
                if "xl/workbook.xml" in names:
                    return "xlsx"
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def document_kinds(data: bytes) -> set[str]:
    """The allowed kinds (extensions) that `data` is, judged from its content only.

    puremagic recognises the signatures (PDF, PNG, JPEG, ZIP …) without the file name, which
    would otherwise tip its guess; ZIP containers are opened to tell Word, Excel and
    OpenDocument files from any other archive; text has no signature, so UTF-8 without NUL bytes
    counts as CSV or plain text.
    """
    try:
        found = {m.extension.lstrip(".").lower() for m in puremagic.magic_string(data)}
    except (puremagic.PureError, ValueError):
        found = set()
    if "pdf" in found:
        return {"pdf"}
    if "png" in found:
        return {"png"}
    if found & {"jpg", "jpeg", "jfif", "jpe"}:
        return {"jpg"}
    if data[:4] == b"PK\x03\x04":
        kind = _zip_kind(data)
        return {kind} if kind else set()
    if not found and _is_text(data):
        return {"csv", "txt"}
    return set()


def _check_document(file: Any) -> str:
    """The content type to store for an uploaded document, or ValidationError on `file`."""
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    if file.size is None or file.size > limit:
        raise ValidationError(
            {
                "file": _("The file is larger than %(limit)s. Upload a smaller file.")
                % {"limit": filesizeformat(limit)}
            },
            code="too_large",
        )
    if file.size == 0:
        raise ValidationError({"file": _("The file is empty.")}, code="empty")
    extension = PurePath(file.name or "").suffix.lstrip(".").lower()
    extension = EXTENSION_ALIASES.get(extension, extension)
    accepted = _(
        "Accepted: PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT, ODS), CSV, plain "
        "text, PNG and JPEG."
    )
    if extension not in DOCUMENT_TYPES:
        raise ValidationError(
            {"file": _("This type of file is not accepted. %(accepted)s") % {"accepted": accepted}},
            code="extension",
        )
    file.seek(0)
    data = file.read()
    file.seek(0)
    kinds = document_kinds(data)
    if not kinds:
        raise ValidationError(
            {
                "file": _("The content of this file is not of an accepted type. %(accepted)s")
                % {"accepted": accepted}
            },
            code="content",
        )
    if extension not in kinds:
        raise ValidationError(
            {
                "file": _(
                    "The file's name ends in .%(extension)s but its content is not a "
                    "%(extension)s file. Check you chose the right file."
                )
                % {"extension": extension.upper()}
            },
            code="mismatch",
        )
    return DOCUMENT_TYPES[extension]


@transaction.atomic
def evidence_create(
    *,
    actor: User,
    section: SituationSection,
    title: str,
    file: Any = None,
    url: str = "",
    indicator: Indicator | None = None,
    edition: Edition | None = None,
) -> Evidence:
    """Add a document (an uploaded `file`), a web link (`url`), an `indicator` or a published
    migration-profile `edition` of the same workspace to a section.

    The evidence carries the section's current version: readers of the approved snapshot see it
    once that version is approved. Documents are checked for size and, from their content, type.
    """
    _require_edit(actor, section.workspace)
    if edition is not None and (file or url or indicator is not None):
        raise ValidationError(
            _("A published migration profile is evidence on its own: give nothing else with it."),
            code="document_or_link",
        )
    if edition is None and [bool(file), bool(url), indicator is not None].count(True) != 1:
        raise ValidationError(
            _("Upload a document, give a web address or choose an indicator: one of the three."),
            code="document_or_link",
        )
    if edition is not None and (
        edition.workspace_id != section.workspace_id or not edition.is_published
    ):
        raise ValidationError(
            {"edition": _("Choose a published migration profile edition of this workspace.")},
            code="edition_not_published",
        )
    locked = SituationSection.objects.select_for_update().get(pk=section.pk)
    evidence = Evidence(
        section=locked,
        workspace=locked.workspace,
        title=(title or "").strip(),
        added_in_version=locked.version,
        added_by=actor,
    )
    if file:
        evidence.kind = EvidenceKind.DOCUMENT
        evidence.content_type = _check_document(file)
        evidence.size = file.size
        evidence.file = file
    elif url:
        evidence.kind = EvidenceKind.LINK
        evidence.url = url.strip()
    elif edition is not None:
        evidence.kind = EvidenceKind.PROFILE
        evidence.edition = edition
        evidence.title = evidence.title or str(edition)
    else:
        evidence.kind = EvidenceKind.INDICATOR
        evidence.indicator = indicator
        evidence.title = evidence.title or str(indicator)
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, actor: User, evidence: Evidence) -> None:
    """Remove evidence; its file leaves storage once the deletion is committed."""
    _require_edit(actor, evidence.workspace)
    name = evidence.file.name if evidence.file else ""
    evidence.delete()
    _delete_files_on_commit([name])
