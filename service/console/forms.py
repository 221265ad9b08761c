"""One check for every console form: text no database or page can carry is refused.

A NUL character cannot be stored in PostgreSQL text and a lone surrogate cannot be
encoded as UTF-8; either would otherwise surface as a 500 deep in a service. The API's
JSON bodies and every query string are checked by ``service.input_guard``; form fields
arrive percent-encoded, so they are checked here, once, before any console route runs.
"""

from __future__ import annotations

import re

from fastapi import HTTPException, Request, status

__all__ = ["clean_form"]

_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


async def clean_form(request: Request) -> None:
    """A 422 page naming the field when a form field holds a NUL or a lone surrogate."""
    if request.method != "POST":
        return
    if not request.headers.get("content-type", "").startswith(_FORMS):
        return
    for name, value in (await request.form()).multi_items():
        if isinstance(value, str) and _UNSTORABLE.search(value):
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                detail=f"The field “{name[:40]}” holds characters that are not text "
                "(a NUL or a broken character): nothing was saved.",
            )
