"""What a pixel fetch or a tracked-link click is answered, decided in one place.

Two hosts answer ``GET/HEAD /o/{token}.gif`` and ``/c/{token}``: the HTTP protocol
``candor serve`` runs (``service.tracking.protocol``, no ASGI cycle at all) and the ASGI
middleware for every other host and the tests (``service.tracking.fast``). Both call
this: the token check, the target from the cache, the operations to write, the
responses' headers and pages. Only how they wait (a callback, an ``await``) and how
they write the answer differs. Nothing here reads the database or blocks: a target
missing from the cache is reported as ``MISSING`` for the host to load.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from pixel.gif import GIF_HEADERS, TRANSPARENT_GIF
from pixel.tokens import BadToken, Purpose
from service.metrics import REJECTED_TOKENS
from service.models import utcnow
from service.proxies import TrustedProxies
from service.runtime import Runtime
from service.tracking import service
from service.tracking.schemas import CLIENT_HEADERS, ClientInfo
from service.tracking.spool import Op
from service.tracking.targets import LinkTarget, MessageTarget

__all__ = [
    "GIF_RESPONSE_HEADERS",
    "NOT_FOUND_HEADERS",
    "NOT_FOUND_PAGE",
    "REDIRECT_HEADERS",
    "RETRY_HEADERS",
    "RETRY_PAGE",
    "Collector",
    "client_info",
    "location_header",
]

Headers = list[tuple[bytes, bytes]]

# These answers are sent in front of the application's NoSniff middleware (by the HTTP
# protocol and the lean ASGI path), so they carry its header themselves, prebuilt.
_NOSNIFF = (b"x-content-type-options", b"nosniff")
GIF_RESPONSE_HEADERS: Headers = [
    (b"content-type", b"image/gif"),
    (b"content-length", str(len(TRANSPARENT_GIF)).encode()),
    *[(name.lower().encode(), value.encode()) for name, value in GIF_HEADERS.items()],
    _NOSNIFF,
]
_NO_STORE: Headers = [
    (b"cache-control", b"no-store, private"),
    (b"referrer-policy", b"no-referrer"),
    _NOSNIFF,
]
_HTML: Headers = [(b"content-type", b"text/html; charset=utf-8")]
NOT_FOUND_PAGE = (
    b"<!doctype html><meta charset=utf-8><title>Link not found</title>"
    b"<p>This link is not valid. Nothing was recorded.</p>"
)
RETRY_PAGE = b"<!doctype html><meta charset=utf-8><title>Try again</title><p>Please try this link again in a moment.</p>"


def _length(body: bytes) -> tuple[bytes, bytes]:
    return (b"content-length", str(len(body)).encode())


NOT_FOUND_HEADERS: Headers = [*_HTML, _length(NOT_FOUND_PAGE), *_NO_STORE]
RETRY_HEADERS: Headers = [*_HTML, _length(RETRY_PAGE), (b"retry-after", b"5"), *_NO_STORE]
# A redirect's headers after its Location.
REDIRECT_HEADERS: Headers = [(b"content-length", b"0"), *_NO_STORE]

# Only what classification and consent read is decoded.
_CLIENT_HEADERS = frozenset(name.encode("latin-1") for name in CLIENT_HEADERS)

# Everything legal in a URL stays; anything else (non-ASCII in a path) is percent-encoded.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
_NEEDS_QUOTING = re.compile(r"[^A-Za-z0-9:/?#\[\]@!$&'()*+,;=%~._-]")


def location_header(url: str) -> bytes:
    """The Location header: nearly every destination is plain ASCII already."""
    if _NEEDS_QUOTING.search(url):
        url = quote(url, safe=_URL_SAFE)
    return url.encode("ascii")


def client_info(
    method: str, client: tuple[str, int] | None, headers: Iterable[tuple[bytes, bytes]]
) -> ClientInfo:
    """The requester as classification sees it, from the raw (lower-cased) headers."""
    kept = {
        name.decode("latin-1"): value.decode("latin-1")
        for raw, value in headers
        if (name := raw.lower()) in _CLIENT_HEADERS
    }
    return ClientInfo.from_parts(method, client[0] if client else None, kept)


class Collector:
    """The decisions of the two collector routes, over the process's runtime."""

    def __init__(self, runtime: Runtime, proxies: TrustedProxies) -> None:
        self.runtime = runtime
        self.proxies = proxies

    def verify(self, purpose: Purpose, token: str) -> str | None:
        """The reference a token signs, or None (counted as rejected)."""
        try:
            return self.runtime.signer.verify(purpose, token)
        except BadToken:
            REJECTED_TOKENS.labels(purpose.name.lower()).inc()
            return None

    def open_target(self, token: str) -> tuple[str | None, Any]:
        """(reference, cached message target): reference None for a bad token; the
        target is ``MISSING`` when the cache does not know it, None when nothing does."""
        ref = self.verify(Purpose.OPEN, token)
        if ref is None:
            return None, None
        return ref, self.runtime.targets.messages.get(ref)

    def open_ops(self, ref: str, target: MessageTarget | None, client: ClientInfo) -> list[Op]:
        """The operations recording a pixel fetch of a known (or unknown: None) message."""
        if target is None:
            REJECTED_TOKENS.labels("open").inc()
            return []
        return service.open_ops(self.runtime, ref=ref, target=target, client=client, now=utcnow())

    def unresolved_open_ops(self, ref: str, client: ClientInfo) -> list[Op]:
        """A pixel fetch whose message cannot be read now: kept by reference."""
        return service.unresolved_open_op(self.runtime, ref=ref, client=client, now=utcnow())

    def link_target(self, token: str) -> tuple[str | None, Any]:
        """(reference, cached link target), as :meth:`open_target` for a click token."""
        ref = self.verify(Purpose.CLICK, token)
        if ref is None:
            return None, None
        return ref, self.runtime.targets.links.get(ref)

    def click_plan(
        self, ref: str, target: LinkTarget | None, client: ClientInfo
    ) -> tuple[str | None, list[Op]]:
        """Where to redirect (None: answer 404) and the operations recording the click."""
        if target is None:
            REJECTED_TOKENS.labels("click").inc()
            return None, []
        return service.click_plan(self.runtime, ref=ref, target=target, client=client, now=utcnow())

    def click_answer(self, ref: str, client: ClientInfo, ops: list[Op], location: str) -> str:
        """The redirect once the click is written (another replica's, for a shared replay)."""
        if not self.runtime.shared:
            return location
        return service.click_answer(
            self.runtime, ref=ref, client=client, ops=ops, location=location
        )
