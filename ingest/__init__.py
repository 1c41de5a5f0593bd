"""plankg.ingest."""
