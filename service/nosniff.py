"""``X-Content-Type-Options: nosniff`` on every response of the application stack.

A browser that sniffs may run a JSON error echoing client text as HTML, or a page's
script as something else; every answer Candor gives states its type, so none needs
sniffing. It sits outside FastAPI's error handling, so a 500 carries it too. The pixel
and link paths answer in front of it (``service.tracking.protocol`` and ``fast``): their
prebuilt headers (``service.tracking.collector``) carry it themselves.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["NoSniff"]

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[MutableMapping[str, Any], Callable[[], Awaitable[Message]], Send], Awaitable[None]]

_HEADER = b"x-content-type-options"
_NOSNIFF = (_HEADER, b"nosniff")


class NoSniff:
    """ASGI middleware adding the header to each HTTP response that lacks it."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Message]],
        send: Send,
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_nosniff(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if all(name.lower() != _HEADER for name, _ in headers):
                    headers.append(_NOSNIFF)
                    message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_nosniff)
