"""Pages that bring the apps together: the user's workspaces and each workspace's home."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from django.views.generic import TemplateView

from stakeholders import selectors
from stakeholders.access import WorkspaceMixin
from stakeholders.cache import CachedSummaryMixin
from stakeholders.choices import Role, WorkspaceLevel
from stakeholders.permissions import Perm

from ..choices import CycleStage
from ..selectors import home as home_selectors

# The page of each stage of a cycle, linked from the stage list of the overview.
STAGE_URL_NAMES = {
    CycleStage.SITUATION_ANALYSIS: "mainstreaming:section_list",
    CycleStage.PRIORITIES: "mainstreaming:priority_list",
    CycleStage.ACTION_PLAN: "mainstreaming:action_plan",
    CycleStage.MONITORING: "mainstreaming:monitoring_dashboard",
}


class WorkspaceListView(TemplateView):
    """'My workspaces': where the user is a member, then local workspaces they follow."""

    template_name = "mainstreaming/workspace_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        workspaces = list(selectors.workspace_list(user=self.request.user))
        role_labels = dict(Role.choices)
        for workspace in workspaces:
            workspace.my_role_label = role_labels.get(workspace.my_role or "", "")
        context["member_workspaces"] = [w for w in workspaces if w.my_role]
        context["followed_workspaces"] = [w for w in workspaces if not w.my_role]
        return context


class WorkspaceHomeView(CachedSummaryMixin, WorkspaceMixin, TemplateView):
    """The workspace at a glance: its current planning cycle, what waits for me, who is in it.

    The content is rendered once per workspace content version, reader, permissions, language,
    time zone and day (`stakeholders.cache`), and again after a write for recent readers; the
    frame around it on every request.
    """

    template_name = "mainstreaming/workspace_home.html"
    summary_name = "home"
    summary_template_name = "mainstreaming/workspace_home.html#summary"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        self.add_summary(context)
        return context

    def summary_context(self, context: dict[str, Any]) -> dict[str, Any]:
        """What the content of the page shows (the queries of a cache miss)."""
        context = dict(context)
        user = self.request.user
        workspace = self.workspace
        context["memberships"] = selectors.membership_list(user=user, workspace=workspace)
        if Perm.MANAGE_MEMBERS in self.perms:
            invitations = list(
                selectors.invitation_list(user=user, workspace=workspace, pending_only=True)
            )
            context["invitations"] = invitations
            # The page says "Expired" once an invitation expires: the summary holds until then.
            expiring = [i.expires_at for i in invitations if not i.is_expired]
            if expiring:
                context["summary_valid_until"] = min(expiring).timestamp()
        if workspace.level == WorkspaceLevel.NATIONAL:
            context["local_workspaces"] = selectors.local_workspace_list(
                user=user, workspace=workspace
            )
        elif workspace.parent_id is not None:
            context["parent_readable"] = selectors.workspace_is_readable(
                user=user, workspace_id=workspace.parent_id
            )
        context["read_only"] = not (self.perms - {Perm.ACCESS})
        cycle = home_selectors.current_cycle(user=user, workspace=workspace, perms=self.perms)
        if cycle is not None:
            overview = home_selectors.cycle_overview(user=user, cycle=cycle, perms=self.perms)
            for stage in overview.stages:
                stage.url = reverse(  # type: ignore[attr-defined]
                    STAGE_URL_NAMES[CycleStage(stage.stage)],
                    kwargs={"slug": workspace.slug, "pk": cycle.pk},
                )
                stage.signoff_url = reverse(  # type: ignore[attr-defined]
                    "mainstreaming:stage_signoff",
                    kwargs={"slug": workspace.slug, "pk": cycle.pk, "stage": stage.stage},
                )
            context["overview"] = overview
        context["activity"] = home_selectors.recent_activity(
            user=user, workspace=workspace, perms=self.perms
        )
        if self.perms & {Perm.EDIT, Perm.REVIEW}:
            waiting = home_selectors.waiting_items(user=user, workspace=workspace, perms=self.perms)
            context["waiting"] = waiting[: home_selectors.NEEDS_MY_ACTION_SHOWN]
            context["waiting_count"] = len(waiting)
        return context


urlpatterns = [
    path("", WorkspaceListView.as_view(), name="workspace_list"),
    path("w/<slug:slug>/", WorkspaceHomeView.as_view(), name="workspace_home"),
]
