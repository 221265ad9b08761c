"""Refuse, once for every route, text that no handler, database or response can carry.

A NUL character cannot be stored in PostgreSQL text; a lone surrogate (``"\\ud800"``)
cannot be encoded as UTF-8; JSON's ``NaN``, ``Infinity`` and numbers beyond a float
(``1e309``) cannot be sent back as JSON; an integer of more than 4,300 digits is one
Python refuses to read at all (``ValueError: Exceeds the limit``, CVE-2020-10735). Each would surface as a 500 somewhere deep in
a handler, or, on the collector's write path, as a row the database refuses. This
middleware answers such a request with a 422 naming the place (``path``, ``query``, or
the field inside ``body``) and a sentence, before any route sees it. An app that answers
some paths with pages for people (the console) sets ``app.state.refusal_pages``: a
coroutine given the request's scope and the refusal's status, place and sentence, which
returns the page to send instead, or None for the JSON above.

A ``multipart/form-data`` body is only held to the size limit: its files are bytes, not
text (a CSV saved in Latin-1 is the import's to refuse, beside its field), and its
text fields are checked where forms are read (``service.console.forms``).

It sits behind the lean pixel and link path, which never reads a body or a query, and
leaves the page-view beacons alone: ``/v.gif`` answers its GIF whatever it is sent, and
``/v`` answers 422 by itself; their own validation (``VisitIn``: short strings, no
NUL) refuses the same text, in one parse of a body of at most 16 KiB.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

__all__ = ["InputGuard"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# Bodies are read whole to be checked: more than any email or policy needs is refused.
MAX_BODY_BYTES = 10 * 1024 * 1024
_EXEMPT = frozenset({"/v", "/v.gif"})
_SURROGATE = re.compile("[\ud800-\udfff]")
# No request of this API nests deeper; a body of ten thousand "[" is an attack on the
# parser's recursion, not a request.
MAX_DEPTH = 32
# Python's own limit on reading integers (sys.get_int_max_str_digits' default).
MAX_INT_DIGITS = 4300


RefusalPages = Callable[[Scope, int, list[str | int], str], Awaitable[App | None]]
"""``app.state.refusal_pages``: (scope, status, loc, message) -> a page, or None."""


class _Refused(ValueError):
    def __init__(self, loc: list[str | int], message: str, status: int = 422) -> None:
        super().__init__(message)
        self.loc, self.status = loc, status


def _check_text(value: str, loc: list[str | int]) -> None:
    if "\x00" in value:
        raise _Refused(loc, "must not contain NUL characters")
    if _SURROGATE.search(value):
        raise _Refused(loc, "must be valid Unicode text; it holds a lone surrogate")


def _check_value(value: Any, loc: list[str | int]) -> None:
    if isinstance(value, str):
        _check_text(value, loc)
        return
    if len(loc) > MAX_DEPTH:
        raise _Refused(loc, f"is nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, loc)
            _check_value(item, [*loc, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_value(item, [*loc, index])


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _Refused(["body"], f"numbers must be finite; {text[:20]} is not")
    return number


def _whole(text: str) -> int:
    """An integer no longer than Python reads; no id, count or version comes near it."""
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _Refused(["body"], f"integers have at most {MAX_INT_DIGITS} digits")
    return int(text)


def _not_a_number(text: str) -> float:
    raise _Refused(["body"], f"numbers must be finite; {text} is not JSON")


def _check_body(body: bytes) -> None:
    """Raise _Refused for undecodable text, non-finite numbers, integers too long to read,
    NUL, lone surrogates or nesting deeper than any request needs.

    A body that is not JSON at all is left to the route, which says so itself.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(["body"], "must be UTF-8 text") from None
    try:
        data = json.loads(text, parse_float=_finite, parse_int=_whole, parse_constant=_not_a_number)
    except json.JSONDecodeError:
        return
    except RecursionError:
        raise _Refused(["body"], f"is nested more than {MAX_DEPTH} levels deep") from None
    _check_value(data, ["body"])


def _check_url(scope: Scope) -> None:
    if "\x00" in scope["path"]:
        raise _Refused(["path"], "must not contain NUL characters")
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True):
        _check_text(name, ["query"])
        _check_text(value, ["query", name])


async def _refuse(scope: Scope, receive: Receive, send: Send, refused: _Refused) -> None:
    state = getattr(scope.get("app"), "state", None)
    pages: RefusalPages | None = getattr(state, "refusal_pages", None)
    if pages is not None:
        page = await pages(scope, refused.status, refused.loc, str(refused))
        if page is not None:
            await page(scope, receive, send)
            return
    body = json.dumps(
        {"detail": [{"type": "value_error", "loc": refused.loc, "msg": str(refused)}]}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": refused.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class InputGuard:
    """ASGI middleware: a 422 for text no route should ever be handed."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in _EXEMPT:
            await self.app(scope, receive, send)
            return
        try:
            _check_url(scope)
        except _Refused as refused:
            await _refuse(scope, receive, send, refused)
            return
        if scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        try:
            body = await _read_body(receive)
            if body is None:  # the client went away
                return
            if not _is_multipart(scope):
                _check_body(body)
        except _Refused as refused:
            await _refuse(scope, receive, send, refused)
            return
        await self.app(scope, _replay(body, receive), send)


def _is_multipart(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return bool(value.split(b";", 1)[0].strip().lower() == b"multipart/form-data")
    return False


async def _read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _Refused(["body"], "is larger than 10 MiB", status=413)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The request body once more, then whatever the client sends next (a disconnect)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed
