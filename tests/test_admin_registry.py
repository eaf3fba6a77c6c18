"""Every model of ours is in the admin (platform administrators manage the portal there)."""

import pytest
from django.apps import apps
from django.contrib import admin

# Models deliberately left out of the admin, each with its reason.
NOT_IN_ADMIN = {
    "WorkspaceUserObjectPermission": "django-guardian's grant table, written by role services",
    "WorkspaceGroupObjectPermission": "django-guardian's grant table, written by role services",
}


def _our_models():
    for label in ("core", "stakeholders", "mainstreaming"):
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue  # django-simple-history's tables, shown through each model's history
            yield model


def test_every_model_is_registered_in_the_admin():
    missing = [
        m.__name__
        for m in _our_models()
        if not admin.site.is_registered(m) and m.__name__ not in NOT_IN_ADMIN
    ]
    assert not missing, f"Models without an admin: {missing}"
    assert admin.site.is_registered(apps.get_model("stakeholders", "Workspace"))


@pytest.mark.django_db
def test_admin_changelists_of_review_and_cycle_render(admin_client):
    for path in (
        "stakeholders/reviewevent",
        "stakeholders/comment",
        "mainstreaming/cycle",
        "mainstreaming/situationsection",
    ):
        response = admin_client.get(f"/admin/{path}/")
        assert response.status_code == 200, path
        assert admin_client.get(f"/admin/{path}/add/").status_code == 403
