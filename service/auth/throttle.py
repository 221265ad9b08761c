"""The sign-in throttle: a small budget per name and address, a larger one per name.

A lock of the name alone, for everyone, lets anyone who knows a colleague's name keep
them out by typing wrong passwords. So, as OWASP's authentication guidance advises,
**5 failures for one name from one client address** within 15 minutes lock that name
from that address only, for 15 minutes: whoever guesses locks out themselves. **50
failures for one name from anywhere** lock the name for everyone, which still stops a
guess spread across many addresses at one account (and is then the only way to lock
someone out). The name is folded, so case variants share both budgets.

The address is the one Candor resolves for the request (``service.proxies``, behind
trusted proxies). It is never stored: a failure keeps an HMAC-SHA256 of it under a key
derived from Candor's signing key (:class:`ClientDigests`), enough to count it and
nothing to read it back, and every row is deleted once it no longer counts. An IPv6
address counts by its /64, the block one customer is usually handed, so that walking
through one's own block does not buy new budgets.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from service.compliance import audit
from service.models import SignInFailure, User

__all__ = [
    "FAILURE_WINDOW",
    "LOCKOUT",
    "MAX_FAILURES_PER_ADDRESS",
    "MAX_FAILURES_PER_NAME",
    "Budget",
    "ClientDigests",
    "Lock",
    "clear_failures",
    "lock_in_force",
    "record_failure",
    "throttle_key",
]

MAX_FAILURES_PER_ADDRESS = 5
MAX_FAILURES_PER_NAME = 50
FAILURE_WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)

Budget = Literal["address", "name"]


class ClientDigests:
    """Keyed digests of client addresses, under a key derived from the signing key.

    The key is derived on first use, as the console's CSRF keys are: the server starts
    while its database (which may hold the signing key) is still down. A new signing
    key changes every digest, so failures counted under the old one then count towards
    the name's budget only, for what remains of their 15 minutes.
    """

    def __init__(self, signing_key: Callable[[], str]) -> None:
        self._signing_key = signing_key
        self._key: bytes | None = None
        self._lock = threading.Lock()

    def of(self, host: str | None) -> str:
        """The digest of a client address (64 hex characters); no address is one client."""
        if self._key is None:
            with self._lock:
                if self._key is None:
                    raw = self._signing_key().encode("utf-8")
                    self._key = hmac.new(raw, b"candor-sign-in-client", hashlib.sha256).digest()
        return hmac.new(self._key, _counted_as(host).encode(), hashlib.sha256).hexdigest()


def _counted_as(host: str | None) -> str:
    """The address a failure counts against: an IPv6 address's /64, others as given."""
    if not host:
        return ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host  # a Unix socket, a test client's name
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


@dataclass(frozen=True)
class Lock:
    """A lock in force: until when, and which budget set it."""

    until: datetime
    budget: Budget


def throttle_key(name: str) -> str:
    """Failures count per name as typed, folded, so case variants share one budget."""
    return name.casefold()[:200]


def lock_in_force(session: Session, *, name: str, client: str, now: datetime) -> Lock | None:
    """The lock that refuses this name from this client now: the name's, or the address's."""
    row = session.exec(
        select(SignInFailure)
        .where(
            col(SignInFailure.name) == name,
            col(SignInFailure.locks_until) > now,
            sa.or_(
                col(SignInFailure.locks) == "name",
                sa.and_(col(SignInFailure.locks) == "address", col(SignInFailure.client) == client),
            ),
        )
        .order_by(col(SignInFailure.locks_until).desc())
    ).first()
    if row is None or row.locks_until is None:
        return None
    return Lock(until=row.locks_until, budget="name" if row.locks == "name" else "address")


def record_failure(
    session: Session, *, name: str, client: str, user: User | None, now: datetime
) -> None:
    """Count a failure; the one that spends a budget locks, and is audited. Commits.

    Failures that no longer count (and locks that ended) are deleted here, so guessing
    many names from many addresses leaves at most 15 minutes of rows behind.
    """
    session.execute(
        sa.delete(SignInFailure).where(
            col(SignInFailure.at) <= now - FAILURE_WINDOW,
            sa.or_(col(SignInFailure.locks_until).is_(None), col(SignInFailure.locks_until) <= now),
        )
    )
    failure = SignInFailure(name=name, client=client, at=now)
    session.add(failure)
    session.flush()
    from_anywhere = _recent(session, now=now, name=name)
    from_address = _recent(session, now=now, name=name, client=client)
    budget: Budget | None = None
    if from_anywhere >= MAX_FAILURES_PER_NAME:
        budget, failures = "name", from_anywhere
    elif from_address >= MAX_FAILURES_PER_ADDRESS:
        budget, failures = "address", from_address
    if budget is not None:
        failure.locks_until = now + LOCKOUT
        failure.locks = budget
        session.add(failure)
        audit.record(
            session,
            actor=None,
            action="sign_in.locked",
            detail={
                "name": name,
                "user_id": user.id if user is not None else None,
                # "address": this name from the one address that spent its budget;
                # "name": this name from every address.
                "budget": budget,
                "failures": failures,
                "locked_until": failure.locks_until.isoformat(),
            },
        )
    session.commit()


def clear_failures(session: Session, *, name: str, client: str) -> None:
    """Forget this name's failures from this client (a success); locks stay (the caller
    commits). Failures from other addresses keep counting towards the name's budget."""
    session.execute(
        sa.delete(SignInFailure).where(
            col(SignInFailure.name) == name,
            col(SignInFailure.client) == client,
            col(SignInFailure.locks_until).is_(None),
        )
    )


def _recent(session: Session, *, now: datetime, name: str, client: str | None = None) -> int:
    query = (
        select(sa.func.count())
        .select_from(SignInFailure)
        .where(col(SignInFailure.name) == name, col(SignInFailure.at) > now - FAILURE_WINDOW)
    )
    if client is not None:
        query = query.where(col(SignInFailure.client) == client)
    return int(session.exec(query).one())
