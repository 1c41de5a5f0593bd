"""plankg: knowledge graph and Vietnamese semantic search over government plan documents.

The importable package is ``plankg``; its sub-packages live in the top-level folders
``ontology/``, ``ingest/``, ``store/``, ``search/`` and ``api/`` (mapped in pyproject.toml)
so the repository layout shows the architecture: files → ingest → store → search → api.
"""

__version__ = "0.1.0"
