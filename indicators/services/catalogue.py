"""Writes of the catalogue: a workspace's own (custom) indicators and the staff import of a
framework from a catalogue file.

Custom indicators: editors and coordinators (`Perm.EDIT`) of the workspace; one transaction each,
`full_clean()` before saving, the actor recorded in the history. Their dimension is one of the
starter framework's, and their code may not repeat a code of the workspace or of the catalogue
(imports and exports name indicators by code).

Framework import (platform staff): every row is checked with `check_catalogue_rows` and nothing
is loaded while any row has an error. Dimensions come, in this order of precedence, from the
file's "dimensions" sheet (XLSX), from an existing framework's dimensions (`dimensions_from`) —
in both cases a row naming another dimension is refused — or else from the distinct names of the
`dimension` column, in order of first appearance, coded D1, D2, … (rows may then leave it empty).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from stakeholders.models import User, Workspace
from stakeholders.permissions import Perm, workspace_perms

from ..catalogue import (
    REQUIRED_COLUMNS,
    CatalogueFile,
    check_catalogue_rows,
    load_framework,
)
from ..choices import Axis, ValueType
from ..models import Dimension, Framework, Indicator, Unit
from ..selectors.catalogue import starter_framework

CUSTOM_FIELDS = (
    "code",
    "name",
    "definition",
    "dimension",
    "unit",
    "value_type",
    "categories",
    "level",
    "disaggregations",
    "source_org",
    "source_ref",
    "direction",
)
ORDINAL_UNIT = "ordinal"
MAX_CATALOGUE_ROWS = 5000


def _require(actor: User, perm: Perm, workspace: Workspace) -> None:
    if perm not in workspace_perms(actor, workspace):
        raise PermissionDenied


def _check_custom(indicator: Indicator) -> None:
    """The rules of a custom indicator that the model alone does not hold."""
    errors: dict[str, Any] = {}
    starter = starter_framework()
    dimension = indicator.dimension if indicator.dimension_id else None
    if dimension is not None and (starter is None or dimension.framework_id != starter.pk):
        errors["dimension"] = _("Choose one of the starter catalogue's dimensions.")
    code = (indicator.code or "").strip()
    if code and Indicator.objects.filter(workspace__isnull=True, code__iexact=code).exists():
        errors["code"] = _(
            "The catalogue already has an indicator with code %(code)s; choose another code."
        ) % {"code": code}
    if (
        code
        and Indicator.objects.filter(workspace=indicator.workspace, code__iexact=code)
        .exclude(pk=indicator.pk)
        .exists()
    ):
        errors["code"] = _("This workspace already has an indicator with this code.")
    is_ordinal_unit = indicator.unit_id is not None and indicator.unit.code == ORDINAL_UNIT
    if indicator.value_type == ValueType.ORDINAL and not is_ordinal_unit:
        errors["unit"] = _("An ordinal indicator is measured in the unit “ordinal category”.")
    if indicator.value_type == ValueType.NUMBER and is_ordinal_unit:
        errors["value_type"] = _(
            "The unit “ordinal category” is for ordinal indicators: choose that value type."
        )
    if errors:
        raise ValidationError(errors)


def _clean_values(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(CUSTOM_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set here")
    values = dict(fields)
    if "code" in values:
        values["code"] = (values["code"] or "").strip()
    if "categories" in values:
        values["categories"] = [
            str(label).strip() for label in values["categories"] or [] if str(label).strip()
        ]
    if "disaggregations" in values:
        # Stored in the order of the axes, each once.
        chosen = {str(axis) for axis in values["disaggregations"] or []}
        known = [axis for axis in Axis.values if axis in chosen]
        values["disaggregations"] = known + sorted(chosen - set(known))
    return values


def _save_custom(indicator: Indicator, *, actor: User) -> None:
    _check_custom(indicator)
    indicator.full_clean()
    indicator._history_user = actor  # type: ignore[attr-defined]
    indicator.save()


def ordinal_unit() -> Unit:
    return Unit.objects.get(code=ORDINAL_UNIT)


@transaction.atomic
def custom_indicator_create(*, actor: User, workspace: Workspace, **fields: Any) -> Indicator:
    """Add an indicator of the workspace's own (code, name, dimension, unit, …)."""
    _require(actor, Perm.EDIT, workspace)
    values = _clean_values(fields)
    position = (
        Indicator.objects.filter(workspace=workspace).aggregate(top=Max("position"))["top"] or 0
    )
    indicator = Indicator(workspace=workspace, created_by=actor, position=position + 1, **values)
    _save_custom(indicator, actor=actor)
    return indicator


@transaction.atomic
def custom_indicator_update(*, actor: User, indicator: Indicator, **fields: Any) -> Indicator:
    if indicator.workspace is None:
        raise PermissionDenied  # the catalogue is changed by importing a framework
    _require(actor, Perm.EDIT, indicator.workspace)
    for name, value in _clean_values(fields).items():
        setattr(indicator, name, value)
    _save_custom(indicator, actor=actor)
    return indicator


def custom_indicator_delete_error(indicator: Indicator) -> str:
    """Why `indicator` cannot be deleted ('' when it can)."""
    count = indicator.observations.count()
    if count:
        return _(
            "This indicator has %(count)s value(s) in the workspace. Delete its values "
            "first: an indicator with data cannot be deleted."
        ) % {"count": count}
    if indicator.gaps.exists():
        return _("This indicator has recorded data gaps. Delete them first.")
    return ""


