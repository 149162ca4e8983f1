"""Regions: the county, its towns and villages, and service grids (real division codes)."""
