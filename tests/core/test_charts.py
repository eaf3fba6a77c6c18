import itertools
import math
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from core.charts import (
    PALETTE,
    GridPoint,
    Series,
    bar_chart,
    grid_chart,
    line_chart,
    nice_ticks,
    series_table_rows,
)

NS = "{http://www.w3.org/2000/svg}"
YEARS = ["2020", "2021", "2022", "2023", "2024"]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def series_groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{NS}g") if g.get("class") == "chart-series"]


def texts(root: ET.Element) -> list[str]:
    """Visible text, without the <title> tooltips nested in <text> elements."""
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def visible_text(root: ET.Element) -> list[str]:
    return [(t.text or "") + "".join((c.tail or "") for c in t) for t in root.iter(f"{NS}text")]


def tick_values(root: ET.Element) -> list[float]:
    return [float(t.text or "") for t in root.iter(f"{NS}text") if t.get("class") == "chart-tick"]


def two_series_line() -> str:
    return line_chart(
        title="Remittances",
        x_labels=YEARS,
        series=[
            Series("National", [1.0, 2.0, None, 4.0, 5.0]),
            Series("City", [2.0, 2.5, 3.0, 3.5, 4.5]),
        ],
        y_label="Percent",
    )


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_line_chart_gap_breaks_line_into_runs():
    root = parse(two_series_line())
    national, city = series_groups(root)
    assert len(national.findall(f"{NS}polyline")) == 2
    assert len(city.findall(f"{NS}polyline")) == 1
    first, second = national.findall(f"{NS}polyline")
    assert len((first.get("points") or "").split()) == 2
    assert len((second.get("points") or "").split()) == 2
    markers = [el for el in national if el.get("class") == "chart-marker"]
    assert len(markers) == 4
    assert markers[0].findtext(f"{NS}title") == "National — 2020: 1"


def test_line_chart_series_differ_by_more_than_colour():
    root = parse(two_series_line())
    national, city = series_groups(root)
    national_line, city_line = national.find(f"{NS}polyline"), city.find(f"{NS}polyline")
    assert national_line is not None and city_line is not None
    assert national_line.get("stroke") != city_line.get("stroke")
    assert national_line.get("stroke-dasharray") != city_line.get("stroke-dasharray")
    national_marker = next(el for el in national if el.get("class") == "chart-marker")
    city_marker = next(el for el in city if el.get("class") == "chart-marker")
    assert national_marker.tag != city_marker.tag


def test_line_chart_ticks_are_nice_numbers():
    root = parse(
        line_chart(title="T", x_labels=["a", "b", "c"], series=[Series("s", [3.2, 47.9, 12])])
    )
    ticks = tick_values(root)
    assert 4 <= len(ticks) <= 7
    assert ticks[0] <= 3.2 and ticks[-1] >= 47.9
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1
    step = steps.pop()
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 9) in {1, 2, 5}


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 100, [0, 20, 40, 60, 80, 100]),
        (0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1]),
        (-18, 40, [-20, 0, 20, 40]),
        (3.2, 47.9, [0, 10, 20, 30, 40, 50]),
    ],
)
def test_nice_ticks_step_by_one_two_or_five(low, high, expected):
    ticks, _decimals = nice_ticks(low, high)
    assert ticks == expected


def test_line_chart_respects_given_bounds():
    root = parse(
        line_chart(
            title="T", x_labels=["a", "b"], series=[Series("s", [40, 60])], y_min=0, y_max=100
        )
    )
    ticks = tick_values(root)
    assert ticks[0] == 0 and ticks[-1] == 100


def test_line_chart_equal_values_pad_the_range():
    root = parse(line_chart(title="Flat", x_labels=YEARS, series=[Series("s", [7.0] * 5)]))
    ticks = tick_values(root)
    assert ticks[0] < 7 < ticks[-1]
    polyline = root.find(f".//{NS}polyline")
    assert polyline is not None
    ys = {point.split(",")[1] for point in (polyline.get("points") or "").split()}
    assert len(ys) == 1
    assert all(math.isfinite(float(y)) for y in ys)


def test_line_chart_single_value_draws_a_marker_without_line():
    root = parse(line_chart(title="One", x_labels=["2024"], series=[Series("s", [0.0])]))
    assert root.find(f".//{NS}polyline") is None
    assert len([el for el in root.iter() if el.get("class") == "chart-marker"]) == 1


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_charts_refuse_non_finite_values(bad):
    with pytest.raises(ValueError, match="non-finite"):
        line_chart(title="T", x_labels=["a", "b"], series=[Series("s", [1.0, bad])])
    with pytest.raises(ValueError, match="non-finite"):
        bar_chart(title="T", categories=["a"], series=[Series("s", [bad])])


def test_line_chart_refuses_series_of_wrong_length():
    with pytest.raises(ValueError, match="3 values for 2"):
        line_chart(title="T", x_labels=["a", "b"], series=[Series("s", [1, 2, 3])])


