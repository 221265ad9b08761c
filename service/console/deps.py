"""Who is asking, from the session cookie, and what their role lets them open.

Not signed in, or a session that was revoked or has been idle too long: a 303 to
``/login?next=<this page>``. A role outside a page's audience: a 403 page. A prospect
out of reach stays the service's 404, as in the API.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from service.auth import sessions
from service.auth.throttle import ClientDigests
from service.console.forms import read_form
from service.console.query_names import known_query
from service.console.security import CsrfKeys
from service.db import SessionDep
from service.models import User

__all__ = [
    "SESSION_COOKIE",
    "AdminForm",
    "AdminUser",
    "AnyForm",
    "ComplianceForm",
    "ComplianceUser",
    "ConsoleUser",
    "ReaderForm",
    "ReaderUser",
    "SignInRequired",
    "audience",
    "check_csrf",
    "console_user",
    "csrf_keys",
    "form_audience",
    "sign_in_client",
]

SESSION_COOKIE = "candor_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
CSRF_REFUSED = (
    "This form did not come from your Candor session (or the session changed): "
    "nothing was changed. Reload the page and try again."
)


class SignInRequired(Exception):
    """Raised when a page needs a signed-in person; answered with a 303 to /login."""

    def __init__(self, *, clear_cookie: bool) -> None:
        super().__init__("sign-in required")
        self.clear_cookie = clear_cookie


def csrf_keys(request: Request) -> CsrfKeys:
    """The app's CSRF token issuer."""
    keys: CsrfKeys = request.app.state.console_csrf
    return keys


def sign_in_client(request: Request) -> str:
    """The keyed digest of the client's address (as resolved behind trusted proxies),
    which the sign-in throttle counts failures against."""
    digests: ClientDigests = request.app.state.sign_in_clients
    return digests.of(request.client.host if request.client else None)


def console_user(request: Request, session: SessionDep) -> User:
    """The signed-in person; their CSRF token is kept on ``request.state`` for templates."""
    token = request.cookies.get(SESSION_COOKIE)
    user = sessions.user_for_session(session, token=token) if token else None
    if user is None or token is None:
        raise SignInRequired(clear_cookie=token is not None)
    request.state.console_user = user
    request.state.session_token = token
    request.state.csrf_token = csrf_keys(request).for_session(token)
    # Only once signed in: a stranger keeps the whole address through sign-in, and then
    # learns which parameter the page does not read.
    known_query(request)
    return user


ConsoleUser = Annotated[User, Depends(console_user)]


def audience(*roles: str) -> Callable[[User], User]:
    """A dependency: the signed-in person, if their role is one of ``roles`` (else 403)."""

    def check(user: ConsoleUser) -> User:
        if user.role not in roles:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail="This page is not for your role. Your home page lists the pages you can use.",
            )
        return user

    return check


async def check_csrf(request: Request) -> None:
    """403 unless the request carries this session's CSRF token (form field or header)."""
    expected = getattr(request.state, "csrf_token", "")
    given: object = request.headers.get(CSRF_HEADER)
    if given is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            given = (await read_form(request)).get(CSRF_FIELD)
    if not expected or not CsrfKeys.same(expected, given):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=CSRF_REFUSED)


def form_audience(*roles: str) -> Callable[..., Awaitable[User]]:
    """For state-changing routes: ``audience(*roles)`` plus a valid CSRF token (else 403).

    With no roles, any signed-in person.
    """
    allowed = audience(*roles) if roles else None

    async def check(request: Request, user: ConsoleUser) -> User:
        if allowed is not None:
            allowed(user)
        await check_csrf(request)
        return user

    return check


# The audiences of the console's pages; ``...Form`` adds the CSRF check for POSTs.
AnyForm = Annotated[User, Depends(form_audience())]
ReaderUser = Annotated[User, Depends(audience("rep", "manager"))]
ReaderForm = Annotated[User, Depends(form_audience("rep", "manager"))]
ComplianceUser = Annotated[User, Depends(audience("compliance", "admin"))]
ComplianceForm = Annotated[User, Depends(form_audience("compliance", "admin"))]
AdminUser = Annotated[User, Depends(audience("admin"))]
AdminForm = Annotated[User, Depends(form_audience("admin"))]
