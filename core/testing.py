"""Runtime side of the query-count helper used by the test suite (and by `make bench`)."""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(action: Callable[[], Any]) -> tuple[int, list[str], Any]:
    """Run `action` and return (number of queries, their SQL, its result)."""
    with CaptureQueriesContext(connection) as captured:
        result = action()
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries], result
