"""The coverage matrix: cell states per role, sex coverage, gaps from cells, page and API."""

import pytest
from django.urls import reverse

from indicators.models import DataGap
from indicators.selectors.coverage import coverage_framework, coverage_matrix, coverage_window
from stakeholders.permissions import workspace_perms

from .coverage_factories import catalogue, correct, gap, observe

pytestmark = pytest.mark.django_db

YEARS = list(range(2016, 2026))


def _cells(world, role, framework="starter"):
    perms = workspace_perms(world[role], world.workspace)
    matrix = coverage_matrix(
        workspace=world.workspace,
        perms=perms,
        framework=coverage_framework(framework),
        years=YEARS,
    )
    return {
        (row.indicator.code, cell.year): cell for row in matrix.rows for cell in row.cells
    }, matrix


@pytest.fixture
def values(world):
    eco02 = catalogue("ECO-02")
    observe(world, eco02, "2020", 30)  # approved
    observe(world, eco02, "2021-Q2", 31, state="draft")  # a draft only: quarter counts for 2021
    observe(world, eco02, "2022", 32, state="submitted")
    approved = observe(world, eco02, "2023", 33)
    correct(world, approved, 34)  # approved value with a correction in draft
    return eco02


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("coordinator", ["approved", "draft", "draft", "approved", "missing"]),
        ("editor", ["approved", "draft", "draft", "approved", "missing"]),
        ("reviewer", ["approved", "draft", "draft", "approved", "missing"]),
        ("contributor", ["approved", "missing", "missing", "approved", "missing"]),
        ("observer", ["approved", "missing", "missing", "approved", "missing"]),
    ],
)
def test_coverage_matrix_states_per_role(world, values, role, expected):
    cells, matrix = _cells(world, role)
    assert [cells[("ECO-02", year)].state for year in (2020, 2021, 2022, 2023, 2024)] == expected
    sees = role in ("coordinator", "editor", "reviewer")
    assert matrix.sees_drafts is sees
    # The correction waiting in 2023 is flagged to those who see drafts only.
    assert cells[("ECO-02", 2023)].pending is sees
    assert cells[("ECO-02", 2020)].pending is False
    assert cells[("ECO-01", 2020)].state == "missing"


def test_coverage_matrix_groups_by_dimension_with_shares(world, values):
    _unused, matrix = _cells(world, "observer")
    assert len(matrix.groups) == 8
    assert sum(len(group.rows) for group in matrix.groups) == 48
    economy = matrix.groups[0]
    assert len(economy.rows) == 6 and economy.cell_count == 60
    assert economy.approved_count == 2  # ECO-02 in 2020 and 2023
    assert economy.approved_share == 3  # 2 of 60 cells, rounded
    assert all(group.approved_share == 0 for group in matrix.groups[1:])


def test_coverage_matrix_other_framework_and_own_indicators(world):
    from indicators.models import Indicator

    unit = catalogue("ECO-02").unit
    Indicator.objects.create(workspace=world.workspace, code="OWN-1", name="Ours", unit=unit)
    Indicator.objects.create(workspace=world.other, code="OWN-2", name="Theirs", unit=unit)
    _unused, starter = _cells(world, "editor")
    assert [group.key for group in starter.groups][-1] == "own"
    assert [row.indicator.code for row in starter.groups[-1].rows] == ["OWN-1"]
    assert sum(len(g.rows) for g in starter.groups) == 49
    _unused, sdg = _cells(world, "editor", framework="sdg")
    assert sum(len(g.rows) for g in sdg.groups) == 6  # own indicators go with the starter only
    assert [group.key for group in sdg.groups] == ["framework"]  # the SDGs have no dimensions
    assert coverage_framework("nonsense").code == "starter"


def test_coverage_sex_needs_approved_f_and_m(world):
    eco02 = catalogue("ECO-02")
    for sex in ("F", "M"):
        observe(world, eco02, "2020", 30, sex=sex)
    observe(world, eco02, "2021", 30, sex="F")  # women only
    observe(world, eco02, "2022", 30, sex="F")
    observe(world, eco02, "2022", 30, sex="M", state="draft")  # men only in draft
    cells, matrix = _cells(world, "editor")
    assert [cells[("ECO-02", y)].both_sexes for y in (2020, 2021, 2022)] == [True, False, False]
    rows = {row.indicator.code: row for row in matrix.rows}
    assert rows["ECO-02"].sex_applicable and rows["ECO-02"].sex_years == 1
    assert rows["ECO-01"].sex_applicable is False  # no breakdown allowed
    assert rows["ECO-01"].sex_years == 0


def test_coverage_window_is_ten_years_inside_the_allowed_range():
    assert coverage_window("2024") == list(range(2015, 2025))
    assert coverage_window("1900")[0] == 1950
    assert coverage_window("3000")[-1] == 2100
    assert len(coverage_window("junk")) == 10


