"""Charts of the web pages (issue 16): overview pages, the home chart, SPARQL result views.

``draw`` turns rows into SVG through Vega-Lite / Vega (vl-convert, on the server: no script
in the browser, nothing fetched from a CDN); ``model`` holds a chart with its data table and
CSV; ``overview`` builds the charts of a document, an agency and the home page from the
read model (``plankg.store.read.overview``); ``sparql_views`` draws a SPARQL answer.
"""
