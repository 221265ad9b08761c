"""The person's transparency page (HTML and JSON), one-click opt-out and opt-in.

Opt-out is a public one-click form, without a CSRF token: the signed token in the URL is
the only credential (whoever holds the email holds the page), and a forged post can only
stop tracking. Opting back in is not the same: the rep who sent the email holds the link
too, and must not undo the person's choice. So opting out leaves a signed cookie in the
browser that did it (``candor_resume``: strict same-site, HTTP only, scoped to ``/p/``),
and only that browser is offered, and allowed, to resume. The page's CSP
(``form-action 'self'``) keeps its own forms from posting anywhere else.
"""

from __future__ import annotations

from dataclasses import asdict
from functools import lru_cache
from importlib.resources import files
from typing import Annotated

from fastapi import APIRouter, Cookie, Query, Request, Response, status
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
# A genuine link whose record is gone: the person asked for an erasure, and checks.
ERASED = (
    "<!doctype html><meta charset=utf-8><title>Nothing held</title><p>Nothing is held about "
    "you through this link any more: the record it belonged to was erased. Your address "
    "stays on our do-not-track list, so nothing is recorded if someone adds you again.</p>"
)
NOT_THIS_BROWSER = (
    "<!doctype html><meta charset=utf-8><title>Not resumed</title><p>Tracking resumes only "
    "from the browser that opted out, so that no one else who holds the email can undo the "
    "person's choice. Nothing was changed. From another browser, write to the sender or to "
    "the contact named on the page.</p>"
)
RESUME_COOKIE = "candor_resume"
RESUME_MAX_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie


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
    done: Annotated[str | None, Query(max_length=20, include_in_schema=False)] = None,
    resume: Annotated[str | None, Cookie(alias=RESUME_COOKIE, include_in_schema=False)] = None,
) -> HTMLResponse:
    """The prospect's transparency page, in their language (HEAD: its headers alone)."""
    with Session(runtime.engine) as session:
        prospect = service.find_prospect(session, runtime, token)
        if prospect is None:
            return headers_only(request, _missing(runtime, token))
        page = service.read(session, prospect=prospect)
        can_resume = service.may_resume(session, runtime, prospect=prospect, cookie=resume)
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
        can_resume=can_resume,
        resumed=done == "resumed",
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
    token: str,
    request: Request,
    runtime: RuntimeDep,
    lang: Annotated[str | None, _LANG_QUERY] = None,
) -> Response:
    """One-click opt-out of every record of this person; answers 303 back to the page
    (in the language it was read in), leaving the cookie that lets this browser resume."""
    with Session(runtime.engine) as session:
        prospect = service.find_prospect(session, runtime, token)
        if prospect is None:
            return _missing(runtime, token)
        person_id = prospect.person_id
        service.opt_out(session, prospect=prospect)
        proof = service.resume_proof(runtime, prospect=prospect)
    response = _consent_changed(runtime, person_id, _back(token, lang))
    response.set_cookie(
        RESUME_COOKIE,
        proof,
        max_age=RESUME_MAX_AGE,
        path="/p/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post(
    "/p/{token}/opt-in",
    status_code=status.HTTP_303_SEE_OTHER,
    response_class=RedirectResponse,
    responses={
        303: {"description": "Tracking resumes; back to the page (`Location`)."},
        **text("text/html", "Not the browser that opted out: nothing changes.", 403),
        **text("text/html", "A bad or erased token.", 404),
    },
)
def opt_in(
    token: str,
    runtime: RuntimeDep,
    lang: Annotated[str | None, _LANG_QUERY] = None,
    resume: Annotated[str | None, Cookie(alias=RESUME_COOKIE, include_in_schema=False)] = None,
) -> Response:
    """Opt back in, from the browser that opted out (its cookie): the person's
    suppression goes; answers 303 back to the page, which confirms it."""
    with Session(runtime.engine) as session:
        prospect = service.find_prospect(session, runtime, token)
        if prospect is None:
            return _missing(runtime, token)
        if not service.may_resume(session, runtime, prospect=prospect, cookie=resume):
            return HTMLResponse(NOT_THIS_BROWSER, status_code=403, headers=HEADERS)
        person_id = prospect.person_id
        service.opt_in(session, prospect=prospect)
    response = _consent_changed(runtime, person_id, _back(token, lang, done="resumed"))
    response.delete_cookie(RESUME_COOKIE, path="/p/")
    return response


def _consent_changed(runtime: Runtime, person_id: int, location: str) -> RedirectResponse:
    """Drop every cached record of the person in this process at once, and send the
    reader back to the page."""
    runtime.targets.forget_person(person_id)
    return RedirectResponse(location, status_code=status.HTTP_303_SEE_OTHER, headers=HEADERS)


def _missing(runtime: Runtime, token: str) -> HTMLResponse:
    """404 for a link that names no record: a bad token, or one whose record was erased."""
    body = ERASED if service.is_genuine(runtime, token) else NOT_FOUND
    return HTMLResponse(body, status_code=404, headers=HEADERS)


def _back(token: str, lang: str | None, *, done: str | None = None) -> str:
    """The page again, in the language the reader chose on it (if they did), saying what
    was just done (``done``)."""
    query = [f"lang={i18n.language_for(lang).code}"] if lang else []
    query += [f"done={done}"] if done else []
    return f"/p/{token}" + ("?" + "&".join(query) if query else "")
