"""Public collector routes besides the pixel and links (see ``fast.py``): beacon, snippet."""

from __future__ import annotations

import logging
from html import escape

import anyio.to_thread
from fastapi import APIRouter, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from pixel.gif import GIF_HEADERS, TRANSPARENT_GIF
from pixel.snippet import render_snippet
from service.metrics import COLLECTOR_ERRORS, HITS
from service.models import utcnow
from service.responses import GifResponse, JavaScriptResponse, binary, headers_only, text
from service.runtime import Runtime, RuntimeDep
from service.tracking import service
from service.tracking.schemas import ClientInfo, VisitIn
from service.tracking.targets import MISSING

router = APIRouter(tags=["collector"])
# The collector deployed alone says what it is at "/"; the full app's "/" is the console's.
root_router = APIRouter(include_in_schema=False)
log = logging.getLogger("candor.collector")

MAX_BEACON_BYTES = 16 * 1024
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "86400",
}


def _client(request: Request) -> ClientInfo:
    host = request.client.host if request.client else None
    return ClientInfo.from_parts(request.method, host, request.headers)


def _gif() -> Response:
    return Response(content=TRANSPARENT_GIF, media_type="image/gif", headers=GIF_HEADERS)


@router.options("/v", include_in_schema=False)
def preflight_visit() -> Response:
    """CORS preflight for integrations that post JSON; the snippet itself needs none."""
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers=CORS_HEADERS)


_VISIT_SCHEMA = VisitIn.model_json_schema()
_VISIT_BODY = {
    "requestBody": {
        "required": True,
        "description": (
            "The snippet sends it with `navigator.sendBeacon` as `text/plain`, which needs no "
            "CORS preflight; integrations may send `application/json`. At most 16 KiB."
        ),
        "content": {
            "text/plain": {"schema": _VISIT_SCHEMA},
            "application/json": {"schema": _VISIT_SCHEMA},
        },
    }
}


@router.post(
    "/v",
    status_code=status.HTTP_204_NO_CONTENT,
    openapi_extra=_VISIT_BODY,
    responses={
        204: {
            "description": "Accepted: recorded unless consent, a replay or the policy says "
            "otherwise (a page view with no known visitor is kept only under "
            "`anonymous_visits`, without address or user agent)."
        },
        413: {"description": "The beacon is larger than 16 KiB."},
        422: {
            "description": "Not a page view: the field and why.",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}
            },
        },
    },
)
async def record_visit(request: Request, runtime: RuntimeDep) -> Response:
    """A page-view beacon (JSON, sent as text/plain to avoid a CORS preflight)."""
    HITS.labels("visit").inc()
    body = await _read_limited(request)
    try:
        visit = VisitIn.model_validate_json(body or b"null")
    except ValidationError as error:
        raise RequestValidationError(_body_errors(error)) from None
    await _record_visit(runtime, visit, _client(request))
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers=CORS_HEADERS)


def _query(name: str, description: str) -> dict[str, object]:
    return {"name": name, "in": "query", "description": description, "schema": {"type": "string"}}


# Documented, not declared: the query is VisitIn's to judge, and a bad one still gets the
# GIF (FastAPI would document a 422 for declared parameters, which this never answers).
_VISIT_QUERY = {
    "parameters": [
        _query("site", "The site's name, as `data-site` (required to record)."),
        _query("url", "The page's absolute http(s) URL (required to record)."),
        _query("title", "The page's title."),
        _query("referrer", "The page's referrer."),
        _query("vid", "The visitor id the snippet kept from `cnd_vid`."),
    ]
}


@router.get(
    "/v.gif",
    response_class=GifResponse,
    responses=binary("image/gif", "The 1x1 transparent GIF, whatever the query."),
    openapi_extra=_VISIT_QUERY,
)
@router.head("/v.gif", include_in_schema=False)
async def record_visit_image(request: Request, runtime: RuntimeDep) -> Response:
    """The <noscript> page view: always the GIF; records a visit when the query is valid.

    HEAD answers the same headers and records nothing.
    """
    HITS.labels("visit_gif").inc()
    if request.method == "HEAD":
        return headers_only(request, _gif())
    try:
        visit = VisitIn.model_validate(dict(request.query_params))
    except ValidationError:
        return _gif()
    await _record_visit(runtime, visit, _client(request))
    return _gif()


async def _record_visit(runtime: Runtime, visit: VisitIn, client: ClientInfo) -> None:
    try:
        visitor = None
        if visit.vid is not None:
            visitor = runtime.targets.visitor(visit.vid)
            if visitor is MISSING:
                visitor = await anyio.to_thread.run_sync(runtime.targets.load_visitor, visit.vid)
        ops = service.visit_ops(runtime, visit=visit, visitor=visitor, client=client, now=utcnow())
        if ops:
            await runtime.writer.write(ops)
    except Exception:  # a beacon is answered even when storage fails; the error is counted
        COLLECTOR_ERRORS.labels("visit").inc()
        log.exception("visit not recorded")


@router.get(
    "/t.js",
    response_class=JavaScriptResponse,
    responses=text("application/javascript", "The snippet (JavaScript, cacheable for an hour)."),
)
@router.head("/t.js", include_in_schema=False)
def serve_snippet(request: Request, runtime: RuntimeDep) -> Response:
    """The site snippet that reports page views and keeps the click's visitor id."""
    snippet = Response(
        render_snippet(runtime.settings.public_url),
        media_type="application/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"},
    )
    return headers_only(request, snippet)


@root_router.get("/")
def read_root() -> HTMLResponse:
    """What this host is, for anyone who follows a tracking address by hand."""
    return HTMLResponse(
        "<!doctype html><meta charset=utf-8><title>Candor</title>"
        f"<p>{escape('This host records email opens, link clicks and page visits for Candor.')}</p>"
    )


async def _read_limited(request: Request) -> bytes:
    from fastapi import HTTPException

    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BEACON_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, detail="A beacon is at most 16 KiB.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BEACON_BYTES:
            raise HTTPException(
                status.HTTP_413_CONTENT_TOO_LARGE, detail="A beacon is at most 16 KiB."
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _body_errors(error: ValidationError) -> list[dict[str, object]]:
    errors = []
    for item in error.errors(include_url=False, include_input=False):
        loc = item.get("loc", ())
        errors.append({**item, "loc": ["body", *loc]})
    return errors
