"""The read model: named SPARQL queries and the records built from them, shared by search and the API."""
