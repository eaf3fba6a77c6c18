"""Forms of the planning cycle: planning."""
