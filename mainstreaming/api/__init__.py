"""API of the planning cycle, one module per stage group, nested under /api/workspaces/<slug>/."""
