"""Pages of the planning cycle, one module per stage group; routes sit next to their views."""
