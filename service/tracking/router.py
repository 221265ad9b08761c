"""Public collector routes: no auth, always a fast, harmless answer."""

from __future__ import annotations

import logging
from html import escape

from fastapi import APIRouter, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from pixel.gif import GIF_HEADERS, TRANSPARENT_GIF
from pixel.snippet import render_snippet
from service.metrics import COLLECTOR_ERRORS, HITS
from service.runtime import Runtime, RuntimeDep
from service.tracking import service
from service.tracking.schemas import ClientInfo, VisitIn

router = APIRouter(tags=["collector"])
log = logging.getLogger("candor.collector")

MAX_BEACON_BYTES = 16 * 1024
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "86400",
}
NOT_FOUND_PAGE = (
    "<!doctype html><meta charset=utf-8><title>Link not found</title>"
    "<p>This link is not valid. Nothing was recorded.</p>"
)
NO_STORE = {"Cache-Control": "no-store, private", "Referrer-Policy": "no-referrer"}


def _client(request: Request) -> ClientInfo:
    host = request.client.host if request.client else None
    return ClientInfo.from_parts(request.method, host, request.headers)


def _gif() -> Response:
    return Response(content=TRANSPARENT_GIF, media_type="image/gif", headers=GIF_HEADERS)


@router.head("/o/{token}.gif", include_in_schema=False)
@router.get("/o/{token}.gif")
def record_open(token: str, request: Request, runtime: RuntimeDep) -> Response:
    """The open pixel: always the GIF; records an open only for a valid token."""
    HITS.labels("open").inc()
    try:
        service.record_open(runtime, token=token, client=_client(request))
    except Exception:  # the pixel must answer even when storage fails
        COLLECTOR_ERRORS.labels("open").inc()
        log.exception("open not recorded")
    return _gif()


@router.head("/c/{token}", include_in_schema=False)
@router.get("/c/{token}")
def follow_click(token: str, request: Request, runtime: RuntimeDep) -> Response:
    """A tracked link: 302 to the destination fixed at instrumentation, or a 404 page."""
    HITS.labels("click").inc()
    try:
        target = service.follow_click(runtime, token=token, client=_client(request))
    except Exception:
        COLLECTOR_ERRORS.labels("click").inc()
        log.exception("click not resolved")
        return HTMLResponse(
            "<!doctype html><title>Try again</title><p>Please try this link again in a moment.</p>",
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={**NO_STORE, "Retry-After": "5"},
        )
    if target is None:
        return HTMLResponse(NOT_FOUND_PAGE, status_code=status.HTTP_404_NOT_FOUND, headers=NO_STORE)
    return RedirectResponse(target, status_code=status.HTTP_302_FOUND, headers=NO_STORE)


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
    await _run_in_thread(runtime, visit, _client(request))
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers=CORS_HEADERS)


@router.get("/v.gif")
def record_visit_image(request: Request, runtime: RuntimeDep) -> Response:
    """The <noscript> page view: always the GIF; records a visit when the query is valid."""
    HITS.labels("visit_gif").inc()
    try:
        visit = VisitIn.model_validate(dict(request.query_params))
        service.record_visit(runtime, visit=visit, client=_client(request))
    except ValidationError:
        pass
    except Exception:
        COLLECTOR_ERRORS.labels("visit_gif").inc()
        log.exception("visit not recorded")
    return _gif()


@router.get("/t.js")
def serve_snippet(runtime: RuntimeDep) -> Response:
    """The site snippet that reports page views and keeps the click's visitor id."""
    return Response(
        render_snippet(runtime.settings.public_url),
        media_type="application/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*"},
    )


@router.get("/", include_in_schema=False)
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


async def _run_in_thread(runtime: Runtime, visit: VisitIn, client: ClientInfo) -> None:
    from starlette.concurrency import run_in_threadpool

    try:
        await run_in_threadpool(service.record_visit, runtime, visit=visit, client=client)
    except Exception:
        COLLECTOR_ERRORS.labels("visit").inc()
        log.exception("visit not recorded")