@transaction.atomic
def custom_indicator_delete(*, actor: User, indicator: Indicator) -> None:
    """Delete a custom indicator that has no values (refused with a reason otherwise)."""
    if indicator.workspace is None:
        raise PermissionDenied
    _require(actor, Perm.EDIT, indicator.workspace)
    Indicator.objects.select_for_update(of=("self",)).filter(pk=indicator.pk).first()
    reason = custom_indicator_delete_error(indicator)
    if reason:
        raise ValidationError(reason, code="has_data")
    indicator._history_user = actor  # type: ignore[attr-defined]
    indicator.delete()


# Framework import ------------------------------------------------------------------------------


class CatalogueImportError(Exception):
    """The catalogue was refused; `errors` lists each problem (row, column, message)."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} error(s) in the catalogue")
        self.errors = errors


@dataclass(frozen=True)
class ImportedFramework:
    framework: Framework
    dimension_count: int
    indicator_count: int


def _dimension_rows_from_file(
    rows: Iterable[dict[str, str]], errors: list[dict[str, Any]]
) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    codes: set[str] = set()
    names: set[str] = set()
    for number, row in enumerate(rows, start=2):
        code, name = row.get("code", "").strip(), row.get("name", "").strip()
        where = _("dimensions sheet, %(column)s")
        if not code or not name:
            errors.append(
                {
                    "row": number,
                    "column": where % {"column": "code" if not code else "name"},
                    "message": _("Each dimension needs a code and a name."),
                }
            )
            continue
        if code.casefold() in codes or name.casefold() in names:
            errors.append(
                {
                    "row": number,
                    "column": where % {"column": "code"},
                    "message": _("Dimension %(name)s is listed twice.") % {"name": name},
                }
            )
            continue
        codes.add(code.casefold())
        names.add(name.casefold())
        found.append({"code": code[:20], "name": name, "scope": row.get("scope", "")})
    return found


def _dimension_rows_from_column(rows: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    seen: set[str] = set()
    for row in rows:
        name = (row.get("dimension") or "").strip()
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            found.append({"code": f"D{len(found) + 1}", "name": name, "scope": ""})
    return found


def _length_errors(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Values longer than their field holds (the database would refuse them mid-load)."""
    limits = {
        name: getattr(Indicator._meta.get_field(name), "max_length", None)
        for name in ("code", "name", "source_org", "source_ref", "target")
    }
    errors = []
    for row in rows:
        for name, limit in limits.items():
            if limit and len(str(row.values.get(name, ""))) > limit:
                errors.append(
                    {
                        "row": row.number,
                        "column": name,
                        "message": _("Write at most %(limit)s characters.") % {"limit": limit},
                    }
                )
    return errors


def framework_import(
    *,
    actor: User | None,
    catalogue: CatalogueFile,
    code: str,
    name: str,
    version: str = "",
    description: str = "",
    provenance: str = "",
    dimensions_from: Framework | None = None,
) -> ImportedFramework:
    """Load a new framework from a catalogue file: all its rows or, on any error, none.

    `actor` is a staff user (None only for the management command run by an administrator).
    Raises `CatalogueImportError` with every problem found.
    """
    if actor is not None and not (actor.is_active and actor.is_staff):
        raise PermissionDenied
    errors: list[dict[str, Any]] = []
    code = code.strip()
    framework = Framework(
        code=code,
        name=name.strip(),
        version=version.strip(),
        description=description,
        provenance=provenance,
    )
    try:
        framework.full_clean(exclude=["position"], validate_unique=False)
    except ValidationError as error:
        for field_name, messages in error.message_dict.items():
            errors.extend({"row": None, "column": field_name, "message": m} for m in messages)
    if code and Framework.objects.filter(code=code).exists():
        errors.append(
            {
                "row": None,
                "column": "code",
                "message": _(
                    "A framework with code “%(code)s” already exists. Choose another code, "
                    "or another version's code (e.g. %(code)s-2026)."
                )
                % {"code": code},
            }
        )
    for column in REQUIRED_COLUMNS:
        if column not in catalogue.columns:
            errors.append(
                {
                    "row": 1,
                    "column": column,
                    "message": _("The file has no “%(column)s” column.") % {"column": column},
                }
            )
    if not catalogue.rows:
        errors.append({"row": None, "column": "", "message": _("The file has no indicator rows.")})
    if len(catalogue.rows) > MAX_CATALOGUE_ROWS:
        errors.append(
            {
                "row": None,
                "column": "",
                "message": _("A framework file may have at most %(count)s rows.")
                % {"count": MAX_CATALOGUE_ROWS},
            }
        )
    strict = True
    if catalogue.dimension_rows is not None:
        dimension_rows = _dimension_rows_from_file(catalogue.dimension_rows, errors)
    elif dimensions_from is not None:
        dimension_rows = [
            {"code": d.code, "name": d.name, "scope": d.scope}
            for d in dimensions_from.dimensions.order_by("position", "code")
        ]
    else:
        dimension_rows = _dimension_rows_from_column(catalogue.rows)
        strict = False
    check = check_catalogue_rows(
        catalogue.rows,
        framework_code=code,
        dimensions={row["name"].casefold() for row in dimension_rows},
        require_dimension=strict,
    )
    errors.extend(check.errors)
    errors.extend(_length_errors(check.rows))
    if errors:
        raise CatalogueImportError(errors)
    top = Framework.objects.aggregate(top=Max("position"))["top"] or 0
    models = SimpleNamespace(
        Framework=Framework, Dimension=Dimension, Unit=Unit, Indicator=Indicator
    )
    with transaction.atomic():
        created = load_framework(
            models=models,
            framework={
                "code": framework.code,
                "name": framework.name,
                "version": framework.version,
                "description": framework.description,
                "provenance": framework.provenance,
                "position": top + 1,
            },
            dimension_rows=dimension_rows,
            check=check,
            title_version=framework.version,
        )
    return ImportedFramework(
        framework=created, dimension_count=len(dimension_rows), indicator_count=len(check.rows)
    )
