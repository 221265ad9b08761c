"""Row ids as clients may send them: positive and within a 64-bit integer.

A larger number would overflow the database driver; bounding it at the edge turns it
into a 422 naming the field instead of a 500.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BeforeValidator, Field

__all__ = ["MAX_ID", "PathId", "QueryId", "RowId"]

MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]+")


def _digits_only(value: Any) -> Any:
    """An id sent as text is ASCII digits and nothing else: ``"1 "`` is not prospect 1.

    Pydantic's lax mode would strip the space (and read ``"1_0"`` as 10); an id in a
    URL that an erasure acts on must mean exactly one row.
    """
    if isinstance(value, str) and not _DIGITS.fullmatch(value):
        raise ValueError("must be a whole number written with the digits 0-9 only")
    return value


RowId = Annotated[int, BeforeValidator(_digits_only), Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, BeforeValidator(_digits_only), Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, BeforeValidator(_digits_only), Query(ge=1, le=MAX_ID)]
