"""Machinery every domain of the schema shares: ids, pages, filters, loaders, rows."""
