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


@router.post("/v", status_code=status.HTTP_204_NO_CONTENT)
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


@router.get("/v.gif")
async def record_visit_image(request: Request, runtime: RuntimeDep) -> Response:
    """The <noscript> page view: always the GIF; records a visit when the query is valid."""
    HITS.labels("visit_gif").inc()
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


@router.get("/t.js")
def serve_snippet(runtime: RuntimeDep) -> Response:
    """The site snippet that reports page views and keeps the click's visitor id."""
    return Response(
        render_snippet(runtime.settings.public_url),
        media_type="application/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"},
    )


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
