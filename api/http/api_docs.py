"""The API docs (``/docs``, Swagger UI) served from this package's own files, no CDN (issue 12).

Government networks are often closed, so Swagger UI's script and stylesheet come from the
``swagger-ui-py`` package (Swagger UI 5, which reads OpenAPI 3.1) under
``/docs/assets/{name}``, and its start-up code is a static file
(``api/web/static/swagger-init.js``) instead of the inline script FastAPI's
``get_swagger_ui_html`` writes, so the page keeps a CSP without inline scripts. Only its
styles may be inline (Swagger UI sets some at run time). ``/redoc`` (ReDoc has no
maintained PyPI package of its assets) redirects to ``/docs``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from plankg.api.http.hardening import CSP

router = APIRouter(include_in_schema=False)

ASSETS = {"swagger-ui-bundle.js": "text/javascript; charset=utf-8", "swagger-ui.css": "text/css; charset=utf-8",
          "favicon-32x32.png": "image/png"}
INIT = Path(__file__).resolve().parent.parent / "web" / "static" / "swagger-init.js"
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

PAGE = """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>plankg — API (Swagger UI)</title>
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="/openapi.json"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-init.js"></script>
</body>
</html>
"""


def _swagger_dir() -> Path:
    """The ``static`` folder of the ``swagger_ui`` package (found, not imported)."""
    import importlib.util

    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or spec.origin is None:
        raise HTTPException(404, "Chưa cài gói swagger-ui-py (the swagger-ui-py package is not installed)")
    return Path(spec.origin).resolve().parent / "static"


@router.get("/docs")
def docs() -> HTMLResponse:
    return HTMLResponse(PAGE, headers={"Content-Security-Policy": DOCS_CSP})


@router.get("/docs/assets/{name}")
def asset(name: str) -> FileResponse:
    if name == "swagger-init.js":
        return FileResponse(INIT, media_type="text/javascript; charset=utf-8",
                            headers={"Cache-Control": "public, max-age=3600"})
    if name not in ASSETS:
        raise HTTPException(404, "Không tìm thấy (not found)")
    return FileResponse(_swagger_dir() / name, media_type=ASSETS[name], headers={"Cache-Control": "public, max-age=86400"})


@router.get("/redoc")
def redoc() -> RedirectResponse:
    return RedirectResponse("/docs", status_code=307)
