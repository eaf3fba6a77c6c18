"""A KPI that tracks a catalogue indicator takes the indicator's approved values as actuals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from indicators.services.observations import observation_save
from mainstreaming.models import ProgressUpdate
from mainstreaming.services.monitoring import (
    kpi_feed_candidates,
    kpi_feed_from_indicator,
    tracked_indicator,
)
from tests.indicators.observation_factories import approved, enter, starter

from .monitoring_factories import make_kpi, plan, report


@pytest.fixture
def kpi(world):
    """A KPI with baseline 2024 tracking ECO-04 (unemployment rate, a percent)."""
    planned = plan(world["editor"], world.workspace)
    return make_kpi(
        world["editor"],
        planned["cycle"],
        objective=planned["objective"],
        name="Unemployment of returnees",
        catalogue_code="ECO-04",
        direction="lower",
    )


def test_only_approved_totals_after_the_baseline_not_yet_reported_are_candidates(world, kpi):
    editor, reviewer, workspace = world["editor"], world["reviewer"], world.workspace
    approved(editor, reviewer, workspace, code="ECO-04", period="2024", value="9")  # baseline year
    approved(editor, reviewer, workspace, code="ECO-04", period="2025", value="8.25")
    approved(editor, reviewer, workspace, code="ECO-04", period="2026-Q1", value="7.123456")
    approved(editor, reviewer, workspace, code="ECO-04", period="2026", value="7", sex="F")
    enter(editor, workspace, code="ECO-04", period="2027", value="6")  # a draft
    approved(editor, reviewer, workspace, code="ECO-03", period="2025", value="60")  # another
    report(editor, kpi, "2025", "8.3")  # already reported
    assert [(fed.period, fed.value) for fed in kpi_feed_candidates(kpi)] == [
        ("2026-Q1", Decimal("7.1235"))
    ]


def test_the_approved_value_is_used_while_a_correction_is_a_draft(world, kpi):
    editor, reviewer, workspace = world["editor"], world["reviewer"], world.workspace
    approved(editor, reviewer, workspace, code="ECO-04", period="2025", value="8")
    observation_save(
        actor=editor,
        workspace=workspace,
        indicator=starter("ECO-04"),
        period="2025",
        axes={},
        value=Decimal("99"),
        quality="final",
    )
    assert [fed.value for fed in kpi_feed_candidates(kpi)] == [Decimal("8.0000")]


def test_feeding_adds_draft_updates_with_their_origin_and_is_not_repeated(world, kpi):
    editor, reviewer, workspace = world["editor"], world["reviewer"], world.workspace
    approved(editor, reviewer, workspace, code="ECO-04", period="2025", value="8")
    approved(editor, reviewer, workspace, code="ECO-04", period="2026", value="7.5")
    created = kpi_feed_from_indicator(actor=editor, kpi=kpi)
    assert [(u.period, u.actual_value, u.review_state) for u in created] == [
        ("2025", Decimal("8.0000"), "draft"),
        ("2026", Decimal("7.5000"), "draft"),
    ]
    assert "ECO-04" in created[0].note and created[0].reporter == editor
    assert kpi_feed_from_indicator(actor=editor, kpi=kpi) == []
    assert ProgressUpdate.objects.filter(kpi=kpi).count() == 2


def test_feeding_needs_the_right_to_edit_and_a_tracked_indicator(world, kpi):
    with pytest.raises(PermissionDenied):
        kpi_feed_from_indicator(actor=world["reviewer"], kpi=kpi)
    kpi.catalogue_code = ""
    with pytest.raises(ValidationError, match="does not track"):
        kpi_feed_from_indicator(actor=world["editor"], kpi=kpi)


def test_a_workspace_indicator_with_the_code_wins_over_the_catalogue(world, kpi):
    from indicators.models import Indicator, Unit

    own = Indicator.objects.create(
        workspace=world.workspace, code="ECO-04", name="Ours", unit=Unit.objects.get(code="number")
    )
    assert tracked_indicator(kpi) == own
    other = Indicator.objects.create(
        workspace=world.other, code="OWN-9", name="Theirs", unit=Unit.objects.get(code="number")
    )
    assert tracked_indicator(kpi, code=other.code) is None


def test_the_form_refuses_an_unknown_code(client, world, kpi):
    client.force_login(world["editor"])
    url = reverse("mainstreaming:kpi_update", args=[world.workspace.slug, kpi.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "name": "Unemployment of returnees",
        "unit": "percent",
        "direction": "lower",
        "baseline_value": "10",
        "baseline_year": "2024",
        "responsible_organisation": kpi.responsible_organisation_id,
        "catalogue_code": "NOPE-1",
        "target_2027": "40",
        "lock_version": kpi.lock_version,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "No indicator has the code “NOPE-1”" in response.content.decode()
    data["catalogue_code"] = "TRA-01"
    response = client.post(url, data)
    assert response.status_code == 302
    kpi.refresh_from_db()
    assert kpi.catalogue_code == "TRA-01"


def test_the_pages_link_the_indicator_and_confirm_before_adding(client, world, kpi):
    editor, reviewer, workspace = world["editor"], world["reviewer"], world.workspace
    approved(editor, reviewer, workspace, code="ECO-04", period="2025", value="8")
    client.force_login(editor)
    detail = client.get(kpi.get_absolute_url()).content.decode()
    feed_url = reverse("mainstreaming:kpi_feed", args=[workspace.slug, kpi.pk])
    data_url = reverse("indicators:indicator_data", args=[workspace.slug, starter("ECO-04").pk])
    assert f'href="{feed_url}"' in detail and f'href="{data_url}"' in detail
    confirm = client.get(feed_url).content.decode()
    assert "Add 1 progress update" in confirm and ">2025<" in confirm
    assert not ProgressUpdate.objects.exists()
    response = client.post(feed_url, follow=True)
    assert "1 value was added as a draft progress update" in response.content.decode()
    assert ProgressUpdate.objects.get().actual_value == Decimal("8")
    client.force_login(world["observer"])
    assert f'href="{feed_url}"' not in client.get(kpi.get_absolute_url()).content.decode()
