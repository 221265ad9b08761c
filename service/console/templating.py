"""Rendering console pages: one Jinja2 environment, autoescaped, and flash messages.

A flash message is carried from a POST to the page it redirects to in a short-lived,
signed cookie, and shown once. Everything a client ever sent reaches a template as
data and is escaped there: no template marks client text safe (the ``wbr`` filter
escapes it first, then adds only ``<wbr>``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from service.messages.service import DISCARD_MINUTES
from service.models import User

__all__ = ["NAV", "Flash", "break_after_at_and_dots", "environment", "render", "see_other"]

FLASH_COOKIE = "candor_flash"

# The pages of each role, in the order they appear in the header.
NAV: dict[str, list[tuple[str, str]]] = {
    "rep": [("/console", "Home"), ("/console/prospects", "Prospects")],
    "manager": [("/console", "Home"), ("/console/prospects", "Prospects")],
    "compliance": [
        ("/console", "Home"),
        ("/console/policies", "Policies"),
        ("/console/audit", "Audit log"),
        ("/console/requests", "Data-subject requests"),
    ],
    "admin": [
        ("/console", "Home"),
        ("/console/policies", "Policies"),
        ("/console/audit", "Audit log"),
        ("/console/requests", "Data-subject requests"),
        ("/console/users", "Users"),
    ],
}
# What each page is for, on the home page.
SUMMARIES = {
    "/console/prospects": (
        "The people you reach out to: what you may know about each, honest openers, "
        "and a check of what you are about to say."
    ),
    "/console/policies": "Disclosure policies: edit, preview for one prospect and across all, activate.",
    "/console/audit": "Who read which timeline, and every policy change.",
    "/console/requests": "Find a person by email; export or erase what Candor holds about them.",
    "/console/users": "Invite people, reset passwords, issue API keys, deactivate accounts.",
}
ROLE_NAMES = {
    "rep": "Sales rep",
    "manager": "Manager",
    "compliance": "Compliance",
    "admin": "Administrator",
}

environment = Environment(
    loader=PackageLoader("service.console", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    auto_reload=False,
    trim_blocks=True,
    lstrip_blocks=True,
)


def break_after_at_and_dots(text: object) -> Markup:
    """``text`` escaped, with a ``<wbr>`` after each @ and dot: where an address may wrap.

    The escaping comes first, and no entity it writes holds an @ or a dot, so only the
    client's own characters gain a break opportunity; nothing they sent becomes markup.
    """
    escaped = str(escape(text))
    return Markup(escaped.replace("@", "@<wbr>").replace(".", ".<wbr>"))


environment.filters["wbr"] = break_after_at_and_dots
environment.globals["summaries"] = SUMMARIES
environment.globals["role_name"] = lambda role: ROLE_NAMES.get(role, role)
environment.globals["discard_minutes"] = DISCARD_MINUTES


@dataclass(frozen=True)
class Flash:
    """A one-line message shown after a redirect; ``kind`` is ``ok`` or ``error``."""

    text: str
    kind: str = "ok"


def _flash_key(request: Request) -> bytes:
    key: bytes = request.app.state.console_csrf.flash_key
    return key


def _sign_flash(request: Request, flashes: list[Flash]) -> str:
    payload = base64.urlsafe_b64encode(
        json.dumps([[flash.text, flash.kind] for flash in flashes]).encode()
    ).decode()
    mac = hmac.new(_flash_key(request), payload.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{payload}.{mac}"


def _read_flash(request: Request) -> list[Flash]:
    value = request.cookies.get(FLASH_COOKIE)
    if not value or "." not in value:
        return []
    payload, mac = value.rsplit(".", 1)
    expected = hmac.new(_flash_key(request), payload.encode(), hashlib.sha256).hexdigest()[:32]
    if not hmac.compare_digest(expected, mac):
        return []
    try:
        items = json.loads(base64.urlsafe_b64decode(payload.encode()))
        return [Flash(str(text), "error" if kind == "error" else "ok") for text, kind in items]
    except (ValueError, TypeError):
        return []


def see_other(
    request: Request, url: str, *, flash: str | None = None, kind: str = "ok"
) -> RedirectResponse:
    """A 303 to ``url`` (POST -> 303 -> GET), carrying an optional flash message."""
    response = RedirectResponse(url, status_code=303)
    if flash:
        response.set_cookie(
            FLASH_COOKIE,
            _sign_flash(request, [Flash(flash, kind)]),
            max_age=60,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
    return response


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """The page ``template`` for this request's person (if signed in), with flashes.

    The signed-in user and their CSRF token come from ``request.state``, where the
    console's dependencies put them.
    """
    user: User | None = getattr(request.state, "console_user", None)
    csrf_token: str = getattr(request.state, "csrf_token", "")
    flashes = _read_flash(request)

    def csrf_field() -> Markup:
        return Markup('<input type="hidden" name="csrf_token" value="{}">').format(csrf_token)

    page = environment.get_template(template).render(
        {
            "request_path": request.url.path,
            "user": user,
            "nav": NAV.get(user.role, []) if user is not None else [],
            "csrf_token": csrf_token,
            "csrf_field": csrf_field,
            "flashes": flashes,
            **(context or {}),
        }
    )
    response = HTMLResponse(page, status_code=status_code, headers=headers)
    if request.cookies.get(FLASH_COOKIE):
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response
