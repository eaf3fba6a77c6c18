"""Indicator charts: one line per axis value with the values in the table; ordinal labels; the
coverage bars; the indicator data page shows readers only what they may see."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.charts import ChartPoint, coverage_chart, indicator_chart
from indicators.selectors.coverage import coverage_framework, coverage_matrix
from stakeholders.permissions import workspace_perms

from .coverage_factories import catalogue, correct, observe

pytestmark = pytest.mark.django_db


def _point(period, value, **axes):
    return ChartPoint(period=period, axes=axes, value=Decimal(value))


def test_indicator_chart_one_line_per_sex_with_table_values():
    indicator = catalogue("ECO-02")
    points = [
        _point("2020", "30"),
        _point("2021", "32.5"),
        _point("2020", "28", sex="F"),
        _point("2021", "29", sex="F"),
        _point("2020", "33", sex="M"),
        _point("2021", "36", sex="M"),
        _point("2021", "40", sex="M", urbanisation="URBAN"),  # not on this chart: two axes
    ]
    chart = indicator_chart(indicator=indicator, points=points, axis="sex", chart_id="c1")
    assert chart.svg.count('<g class="chart-series"') == 3
    assert "by sex" in chart.svg and "<desc" in chart.svg
    assert chart.head == ["Period", "Female", "Male", "Total"]
    assert chart.rows == [["2020", "28", "33", "30"], ["2021", "29", "36", "32.5"]]


def test_indicator_chart_totals_only_and_missing_periods():
    indicator = catalogue("ECO-02")
    points = [_point("2019", "10"), _point("2021", "12"), _point("2020", "11", sex="F")]
    chart = indicator_chart(indicator=indicator, points=points, chart_id="c2")
    assert chart.svg.count('<g class="chart-series"') == 1
    assert chart.head == ["Period", "Total"]
    assert chart.rows == [["2019", "10"], ["2021", "12"]]
    by_sex = indicator_chart(indicator=indicator, points=points, axis="sex", chart_id="c3")
    assert by_sex.rows == [["2019", "—", "10"], ["2020", "11", "—"], ["2021", "—", "12"]]


def test_indicator_chart_ordinal_shows_category_labels():
    indicator = catalogue("GOV-01")
    assert indicator.is_ordinal
    chart = indicator_chart(
        indicator=indicator, points=[_point("2019", "2"), _point("2023", "4")], chart_id="c4"
    )
    assert chart.rows == [["2019", "Partially meets (2)"], ["2023", "Fully meets (4)"]]
    assert "Requires further progress" in chart.svg  # the y axis says what rank 1 is


def test_indicator_chart_without_data():
    chart = indicator_chart(indicator=catalogue("ECO-02"), points=[], chart_id="c5")
    assert "No data" in chart.svg and chart.rows == []


def test_coverage_chart_one_bar_per_dimension(world):
    observe(world, catalogue("ECO-02"), "2020", 30)
    matrix = coverage_matrix(
        workspace=world.workspace,
        perms=workspace_perms(world["observer"], world.workspace),
        framework=coverage_framework("starter"),
        years=list(range(2016, 2026)),
    )
    chart = coverage_chart(matrix, chart_id="cov")
    assert chart.svg.count('class="chart-bar"') == 8  # one bar per dimension
    assert len(chart.rows) == 8
    assert chart.rows[0][1] == "2" and chart.rows[1][1] == "0"  # 1 of 60 cells → 2%


def test_indicator_data_page_observer_sees_approved_value_not_the_correction(client, world):
    eco02 = catalogue("ECO-02")
    approved = observe(world, eco02, "2020", "30.5")
    correct(world, approved, "41.25")
    observe(world, eco02, "2021", "44.75", state="submitted")
    url = reverse(
        "indicators:indicator_data", kwargs={"slug": world.workspace.slug, "indicator_pk": eco02.pk}
    )
    client.force_login(world["observer"])
    page = client.get(url).content.decode()
    assert "30.5" in page  # positive control: the approved value
    assert "41.25" not in page and "44.75" not in page
    client.force_login(world["editor"])
    page = client.get(url).content.decode()
    assert "41.25" in page and "44.75" in page and "30.5" not in page


def test_indicator_data_page_axis_choice_and_empty_state(client, world):
    eco02 = catalogue("ECO-02")
    url = reverse(
        "indicators:indicator_data", kwargs={"slug": world.workspace.slug, "indicator_pk": eco02.pk}
    )
    client.force_login(world["observer"])
    assert "No approved value" in client.get(url).content.decode()
    observe(world, eco02, "2020", "20", sex="F")
    observe(world, eco02, "2020", "22", sex="M")
    page = client.get(url, {"axis": "sex"}).content.decode()
    assert "Female" in page and "Male" in page and ">20<" in page and ">22<" in page
    page = client.get(url, {"axis": "partner_country"}).content.decode()  # not allowed: totals
    assert 'value="partner_country"' not in page
    assert "No value for this breakdown yet" in page


def test_indicator_data_page_of_another_workspaces_indicator_is_not_found(client, world):
    from indicators.models import Indicator

    theirs = Indicator.objects.create(
        workspace=world.other, code="OWN-1", name="Theirs", unit=catalogue("ECO-02").unit
    )
    client.force_login(world["coordinator"])
    url = reverse(
        "indicators:indicator_data",
        kwargs={"slug": world.workspace.slug, "indicator_pk": theirs.pk},
    )
    assert client.get(url).status_code == 404
    ours = reverse(
        "indicators:indicator_data",
        kwargs={"slug": world.workspace.slug, "indicator_pk": catalogue("ECO-02").pk},
    )
    assert client.get(ours).status_code == 200
