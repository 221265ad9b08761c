"""Headers, CSRF tokens and safe redirects for the console.

CSRF tokens are HMACs under a key derived from Candor's signing key, with a salt per
purpose: a signed-in person's token is bound to their session token (which only their
browser holds, in an HttpOnly cookie); before sign-in (the login and invitation forms)
the token is bound to a random value kept in a cookie of its own (a signed double
submit), so a cross-site page can neither read nor forge either.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote

__all__ = [
    "CONSOLE_PREFIXES",
    "CSP",
    "PAGE_HEADERS",
    "ConsoleHeaders",
    "CsrfKeys",
    "is_console_path",
    "login_url",
    "safe_next",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
CONSOLE_PREFIXES = ("/console", "/login", "/logout", "/invite")


def is_console_path(path: str) -> bool:
    """Whether ``path`` is one of the console's pages (or its root redirect)."""
    return path == "/" or any(
        path == prefix or path.startswith(prefix + "/") for prefix in CONSOLE_PREFIXES
    )


class ConsoleHeaders:
    """ASGI middleware: every console response gets the security headers.

    A response that sets its own ``Content-Security-Policy`` (the sandboxed email
    preview) keeps it; pages that are not static files are never cached.
    """

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_console_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith("/console/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in PAGE_HEADERS.items():
                    if name.lower().encode() not in present:
                        headers.append((name.lower().encode(), value.encode()))
                if not static and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store, private"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CsrfKeys:
    """Issues and checks CSRF tokens (and signs flash messages) under one server key.

    The key is derived from Candor's signing key on first use, not at start-up: the
    server starts (and the collector answers) while its database is still down, and
    on PostgreSQL the signing key lives in the database.
    """

    def __init__(self, signing_key: Callable[[], str]) -> None:
        self._signing_key = signing_key
        self._derived: tuple[bytes, bytes] | None = None
        self._lock = threading.Lock()

    def _keys(self) -> tuple[bytes, bytes]:
        if self._derived is None:
            with self._lock:
                if self._derived is None:
                    raw = self._signing_key().encode("utf-8")
                    self._derived = (
                        hmac.new(raw, b"candor-console-csrf", hashlib.sha256).digest(),
                        hmac.new(raw, b"candor-console-flash", hashlib.sha256).digest(),
                    )
        return self._derived

    @property
    def _key(self) -> bytes:
        return self._keys()[0]

    @property
    def flash_key(self) -> bytes:
        """The key that signs flash messages between a POST and the page after it."""
        return self._keys()[1]

    def _mac(self, purpose: str, value: str) -> str:
        return hmac.new(self._key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()

    def for_session(self, session_token: str) -> str:
        """The token of every form of a signed-in person's session."""
        return self._mac("session", session_token)

    def for_login(self, nonce: str) -> str:
        """The token of the login and invitation forms, bound to the pre-session cookie."""
        return self._mac("login", nonce)

    @staticmethod
    def new_nonce() -> str:
        """A fresh random value for the pre-session cookie."""
        return secrets.token_urlsafe(24)

    @staticmethod
    def same(expected: str, given: object) -> bool:
        """Constant-time comparison that refuses anything but a non-empty string."""
        return isinstance(given, str) and bool(given) and hmac.compare_digest(expected, given)


def safe_next(target: str | None, default: str = "/console") -> str:
    """``target`` if it is a path on this site, else ``default`` (never an open redirect).

    Refuses absolute and scheme-relative URLs (``//evil``), backslashes (which browsers
    read as slashes), and control characters (header splitting).
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return default
    if target.startswith(("/login", "/logout")):
        return default
    return target


def login_url(path: str, query: str = "") -> str:
    """``/login?next=…`` for a page that needs a signed-in person."""
    wanted = path + (f"?{query}" if query else "")
    return "/login?next=" + quote(safe_next(wanted), safe="/")
