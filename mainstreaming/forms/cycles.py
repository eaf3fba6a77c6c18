"""Forms of the planning cycle: cycles."""
