"""The good-practice demo: loads twice without duplicates; published, proposed and draft
practices as the issue asks, labelled as illustrative."""

from __future__ import annotations

import pytest

from stakeholders import demo, demo_practices
from stakeholders.choices import PracticeStatus
from stakeholders.coordination_models import Practice

pytestmark = pytest.mark.django_db


def test_demo_practices_load_twice(client):
    demo.load()
    first = demo_practices.load()
    second = demo_practices.load()
    assert [p.pk for p in first] == [p.pk for p in second]
    assert Practice.objects.count() == 7
    by_status = {
        status: Practice.objects.filter(status=status).count() for status in PracticeStatus.values
    }
    assert by_status == {"draft": 1, "proposed": 1, "published": 5, "withdrawn": 0}
    assert set(
        Practice.objects.filter(status="published").values_list("workspace__slug", flat=True)
    ) == {"demo-senegal", "demo-dakar"}
    assert all(p.summary.startswith("Illustrative example: ") for p in Practice.objects.all())
    # The outsider (another country's workspace) reads the published ones in the library only.
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="outsider"))
    html = client.get("/practices/").content.decode()
    assert "A one-stop desk for diaspora investors" in html
    assert "Migrant help desks in city service centres" in html
    assert "Pre-departure orientation" not in html
    assert "Comparing remittance costs" not in html
