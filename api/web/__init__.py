"""Server-rendered Vietnamese web pages: search, entity pages, source view, due dates, SPARQL page (templates and static files beside them)."""
