"""The person's transparency page (HTML and JSON), one-click opt-out and opt-in.

Opt-out and opt-in are public one-click forms, without a CSRF token: the signed token
in the URL is the only credential (whoever holds the email holds the page), and a
cross-site post can only do what the person could do with one click. The page's CSP
(``form-action 'self'``) keeps its own forms from posting anywhere else.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from jinja2 import Environment, select_autoescape
from sqlmodel import Session

from service.errors import ErrorMessage
from service.responses import headers_only, text
from service.runtime import RuntimeDep
from service.transparency import service

router = APIRouter(tags=["transparency"])

_templates = Environment(autoescape=select_autoescape(default=True), auto_reload=False)
_PAGE = _templates.from_string(
    files("service").joinpath("templates/transparency.html").read_text("utf-8")
)
HEADERS = {
    "Cache-Control": "no-store, private",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
}
NOT_FOUND = (
    "<!doctype html><meta charset=utf-8><title>Not found</title><p>This page does not exist.</p>"
)


@router.get(
    "/p/{token}.json",
    responses={
        200: {
            "description": "What is recorded and what a rep sees.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        404: {"description": "A bad or erased token.", "model": ErrorMessage},
    },
)
def read_transparency_json(token: str, runtime: RuntimeDep) -> Response:
    """What was recorded about this person and what a rep sees, as JSON."""
    with Session(runtime.engine) as session:
        prospect = service.find_prospect(session, runtime, token)
        if prospect is None:
            return JSONResponse({"detail": "No such page."}, status_code=404, headers=HEADERS)
        return JSONResponse(service.read(session, prospect=prospect).as_dict(), headers=HEADERS)


@router.get(
    "/p/{token}",
    response_class=HTMLResponse,
    responses={
        **text("text/html", "The page (HTML)."),
        **text("text/html", "A bad or erased token.", 404),
    },
)
@router.head("/p/{token}", include_in_schema=False)
def read_transparency(token: str, request: Request, runtime: RuntimeDep) -> HTMLResponse:
    """The prospect's transparency page (HEAD: its headers alone)."""
    with Session(runtime.engine) as session:
        prospect = service.find_prospect(session, runtime, token)
        if prospect is None:
            return headers_only(request, HTMLResponse(NOT_FOUND, status_code=404, headers=HEADERS))
        page = service.read(session, prospect=prospect)
    html = _PAGE.render(
        page=page.as_dict(), opt_out_url=f"/p/{token}/opt-out", opt_in_url=f"/p/{token}/opt-in"
    )
    return headers_only(request, HTMLResponse(html, headers=HEADERS))


@router.post(
    "/p/{token}/opt-out",
    status_code=status.HTTP_303_SEE_OTHER,
    response_class=RedirectResponse,
    responses={
        303: {"description": "Opted out; back to the page (`Location`)."},
        **text("text/html", "A bad or erased token.", 404),
    },
)
def opt_out(token: str, runtime: RuntimeDep) -> Response:
    """One-click opt-out of every record of this person; answers 303 back to the page."""
    with Session(runtime.engine) as session:
        prospect = service.find_prospect(session, runtime, token)
        if prospect is None:
            return HTMLResponse(NOT_FOUND, status_code=404, headers=HEADERS)
        person_id = prospect.person_id
        service.opt_out(session, prospect=prospect)
    runtime.targets.forget_person(person_id)
    return RedirectResponse(f"/p/{token}", status_code=status.HTTP_303_SEE_OTHER, headers=HEADERS)


@router.post(
    "/p/{token}/opt-in",
    status_code=status.HTTP_303_SEE_OTHER,
    response_class=RedirectResponse,
    responses={
        303: {"description": "Tracking resumes; back to the page (`Location`)."},
        **text("text/html", "A bad or erased token.", 404),
    },
)
def opt_in(token: str, runtime: RuntimeDep) -> Response:
    """One-click opt back in: the person's suppression goes; answers 303 back to the page."""
    with Session(runtime.engine) as session:
        prospect = service.find_prospect(session, runtime, token)
        if prospect is None:
            return HTMLResponse(NOT_FOUND, status_code=404, headers=HEADERS)
        person_id = prospect.person_id
        service.opt_in(session, prospect=prospect)
    runtime.targets.forget_person(person_id)
    return RedirectResponse(f"/p/{token}", status_code=status.HTTP_303_SEE_OTHER, headers=HEADERS)
