"""One page of a listing, and the headers that tell a client where the rest is.

Every list of the API pages the same way: ``limit`` and ``offset`` in the query, the
number of matches in ``X-Total-Count``, and the next page in a ``Link`` header, so a
client can page through prospects and suppressions alike without reading the body.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request, Response

__all__ = ["Paging", "set_paging_headers"]


@dataclass(frozen=True)
class Paging:
    """Where one page sits in the listing: how many match in all, and its window."""

    total: int
    limit: int
    offset: int

    @property
    def next_offset(self) -> int | None:
        """The offset of the next page, or None on the last one."""
        following = self.offset + self.limit
        return following if following < self.total else None


def set_paging_headers(request: Request, response: Response, page: Paging) -> None:
    """``X-Total-Count``, and ``Link: <…>; rel="next"`` unless this is the last page."""
    response.headers["X-Total-Count"] = str(page.total)
    if page.next_offset is not None:
        following = request.url.include_query_params(offset=page.next_offset)
        response.headers["Link"] = f'<{following}>; rel="next"'
