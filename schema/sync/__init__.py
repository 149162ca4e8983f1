"""sync domain of the schema."""