def test_coverage_page_shows_states_as_text_for_each_role(client, world, values):
    url = reverse("indicators:coverage", kwargs={"slug": world.workspace.slug}) + "?end=2025"
    client.force_login(world["observer"])
    page = client.get(url).content.decode()
    assert page.count('data-state="approved"') == 2  # positive control
    assert 'data-state="draft"' not in page
    assert "Record a data gap" not in page
    assert '<th scope="rowgroup"' in page and "F+M" in page  # legend
    client.force_login(world["editor"])
    page = client.get(url).content.decode()
    assert page.count('data-state="approved"') == 2
    assert page.count('data-state="draft"') == 2
    assert "Record a data gap" in page


def test_record_a_gap_from_a_cell(client, world, values):
    url = reverse("indicators:data_gap_from_cell", kwargs={"slug": world.workspace.slug})
    client.force_login(world["editor"])
    response = client.post(url, {"indicator": values.pk, "year": "2024"})
    created = DataGap.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "indicators:data_gap_update", kwargs={"slug": world.workspace.slug, "pk": created.pk}
    )
    assert (created.indicator, created.year, created.reason) == (values, 2024, "not_collected")
    assert created.created_by == world["editor"]
    # A draft exists in 2021: the gap is "not yet approved". A second click reuses the gap.
    client.post(url, {"indicator": values.pk, "year": "2021"})
    client.post(url, {"indicator": values.pk, "year": "2021"})
    assert DataGap.objects.filter(year=2021).get().reason == "not_approved"
    # The cell now shows its gap instead of the button.
    page = client.get(
        reverse("indicators:coverage", kwargs={"slug": world.workspace.slug}) + "?end=2025"
    ).content.decode()
    assert page.count("Gap: Not collected") == 1 and page.count("Gap: Not yet approved") == 1


def test_record_a_gap_from_a_cell_refused(client, world, values):
    url = reverse("indicators:data_gap_from_cell", kwargs={"slug": world.workspace.slug})
    client.force_login(world["observer"])
    assert client.post(url, {"indicator": values.pk, "year": "2024"}).status_code == 403
    client.force_login(world["editor"])
    assert client.post(url, {"indicator": "999999", "year": "2024"}).status_code == 404
    assert client.post(url, {"indicator": values.pk, "year": "soon"}).status_code == 404
    assert DataGap.objects.count() == 0


def test_coverage_api_states_per_role(client, world, values):
    gap(world, values, year=2024)
    url = reverse("indicators-coverage", kwargs={"workspace_slug": world.workspace.slug})
    client.force_login(world["observer"])
    data = client.get(url, {"end": 2025}).json()
    assert data["framework"] == "starter" and data["years"] == YEARS
    assert len(data["dimensions"]) == 8
    eco02 = data["dimensions"][0]["indicators"][1]
    assert eco02["code"] == "ECO-02"
    states = {cell["year"]: cell["state"] for cell in eco02["cells"]}
    assert (states[2020], states[2021], states[2023]) == ("approved", "missing", "approved")
    assert not any(cell["pending"] for cell in eco02["cells"])
    assert {cell["year"]: cell["gap"] for cell in eco02["cells"]}[2024] is not None
    client.force_login(world["editor"])
    data = client.get(url, {"end": 2025}).json()
    cells = {cell["year"]: cell for cell in data["dimensions"][0]["indicators"][1]["cells"]}
    assert cells[2021]["state"] == "draft" and cells[2023]["pending"] is True
    assert client.get(url, {"framework": "sdg", "years": 3, "end": 2020}).json()["years"] == [
        2018,
        2019,
        2020,
    ]
    for bad in ({"framework": "nope"}, {"years": "0"}, {"years": "31"}, {"end": "1800"}):
        assert client.get(url, bad).status_code == 400, bad


@pytest.mark.parametrize(
    ("name", "kwarg", "expected"),
    [("indicators:coverage", "slug", 9), ("indicators-coverage", "workspace_slug", 8)],
)
def test_coverage_query_count_is_pinned(client, world, name, kwarg, expected):
    """Equal with 2 and with 20 indicators observed (several values each, a gap on some)."""
    from core.testing import count_queries
    from indicators.models import Indicator

    url = reverse(name, kwargs={kwarg: world.workspace.slug}) + "?end=2025"
    client.force_login(world["editor"])
    client.get(url)
    indicators = [
        indicator
        for indicator in Indicator.objects.filter(framework__code="starter")
        .select_related("unit")
        .order_by("code")
        if "sex" in indicator.disaggregations
    ][:20]
    assert len(indicators) == 20
    counts = []
    for chosen in (indicators[:2], indicators[2:]):
        for indicator in chosen:
            observe(world, indicator, "2020", 5)
            observe(world, indicator, "2020", 4, sex="F")
            observe(world, indicator, "2020", 6, sex="M")
            observe(world, indicator, "2021", 7, state="draft")
            gap(world, indicator, year=2022)
        count, sql, response = count_queries(lambda: client.get(url))
        assert response.status_code == 200
        counts.append(count)
    body = response.content.decode()
    assert (body.count('data-state="approved"') if name.startswith("indicators:") else 20) == 20
    assert counts == [expected, expected], (counts, sql)
