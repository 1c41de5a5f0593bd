"""The search index: items read from the graph, BM25 and vector indexes, embedders, and index upkeep."""
