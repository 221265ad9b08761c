"""The error answers routes declare in the OpenAPI schema, each with an example body.

FastAPI documents a route's success and its own 422; the 401, 403, 404 and 409 that
dependencies and services raise are invisible to it unless a route names them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["errors"]

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
                "msg": "Value error, must be an email address such as anna@example.com",
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
