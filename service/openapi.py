"""The OpenAPI document as the API really answers, and the pages that show it, offline.

FastAPI documents what a route declares; three things it cannot see are added here, so
that every route (whoever adds it, whenever) is described the same way:

- **401/403/404**: a route that depends on ``current_user`` can answer 401, one behind a
  ``RoleCheck`` 403, and one under ``/api`` with a path parameter 404 (another user's
  prospect answers 404 too, never 403). A route that declares one of these itself keeps
  its own description.
- **The pixel and tracked links**, ``/o/{token}.gif`` and ``/c/{token}``, are answered in
  front of FastAPI (``service.tracking.fast``) and so have no route to describe them.
- **/docs and /redoc** load Swagger UI and ReDoc from Candor itself, from the assets the
  ``fastapi-offline`` package ships, instead of a CDN: they work without internet access,
  and their Content-Security-Policy (``DOCS_CSP``) stops anything else they would fetch.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.staticfiles import StaticFiles

from service.auth.deps import RoleCheck, current_user
from service.errors import ErrorMessage

__all__ = ["COLLECTOR_PATHS", "build_openapi", "install_docs"]

DOCS_ASSETS = "/docs/assets"
_ERROR_REF = {"$ref": f"#/components/schemas/{ErrorMessage.__name__}"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ERROR_REF}}}


UNAUTHENTICATED = _error("No API key, or one Candor does not know (`WWW-Authenticate: Bearer`).")
FORBIDDEN = _error("Your role may not do this.")
NOT_FOUND = _error("No such thing, or one you may not read: the answer is the same.")

_BINARY = {"type": "string", "format": "binary"}
_HTML = {"text/html": {"schema": {"type": "string"}}}
_TOKEN = {
    "name": "token",
    "in": "path",
    "required": True,
    "description": "The signed token written into the email (under 100 characters).",
    "schema": {"type": "string"},
}
_NO_STORE_HEADER = {
    "Cache-Control": {"description": "Never cached.", "schema": {"type": "string"}},
}
COLLECTOR_PATHS: dict[str, Any] = {
    "/o/{token}.gif": {
        "get": {
            "tags": ["collector"],
            "summary": "Record an open",
            "description": (
                "The open pixel: always a 1x1 transparent GIF. A valid token records an "
                "`open` event with its evidence class; a bad, tampered or unknown token gets "
                "the same GIF and records nothing. HEAD answers alike and never records a "
                "person's open."
            ),
            "operationId": "record_open",
            "parameters": [_TOKEN],
            "responses": {
                "200": {
                    "description": "The GIF, whatever the token.",
                    "headers": _NO_STORE_HEADER,
                    "content": {"image/gif": {"schema": _BINARY}},
                }
            },
        }
    },
    "/c/{token}": {
        "get": {
            "tags": ["collector"],
            "summary": "Follow a tracked link",
            "description": (
                "Redirects to the destination fixed when the message was instrumented, with "
                "`cnd_vid` set in its query unless the policy or the request (`Sec-GPC: 1`, "
                "`DNT: 1`) forbids identification. Query strings added here are ignored. "
                "Records a `click` event. HEAD answers alike and never records a person's "
                "click."
            ),
            "operationId": "follow_click",
            "parameters": [_TOKEN],
            "responses": {
                "302": {
                    "description": "To the link's destination.",
                    "headers": {
                        "Location": {
                            "description": "The destination.",
                            "schema": {"type": "string"},
                        },
                        **_NO_STORE_HEADER,
                    },
                },
                "404": {
                    "description": "A bad, tampered or unknown token: redirects nowhere.",
                    "content": _HTML,
                },
                "503": {
                    "description": "The destination cannot be read right now: try again.",
                    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                    "content": _HTML,
                },
            },
        }
    },
}


def _calls(dependant: Dependant) -> list[Any]:
    found = []
    for sub in dependant.dependencies:
        found.append(sub.call)
        found.extend(_calls(sub))
    return found


def _document_errors(app: FastAPI, paths: dict[str, Any]) -> None:
    # Every route as served, included routers' prefixes and dependencies applied.
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        calls = _calls(route.dependant)
        added: dict[str, dict[str, Any]] = {}
        if current_user in calls:
            added["401"] = UNAUTHENTICATED
        if any(isinstance(call, RoleCheck) for call in calls):
            added["403"] = FORBIDDEN
        path = route.path_format or ""
        if path.startswith("/api/") and route.dependant.path_params:
            added["404"] = NOT_FOUND
        for method in route.methods or ():
            operation = paths.get(path, {}).get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for code, response in added.items():
                responses.setdefault(code, response)


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """The document, built once: the routes' own, with the additions above."""
    if app.openapi_schema is None:
        document = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
            tags=app.openapi_tags,
        )
        paths = document.setdefault("paths", {})
        _document_errors(app, paths)
        for path, item in COLLECTOR_PATHS.items():
            paths.setdefault(path, item)
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas.setdefault(ErrorMessage.__name__, ErrorMessage.model_json_schema())
        app.openapi_schema = document
    return app.openapi_schema


# The docs pages may fetch only from Candor: ReDoc's bundle draws its sidebar logo from
# https://cdn.redoc.ly, which this forbids before any request leaves (the image then
# hides itself). Inline script and styles stay allowed: both UIs are built on them.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' blob:; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'self'"
)


def install_docs(app: FastAPI) -> None:
    """Serve /openapi.json as built here, and /docs and /redoc from local assets.

    The app must be created with ``docs_url=None, redoc_url=None``.
    """
    assets = files("fastapi_offline").joinpath("static")
    app.mount(DOCS_ASSETS, StaticFiles(directory=str(assets)), name="docs-assets")
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]

    @app.get("/docs", include_in_schema=False)
    def read_docs(request: Request) -> HTMLResponse:
        """Swagger UI, from Candor's own copy of its assets."""
        root = request.scope.get("root_path", "")
        page = get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} API",
            swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
            swagger_ui_parameters={"persistAuthorization": True},
        )
        page.headers["Content-Security-Policy"] = DOCS_CSP
        return page

    @app.get("/redoc", include_in_schema=False)
    def read_redoc(request: Request) -> HTMLResponse:
        """ReDoc, from Candor's own copy of its assets (no web fonts)."""
        root = request.scope.get("root_path", "")
        page = get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} API",
            redoc_js_url=f"{root}{DOCS_ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
            with_google_fonts=False,
        )
        page.headers["Content-Security-Policy"] = DOCS_CSP
        return page
