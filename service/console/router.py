"""Sign-in, sign-out, invitations and the console's home: the pages every role shares."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, status
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from service.auth import invitations, sessions
from service.console.deps import (
    SESSION_COOKIE,
    AnyForm,
    ConsoleUser,
    csrf_keys,
    sign_in_client,
)
from service.console.security import CsrfKeys, safe_next
from service.console.templating import NAV, render, see_other
from service.db import SessionDep

__all__ = ["LOGIN_COOKIE", "router", "static_files"]

router = APIRouter(include_in_schema=False)
static_files = StaticFiles(packages=[("service.console", "static")])

LOGIN_COOKIE = "candor_login"
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # service.auth.schemas.Password
MAX_NAME = 200  # service.auth.schemas.Name
MAX_NEXT = 2000
WRONG = "That name and password do not match an account. Check both and try again."
FORM_REFUSED = (
    "This form has expired or did not come from this page: nothing was changed. "
    "It has been reloaded; try again."
)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _start_session(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/")


def _pre_session_form(
    request: Request,
    template: str,
    context: dict[str, object],
    *,
    status_code: int = 200,
) -> Response:
    """A page whose form is posted before anyone is signed in (login, invitation).

    Its CSRF token is bound to a random value in a cookie of its own (signed double
    submit); the value is kept while it exists so that two open tabs both work.
    """
    keys = csrf_keys(request)
    nonce = request.cookies.get(LOGIN_COOKIE) or CsrfKeys.new_nonce()
    request.state.csrf_token = keys.for_login(nonce)
    response = render(request, template, context, status_code=status_code)
    response.set_cookie(
        LOGIN_COOKIE, nonce, httponly=True, samesite="lax", secure=_secure(request), path="/"
    )
    return response


def _pre_session_token_ok(request: Request, given: str) -> bool:
    nonce = request.cookies.get(LOGIN_COOKIE)
    return bool(nonce) and CsrfKeys.same(csrf_keys(request).for_login(nonce or ""), given)


def _signed_in(request: Request, session: SessionDep) -> bool:
    token = request.cookies.get(SESSION_COOKIE)
    return token is not None and sessions.user_for_session(session, token=token) is not None


@router.get("/")
def read_root(request: Request, session: SessionDep) -> RedirectResponse:
    """The console for a signed-in person, the sign-in page for anyone else."""
    return RedirectResponse("/console" if _signed_in(request, session) else "/login", 303)


@router.get("/login")
def read_login(
    request: Request,
    session: SessionDep,
    next: Annotated[str | None, Query(max_length=2000)] = None,
    name: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """The sign-in form (a signed-in person goes straight on); ``?name=`` fills the name."""
    target = safe_next(next)
    if _signed_in(request, session):
        return RedirectResponse(target, status_code=303)
    return _pre_session_form(request, "login.html", {"next": target, "error": None, "name": name})


@router.post("/login")
def sign_in(
    request: Request,
    session: SessionDep,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/console",
) -> Response:
    """Check the name and password; start a session and go on to the page wanted.

    A name or password longer than any account's is refused as a wrong one (the page
    comes back with the name), never as an unreadable form.
    """
    target = safe_next(next if len(next) <= MAX_NEXT else None)
    context: dict[str, object] = {"next": target, "name": name, "error": None}
    if not _pre_session_token_ok(request, csrf_token):
        context["error"] = FORM_REFUSED
        return _pre_session_form(request, "login.html", context, status_code=403)
    if len(name) > MAX_NAME or len(password) > MAX_PASSWORD:
        context["error"] = WRONG
        return _pre_session_form(request, "login.html", context, status_code=401)
    try:
        _, token = sessions.sign_in(
            session, name=name.strip(), password=password, client=sign_in_client(request)
        )
    except sessions.SignInLocked as locked:
        minutes = max(1, (int(locked.retry_after) + 59) // 60)
        context["error"] = (
            "Too many failed attempts for this name: sign-in is paused for it. "
            f"Try again in {minutes} minute{'s' if minutes != 1 else ''}."
        )
        response = _pre_session_form(request, "login.html", context, status_code=429)
        response.headers["Retry-After"] = str(int(locked.retry_after))
        return response
    except sessions.SignInRefused:
        context["error"] = WRONG
        return _pre_session_form(request, "login.html", context, status_code=401)
    response = see_other(request, target)
    _start_session(request, response, token)
    return response


@router.post("/logout")
def sign_out(request: Request, session: SessionDep, user: AnyForm) -> Response:
    """End this session (the cookie is useless from now on) and go back to sign-in."""
    sessions.end_session(session, token=request.state.session_token)
    response = see_other(request, "/login", flash="You are signed out.")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/console")
def read_home(request: Request, user: ConsoleUser) -> Response:
    """A home that leads to the pages of this person's role."""
    return render(request, "home.html", {"pages": NAV.get(user.role, [])[1:]})


