"""Statistics: aggregates by region, category and period; grid coverage."""
