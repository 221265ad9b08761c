"""One check for every console page: a query parameter the page does not read is refused.

A filter the page does not know would otherwise be dropped without a word, and the page
would show everything: ``/console/audit?prospect_id=1`` (the API's name for the
console's ``prospect``) listed every prospect's entries. So a GET whose query string
names a parameter the page does not read is a 400 page that names it, before the
route runs: checked by ``service.console.deps.console_user`` once the person is signed in
(a stranger is first sent to sign in, keeping the address). The names a page reads are those its route declares (``Query`` parameters,
its dependencies' included); a page that reads ``request.query_params`` itself declares
them with ``@reads_query(...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from fastapi import HTTPException, Request, status
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

__all__ = ["known_query", "query_names", "reads_query", "unknown_parameter"]

F = TypeVar("F", bound=Callable[..., Any])

_READS = "__candor_query_names__"
_SHOWN = 40  # characters of an unknown name repeated on the page


def reads_query(*names: str) -> Callable[[F], F]:
    """Mark a route that reads these query parameters from ``request.query_params``."""

    def mark(endpoint: F) -> F:
        setattr(endpoint, _READS, frozenset(names))
        return endpoint

    return mark


def query_names(route: APIRoute) -> frozenset[str]:
    """Every query parameter ``route`` reads: declared ones and those marked by hand."""
    declared: set[str] = set()
    pending: list[Dependant] = [route.dependant]
    while pending:  # the route's own parameters and its dependencies', at any depth
        dependant = pending.pop()
        declared.update(param.alias for param in dependant.query_params)
        pending.extend(dependant.dependencies)
    return frozenset(declared) | getattr(route.endpoint, _READS, frozenset())


def unknown_parameter(name: str, known: Iterable[str]) -> HTTPException:
    """The 400 for a query parameter the page does not read, naming it and the known ones."""
    shown = name[:_SHOWN] + ("…" if len(name) > _SHOWN else "")
    accepted = sorted(known)
    choice = (
        f"This page reads only {', '.join(accepted)}."
        if accepted
        else "This page reads no query parameters."
    )
    return HTTPException(
        status.HTTP_400_BAD_REQUEST,
        detail=f"The query parameter “{shown}” is not known here, so nothing was shown "
        f"(it would have been ignored, showing more than you asked for). {choice}",
    )


def known_query(request: Request) -> None:
    """A 400 page naming the first query parameter this console page does not read."""
    if request.method not in ("GET", "HEAD") or not request.url.query:
        return
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = query_names(route)
    for name in request.query_params:
        if name not in known:
            raise unknown_parameter(name, known)
