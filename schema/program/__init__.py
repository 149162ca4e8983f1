"""program domain of the schema."""
