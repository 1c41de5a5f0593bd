"""HTTP service: the FastAPI app, the SPARQL protocol, linked data and the JSON API (pages live in ``api/web``)."""
