"""The two baselines the collector is measured against, served by uvicorn like Candor.

- ``bare``: a bare ASGI callable answering the GIF (the ceiling for Python here).
- ``noop_async``: an ``async def`` FastAPI route returning the GIF and recording
  nothing (it runs on the event loop, like Candor's collector routes): the baseline.
- ``noop``: the same as a plain ``def`` route (FastAPI runs it in the thread pool).
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


noop_async = FastAPI()


@noop_async.get("/o/{token}.gif")
async def noop_async_open(token: str) -> Response:
    return Response(TRANSPARENT_GIF, media_type="image/gif", headers=GIF_HEADERS)
