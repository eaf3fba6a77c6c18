"""Forms of the planning cycle, one module per stage group."""
