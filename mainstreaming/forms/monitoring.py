"""Forms of the planning cycle: monitoring."""
