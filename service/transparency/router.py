"""The person's transparency page (HTML and JSON), one-click opt-out and opt-in.

Opt-out and opt-in are public one-click forms, without a CSRF token: the signed token
in the URL is the only credential (whoever holds the email holds the page), and a
cross-site post can only do what the person could do with one click. The page's CSP
(``form-action 'self'``) keeps its own forms from posting anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from functools import lru_cache
from importlib.resources import files
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from jinja2 import Environment, Template, select_autoescape
from sqlmodel import Session

from service import i18n
from service.config import controller_of
from service.errors import ErrorMessage
from service.models import Prospect
from service.responses import headers_only, text
from service.runtime import Runtime, RuntimeDep
from service.transparency import service
from service.transparency.words import translate_word

router = APIRouter(tags=["transparency"])

_SOURCE = files("service").joinpath("templates/transparency.html").read_text("utf-8")
_LANG_QUERY = Query(
    max_length=35,
    description="The page's language (a shipped one, such as en or de); otherwise the "
    "person's own language, else the browser's Accept-Language, else English.",
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


@lru_cache
def _page(code: str) -> Template:
    """The page's template speaking one shipped language (one environment each, so that
    concurrent requests in different languages never share installed translations)."""
    environment = Environment(
        autoescape=select_autoescape(default=True, default_for_string=True),
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_gettext_translations(  # type: ignore[attr-defined]
        i18n.language_for(code).translations, newstyle=True
    )
    return environment.from_string(_SOURCE)


def page_language(
    prospect: Prospect, *, lang: str | None, accept_language: str | None
) -> i18n.Language:
    """The reader's choice on the page (``?lang=``), else the person's own language,
    else the browser's Accept-Language, else English."""
    for tag in (lang, prospect.language):
        if tag:
            try:
                return i18n.language_for(i18n.supported_tag(tag))
            except ValueError:
                continue
    return i18n.from_accept_language(accept_language) or i18n.language_for(None)


@router.get(
    "/p/{token}.json",
    responses={
        200: {
            "description": "What is recorded, what a rep sees, and who sends (`controller`).",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        404: {"description": "A bad or erased token.", "model": ErrorMessage},
    },
)
def read_transparency_json(token: str, runtime: RuntimeDep) -> Response:
    """What was recorded about this person, what a rep sees, and who sends, as JSON."""
    with Session(runtime.engine) as session:
        prospect = service.find_prospect(session, runtime, token)
        if prospect is None:
            return JSONResponse({"detail": "No such page."}, status_code=404, headers=HEADERS)
        page = service.read(session, prospect=prospect).as_dict()
    controller = asdict(controller_of(runtime.settings))
    return JSONResponse({**page, "controller": controller}, headers=HEADERS)


@router.get(
    "/p/{token}",
    response_class=HTMLResponse,
    responses={
        **text("text/html", "The page (HTML)."),
        **text("text/html", "A bad or erased token.", 404),
    },
)
@router.head("/p/{token}", include_in_schema=False)
def read_transparency(
    token: str,
    request: Request,
    runtime: RuntimeDep,
    lang: Annotated[str | None, _LANG_QUERY] = None,
) -> HTMLResponse:
    """The prospect's transparency page, in their language (HEAD: its headers alone)."""
    with Session(runtime.engine) as session:
        prospect = service.find_prospect(session, runtime, token)
        if prospect is None:
            return headers_only(request, HTMLResponse(NOT_FOUND, status_code=404, headers=HEADERS))
        page = service.read(session, prospect=prospect)
        language = page_language(
            prospect, lang=lang, accept_language=request.headers.get("accept-language")
        )
    controller = controller_of(runtime.settings)
    privacy = controller.privacy_url
    # The page's buttons bring the reader back in the language they chose on it.
    keep = f"?lang={language.code}" if lang else ""
    html = _page(language.code).render(
        page=page.as_dict(),
        opt_out_url=f"/p/{token}/opt-out{keep}",
        opt_in_url=f"/p/{token}/opt-in{keep}",
        export_url=f"/p/{token}.json",
        controller=controller,
        # Only ever an http(s) link (the setting is validated so; this says it again).
        privacy_link=privacy if privacy and privacy.startswith(("https://", "http://")) else None,
        language=language,
        switch=list(i18n.language_names().items()),
        word=lambda value: translate_word(value, language),
        when=lambda value: i18n.format_when(value, language),
    )
    headers = {**HEADERS, "Content-Language": language.tag, "Vary": "Accept-Language"}
    return headers_only(request, HTMLResponse(html, headers=headers))


@router.post(
    "/p/{token}/opt-out",
    status_code=status.HTTP_303_SEE_OTHER,
    response_class=RedirectResponse,
    responses={
        303: {"description": "Opted out; back to the page (`Location`)."},
        **text("text/html", "A bad or erased token.", 404),
    },
)
def opt_out(
    token: str, runtime: RuntimeDep, lang: Annotated[str | None, _LANG_QUERY] = None
) -> Response:
    """One-click opt-out of every record of this person; answers 303 back to the page
    (in the language it was read in)."""
    return _change_consent(token, runtime, lang, service.opt_out)


@router.post(
    "/p/{token}/opt-in",
    status_code=status.HTTP_303_SEE_OTHER,
    response_class=RedirectResponse,
    responses={
        303: {"description": "Tracking resumes; back to the page (`Location`)."},
        **text("text/html", "A bad or erased token.", 404),
    },
)
def opt_in(
    token: str, runtime: RuntimeDep, lang: Annotated[str | None, _LANG_QUERY] = None
) -> Response:
    """One-click opt back in: the person's suppression goes; answers 303 back to the page."""
    return _change_consent(token, runtime, lang, service.opt_in)


def _change_consent(
    token: str, runtime: Runtime, lang: str | None, change: Callable[..., object]
) -> Response:
    """Apply ``change`` to the person a page token names, drop every cached record of
    theirs in this process at once, and send the reader back to the page."""
    with Session(runtime.engine) as session:
        prospect = service.find_prospect(session, runtime, token)
        if prospect is None:
            return HTMLResponse(NOT_FOUND, status_code=404, headers=HEADERS)
        person_id = prospect.person_id
        change(session, prospect=prospect)
    runtime.targets.forget_person(person_id)
    return RedirectResponse(
        _back(token, lang), status_code=status.HTTP_303_SEE_OTHER, headers=HEADERS
    )


def _back(token: str, lang: str | None) -> str:
    """The page again, in the language the reader chose on it (if they did)."""
    return f"/p/{token}" + (f"?lang={i18n.language_for(lang).code}" if lang else "")
