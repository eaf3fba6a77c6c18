"""Pinned query counts of the practice lists: the same at 2 and at 20 practices."""

from __future__ import annotations

import pytest

from stakeholders.choices import PracticeStatus
from tests.querycount import assert_pinned_queries

from .practice_factories import make_practice

pytestmark = pytest.mark.django_db


def _published(world, workspace=None):
    workspace = workspace or world.workspace

    def add(n: int) -> None:
        for _ in range(n):
            make_practice(
                world["contributor"],
                workspace,
                status=PracticeStatus.PUBLISHED,
                publisher=world["coordinator"],
            )

    return add


@pytest.mark.parametrize(
    ("role", "url", "expected"),
    [
        ("outsider", "/practices/", 5),
        ("contributor", "/practices/?q=desk&area=diaspora", 5),
        ("outsider", "/api/practices/", 4),
        ("contributor", "/w/national/practices/", 6),
        ("contributor", "/api/workspaces/national/practices/", 6),
    ],
)
def test_practice_lists_pinned(client, world, role, url, expected):
    client.force_login(world[role])
    assert_pinned_queries(client, url, rows=_published(world), expected=expected)
