"""Response documentation and the responses that are not JSON.

``errors`` gives routes the 401, 403, 404, 409, 415 and 422 they declare, each with an
example body: FastAPI documents a route's success and its own 422, but the errors that
dependencies and services raise are invisible to it unless a route names them
(``service.openapi`` adds 401/403/404 to routes that name none).

The response classes type non-JSON answers, so that the OpenAPI document names their
media type (FastAPI would document a plain ``Response`` as JSON); ``headers_only``
answers HEAD like GET, without the body.
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
    "errors",
    "headers_only",
    "text",
]

_EXAMPLES: dict[int, tuple[str, Any]] = {
    401: (
        "Missing or unknown API key.",
        "A valid API key is required: Authorization: Bearer <key>.",
    ),
    403: (
        "Your role may not do this; the sentence says who may.",
        "This needs one of the roles: rep, manager.",
    ),
    404: (
        "No such prospect, or one you may not read (the same answer either way).",
        "No such prospect.",
    ),
    409: ("A concurrent write collided; nothing was changed.", "Send it again."),
    415: (
        "The body's media type is not one this route reads.",
        "Send text/csv or application/json.",
    ),
    422: (
        "Invalid input: each entry names the field and says why.",
        [
            {
                "type": "value_error",
                "loc": ["body", "email"],
                "msg": "must be an email address such as anna@example.com",
                "input": "not-an-email",
            }
        ],
    ),
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries for ``codes``, each with a description and an example body."""
    return {
        code: {
            "description": _EXAMPLES[code][0],
            "content": {"application/json": {"example": {"detail": _EXAMPLES[code][1]}}},
        }
        for code in codes
    }


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
