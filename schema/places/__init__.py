"""places domain of the schema."""
