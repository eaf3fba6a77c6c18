"""Data sources: services (rights, producer of the workspace, unique name) and pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from indicators.models import DataSource
from indicators.services.sources import data_source_create, data_source_delete, data_source_update

from .observation_factories import enter, make_source

pytestmark = pytest.mark.django_db


def test_data_source_create_update_delete(world):
    editor = world["editor"]
    producer = world.workspace.organisations.first()
    source = data_source_create(
        actor=editor, workspace=world.workspace, name=" Census ", kind="census", producer=producer
    )
    assert source.name == "Census" and source.history.get().history_user == editor
    data_source_update(actor=editor, source=source, limitations="Every ten years.")
    source.refresh_from_db()
    assert source.limitations == "Every ten years."
    observation = enter(editor, world.workspace, source=source)
    data_source_delete(actor=editor, source=source)
    observation.refresh_from_db()
    assert observation.source_id is None and not DataSource.objects.filter(pk=source.pk).exists()


def test_data_source_rules(world):
    editor = world["editor"]
    make_source(editor, world.workspace, name="Census")
    with pytest.raises(ValidationError) as caught:
        make_source(editor, world.workspace, name="Census")
    assert "name" in str(caught.value.message_dict) or "__all__" in caught.value.message_dict
    make_source(world["outsider"], world.other, name="Census")  # another workspace: fine
    foreign = world.other.organisations.first()
    with pytest.raises(ValidationError) as caught:
        data_source_create(
            actor=editor, workspace=world.workspace, name="X", kind="census", producer=foreign
        )
    assert "producer" in caught.value.message_dict
    for role in ("reviewer", "contributor", "observer"):
        with pytest.raises(PermissionDenied):
            make_source(world[role], world.workspace, name=f"By {role}")


def test_data_source_pages(client, world):
    client.force_login(world["editor"])
    slug = world.workspace.slug
    response = client.post(
        reverse("indicators:data_source_create", kwargs={"slug": slug}),
        {"name": "Labour survey", "kind": "household_survey", "periodicity": "annual"},
    )
    assert response.status_code == 302
    source = DataSource.objects.get(name="Labour survey")
    duplicate = client.post(
        reverse("indicators:data_source_create", kwargs={"slug": slug}),
        {"name": "Labour survey", "kind": "census"},
    )
    assert (
        duplicate.status_code == 200 and "already has a data source" in duplicate.content.decode()
    )
    client.force_login(world["observer"])
    html = client.get(reverse("indicators:data_source_list", kwargs={"slug": slug})).content
    assert b"Labour survey" in html and b"Add a data source" not in html
    client.force_login(world["editor"])
    page = client.get(
        reverse("indicators:data_source_delete", kwargs={"slug": slug, "pk": source.pk})
    )
    assert b"Delete the data source" in page.content
    client.post(reverse("indicators:data_source_delete", kwargs={"slug": slug, "pk": source.pk}))
    assert not DataSource.objects.exists()
