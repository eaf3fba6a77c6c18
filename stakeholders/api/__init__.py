"""REST API for workspaces, organisations, memberships and invitations."""
