"""The fact_sheet report kind (its builder registers with `register`)."""
