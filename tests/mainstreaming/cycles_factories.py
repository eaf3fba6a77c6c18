"""Helpers for the cycle tests: items of every stage, approval, and sample uploads.

Items of the later stages (priorities, objectives, actions, KPIs) are built here directly with
`full_clean()`, so these tests do not depend on the services of the other areas.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mainstreaming.models import KPI, Action, Cycle, EntryPointConcern, Objective, Priority
from mainstreaming.services.cycles import cycle_create
from stakeholders.review import review_approve, review_submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100 + b"PE\x00\x00"


def _zip(parts: dict[str, str], mimetype: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if mimetype:
            archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, "PNG")
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": "<x/>", "word/document.xml": "<w/>", "_rels/.rels": "<r/>"})
XLSX = _zip({"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<w/>", "_rels/.rels": "<r/>"})
ODT = _zip({"content.xml": "<x/>"}, "application/vnd.oasis.opendocument.text")
PLAIN_ZIP = _zip({"notes.txt": "hello"})


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def sample(kind: str) -> Any:
    return {
        "pdf": lambda: upload("survey.pdf", PDF, "application/pdf"),
        "docx": lambda: upload("notes.docx", DOCX),
        "xlsx": lambda: upload("table.xlsx", XLSX),
        "odt": lambda: upload("notes.odt", ODT),
        "csv": lambda: upload("data.csv", "région,valeur\nDakar,3\n".encode(), "text/csv"),
        "png": lambda: upload("chart.png", _png(), "image/png"),
        "exe_as_pdf": lambda: upload("report.pdf", EXE, "application/pdf"),
        "zip_as_docx": lambda: upload("notes.docx", PLAIN_ZIP),
        "docx_as_pdf": lambda: upload("notes.pdf", DOCX),
        "exe": lambda: upload("setup.exe", EXE),
    }[kind]()


def open_cycle(
    world: Any, *, workspace: Any = None, actor: Any = None, title: str = "PND"
) -> Cycle:
    return cycle_create(
        actor=actor or world["editor"],
        workspace=workspace or world.workspace,
        title=title,
        start_year=2025,
        end_year=2029,
    )


def approve(items: Any, *, submitter: Any, reviewer: Any) -> None:
    review_submit(actor=submitter, items=items)
    review_approve(actor=reviewer, items=items)


def approve_all(world: Any, items: Any) -> None:
    approve(list(items), submitter=world["editor"], reviewer=world["reviewer"])


def _save(obj: Any, actor: Any) -> Any:
    obj.created_by = actor
    obj.lock_version = 1
    obj.full_clean()
    obj.save()
    return obj


def add_priority(cycle: Cycle, actor: Any, title: str = "Diaspora bonds") -> Priority:
    return _save(
        Priority(
            cycle=cycle,
            workspace=cycle.workspace,
            concern=EntryPointConcern.objects.filter(workspace__isnull=True).first(),
            title=title,
            gender_considerations="Women's remittances.",
            rights_considerations="Access to accounts.",
        ),
        actor,
    )


def add_objective(
    priority: Priority, actor: Any, title: str = "Lower remittance costs"
) -> Objective:
    return _save(
        Objective(
            priority=priority, cycle=priority.cycle, workspace=priority.workspace, title=title
        ),
        actor,
    )


def add_action(objective: Objective, actor: Any, title: str = "Licence mobile operators") -> Action:
    return _save(
        Action(
            objective=objective,
            cycle=objective.cycle,
            workspace=objective.workspace,
            title=title,
            lead_organisation=objective.workspace.organisations.first(),
            start_date=datetime.date(2025, 1, 1),
            end_date=datetime.date(2026, 12, 31),
        ),
        actor,
    )


def add_kpi(objective: Objective, actor: Any, name: str = "Average cost of sending 200 USD") -> KPI:
    return _save(
        KPI(
            cycle=objective.cycle,
            workspace=objective.workspace,
            objective=objective,
            name=name,
            unit="percent",
            direction="lower",
            baseline_value=Decimal("7.5"),
            baseline_year=2024,
            targets={"2029": "3"},
            responsible_organisation=objective.workspace.organisations.first(),
        ),
        actor,
    )
