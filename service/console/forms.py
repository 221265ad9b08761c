"""What every console form shares: how it is read, what it refuses, and how it says so.

- **Reading.** A form is read once, with a part as large as ``FORM_PART_BYTES`` (``read_form``):
  a text field may be as long as the whole request the input guard lets through
  (``service.input_guard.MAX_BODY_BYTES``), so a field's own length is checked by the
  route's model, which can show the form again with what was typed, never by the
  parser, which could only answer a dead-end page.
- **Unstorable text.** A NUL character cannot be stored in PostgreSQL text and a lone
  surrogate cannot be encoded as UTF-8; either would otherwise surface as a 500 deep in
  a service. The API's JSON bodies and every query string are checked by
  ``service.input_guard``; form fields arrive encoded, so they are checked here, once,
  before any console route runs (``clean_form``).
- **Sentences.** Pydantic's errors become one plain sentence per field
  (``field_errors``): "Enter a subject.", "The name is at most 200 characters; you
  typed 250." — never Pydantic's own words: what the labels here do not word is said
  as the API says it (``service.errors.error_sentence``), naming the field by its label.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request, status
from pydantic import ValidationError
from starlette.datastructures import FormData

from service.errors import error_sentence, plain_message
from service.input_guard import MAX_BODY_BYTES

__all__ = ["FORM_PART_BYTES", "LABELS", "Label", "clean_form", "field_errors", "read_form"]

_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

# Starlette's default is 1 MB a field ("Field exceeded maximum size of 1024KB."), less
# than an email POST /api/messages accepts (2,000,000 characters): the whole request is
# the limit instead, and each field's length is its model's to check.
FORM_PART_BYTES = MAX_BODY_BYTES


async def read_form(request: Request) -> FormData:
    """The request's form, parsed once with the console's limits (Starlette keeps it)."""
    return await request.form(max_part_size=FORM_PART_BYTES)


async def clean_form(request: Request) -> None:
    """A 422 page naming the field when a form field holds a NUL or a lone surrogate."""
    if request.method != "POST":
        return
    if not request.headers.get("content-type", "").startswith(_FORMS):
        return
    for name, value in (await read_form(request)).multi_items():
        if isinstance(value, str) and _UNSTORABLE.search(value):
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                detail=f"The field “{name[:40]}” holds characters that are not text "
                "(a NUL or a broken character): nothing was saved.",
            )


@dataclass(frozen=True)
class Label:
    """How the console names a field: ``enter`` when it is empty, ``the`` in other sentences.

    ``invalid``, when given, replaces any other error of the field (a choice from a list
    that is not on the list).
    """

    enter: str
    the: str
    invalid: str | None = None


LABELS: dict[str, Label] = {
    "email": Label("Enter an email address, like name@example.com.", "the email address"),
    "name": Label("Enter a name.", "the name"),
    "company": Label("Enter a company.", "the company"),
    "industry": Label("Enter an industry.", "the industry"),
    "region": Label("Enter a region.", "the region"),
    "language": Label("Choose a language.", "the language"),
    "subject": Label("Enter a subject.", "the subject"),
    "body": Label("Write the body of the email.", "the body"),
    "say": Label("Enter what you will say.", "the text to check"),
    "owner_id": Label(
        "Choose who the prospect goes to.",
        "the new owner",
        "Choose yourself or one of your reps from the list.",
    ),
}
_SOMETHING = Label("Fill in this field.", "this field")


def _count(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def sentence(field: str, item: Mapping[str, Any]) -> str:
    """One Pydantic error of ``field`` as the console says it."""
    label = LABELS.get(field, _SOMETHING)
    kind = item.get("type")
    context = item.get("ctx") or {}
    given = item.get("input")
    typed = len(given) if isinstance(given, str) else None
    empty = isinstance(given, str) and not given.strip()
    if kind == "missing" or (kind == "string_too_short" and context.get("min_length") == 1):
        return label.enter
    if kind == "value_error" and empty:
        return label.enter  # "Enter an email address", not why "" is not one
    if kind == "string_too_long" and typed is not None:
        limit = _count(context.get("max_length"))
        the = label.the[:1].upper() + label.the[1:]
        return f"{the} is at most {limit} characters; you typed {_count(typed)}."
    if kind == "string_too_short" and typed is not None:
        least = _count(context.get("min_length"))
        the = label.the[:1].upper() + label.the[1:]
        return f"{the} is at least {least} characters; you typed {_count(typed)}."
    if label.invalid is not None:
        return label.invalid
    the = label.the[:1].upper() + label.the[1:]
    message = (
        plain_message(str(item.get("msg", "")))
        if kind == "value_error"  # a validator's own sentence, said as it is
        else error_sentence(item, subject=the)
    ).strip()
    if not message:
        return f"Check {label.the}."
    message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "?", "!")) else message + "."


def field_errors(
    error: ValidationError, *, fields: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Pydantic's errors as one sentence per form field (the first error of each).

    ``fields`` maps a model's field to the form's where they differ (``html`` and
    ``text`` are the compose form's ``body``).
    """
    errors: dict[str, str] = {}
    for item in error.errors():
        loc = item.get("loc") or ()
        field = str(loc[-1]) if loc else "form"
        field = (fields or {}).get(field, field)
        errors.setdefault(field, sentence(field, item))
    return errors
