"""The two baselines the collector is measured against, served by uvicorn like Candor.

- ``bare``: a bare ASGI callable answering the GIF (the ceiling for Python here).
- ``noop``: a FastAPI route returning the GIF and recording nothing.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Response

from pixel.gif import GIF_HEADERS, TRANSPARENT_GIF

_HEADERS = [
    (b"content-type", b"image/gif"),
    (b"content-length", str(len(TRANSPARENT_GIF)).encode()),
    *[(k.lower().encode(), v.encode()) for k, v in GIF_HEADERS.items()],
]


async def bare(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": TRANSPARENT_GIF})


noop = FastAPI()


@noop.get("/o/{token}.gif")
def noop_open(token: str) -> Response:
    return Response(TRANSPARENT_GIF, media_type="image/gif", headers=GIF_HEADERS)
