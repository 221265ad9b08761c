"""Every answer on a console path is a page a person can read, never JSON.

The rule is kept in one place, ``install_error_pages``: every exception handler the app
has (HTTP errors, invalid requests, database outages, the 500 of an unexpected error)
is wrapped so that a console path (``wants_page``) gets an HTML page with the same
status, and the input guard's refusals (a NUL in a query, a body that is not UTF-8, a
request over 10 MB; ``service.input_guard``) are pages there too. Only the console's
JSON endpoints (``/console/api/``) keep JSON, as the API does.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError, WebSocketRequestValidationError
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from service.auth import sessions
from service.console.deps import SESSION_COOKIE, SignInRequired, csrf_keys
from service.console.security import PAGE_HEADERS, is_console_path, login_url
from service.console.templating import render
from service.input_guard import MAX_BODY_BYTES

__all__ = ["install_error_pages", "wants_page"]

Handler = Callable[[Request, Exception], Awaitable[Response]]

TITLES = {
    400: "This request could not be read",
    403: "Not allowed",
    404: "Not found",
    405: "Not here",
    409: "This was not done",
    413: "Too large",
    422: "This request could not be read",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "Not available right now",
}
NOTHING_HERE = "There is nothing here, or it is not yours to see."
_API_PATHS = ("/console/api/",)


def wants_page(path: str) -> bool:
    """Whether an answer on ``path`` is a page: every console path but its JSON endpoints."""
    return is_console_path(path) and not path.startswith(_API_PATHS)


def _who(request: Request) -> None:
    """Put the signed-in person (if any) on an error page raised before a dependency did.

    An unknown address still shows the header, the navigation and **Sign out**.
    """
    if getattr(request.state, "console_user", None) is not None:
        return
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return
    with Session(request.app.state.runtime.engine) as session:
        user = sessions.user_for_session(session, token=token)
        if user is not None:
            session.expunge(user)
    if user is not None:
        request.state.console_user = user
        request.state.session_token = token
        request.state.csrf_token = csrf_keys(request).for_session(token)


async def _http_error(request: Request, exc: Exception, _api: Handler) -> Response:
    assert isinstance(exc, HTTPException)
    await run_in_threadpool(_who, request)
    detail = exc.detail if isinstance(exc.detail, str) else _sentences(exc.detail)
    if exc.status_code == 404:
        detail = NOTHING_HERE
    return render(
        request,
        "error.html",
        {"title": TITLES.get(exc.status_code, "Something went wrong"), "detail": detail},
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


def _sentences(detail: Any) -> str | None:
    """A 422's list of errors (``service.errors.invalid``) as its sentences, else None."""
    if not isinstance(detail, list):
        return None
    said = [str(item["msg"]) for item in detail if isinstance(item, dict) and item.get("msg")]
    return " ".join(said) or None


async def _invalid_request(request: Request, exc: Exception, _api: Handler) -> Response:
    assert isinstance(exc, RequestValidationError)
    await run_in_threadpool(_who, request)
    # A malformed id in a console address names nothing that exists.
    in_path = any(error.get("loc", ("",))[0] == "path" for error in exc.errors())
    status = 404 if in_path else 422
    fields = ", ".join(str(error["loc"][-1]) for error in exc.errors() if error.get("loc"))
    detail = (
        NOTHING_HERE
        if in_path
        else f"The form was missing or had an unreadable value in: {fields}."
    )
    return render(
        request, "error.html", {"title": TITLES[status], "detail": detail}, status_code=status
    )


async def _sign_in_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequired)
    if request.url.path.startswith(_API_PATHS):
        response: Response = Response(
            '{"detail":"Your session has ended; sign in again."}',
            status_code=401,
            media_type="application/json",
        )
    else:
        target = request.url.path if request.method == "GET" else "/console"
        query = request.url.query if request.method == "GET" else ""
        response = RedirectResponse(login_url(target, query), status_code=303)
    if exc.clear_cookie:
        response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def _failure(request: Request, exc: Exception, api: Handler) -> Response:
    """The API's answer to anything else (a 500, a database outage) as a page.

    The API's handler still runs (it logs); the page carries its status, its headers
    (``Retry-After``) and its sentence, and reads nothing from the database, which may be
    why it is shown.
    """
    answer = await api(request, exc)
    try:
        detail = json.loads(bytes(answer.body)).get("detail")
    except (ValueError, AttributeError):
        detail = None
    # An unexpected error's answer leaves from outside the console's header middleware.
    headers = dict(PAGE_HEADERS) | {"Cache-Control": "no-store"}
    headers |= {k: v for k, v in answer.headers.items() if k.lower() == "retry-after"}
    return render(
        request,
        "error.html",
        {
            "title": TITLES.get(answer.status_code, "Something went wrong"),
            "detail": detail if isinstance(detail, str) else None,
        },
        status_code=answer.status_code,
        headers=headers,
    )


def _page_or(
    api: Handler, page: Callable[[Request, Exception, Handler], Awaitable[Response]]
) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        if request.scope.get("type") != "http" or not wants_page(request.url.path):
            return await api(request, exc)
        return await page(request, exc, api)

    return handle


def _refusal_sentence(status: int, loc: list[str | int], message: str) -> tuple[int, str]:
    """The input guard's refusal on a console path: its status and the page's sentence."""
    place = loc[0] if loc else "body"
    if place == "path":
        return 404, NOTHING_HERE
    if place == "query":
        named = f"The query parameter “{str(loc[1])[:40]}”" if len(loc) > 1 else "The address"
        return 400, (
            f"{named} holds characters that are not text (a NUL or a broken character), "
            "so nothing was shown."
        )
    if status == 413:
        megabytes = MAX_BODY_BYTES // (1024 * 1024)
        return 413, (
            f"The form is larger than {megabytes} MB, so it was not read and nothing was "
            "saved. Go back to shorten it."
        )
    if "UTF-8" in message:
        return status, (
            "The form was not sent as UTF-8 text, so it could not be read and nothing was saved."
        )
    return status, "The request's body could not be read, so nothing was saved."


async def _refusal_page(
    scope: Any, status: int, loc: list[str | int], message: str
) -> Response | None:
    """``app.state.refusal_pages`` (``service.input_guard``): a page on console paths."""
    if not wants_page(scope["path"]):
        return None
    request = Request(scope)
    shown, detail = _refusal_sentence(status, loc, message)
    await run_in_threadpool(_who, request)
    return render(
        request, "error.html", {"title": TITLES[shown], "detail": detail}, status_code=shown
    )


def install_error_pages(app: FastAPI) -> None:
    """Console paths get HTML pages for every error and sign-in redirects; the API keeps
    JSON. Call it after every other exception handler is installed."""
    pages = {HTTPException: _http_error, RequestValidationError: _invalid_request}
    for kind, api in list(app.exception_handlers.items()):
        if kind is WebSocketRequestValidationError:
            continue
        app.exception_handlers[kind] = _page_or(api, pages.get(kind, _failure))  # type: ignore[arg-type]
    app.add_exception_handler(SignInRequired, _sign_in_required)
    app.state.refusal_pages = _refusal_page
