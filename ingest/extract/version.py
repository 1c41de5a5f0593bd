"""The extractor's version: raise it when a change of ``plankg.ingest.extract`` changes what
an unchanged file yields, so ``plankg ingest`` re-reads every recorded source (its
extraction is stale) and improvements reach files ingested before.

Recorded with each source (``extractor`` in the store metadata) and with each remembered
failure; a source or failure recorded under another version is read again.
"""

EXTRACTOR_VERSION = "2025.15"
