"""Linked data: dereferenceable IRIs, content negotiation, dumps, VoID/DCAT and the Atom feed."""
