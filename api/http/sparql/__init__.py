"""SPARQL 1.1 protocol: query inspection and refusal, killable worker processes, result writers."""
