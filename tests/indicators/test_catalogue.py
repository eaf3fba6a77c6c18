"""The catalogue: what the data migration loaded, units and their bounds, the staff import of a
framework (service and command), and the services of a workspace's own indicators."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from indicators.catalogue import CatalogueFileError, read_catalogue_file
from indicators.choices import ValueType
from indicators.models import Dimension, Framework, Indicator, Observation, Unit
from indicators.services.catalogue import (
    CatalogueImportError,
    custom_indicator_delete,
    custom_indicator_update,
    framework_import,
)
from tests.factories import UserFactory

from .catalogue_factories import (
    catalogue_csv,
    catalogue_row,
    catalogue_xlsx,
    make_custom_indicator,
    starter_dimension,
)

pytestmark = pytest.mark.django_db


# What the data migration loaded -----------------------------------------------------------------


def test_starter_catalogue_has_48_indicators_6_in_each_of_8_dimensions():
    starter = Framework.objects.get(code="starter")
    dimensions = list(starter.dimensions.order_by("position"))
    assert [d.name for d in dimensions] == [
        "economic growth and assets",
        "education",
        "health",
        "gender",
        "social change",
        "governance and human rights",
        "environment",
        "transnational transfers and engagement",
    ]
    assert starter.indicators.count() == 48
    for dimension in dimensions:
        assert dimension.indicators.count() == 6, dimension.name
    assert not starter.indicators.filter(dimension__isnull=True).exists()
    # Never presented as the ACP Observatory's own list.
    assert "Observatory" not in starter.name
    assert "**not** the Observatory's" in starter.provenance


def test_sdg_framework_has_six_indicators_with_titles_per_version():
    sdg = Framework.objects.get(code="sdg")
    codes = sorted(sdg.indicators.values_list("code", flat=True))
    assert codes == ["10.7.1", "10.7.2", "10.7.3", "10.7.4", "10.c.1", "17.3.2"]
    policy = sdg.indicators.get(code="10.7.2")
    assert policy.titles == {"2020 comprehensive review": policy.name}
    assert policy.name.startswith("Number of countries with migration policies")
    assert policy.value_type == ValueType.ORDINAL
    assert policy.categories[0] == "Requires further progress"
    assert sdg.indicators.get(code="10.7.1").unit.code == "percent-of-monthly-earnings"


def test_starter_indicators_keep_their_metadata():
    growth = Indicator.objects.get(framework__code="starter", code="ECO-01")
    assert growth.unit.code == "percent-change"  # a growth rate can be negative
    assert growth.source_ref == "NY.GDP.PCAP.KD.ZG"
    assert growth.emp_annex is True
    poverty = Indicator.objects.get(framework__code="starter", code="ECO-02")
    assert poverty.disaggregations == ["sex", "age", "urbanisation", "migratory_status"]
    assert poverty.direction == "lower_is_better"
    assert poverty.level == "household"


# Units and their bounds (table-driven) ---------------------------------------------------------

UNIT_CASES = [
    ("percent", "-0.1", False),
    ("percent", "0", True),
    ("percent", "55.5", True),
    ("percent", "100", True),
    ("percent", "100.1", False),
    ("percent-of-monthly-earnings", "250", True),
    ("percent-of-monthly-earnings", "0", True),
    ("percent-of-monthly-earnings", "-1", False),
    ("number", "-1", False),
    ("number", "0", True),
    ("number", "123456789", True),
    ("net-number", "-5000", True),
    ("net-number", "5000", True),
    ("percent-change", "-3.2", True),
    ("percent-change", "-100", True),
    ("percent-change", "-101", False),
    ("percent-change", "250", True),
    ("usd", "-0.01", False),
    ("usd", "1500000", True),
    ("score-0-1", "1.2", False),
    ("score-0-1", "1", True),
    ("score-0-1", "-0.1", False),
    ("score-0-10", "10", True),
    ("score-0-10", "10.5", False),
    ("per-1000-live-births", "1000", True),
    ("per-1000-live-births", "1001", False),
    ("per-100000-people", "100000", True),
    ("per-100000-people", "100001", False),
    ("per-1000-people", "-2", False),
]


@pytest.mark.parametrize(("unit_code", "value", "accepted"), UNIT_CASES)
def test_unit_bound_error(unit_code, value, accepted):
    unit = Unit.objects.get(code=unit_code)
    error = unit.bound_error(Decimal(value))
    assert (error == "") is accepted, (unit_code, value, error)
    if not accepted:
        assert unit.name in error


INDICATOR_CASES = [
    ("starter", "ECO-01", "-3.2", True),  # GDP per capita growth: a percent change
    ("starter", "ECO-01", "-101", False),
    ("starter", "SOC-02", "-5000", True),  # net migration: a net number
    ("starter", "ECO-02", "100.1", False),  # poverty headcount: a percent
    ("starter", "ECO-02", "0", True),
    ("sdg", "10.7.1", "250", True),  # recruitment cost in percent of monthly earnings
    ("sdg", "10.7.1", "-1", False),
    ("starter", "GOV-01", "0", False),  # ordinal with four categories: ranks 1 to 4
    ("starter", "GOV-01", "1", True),
    ("starter", "GOV-01", "2", True),
    ("starter", "GOV-01", "4", True),
    ("starter", "GOV-01", "5", False),
    ("starter", "GOV-01", "2.5", False),
    ("sdg", "10.7.2", "3", True),
    ("sdg", "10.7.2", "-1", False),
]


@pytest.mark.parametrize(("framework", "code", "value", "accepted"), INDICATOR_CASES)
def test_indicator_value_error(framework, code, value, accepted):
    indicator = Indicator.objects.get(framework__code=framework, code=code)
    error = indicator.value_error(Decimal(value))
    assert (error == "") is accepted, (code, value, error)


def test_ordinal_indicator_shows_category_labels():
    indicator = Indicator.objects.get(framework__code="starter", code="GOV-01")
    assert indicator.category_label(Decimal(1)) == "Requires further progress"
    assert indicator.category_label(Decimal(4)) == "Fully meets"
    assert indicator.category_label(Decimal(5)) == ""


# Framework import ------------------------------------------------------------------------------


def _catalogue(content: bytes, name: str = "catalogue.csv"):
    return read_catalogue_file(io.BytesIO(content), name)


@pytest.fixture
def staff():
    return UserFactory(username="admin", is_staff=True)


def test_import_with_one_bad_row_among_1000_loads_nothing_and_reports_it(staff):
    rows = [catalogue_row(n) for n in range(1, 1001)]
    rows[636]["unit"] = "furlongs"  # file row 638 (the header is row 1)
    before = (Framework.objects.count(), Dimension.objects.count(), Indicator.objects.count())
    with pytest.raises(CatalogueImportError) as raised:
        framework_import(
            actor=staff, catalogue=_catalogue(catalogue_csv(rows)), code="big", name="Big"
        )
    assert raised.value.errors == [
        {
            "row": 638,
            "column": "unit",
            "message": raised.value.errors[0]["message"],
        }
    ]
    assert "furlongs" in raised.value.errors[0]["message"]
    after = (Framework.objects.count(), Dimension.objects.count(), Indicator.objects.count())
    assert after == before
    # Positive control: the same file without the bad row loads all 1,000.
    rows[636]["unit"] = "percent"
    result = framework_import(
        actor=staff, catalogue=_catalogue(catalogue_csv(rows)), code="big", name="Big"
    )
    assert result.indicator_count == 1000
    assert Indicator.objects.filter(framework__code="big").count() == 1000


def test_import_reports_every_problem_with_row_and_column(staff):
    rows = [
        catalogue_row(1),
        catalogue_row(2, code="X-0001"),  # duplicate code
        catalogue_row(3, disaggregations="sex|religion"),
        catalogue_row(4, direction="upwards", name=""),
    ]
    with pytest.raises(CatalogueImportError) as raised:
        framework_import(
            actor=staff, catalogue=_catalogue(catalogue_csv(rows)), code="bad", name="Bad"
        )
    found = {(e["row"], e["column"]) for e in raised.value.errors}
    assert found == {(3, "code"), (4, "disaggregations"), (5, "direction"), (5, "name")}
    assert not Framework.objects.filter(code="bad").exists()


def test_import_derives_dimensions_from_the_dimension_column(staff):
    rows = [catalogue_row(1), catalogue_row(2), catalogue_row(3, dimension="")]
    result = framework_import(
        actor=staff,
        catalogue=_catalogue(catalogue_csv(rows)),
        code="derived",
        name="Derived",
        version="2026",
    )
    framework = result.framework
    assert [(d.code, d.name) for d in framework.dimensions.order_by("position")] == [
        ("D1", "labour"),
        ("D2", "welfare"),
    ]
    first = framework.indicators.get(code="X-0001")
    assert first.dimension.name == "labour"
    assert first.titles == {"2026": "Imported indicator 1"}
    assert first.disaggregations == ["sex", "age"]
    assert framework.indicators.get(code="X-0003").dimension is None
    assert framework.position > Framework.objects.get(code="sdg").position


def test_import_with_dimensions_of_an_existing_framework_refuses_unknown_dimension(staff):
    rows = [
        catalogue_row(1, dimension="education"),
        catalogue_row(2, dimension="astrology"),
    ]
    with pytest.raises(CatalogueImportError) as raised:
        framework_import(
            actor=staff,
            catalogue=_catalogue(catalogue_csv(rows)),
            code="strict",
            name="Strict",
            dimensions_from=Framework.objects.get(code="starter"),
        )
    assert [(e["row"], e["column"]) for e in raised.value.errors] == [(3, "dimension")]
    assert "astrology" in raised.value.errors[0]["message"]
    # Positive control: with known dimensions the eight are copied.
    rows[1]["dimension"] = "health"
    result = framework_import(
        actor=staff,
        catalogue=_catalogue(catalogue_csv(rows)),
        code="strict",
        name="Strict",
        dimensions_from=Framework.objects.get(code="starter"),
    )
    assert result.dimension_count == 8
    assert result.framework.indicators.get(code="X-0002").dimension.code == "HEA"


def test_import_xlsx_with_a_dimensions_sheet(staff):
    dimensions = [{"code": "LAB", "name": "labour"}, {"code": "WEL", "name": "welfare"}]
    rows = [catalogue_row(1), catalogue_row(2), catalogue_row(3, dimension="leisure")]
    content = catalogue_xlsx(rows, dimensions)
    with pytest.raises(CatalogueImportError) as raised:
        framework_import(actor=staff, catalogue=_catalogue(content, "f.xlsx"), code="x", name="X")
    assert [(e["row"], e["column"]) for e in raised.value.errors] == [(4, "dimension")]
    result = framework_import(
        actor=staff,
        catalogue=_catalogue(catalogue_xlsx(rows[:2], dimensions), "f.xlsx"),
        code="x",
        name="X",
    )
    assert sorted(result.framework.dimensions.values_list("code", flat=True)) == ["LAB", "WEL"]
    assert result.indicator_count == 2


def test_import_refuses_duplicate_framework_code_and_missing_columns(staff):
    with pytest.raises(CatalogueImportError) as raised:
        framework_import(
            actor=staff,
            catalogue=_catalogue(catalogue_csv([catalogue_row(1)], columns=("code", "name"))),
            code="starter",
            name="Again",
        )
    messages = {(e["column"], e["row"]) for e in raised.value.errors}
    assert ("code", None) in messages  # the framework code is taken
    assert ("unit", 1) in messages  # the file has no unit column
    assert Framework.objects.filter(code="starter").count() == 1


def test_import_is_for_staff_only():
    user = UserFactory()
    with pytest.raises(PermissionDenied):
        framework_import(
            actor=user,
            catalogue=_catalogue(catalogue_csv([catalogue_row(1)])),
            code="nope",
            name="Nope",
        )
    assert not Framework.objects.filter(code="nope").exists()


def test_read_catalogue_file_refuses_other_formats():
    with pytest.raises(CatalogueFileError):
        read_catalogue_file(io.BytesIO(b"x"), "catalogue.ods")
    with pytest.raises(CatalogueFileError):
        read_catalogue_file(io.BytesIO(b"not a zip"), "catalogue.xlsx")


def test_import_command_loads_a_file(tmp_path):
    path = tmp_path / "framework.csv"
    path.write_bytes(catalogue_csv([catalogue_row(n) for n in range(1, 6)]))
    out = io.StringIO()
    call_command(
        "import_framework",
        str(path),
        "--code",
        "cmd",
        "--name",
        "By command",
        "--version",
        "1",
        stdout=out,
    )
    assert "5 indicator(s)" in out.getvalue()
    assert Indicator.objects.filter(framework__code="cmd").count() == 5
    assert Framework.objects.get(code="cmd").version == "1"


def test_import_command_with_one_bad_row_loads_nothing(tmp_path):
    rows = [catalogue_row(n) for n in range(1, 201)]
    rows[99]["emp_annex"] = "maybe"  # row 101
    path = tmp_path / "framework.csv"
    path.write_bytes(catalogue_csv(rows))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was loaded: 1 problem"):
        call_command("import_framework", str(path), "--code", "cmd", "--name", "N", stderr=err)
    assert "row 101, emp_annex: Enter yes or no." in err.getvalue()
    assert not Framework.objects.filter(code="cmd").exists()
    assert not Indicator.objects.filter(code="X-0001").exists()


# Custom indicators -----------------------------------------------------------------------------


def test_custom_indicator_create_records_history(world):
    editor = world["editor"]
    indicator = make_custom_indicator(editor, world.workspace, code="LOC-01")
    assert indicator.workspace == world.workspace
    assert indicator.framework is None
    assert indicator.created_by == editor
    assert indicator.history.get().history_user == editor


def test_custom_indicator_rules(world):
    editor, workspace = world["editor"], world.workspace
    with pytest.raises(ValidationError) as raised:
        make_custom_indicator(editor, workspace, code="ECO-01")
    assert "catalogue already has" in raised.value.message_dict["code"][0]
    make_custom_indicator(editor, workspace, code="LOC-01")
    with pytest.raises(ValidationError) as raised:
        make_custom_indicator(editor, workspace, code="loc-01")
    assert "already has an indicator" in raised.value.message_dict["code"][0]
    # Another workspace may use the same code (positive control).
    make_custom_indicator(world["outsider"], world.other, code="LOC-01")
    sdg_dimension = Dimension.objects.create(
        framework=Framework.objects.get(code="sdg"), code="S", name="sdg"
    )
    with pytest.raises(ValidationError) as raised:
        make_custom_indicator(editor, workspace, dimension=sdg_dimension)
    assert "dimension" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        make_custom_indicator(
            editor, workspace, value_type=ValueType.ORDINAL, categories=["a", "b"]
        )
    assert "unit" in raised.value.message_dict
    ordinal = make_custom_indicator(
        editor,
        workspace,
        value_type=ValueType.ORDINAL,
        categories=["Low", "High"],
        unit=Unit.objects.get(code="ordinal"),
    )
    assert ordinal.value_error(Decimal(2)) == ""
    assert ordinal.value_error(Decimal(3)) != ""


def test_custom_indicator_writes_need_edit(world):
    indicator = make_custom_indicator(world["editor"], world.workspace)
    for role in ("reviewer", "contributor", "observer", "outsider"):
        with pytest.raises(PermissionDenied):
            make_custom_indicator(world[role], world.workspace)
        with pytest.raises(PermissionDenied):
            custom_indicator_update(actor=world[role], indicator=indicator, name="Changed")
        with pytest.raises(PermissionDenied):
            custom_indicator_delete(actor=world[role], indicator=indicator)
    updated = custom_indicator_update(
        actor=world["coordinator"], indicator=indicator, name="Changed"
    )
    assert updated.name == "Changed"
    assert updated.history.latest().history_user == world["coordinator"]


def test_custom_indicator_with_values_cannot_be_deleted(world):
    editor = world["editor"]
    indicator = make_custom_indicator(editor, world.workspace)
    empty = make_custom_indicator(editor, world.workspace)
    Observation.objects.create(
        workspace=world.workspace, indicator=indicator, period="2024", value=Decimal(12)
    )
    with pytest.raises(ValidationError, match="cannot be deleted"):
        custom_indicator_delete(actor=editor, indicator=indicator)
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    custom_indicator_delete(actor=editor, indicator=empty)
    assert not Indicator.objects.filter(pk=empty.pk).exists()


def test_starter_dimension_helper():
    assert starter_dimension("EDU").name == "education"
