"""Builders for the section tests: an edition with sections made directly from the models (the
edition services belong to another area), tables and recommendations through the services."""

from __future__ import annotations

from typing import Any

from profiles.models import Edition, Section, SectionTable
from profiles.services.sections import section_table_add
from stakeholders.review import review_approve, review_submit
from tests.indicators.observation_factories import starter


def make_edition(world: Any, *, workspace: Any = None, number: int = 1, **kwargs: Any) -> Edition:
    workspace = workspace or world.workspace
    kwargs.setdefault("title", f"Migration profile, edition {number}")
    kwargs.setdefault("reference_start_year", 2019)
    kwargs.setdefault("reference_end_year", 2022)
    edition = Edition(workspace=workspace, number=number, **kwargs)
    edition.full_clean()
    edition.save()
    return edition


def make_section(edition: Edition, *, actor: Any = None, **kwargs: Any) -> Section:
    kwargs.setdefault("code", "A.4")
    kwargs.setdefault("part", "A")
    kwargs.setdefault("title", "Emigration")
    kwargs.setdefault("narrative", "About **emigration**.")
    kwargs.setdefault("guidance", "Describe emigration flows.")
    section = Section(edition=edition, workspace=edition.workspace, created_by=actor, **kwargs)
    section.lock_version = 1
    section.full_clean()
    section.save()
    return section


def add_table(section: Section, actor: Any, code: str = "ECO-02", **kwargs: Any) -> SectionTable:
    return section_table_add(actor=actor, section=section, indicator=starter(code), **kwargs)


def approve_section(world: Any, section: Section) -> Section:
    review_submit(actor=world["editor"], items=section)
    review_approve(actor=world["reviewer"], items=section)
    section.refresh_from_db()
    return section