# What to do next about a link that no longer works, ending every such page.
_NEW_LINK = (
    "ask your administrator for a new link: on the Users page they choose your name and "
    "send you one."
)


def _link_refused(request: Request, session: SessionDep, token: str) -> Response:
    """The page for a link that no longer works: used, expired or replaced, and what to do
    next (410); an unknown link is a 404 page that says to check it was copied whole."""
    why, invitation = invitations.why_not_valid(session, token=token)
    if why == "unknown" or invitation is None:
        title = "This link is not valid"
        detail = (
            "Candor knows no invitation or password-reset link like this one. Check that "
            f"the whole link was copied from the message; if it was, {_NEW_LINK}"
        )
        return render(request, "error.html", {"title": title, "detail": detail}, status_code=404)
    what = "password-reset link" if invitation.purpose == "reset" else "invitation"
    if why == "used":
        title = f"This {what} has already been used"
        detail = (
            "Each link works once, and this one was used to set a password. If that was "
            "you, sign in with your name and that password. If it was not you, or you "
            f"have forgotten the password, {_NEW_LINK}"
        )
    elif why == "expired":
        title = f"This {what} has expired"
        detail = (
            "Links last 72 hours, and this one ran out on "
            f"{invitation.expires_at:%d %B %Y at %H:%M} UTC. To set your password, {_NEW_LINK}"
        )
    elif why == "replaced":
        title = f"This {what} has been replaced by a newer one"
        detail = (
            "A newer link was sent after this one, and only the newest works: use that one. "
            f"If you cannot find it, {_NEW_LINK}"
        )
    else:
        title = f"This {what} no longer works"
        detail = "The account it was for is not active; ask your administrator if it should be."
    return render(
        request, "error.html", {"title": title, "detail": detail}, status_code=status.HTTP_410_GONE
    )


@router.get("/invite/{token}")
def read_invitation(request: Request, session: SessionDep, token: str) -> Response:
    """Where an invited person sets their own password."""
    invited = invitations.invitation_user(session, token=token)
    if invited is None:
        return _link_refused(request, session, token)
    return _pre_session_form(
        request, "invite.html", {"invited": invited, "token": token, "errors": {}}
    )


@router.post("/invite/{token}")
def accept_invitation(
    request: Request,
    session: SessionDep,
    token: str,
    password: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Set the password, use up the invitation and sign the person in."""
    invited = invitations.invitation_user(session, token=token)
    if invited is None:
        return _link_refused(request, session, token)
    context: dict[str, object] = {"invited": invited, "token": token, "errors": {}}
    if not _pre_session_token_ok(request, csrf_token):
        context["errors"] = {"form": FORM_REFUSED}
        return _pre_session_form(request, "invite.html", context, status_code=403)
    errors: dict[str, str] = {}
    if len(password) < MIN_PASSWORD:
        errors["password"] = f"Choose a password of at least {MIN_PASSWORD} characters."
    elif len(password) > MAX_PASSWORD:
        errors["password"] = (
            f"The password is at most {MAX_PASSWORD:,} characters; you typed {len(password):,}."
        )
    elif password != confirm:
        errors["confirm"] = "The two passwords are not the same; type it again."
    if errors:
        context["errors"] = errors
        return _pre_session_form(request, "invite.html", context, status_code=422)
    user = invitations.accept_invitation(session, token=token, password=password)
    try:
        _, session_token = sessions.sign_in(
            session, name=user.name, password=password, client=sign_in_client(request)
        )
    except sessions.SignInLocked as locked:  # failed sign-ins before the reset, say
        minutes = max(1, (int(locked.retry_after) + 59) // 60)
        return see_other(
            request,
            "/login",
            flash=(
                f"Your password is set, but sign-in is paused for {user.name} after too "
                f"many failed attempts. Try again in {minutes} minute"
                f"{'s' if minutes != 1 else ''}."
            ),
            kind="error",
        )
    response = see_other(request, "/console", flash=f"Welcome, {user.name}: your password is set.")
    _start_session(request, response, session_token)
    return response
