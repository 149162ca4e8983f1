"""care domain of the schema."""
