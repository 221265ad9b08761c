"""Row ids as clients may send them: positive, and within the column they name.

On PostgreSQL most id columns are ``INTEGER`` (4 bytes); event and audit entry ids are
``BIGINT``. A number past its column overflows the driver (``NumericValueOutOfRange``),
so each id is bounded at the edge by its own column's range: a 422 naming the field
instead of a 500. SQLite's integers are 8 bytes everywhere and pass the same bounds.

The bounds sit on the type itself (``Field`` before the validator), so that the OpenAPI
document states them as JSON Schema's ``minimum``/``maximum``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BeforeValidator, Field, Strict

__all__ = [
    "MAX_BIG_ID",
    "MAX_ID",
    "MAX_INT",
    "BigQueryId",
    "BigRowId",
    "BodyId",
    "Count",
    "PathId",
    "QueryId",
    "RowId",
    "form_id",
]

MAX_INT = 2**31 - 1  # PostgreSQL INTEGER: users, prospects, messages, links, policies
MAX_BIG_ID = 2**63 - 1  # PostgreSQL BIGINT: events and audit entries
MAX_ID = MAX_INT  # the bound of most ids; kept for code written before the split
_DIGITS = re.compile(r"[0-9]+")


def _digits_only(value: Any) -> Any:
    """An id sent as text is ASCII digits and nothing else: ``"1 "`` is not prospect 1.

    Pydantic's lax mode would strip the space (and read ``"1_0"`` as 10); an id in a
    URL that an erasure acts on must mean exactly one row.
    """
    if isinstance(value, str) and not _DIGITS.fullmatch(value):
        raise ValueError("must be a whole number written with the digits 0-9 only")
    return value


RowId = Annotated[int, Field(ge=1, le=MAX_INT), BeforeValidator(_digits_only)]
"""The id of a row in an ``INTEGER`` id column (every table but events and audit)."""
BigRowId = Annotated[int, Field(ge=1, le=MAX_BIG_ID), BeforeValidator(_digits_only)]
"""The id of an event or an audit entry (``BIGINT``)."""
Count = Annotated[int, Field(ge=0, le=MAX_BIG_ID), BeforeValidator(_digits_only)]
"""A row count such as an offset: any number a SQL ``OFFSET`` takes."""

BodyId = Annotated[int, Strict(), Field(ge=1, le=MAX_INT)]
"""An id in a JSON request body: a JSON integer and nothing else.

A path or a query string is text, so ``RowId`` reads digits there; JSON has numbers,
and lax mode would take ``true`` as 1 and ``"1"`` or ``1.0`` as 1 as well: a message
sent to prospect 1 by a client that meant something else. Each is a 422 naming the field.
"""

PathId = Annotated[RowId, Path()]
QueryId = Annotated[RowId | None, Query()]
BigQueryId = Annotated[BigRowId | None, Query()]


def form_id(text: str | None) -> int | str | None:
    """A console form's id field for a ``BodyId``: digits become the number, blank None.

    Anything else stays text, which the strict id refuses with a 422 naming the field.
    """
    if text is None or not text.strip():
        return None
    text = text.strip()
    return int(text) if _DIGITS.fullmatch(text) else text
