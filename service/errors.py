"""Client errors in one shape: FastAPI's 422 body, naming the field and saying why."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

__all__ = [
    "ErrorMessage",
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


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 body (each error's loc, msg, type, input), with every msg plain."""
    assert isinstance(exc, RequestValidationError)
    detail = [{**error, "msg": plain_message(str(error.get("msg", "")))} for error in exc.errors()]
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        content={"detail": jsonable_encoder(detail)},
    )
