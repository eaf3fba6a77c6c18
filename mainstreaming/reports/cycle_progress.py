"""The cycle_progress report kind (its builder registers with `register`)."""
