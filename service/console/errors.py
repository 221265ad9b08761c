"""HTTP errors on console paths answered as pages a person can read, not JSON."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from service.auth import sessions
from service.console.deps import SESSION_COOKIE, SignInRequired, csrf_keys
from service.console.security import is_console_path, login_url
from service.console.templating import render
from service.errors import validation_error

__all__ = ["install_error_pages"]

TITLES = {
    400: "This request could not be read",
    403: "Not allowed",
    404: "Not found",
    405: "Not here",
    413: "Too large",
    422: "This request could not be read",
    429: "Too many attempts",
}
_API_PATHS = ("/console/api/",)


def _wants_page(request: Request) -> bool:
    path = request.url.path
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


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if not _wants_page(request):
        return await http_exception_handler(request, exc)
    await run_in_threadpool(_who, request)
    detail = exc.detail if isinstance(exc.detail, str) else None
    if exc.status_code == 404:
        detail = "There is nothing here, or it is not yours to see."
    return render(
        request,
        "error.html",
        {"title": TITLES.get(exc.status_code, "Something went wrong"), "detail": detail},
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


async def _invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if not _wants_page(request):
        return await validation_error(request, exc)
    await run_in_threadpool(_who, request)
    # A malformed id in a console address names nothing that exists.
    in_path = any(error.get("loc", ("",))[0] == "path" for error in exc.errors())
    status = 404 if in_path else 422
    fields = ", ".join(str(error["loc"][-1]) for error in exc.errors() if error.get("loc"))
    detail = (
        "There is nothing here, or it is not yours to see."
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


def install_error_pages(app: FastAPI) -> None:
    """Console paths get HTML error pages and sign-in redirects; the API keeps JSON."""
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(SignInRequired, _sign_in_required)
