"""The profile_edition report kind (its builder registers with `register`)."""
