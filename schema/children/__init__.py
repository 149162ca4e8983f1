"""children domain of the schema."""
