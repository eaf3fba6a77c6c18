"""The indicators demo: illustrative, idempotent, a good share approved, gaps left visible."""

import time

import pytest

from indicators import demo
from indicators.models import DataGap, DataSource, Indicator, Observation
from indicators.selectors.coverage import coverage_framework, coverage_matrix
from stakeholders import demo as stakeholders_demo
from stakeholders.models import Workspace
from stakeholders.permissions import Perm, workspace_perms
from stakeholders.review import ReviewState

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    stakeholders_demo.load()
    started = time.monotonic()
    result = demo.load()
    return result, time.monotonic() - started


def test_demo_load_twice_creates_nothing_more(loaded):
    first, seconds = loaded
    assert seconds < 20  # a few seconds on a laptop; it runs in `make run` and in tests
    counts = (Observation.objects.count(), DataGap.objects.count(), DataSource.objects.count())
    assert demo.load() == first
    assert (Observation.objects.count(), DataGap.objects.count(), DataSource.objects.count()) == (
        counts
    )
    assert first["observations"] > 300 and first["gaps"] == 3


def test_demo_approves_most_of_the_starter_catalogue_and_leaves_gaps(loaded, django_user_model):
    workspace = Workspace.objects.get(slug=demo.WORKSPACE)
    starter = Indicator.objects.filter(framework__code="starter").count()
    approved = (
        Observation.objects.filter(workspace=workspace, approved_version__isnull=False)
        .values("indicator")
        .distinct()
        .count()
    )
    assert starter == 48
    assert approved / starter >= 0.6
    assert approved < starter  # some indicators are deliberately left without data
    assert Observation.objects.filter(workspace=workspace, sex="F").exists()
    assert Observation.objects.filter(workspace=workspace, urbanisation="RURAL").exists()
    states = set(
        Observation.objects.filter(workspace=workspace).values_list("review_state", flat=True)
    )
    assert {ReviewState.APPROVED, ReviewState.DRAFT, ReviewState.SUBMITTED} <= states
    # The correction in draft keeps its approved value for readers.
    corrected = Observation.objects.get(
        workspace=workspace, review_state=ReviewState.DRAFT, approved_version__isnull=False
    )
    assert corrected.approved_snapshot["value"] != str(corrected.value)
    # Labelled illustrative, and every value inside its unit's bounds.
    source = DataSource.objects.get(name=demo.SOURCE_NAME)
    assert "Illustrative" in source.name and "not real" in source.name
    for observation in Observation.objects.filter(source=source).select_related("indicator__unit"):
        assert "Illustrative" in observation.note
        assert observation.indicator.value_error(observation.value) == ""
    assert all("llustrative" in gap.planned_action for gap in DataGap.objects.all())
    # The observer's coverage matrix has approved and missing cells, no drafts.
    observer = django_user_model.objects.get(username="observer")
    perms = workspace_perms(observer, workspace)
    assert Perm.VIEW_DRAFTS not in perms
    matrix = coverage_matrix(
        workspace=workspace,
        perms=perms,
        framework=coverage_framework("starter"),
        years=list(range(2017, 2027)),
    )
    states = [cell.state for row in matrix.rows for cell in row.cells]
    assert states.count("approved") > 200
    assert states.count("missing") > 60
    assert "draft" not in states
    assert 40 <= matrix.approved_share <= 80
