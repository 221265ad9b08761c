"""Responses that are not JSON, typed so that the OpenAPI document names their media type.

FastAPI documents a route's ``response_class`` media type; a plain ``Response`` would be
documented as JSON. ``headers_only`` answers HEAD like GET, without the body.
"""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST

__all__ = [
    "GifResponse",
    "JavaScriptResponse",
    "PrometheusResponse",
    "binary",
    "headers_only",
    "text",
]


R = TypeVar("R", bound=Response)


class GifResponse(Response):
    media_type = "image/gif"


class JavaScriptResponse(Response):
    media_type = "application/javascript"
    charset = "utf-8"


class PrometheusResponse(Response):
    media_type = CONTENT_TYPE_LATEST


def binary(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    """The 200 of a route answering bytes of ``media_type``."""
    schema = {"type": "string", "format": "binary"}
    return {200: {"description": description, "content": {media_type: {"schema": schema}}}}


def text(media_type: str, description: str, code: int = 200) -> dict[int | str, dict[str, Any]]:
    """A response of ``media_type`` text (HTML, JavaScript, Prometheus' format)."""
    return {
        code: {"description": description, "content": {media_type: {"schema": {"type": "string"}}}}
    }


def headers_only(request: Request, response: R) -> R:
    """``response`` for GET; for HEAD its status and headers (Content-Length included),
    and no body."""
    if request.method == "HEAD":
        response.body = b""
    return response
