"""Client errors in one shape: FastAPI's 422 body, naming the field and saying why."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, status
from pydantic import BaseModel, Field

__all__ = ["ErrorMessage", "forbidden", "invalid", "invalid_query", "not_found"]


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
