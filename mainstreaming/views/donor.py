"""The donor's overview page (/reports/donor/): the workspaces the user reads, each with its
approved highlights, links to its reports archive and to exports of approved data."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.urls import URLPattern, path
from django.views.generic import TemplateView

from core.paging import page_range

from ..selectors.donor import donor_highlights, donor_workspace_list

PER_PAGE = 10


class DonorHomeView(TemplateView):
    """Signed-in users only (the site's login middleware); lists only their own workspaces."""

    template_name = "reports/donor/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = Paginator(donor_workspace_list(user=self.request.user), PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            {
                "highlights": donor_highlights(
                    user=self.request.user, workspaces=list(page.object_list)
                ),
                "page_obj": page,
                "page_range": page_range(page),
            }
        )
        return context


urlpatterns: list[URLPattern] = [
    path("reports/donor/", DonorHomeView.as_view(), name="donor_home"),
]