@pytest.mark.parametrize(
    "svg",
    [
        lambda: line_chart(title="Empty", x_labels=[], series=[]),
        lambda: line_chart(title="Empty", x_labels=YEARS, series=[Series("s", [None] * 5)]),
        lambda: bar_chart(title="Empty", categories=["a"], series=[]),
        lambda: grid_chart(title="Empty", x_label="Interest", y_label="Influence", points=[]),
    ],
)
def test_charts_without_data_say_so(svg):
    root = parse(svg())
    assert "No data" in texts(root)
    assert root.findtext(f"{NS}desc") == "No data"
    assert root.findtext(f"{NS}title") == "Empty"
    assert root.find(f".//{NS}polyline") is None


def test_no_data_message_is_translated():
    with translation.override("fr"):
        root = parse(line_chart(title="Vide", x_labels=[], series=[]))
    message = root.findtext(f"{NS}desc")
    assert message
    # The French catalogue may not have the string yet; the message must still come through
    # gettext, so it equals whatever gettext returns for the active language.
    with translation.override("fr"):
        assert message == translation.gettext("No data")


def test_bar_chart_draws_one_bar_per_category_and_series():
    root = parse(
        bar_chart(
            title="Net migration",
            categories=["North", "South", "East"],
            series=[Series("2023", [12, -8, 3]), Series("2024", [10, -4, None])],
        )
    )
    groups = series_groups(root)
    counts = [len([el for el in g if el.get("class") == "chart-bar"]) for g in groups]
    assert counts == [3, 2]
    first_fill = groups[0].find(f"{NS}rect")
    assert first_fill is not None and first_fill.get("fill") == PALETTE[0]
    # The second series carries a pattern over its colour, defined inside this very SVG.
    pattern_ids = {p.get("id") for p in root.iter(f"{NS}pattern")}
    overlays = [el.get("fill") for el in groups[1] if el.get("class") != "chart-bar"]
    assert overlays and all(f"url(#{pid})" in overlays for pid in pattern_ids)


def test_bar_chart_negative_values_go_below_the_baseline():
    root = parse(bar_chart(title="T", categories=["up", "down"], series=[Series("s", [10, -5])]))
    baseline = next(el for el in root.iter(f"{NS}line") if el.get("class") == "chart-baseline")
    zero = float(baseline.get("y1") or "")
    up, down = [el for el in root.iter(f"{NS}rect") if el.get("class") == "chart-bar"]
    assert float(up.get("y") or "") + float(up.get("height") or "") == pytest.approx(zero)
    assert float(up.get("y") or "") < zero
    assert float(down.get("y") or "") == pytest.approx(zero)
    assert float(down.get("height") or "") > 0
    assert 0.0 in tick_values(root)


def test_grid_chart_points_sharing_a_cell_stay_visible():
    root = parse(
        grid_chart(
            title="Stakeholder map",
            x_label="Interest",
            y_label="Influence",
            width=800,
            points=[
                GridPoint(5, 5, "Ministry of Labour"),
                GridPoint(5, 5, "Central bank"),
                GridPoint(1, 2, "Chamber of commerce"),
            ],
        )
    )
    circles = [el for el in root.iter(f"{NS}circle") if el.get("class") == "chart-point"]
    assert len(circles) == 3
    positions = {(c.get("cx"), c.get("cy")) for c in circles}
    assert len(positions) == 3
    labour, bank, chamber = circles
    assert labour.findtext(f"{NS}title") == "Ministry of Labour (Interest 5, Influence 5)"
    # Both points of the (5, 5) cell lie in the top-right corner, right of and above (1, 2).
    for point in (labour, bank):
        assert float(point.get("cx") or "") > float(chamber.get("cx") or "")
        assert float(point.get("cy") or "") < float(chamber.get("cy") or "")
    shown = texts(root)
    assert "Ministry of Labour" in shown and "Central bank" in shown


def test_grid_chart_refuses_points_outside_the_grid():
    with pytest.raises(ValueError, match="outside"):
        grid_chart(title="T", x_label="x", y_label="y", points=[GridPoint(6, 1, "far")])


def test_chart_text_alternative_has_unique_ids():
    first, second = parse(two_series_line()), parse(two_series_line())
    ids = []
    for root in (first, second):
        assert root.get("role") == "img"
        title_id, desc_id = (root.get("aria-labelledby") or "").split()
        title = root.find(f"{NS}title")
        desc = root.find(f"{NS}desc")
        assert title is not None and title.get("id") == title_id and title.text == "Remittances"
        assert desc is not None and desc.get("id") == desc_id
        assert "2 series" in (desc.text or "") and "from 1 to 5" in (desc.text or "")
        ids += [title_id, desc_id]
    assert len(set(ids)) == 4


