"""Test data for report jobs: a cycle to report on, a tiny builder, reports in any state."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile

from mainstreaming.choices import ReportKind, ReportStatus, RightsLevel
from mainstreaming.models import Report
from mainstreaming.reports import BUILDERS, kinds  # noqa: F401 - the real builders register
from mainstreaming.services.reports import parameters_digest
from tests.mainstreaming.planning_factories import make_cycle

TINY_SENTENCE = "Tiny report body for the job tests."


class TinyBuilder:
    """A fast builder for job tests: counts its calls; can fail on demand."""

    def __init__(self) -> None:
        self.calls: list[int] = []
        self.fail_with: list[BaseException] = []

    def __call__(self, report: Report, perms: frozenset[Any]) -> str:
        self.calls.append(report.pk)
        if self.fail_with:
            raise self.fail_with.pop(0)
        return (
            f"<html><head><title>{report.title}</title></head><body><h1>{report.workspace.name}"
            f"</h1><p>{TINY_SENTENCE}</p><p>level {report.rights_level}</p></body></html>"
        )


def install_tiny_builder(monkeypatch: pytest.MonkeyPatch) -> TinyBuilder:
    builder = TinyBuilder()
    monkeypatch.setitem(BUILDERS, ReportKind.CYCLE_PROGRESS, builder)
    return builder


def cycle_for(world: Any, **kwargs: Any) -> Any:
    return make_cycle(world, **kwargs)


def make_report(
    workspace: Any,
    *,
    cycle: Any,
    user: Any = None,
    status: str = ReportStatus.QUEUED,
    rights_level: str = RightsLevel.APPROVED,
    language: str = "en",
    with_file: bool = False,
    **extra: Any,
) -> Report:
    """A report row in any state, straight in the database (no task)."""
    parameters = {"cycle": cycle.pk, **extra.pop("parameters", {})}
    report = Report.objects.create(
        workspace=workspace,
        kind=ReportKind.CYCLE_PROGRESS,
        parameters=parameters,
        parameters_key=parameters_digest(parameters),
        rights_level=rights_level,
        language=language,
        title=extra.pop("title", f"Progress – {cycle}"),
        requested_by=user,
        status=status,
        **extra,
    )
    if with_file:
        report.file.save(f"report-{report.pk}-1.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        report.sha256 = "0" * 64
        report.page_count = 1
        report.size = 13
        report.save()
    return report
