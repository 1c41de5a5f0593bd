"""JSON API (``/api/...``): typed models, filters and routes over the store read model and search."""
