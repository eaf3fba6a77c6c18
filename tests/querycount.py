"""Test side of the query-count helper: a list uses the same, pinned number of queries at 2 and
at 20 rows, so nothing queries per row."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from core.testing import count_queries


def assert_pinned_queries(
    client: Client, url: str, *, rows: Callable[[int], object], expected: int
) -> None:
    """Add 2 rows with `rows(n)`, count the queries of GET `url`; add 18 more and count again."""
    # One request first, so the session's first-request writes are not counted as the list's.
    client.get(url)
    counts, totals = [], []
    for added in (2, 18):
        rows(added)
        count, sql, response = count_queries(lambda: client.get(url))
        assert response.status_code == 200, (url, response.status_code)
        if url.startswith("/api/"):
            totals.append(response.json()["count"])
        counts.append(count)
    if totals:  # the rows really are in the list (positive control)
        assert totals[1] - totals[0] == 18, (url, totals)
    assert counts == [expected, expected], (
        f"{url}: {counts[0]} queries at 2 rows, {counts[1]} at 20 rows; pinned at {expected}.\n"
        + "\n".join(sql)
    )
