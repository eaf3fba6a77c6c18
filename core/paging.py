"""Pagination helpers shared by list pages (the house pagination include reads `page_range`)."""

from typing import Any

from django.core.paginator import Page


def page_range(page: Page[Any] | None) -> list[Any]:
    """Page numbers to link to, with an ellipsis where runs of pages are left out."""
    if page is None:
        return []
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
