"""Answering a query: understanding it against the graph lexicon, then ranking."""
