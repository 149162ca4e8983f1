"""The connector framework: records, streams, the sync engine."""
