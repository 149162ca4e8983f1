"""people domain of the schema."""
