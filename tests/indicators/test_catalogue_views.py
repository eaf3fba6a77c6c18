"""Pages of the catalogue: frameworks, indicators with provenance, the workspace's indicators,
custom indicators by role, and the staff import page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import Dimension, Framework, Indicator, Observation, Unit
from tests.factories import UserFactory

from .catalogue_factories import catalogue_csv, catalogue_row, make_custom_indicator

pytestmark = pytest.mark.django_db


def test_framework_list_shows_counts_and_provenance(client, world):
    client.force_login(world["observer"])
    response = client.get(reverse("indicators:framework_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Migration and human development — portal starter set" in html
    assert "48 indicators" in html
    assert "8 dimensions" in html
    assert "6 indicators" in html  # the SDG framework
    assert "<strong>not</strong> the Observatory" in html  # provenance rendered as Markdown
    assert "Import a framework" not in html  # staff only


def test_framework_detail_lists_dimensions_with_indicators(client, world):
    client.force_login(world["observer"])
    starter = Framework.objects.get(code="starter")
    html = client.get(reverse("indicators:framework_detail", args=[starter.pk])).content.decode()
    assert "data-starter-disclaimer" in html
    assert "Economic growth and assets" in html
    assert "Transnational transfers and engagement" in html
    assert "GDP per capita growth" in html
    assert html.count("<tr>") - html.count("<thead><tr>") == 48
    sdg = Framework.objects.get(code="sdg")
    html = client.get(reverse("indicators:framework_detail", args=[sdg.pk])).content.decode()
    assert "data-starter-disclaimer" not in html
    assert "10.7.2" in html


def test_indicator_page_shows_provenance(client, world):
    client.force_login(world["contributor"])
    indicator = Indicator.objects.get(framework__code="starter", code="ECO-02")
    html = client.get(reverse("indicators:indicator_detail", args=[indicator.pk])).content.decode()
    for text in (
        "Migration and human development — portal starter set",
        "version 2025",
        "World Bank (Poverty and Inequality Platform)",
        "SI.POV.DDAY; SDG 1.1.1",
        "from 0 to 100",
        "Sex, Age group, Urban/rural, Migratory status",
        "Lower is better",
        "Household",
        "data-starter-disclaimer",
    ):
        assert text in html, text


def test_indicator_page_of_ordinal_sdg_shows_categories_and_titles(client, world):
    client.force_login(world["observer"])
    indicator = Indicator.objects.get(framework__code="sdg", code="10.7.2")
    html = client.get(reverse("indicators:indicator_detail", args=[indicator.pk])).content.decode()
    assert "data-categories" in html
    assert "Fully meets" in html
    assert "Titles per framework version" in html
    assert "2020 comprehensive review" in html
    assert "data-starter-disclaimer" not in html


def test_indicator_page_is_not_for_custom_indicators(client, world):
    indicator = make_custom_indicator(world["editor"], world.workspace)
    client.force_login(world["outsider"])
    assert (
        client.get(reverse("indicators:indicator_detail", args=[indicator.pk])).status_code == 404
    )


def test_workspace_indicators_page_lists_starter_and_custom(client, world):
    make_custom_indicator(world["editor"], world.workspace, code="LOC-01", name="Local measure")
    make_custom_indicator(world["outsider"], world.other, code="ELS-01", name="Elsewhere measure")
    client.force_login(world["observer"])
    url = reverse("indicators:workspace_indicators", args=["national"])
    html = client.get(url).content.decode()
    assert "GDP per capita growth" in html
    assert "Local measure" in html
    assert "Elsewhere measure" not in html
    assert "49 indicators" in html
    assert "Add an indicator of your own" not in html  # observers do not edit
    client.force_login(world["editor"])
    assert "Add an indicator of your own" in client.get(url).content.decode()


def test_workspace_indicators_filters(client, world):
    make_custom_indicator(world["editor"], world.workspace, code="LOC-01", name="Local measure")
    client.force_login(world["editor"])
    url = reverse("indicators:workspace_indicators", args=["national"])
    education = Dimension.objects.get(framework__code="starter", code="EDU")
    html = client.get(url, {"dimension": education.pk}).content.decode()
    assert "6 indicators" in html
    assert "GDP per capita growth" not in html
    html = client.get(url, {"q": "doctors"}).content.decode()
    assert "GDP per capita growth" not in html
    assert "HEA-01" in html and "HEA-02" in html
    html = client.get(url, {"framework": "custom"}).content.decode()
    assert "1 indicator" in html and "Local measure" in html
    sdg = Framework.objects.get(code="sdg")
    html = client.get(url, {"framework": sdg.pk}).content.decode()
    assert "10.7.1" in html and "Local measure" in html and "ECO-01" not in html
    # htmx asks for the results only.
    partial = client.get(url, {"q": "GDP"}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="indicator-results">')
    assert "GDP per capita growth" in partial


def _form(**overrides):
    data = {
        "code": "LOC-01",
        "name": "Local measure",
        "definition": "Share of households.",
        "dimension": str(Dimension.objects.get(framework__code="starter", code="ECO").pk),
        "value_type": "number",
        "unit": str(Unit.objects.get(code="percent").pk),
        "categories": "",
        "level": "national",
        "disaggregations": ["sex", "migratory_status"],
        "source_org": "NSO",
        "source_ref": "Survey Q12",
        "direction": "higher_is_better",
    }
    data.update(overrides)
    return data


def test_editor_creates_edits_and_deletes_a_custom_indicator(client, world):
    client.force_login(world["editor"])
    response = client.post(
        reverse("indicators:custom_indicator_create", args=["national"]), _form()
    )
    indicator = Indicator.objects.get(workspace=world.workspace, code="LOC-01")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "indicators:custom_indicator_detail", args=["national", indicator.pk]
    )
    assert indicator.disaggregations == ["sex", "migratory_status"]
    assert indicator.history.get().history_user == world["editor"]
    html = client.get(response["Location"]).content.decode()
    assert "Survey Q12" in html and "Sex, Migratory status" in html
    response = client.post(
        reverse("indicators:custom_indicator_update", args=["national", indicator.pk]),
        _form(name="Renamed measure", unit=str(Unit.objects.get(code="number").pk)),
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "Renamed measure" and indicator.unit.code == "number"
    delete_url = reverse("indicators:custom_indicator_delete", args=["national", indicator.pk])
    assert "Delete the indicator" in client.get(delete_url).content.decode()
    assert client.post(delete_url).status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_custom_indicator_form_errors(client, world):
    client.force_login(world["editor"])
    url = reverse("indicators:custom_indicator_create", args=["national"])
    response = client.post(url, _form(code="ECO-01"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html and "catalogue already has an indicator" in html
    response = client.post(url, _form(value_type="ordinal", categories="Only one"))
    html = response.content.decode()
    assert "ordinal category" in html
    assert not Indicator.objects.filter(workspace=world.workspace).exists()
    response = client.post(
        url,
        _form(
            value_type="ordinal",
            categories="Low\nMedium\n\nHigh",
            unit=str(Unit.objects.get(code="ordinal").pk),
        ),
    )
    assert response.status_code == 302
    assert Indicator.objects.get(workspace=world.workspace).categories == [
        "Low",
        "Medium",
        "High",
    ]


def test_delete_refused_while_the_indicator_has_values(client, world):
    indicator = make_custom_indicator(world["editor"], world.workspace)
    Observation.objects.create(
        workspace=world.workspace, indicator=indicator, period="2024", value=Decimal(3)
    )
    client.force_login(world["coordinator"])
    url = reverse("indicators:custom_indicator_delete", args=["national", indicator.pk])
    html = client.get(url).content.decode()
    assert "data-refusal" in html and "cannot be deleted" in html
    response = client.post(url)
    assert response.status_code == 200
    assert "Delete its values first" in response.content.decode()
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_custom_indicator_of_another_workspace_is_not_found(client, world):
    foreign = make_custom_indicator(world["outsider"], world.other)
    client.force_login(world["coordinator"])
    url = reverse("indicators:custom_indicator_detail", args=["national", foreign.pk])
    assert client.get(url).status_code == 404
    own = make_custom_indicator(world["editor"], world.workspace)
    url = reverse("indicators:custom_indicator_detail", args=["national", own.pk])
    assert client.get(url).status_code == 200


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="platform-admin", is_staff=True))
    return client


def test_import_page_with_a_bad_row_lists_it_and_loads_nothing(staff_client):
    rows = [catalogue_row(n) for n in range(1, 301)]
    rows[41]["disaggregations"] = "sex|caste"  # row 43
    upload = SimpleUploadedFile("framework.csv", catalogue_csv(rows), "text/csv")
    response = staff_client.post(
        reverse("indicators:framework_import"),
        {"file": upload, "code": "imported", "name": "Imported framework"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The file has 1 problem. Nothing was loaded." in html
    assert "data-row-errors" in html
    assert '<th scope="row" data-label="Row">43</th>' in html
    assert "caste" in html
    assert not Framework.objects.filter(code="imported").exists()
    assert not Indicator.objects.filter(code="X-0001").exists()


def test_import_page_loads_a_good_file(staff_client):
    rows = [catalogue_row(n) for n in range(1, 11)]
    upload = SimpleUploadedFile("framework.csv", catalogue_csv(rows), "text/csv")
    response = staff_client.post(
        reverse("indicators:framework_import"),
        {"file": upload, "code": "imported", "name": "Imported framework", "version": "v1"},
    )
    framework = Framework.objects.get(code="imported")
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:framework_detail", args=[framework.pk])
    assert framework.indicators.count() == 10
    html = staff_client.get(response["Location"]).content.decode()
    assert "2 dimension(s) and 10 indicator(s)" in html


def test_import_page_refuses_duplicate_code_and_other_file_types(staff_client):
    upload = SimpleUploadedFile("framework.csv", catalogue_csv([catalogue_row(1)]), "text/csv")
    response = staff_client.post(
        reverse("indicators:framework_import"), {"file": upload, "code": "sdg", "name": "Again"}
    )
    assert "A framework with code “sdg” already exists" in response.content.decode()
    upload = SimpleUploadedFile("framework.ods", b"x", "application/octet-stream")
    response = staff_client.post(
        reverse("indicators:framework_import"), {"file": upload, "code": "new", "name": "New"}
    )
    assert "Upload a .csv or .xlsx file." in response.content.decode()
    assert not Framework.objects.filter(code="new").exists()


def test_import_page_is_refused_to_non_staff(client, world):
    client.force_login(world["coordinator"])
    assert client.get(reverse("indicators:framework_import")).status_code == 403
