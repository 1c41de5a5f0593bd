"""Registered store backends (embedded Oxigraph, rdflib memory); callers reach them only through ``store.base``."""
