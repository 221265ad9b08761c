"""Row ids as clients may send them: positive and within a 64-bit integer.

A larger number would overflow the database driver; bounding it at the edge turns it
into a 422 naming the field instead of a 500.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

__all__ = ["MAX_ID", "PathId", "QueryId", "RowId"]

MAX_ID = 2**63 - 1

RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
