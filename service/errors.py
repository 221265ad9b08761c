"""Client errors in one shape: FastAPI's 422 body, naming the field and saying why.

The sentence (``msg``) is always Candor's: a validator's own sentence without Pydantic's
"Value error, " prefix, and Pydantic's common error types (a missing field, a string
too short or too long, a number or boolean that does not parse, an extra field, JSON
that does not parse, a value outside a list) worded here, once, by ``error_sentence``,
which the console's forms use too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fastapi import HTTPException, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

__all__ = [
    "ErrorMessage",
    "error_sentence",
    "forbidden",
    "invalid",
    "invalid_query",
    "not_found",
    "plain_message",
    "validation_error",
]

# What Pydantic puts before the sentence of a validator's ValueError: noise to a reader,
# who is told the field by ``loc``.
_PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")


class ErrorMessage(BaseModel):
    """The body of every 401, 403, 404 and 409: one sentence."""

    detail: str = Field(description="What went wrong, in a sentence.")


def invalid(field: str | tuple[str | int, ...], message: str, value: Any = None) -> HTTPException:
    """A 422 naming ``field`` (under ``body``) with a one-sentence ``message``."""
    loc = ("body", field) if isinstance(field, str) else ("body", *field)
    detail = [{"type": "value_error", "loc": list(loc), "msg": message, "input": value}]
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=detail)


def invalid_query(field: str, message: str, value: Any = None) -> HTTPException:
    """A 422 naming a query parameter, for the checks a service makes beyond the route's."""
    detail = [{"type": "value_error", "loc": ["query", field], "msg": message, "input": value}]
    return HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=detail)


def not_found(what: str = "prospect") -> HTTPException:
    """A 404 that says the same whether the thing is missing or someone else's."""
    return HTTPException(status.HTTP_404_NOT_FOUND, detail=f"No such {what}.")


def forbidden(message: str) -> HTTPException:
    """A 403 for an action the caller's role may never take."""
    return HTTPException(status.HTTP_403_FORBIDDEN, detail=message)


def plain_message(message: str) -> str:
    """A validation message without Pydantic's "Value error, " prefix: the sentence only."""
    for prefix in _PYDANTIC_PREFIXES:
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


def _place(loc: tuple[Any, ...] | list[Any]) -> str:
    """Where an error is, as a sentence's subject: "The field owner_id", "The body"."""
    where, *inside = [*loc] or ["body"]
    if where == "body" and inside and isinstance(inside[-1], int) and len(inside) == 1:
        return "The body"  # a JSON decode error's position, not a field
    if not inside:
        return {"body": "The body", "query": "The address", "path": "The address"}.get(
            str(where), "The request"
        )
    name = str(inside[0]) + "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in inside[1:]
    )
    kind = {"query": "query parameter", "path": "address's", "header": "header"}.get(
        str(where), "field"
    )
    return f"The {kind} {name}" if kind != "address's" else f"The address's {name}"


def _shown(value: Any) -> str:
    """What was sent, short enough for a sentence: text in quotes, JSON values as JSON."""
    if isinstance(value, str):
        return f"“{value[:40]}…”" if len(value) > 40 else f"“{value}”"
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except ValueError:
        text = repr(value)
    return f"{text[:40]}…" if len(text) > 40 else text


def _count(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _where_in(document: Any, position: Any) -> str:
    """Line and column of a character position in the JSON text sent, when it is known."""
    if not isinstance(position, int):
        return ""
    if isinstance(document, bytes):
        document = document.decode("utf-8", "replace")
    if not isinstance(document, str):
        return f" at character {position + 1:,}"
    line = document.count("\n", 0, position) + 1
    column = position - (document.rfind("\n", 0, position) + 1) + 1
    return f" at line {line:,}, column {column:,}"


def error_sentence(
    error: Mapping[str, Any], *, subject: str | None = None, document: Any = None
) -> str:
    """One Pydantic error as Candor's sentence, naming ``subject`` (else its place).

    Types not worded here keep their message, without the "Value error, " prefix: those
    are Candor's own validators' sentences. ``document`` is the JSON text sent, so that
    a decode error says its line and column.
    """
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    given = error.get("input")
    loc = error.get("loc") or ()
    the = subject or _place(loc)
    if kind == "json_invalid":
        why = str(context.get("error", "")).strip()
        detail = f": {why[:1].lower() + why[1:]}" if why else ""
        return f"The body is not valid JSON{detail}{_where_in(document, loc[-1] if loc else None)}."
    if kind == "missing":
        return f"{the} is required."
    if kind == "extra_forbidden":
        return f"{the} is not one this request takes; leave it out."
    if kind in ("string_too_short", "too_short"):
        least = context.get("min_length")
        if kind == "string_too_short" and isinstance(given, str) and not given.strip():
            return f"{the} is empty{' (only spaces)' if given else ''}; enter some text."
        if kind == "too_short" and least == 1:
            return f"{the} is empty; give at least one item."
        unit = "characters" if kind == "string_too_short" else "items"
        has = len(given) if isinstance(given, str | list | dict) else None
        typed = f"; this one has {_count(has)}" if has is not None else ""
        return f"{the} is at least {_count(least)} {unit}{typed}."
    if kind in ("string_too_long", "too_long"):
        unit = "characters" if kind == "string_too_long" else "items"
        has = len(given) if isinstance(given, str | list | dict) else None
        typed = f"; this one has {_count(has)}" if has is not None else ""
        return f"{the} is at most {_count(context.get('max_length'))} {unit}{typed}."
    if kind == "string_type":
        return f"{the} must be text (a JSON string); {_shown(given)} is not."
    if kind == "int_type" and isinstance(given, str):
        return f"{the} must be a whole number written without quotes; {_shown(given)} is text."
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{the} must be a whole number; {_shown(given)} is not."
    if kind in ("float_parsing", "float_type", "finite_number"):
        return f"{the} must be a number; {_shown(given)} is not."
    if kind in ("bool_parsing", "bool_type"):
        return f"{the} must be true or false; {_shown(given)} is neither."
    if kind in ("literal_error", "enum"):
        return f"{the} must be one of {context.get('expected', '')}; {_shown(given)} is not."
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {
            "greater_than_equal": ("at least", "ge"),
            "greater_than": ("more than", "gt"),
            "less_than_equal": ("at most", "le"),
            "less_than": ("less than", "lt"),
        }[kind]
        return f"{the} must be {bound[0]} {_count(context.get(bound[1]))}; {_shown(given)} is not."
    if kind in ("list_type", "tuple_type", "set_type"):
        return f"{the} must be a list (a JSON array); {_shown(given)} is not."
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{the} must be an object (a JSON object with named fields); {_shown(given)} is not."
    return _with_subject(the, plain_message(str(error.get("msg", ""))))


def _with_subject(the: str, message: str) -> str:
    """A validator's predicate ("must be an email address …") as a whole sentence."""
    if not message or not message[0].islower():
        return message
    if message.startswith(("must ", "is ", "has ")):
        message = f"{the} {message}"
    else:
        message = message[:1].upper() + message[1:]
    return message if message.endswith((".", "?", "!")) else message + "."


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 body (each error's loc, msg, type, input), with every msg Candor's."""
    assert isinstance(exc, RequestValidationError)
    detail = [{**error, "msg": error_sentence(error, document=exc.body)} for error in exc.errors()]
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        content={"detail": jsonable_encoder(detail)},
    )