def test_chart_id_gives_stable_output():
    def render() -> str:
        return line_chart(
            title="T", x_labels=["a", "b"], series=[Series("s", [1, 2])], chart_id="remit"
        )

    assert render() == render()
    assert parse(render()).get("aria-labelledby") == "remit-title remit-desc"
    with pytest.raises(ValueError, match="chart_id"):
        line_chart(title="T", x_labels=[], series=[], chart_id='x" onload="alert(1)')


def test_charts_escape_user_text():
    evil = "<script>alert(1)</script>"
    charts = [
        line_chart(title=evil, x_labels=[evil, "b"], series=[Series(evil, [1, 2])]),
        bar_chart(title=evil, categories=[evil], series=[Series(evil, [1])]),
        grid_chart(title=evil, x_label=evil, y_label=evil, points=[GridPoint(1, 1, evil)]),
    ]
    for svg in charts:
        root = parse(svg)
        assert not [el for el in root.iter() if el.tag.endswith("script")]
        assert "<script>" not in svg
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
        assert root.findtext(f"{NS}title") == evil
        assert evil in texts(root)


def test_charts_use_no_inline_style():
    charts = [
        two_series_line(),
        bar_chart(title="T", categories=["a", "b"], series=[Series("s", [1, -1])] * 3),
        grid_chart(title="T", x_label="x", y_label="y", points=[GridPoint(1, 1, "p")]),
    ]
    for svg in charts:
        root = parse(svg)
        elements = list(root.iter())
        assert len(elements) > 20
        assert any(el.get("fill") for el in elements)
        assert not [el for el in elements if el.get("style") is not None]
        assert not [el for el in elements if el.tag == f"{NS}style"]
        assert root.get("font-family") == "DejaVu Sans, sans-serif"
        assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_long_labels_are_truncated_with_full_text_in_title():
    long_name = "Ministry of Labour, Employment, Vocational Training and Social Dialogue"
    root = parse(
        grid_chart(title="T", x_label="x", y_label="y", points=[GridPoint(3, 3, long_name)])
    )
    label = next(t for t in root.iter(f"{NS}text") if t.findtext(f"{NS}title") == long_name)
    shown = visible_text(root)
    assert long_name not in shown
    assert (label[0].tail or "").endswith("…")
    assert long_name.startswith((label[0].tail or "").removesuffix("…"))


def test_palette_contrasts_with_white():
    assert len(set(PALETTE)) == len(PALETTE)
    for colour in PALETTE:
        assert 1.05 / (relative_luminance(colour) + 0.05) >= 3


def test_series_table_rows_format_numbers_and_gaps():
    series = [Series("National", [1234.5, None]), Series("City", [2, 0.25])]
    assert series_table_rows(["2023", "2024"], series, x_heading="Year") == [
        ["Year", "National", "City"],
        ["2023", "1234.5", "2"],
        ["2024", "—", "0.25"],
    ]
    with translation.override("fr"):
        assert series_table_rows(["2023"], [Series("s", [1234.5])])[1] == ["2023", "1234,5"]


def test_charts_render_into_a_pdf():
    charts = [
        two_series_line(),
        bar_chart(title="Net migration", categories=["a", "b"], series=[Series("s", [1, -2])]),
        grid_chart(
            title="Stakeholder map", x_label="x", y_label="y", points=[GridPoint(1, 1, "p")]
        ),
    ]
    from weasyprint import HTML

    for svg in charts:
        document = HTML(string=f"<html><body>{svg}</body></html>").render()
        assert len(document.pages) == 1
        pdf = document.write_pdf()
        assert pdf is not None and pdf.startswith(b"%PDF") and len(pdf) > 1000
        title = parse(svg).findtext(f"{NS}title") or ""
        if shutil.which("pdftotext", path="/usr/bin"):
            extracted = subprocess.run(
                ["/usr/bin/pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
            ).stdout.decode()
            assert title in extracted
            assert "No data" not in extracted


def test_bar_chart_positive_bars_start_at_zero():
    root = parse(bar_chart(title="T", categories=["a", "b"], series=[Series("s", [30, 40])]))
    assert tick_values(root)[0] == 0
    low, high = [el for el in root.iter(f"{NS}rect") if el.get("class") == "chart-bar"]
    ratio = float(high.get("height") or "") / float(low.get("height") or "")
    assert ratio == pytest.approx(40 / 30, rel=0.01)


def test_grid_chart_crowded_cell_keeps_every_point_apart():
    points = [GridPoint(3, 3, f"Organisation {n}") for n in range(12)]
    root = parse(grid_chart(title="T", x_label="x", y_label="y", points=points))
    circles = [el for el in root.iter(f"{NS}circle") if el.get("class") == "chart-point"]
    assert len(circles) == 12
    assert len({(c.get("cx"), c.get("cy")) for c in circles}) == 12
    titles = {c.findtext(f"{NS}title") for c in circles}
    assert "Organisation 11 (x 3, y 3)" in titles
