"""plankg.search."""
