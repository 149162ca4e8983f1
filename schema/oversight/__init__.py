"""oversight domain of the schema."""
