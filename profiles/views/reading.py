"""The printable reading of an edition: title page, table of contents, sections with their
tables, the statistical annex and the sources cited. Routes at the bottom.

Observers, contributors and a national coordinator reading a local workspace reach published
editions only (a draft edition is a 404 for them) and read approved text; readers who see
drafts read the current drafts, clearly marked, or the approved version with `?approved=1`.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from core.markdown import render_markdown
from stakeholders.access import WorkspaceMixin
from stakeholders.permissions import Perm

from ..models import Edition
from ..selectors.editions import edition_list
from ..selectors.reading import edition_reading


class EditionReadView(WorkspaceMixin, TemplateView):
    template_name = "profiles/reading/edition_read.html"

    @cached_property
    def edition(self) -> Edition:
        edition = (
            edition_list(user=self.request.user, workspace=self.workspace, perms=self.perms)
            .select_related("published_by")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if edition is None:
            raise Http404("No such edition")
        return edition

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        approved_only = self.request.GET.get("approved") == "1"
        reading = edition_reading(
            edition=self.edition, perms=self.perms, approved_only=approved_only
        )
        for section in reading.sections:
            section.narrative_html = render_markdown(section.narrative)  # type: ignore[attr-defined]
        read_url = reverse(
            "profiles:edition_read", kwargs={"slug": self.workspace.slug, "pk": self.edition.pk}
        )
        context.update(
            edition=self.edition,
            reading=reading,
            sees_drafts=Perm.VIEW_DRAFTS in self.perms,
            read_url=read_url,
            edition_url=self.edition.get_absolute_url(),
        )
        return context


urlpatterns = [
    path("w/<slug:slug>/profiles/<int:pk>/read/", EditionReadView.as_view(), name="edition_read"),
]
