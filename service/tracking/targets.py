"""What a token points at, cached so that a hit costs no database read.

Entries live ``ttl`` seconds: an opt-out or erasure made in another process takes
effect here within that time (in this process at once, for every record of the person,
through ``forget_person``). Consent is the person's: a target is read with its record's
person and that person's suppression, if any, in the same query (no query per hit).
A destination, once cached, keeps redirecting even while the database is down: an
expired entry stays, and is used when the database cannot be asked (``stale``).

The caches hold many entries for as long as the process lives, so they are built to
cost the garbage collector little: slotted dataclasses, and visitor ids (one per
click) as plain tuples of atomic values, which the collector stops tracking.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select

from service.models import ErasedLink, Event, Link, Message, Person, Prospect, Suppression, utcnow

__all__ = ["MISSING", "LinkRow", "LinkTarget", "MessageTarget", "Targets", "VisitorTarget"]

MISSING: Any = object()
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class MessageTarget:
    message_id: int
    prospect_id: int
    sent_at: datetime
    link_count: int
    opted_out: bool  # the person's address is on the suppression list
    refused: bool  # the person's browser sent Sec-GPC or DNT (under honor_gpc)
    person_id: int = 0  # 0: read from a snapshot written before people existed


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """A tracked link; ``message`` is None for an erased prospect's link (redirect only)."""

    link_id: int | None
    url: str
    honeypot: bool
    message: MessageTarget | None


@dataclass(frozen=True, slots=True)
class VisitorTarget:
    prospect: MessageTarget | None  # consent flags of the prospect, via any message
    prospect_id: int
    click_event_key: str | None
    created_at: datetime


class _Ttl(Generic[T]):
    """A bounded LRU map whose entries expire.

    Expired entries are kept (up to ``max_items``) for ``stale`` unless ``drop_expired``
    says they are worth nothing once expired; then each ``put`` lets go of them.
    """

    def __init__(self, ttl: float, max_items: int, *, drop_expired: bool = False) -> None:
        self.ttl, self.max_items, self.drop_expired = ttl, max_items, drop_expired
        self._items: OrderedDict[str, tuple[float, T | None]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> T | None:
        with self._lock:
            entry = self._items.get(key)
            if entry is None or time.monotonic() - entry[0] > self.ttl:
                return MISSING  # type: ignore[no-any-return]
            self._items.move_to_end(key)
            return entry[1]

    def put_expired(self, key: str, value: T | None) -> None:
        """Keep ``value`` for ``stale`` only: ``get`` still asks the database first."""
        with self._lock:
            if key not in self._items:
                self._items[key] = (float("-inf"), value)
                self._items.move_to_end(key, last=False)

    def stale(self, key: str) -> T | None:
        """The last value stored under ``key``, however old, or MISSING."""
        with self._lock:
            entry = self._items.get(key)
            return MISSING if entry is None else entry[1]  # type: ignore[no-any-return]

    def put(self, key: str, value: T | None) -> None:
        with self._lock:
            now = time.monotonic()
            self._items[key] = (now, value)
            self._items.move_to_end(key)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)
            if self.drop_expired:
                while now - next(iter(self._items.values()))[0] > self.ttl:
                    self._items.popitem(last=False)

    def drop(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)

    def drop_where(self, predicate: Any) -> None:
        with self._lock:
            for key in [k for k, (_, v) in self._items.items() if v is not None and predicate(v)]:
                del self._items[key]


# A tracked link as the snapshot keeps it: its ref, id, destination, whether it is a
# honeypot, and its message's ref.
LinkRow = tuple[str, int, str, bool, str]

# A visitor id as cached: prospect id, the click's event key, when it was handed out,
# the person's opted_out and refused flags (None when the prospect is gone), and the
# person's id (0 when unknown).
_VisitorRow = tuple[int, str | None, datetime, bool | None, bool | None, int]


def _with_consent(query: Any) -> Any:
    """``query`` (which joins Prospect) joined to the person and their suppression."""
    return query.join(Person, col(Prospect.person_id) == col(Person.id)).outerjoin(
        Suppression, col(Suppression.address_hash) == col(Person.address_hash)
    )


# The consent columns ``_with_consent`` makes available, in this order.
_CONSENT = (col(Prospect.person_id), col(Person.tracking_refused_at), col(Suppression.id))


class Targets:
    """Caches of messages (open tokens), links (click tokens) and visitor ids."""

    def __init__(self, engine: sa.Engine, *, ttl: float = 30.0, max_items: int = 200_000) -> None:
        self._engine = engine
        self.messages: _Ttl[MessageTarget] = _Ttl(ttl, max_items)
        self.links: _Ttl[LinkTarget] = _Ttl(ttl, max_items)
        self._visitors: _Ttl[_VisitorRow] = _Ttl(ttl, max_items, drop_expired=True)
        self._opened: set[int] = set()
        self._lock = threading.Lock()

    # Opens seen: "a click with no open before it" is a weak bot signal.
    def opened(self, message_id: int) -> bool:
        with self._lock:
            return message_id in self._opened

    def mark_opened(self, message_id: int) -> None:
        with self._lock:
            self._opened.add(message_id)

    def _message_target(
        self,
        session: Session,
        message: Message,
        person_id: int,
        refused_at: datetime | None,
        suppression_id: int | None,
    ) -> MessageTarget:
        assert message.id is not None
        has_open = session.exec(
            select(col(Event.id))
            .where(col(Event.message_id) == message.id, col(Event.kind) == "open")
            .limit(1)
        ).first()
        if has_open is not None:
            self.mark_opened(message.id)
        return MessageTarget(
            message_id=message.id,
            prospect_id=message.prospect_id,
            sent_at=message.sent_at,
            link_count=message.link_count,
            opted_out=suppression_id is not None,
            refused=refused_at is not None,
            person_id=person_id,
        )

    def load_message(self, ref: str) -> MessageTarget | None:
        """Read and cache the message an open token names (None: unknown or erased)."""
        with Session(self._engine) as session:
            row = session.exec(
                _with_consent(
                    select(Message, *_CONSENT).join(
                        Prospect, col(Message.prospect_id) == col(Prospect.id)
                    )
                ).where(col(Message.ref) == ref)
            ).first()
            target = self._message_target(session, *row) if row else None
        self.messages.put(ref, target)
        return target

    def load_link(self, ref: str) -> LinkTarget | None:
        """Read and cache the link a click token names, with every sibling link of its
        message (so the other links of an email redirect even if the database goes
        away), or an erased link's tombstone."""
        with Session(self._engine) as session:
            row = session.exec(
                _with_consent(
                    select(Message, *_CONSENT)
                    .join(Link, col(Link.message_id) == col(Message.id))
                    .join(Prospect, col(Message.prospect_id) == col(Prospect.id))
                ).where(col(Link.ref) == ref)
            ).first()
            if row is None:
                erased = session.get(ErasedLink, ref)
                target = (
                    LinkTarget(link_id=None, url=erased.url, honeypot=False, message=None)
                    if erased
                    else None
                )
                self.links.put(ref, target)
                return target
            message = row[0]
            message_target = self._message_target(session, *row)
            self.messages.put(message.ref, message_target)
            for link in session.exec(select(Link).where(col(Link.message_id) == message.id)):
                self.links.put(
                    link.ref, LinkTarget(link.id, link.url, link.honeypot, message_target)
                )
        return self.links.get(ref)

    def recent(
        self, *, days: int = 30, limit: int = 100_000
    ) -> tuple[dict[str, MessageTarget], list[LinkRow]]:
        """The links of recently sent messages, newest first, and their messages' targets
        by message ref (plain columns, no ORM objects: this runs while hits are served)."""
        since = utcnow() - timedelta(days=days)
        messages: dict[str, MessageTarget] = {}
        links: list[LinkRow] = []
        with self._engine.connect() as connection:
            rows: Any = connection.execute(
                sa.select(
                    col(Link.ref),
                    col(Link.id),
                    col(Link.url),
                    col(Link.honeypot),
                    col(Message.ref),
                    col(Message.id),
                    col(Message.prospect_id),
                    col(Message.sent_at),
                    col(Message.link_count),
                    *_CONSENT,
                )
                .join(Message, col(Link.message_id) == col(Message.id))
                .join(Prospect, col(Message.prospect_id) == col(Prospect.id))
                .join(Person, col(Prospect.person_id) == col(Person.id))
                .outerjoin(Suppression, col(Suppression.address_hash) == col(Person.address_hash))
                .where(col(Message.sent_at) >= since)
                .order_by(col(Message.sent_at).desc())
                .limit(limit)
            )
            for ref, link_id, url, honeypot, message_ref, message_id, *rest in rows:
                if message_ref not in messages:
                    prospect_id, sent_at, link_count, person_id, refused_at, suppression = rest
                    messages[message_ref] = MessageTarget(
                        message_id=message_id,
                        prospect_id=prospect_id,
                        sent_at=sent_at,
                        link_count=link_count,
                        opted_out=suppression is not None,
                        refused=refused_at is not None,
                        person_id=person_id,
                    )
                links.append((ref, link_id, url, honeypot, message_ref))
        return messages, links

    def warm(self, messages: dict[str, MessageTarget], links: list[LinkRow]) -> int:
        """Cache the links ``recent`` found; returns how many.

        Run once at start-up, so that tracked links keep redirecting through a database
        outage that begins before anyone clicked them.
        """
        for ref, target in messages.items():
            self.messages.put(ref, target)
        for ref, link_id, url, honeypot, message_ref in links:
            self.links.put(ref, LinkTarget(link_id, url, honeypot, messages[message_ref]))
        return len(links)

    def restore(self, messages: dict[str, MessageTarget], links: list[LinkRow]) -> None:
        """Links from the snapshot of an earlier run, for a start while the database is
        down: each click still asks the database first, and redirects from here if it
        cannot."""
        for ref, link_id, url, honeypot, message_ref in links:
            self.links.put_expired(ref, LinkTarget(link_id, url, honeypot, messages[message_ref]))

    def visitor(self, vid: str) -> VisitorTarget | None:
        """The cached visitor id, None when unknown, MISSING when not cached."""
        row = self._visitors.get(vid)
        if row is None or row is MISSING:
            return row
        prospect_id, click_event_key, created_at, opted_out, refused, person_id = row
        consent = None
        if opted_out is not None and refused is not None:
            consent = _consent_only(prospect_id, created_at, opted_out, refused, person_id)
        return VisitorTarget(consent, prospect_id, click_event_key, created_at)

    def load_visitor(self, vid: str) -> VisitorTarget | None:
        """Read and cache a visitor id handed out on a click (it is on the click's row)."""
        with Session(self._engine) as session:
            click = session.exec(
                select(Event.prospect_id, Event.event_key, Event.occurred_at)
                .where(Event.visitor_id == vid, Event.kind == "click")
                .order_by(col(Event.occurred_at))
                .limit(1)
            ).first()
            target = None
            if click is not None and click[0] is not None:
                prospect_id, event_key, clicked_at = click
                target = VisitorTarget(
                    prospect=self._consent(session, prospect_id),
                    prospect_id=prospect_id,
                    click_event_key=event_key,
                    created_at=clicked_at,
                )
        row = None
        if target is not None:
            row = _visitor_row(
                target.prospect_id, target.click_event_key, target.created_at, target.prospect
            )
        self._visitors.put(vid, row)
        return target

    @staticmethod
    def _consent(session: Session, prospect_id: int) -> MessageTarget | None:
        """The consent of the person behind a record, None when the record is gone."""
        row = session.exec(
            _with_consent(select(col(Prospect.created_at), *_CONSENT)).where(
                col(Prospect.id) == prospect_id
            )
        ).first()
        if row is None:
            return None
        created_at, person_id, refused_at, suppression_id = row
        return _consent_only(
            prospect_id,
            created_at,
            opted_out=suppression_id is not None,
            refused=refused_at is not None,
            person_id=person_id,
        )

    def remember_visitor(
        self, vid: str, prospect: MessageTarget, click_event_key: str, clicked_at: datetime
    ) -> None:
        """A visitor id this process just handed out on a click (not yet stored)."""
        row = _visitor_row(prospect.prospect_id, click_event_key, clicked_at, prospect)
        self._visitors.put(vid, row)

    def forget_person(self, person_id: int) -> None:
        """After a consent change or erasure in this process: every record of the person
        is read fresh on its next hit (other processes within ``ttl``)."""
        self.messages.drop_where(lambda t: t.person_id in (person_id, 0))
        self.links.drop_where(
            lambda t: t.message is not None and t.message.person_id in (person_id, 0)
        )
        self._visitors.drop_where(lambda row: row[5] in (person_id, 0))

    def forget_message(
        self, message_ref: str, link_refs: list[str], visitor_ids: list[str]
    ) -> None:
        """After a message was discarded in this process: its pixel and links are
        unknown tokens, and the visitor ids its clicks handed out name nobody, from
        their next hit on (in other processes within ``ttl``)."""
        self.messages.drop(message_ref)
        for ref in link_refs:
            self.links.drop(ref)
        for vid in visitor_ids:
            self._visitors.drop(vid)


def _visitor_row(
    prospect_id: int, click_event_key: str | None, since: datetime, consent: MessageTarget | None
) -> _VisitorRow:
    return (
        prospect_id,
        click_event_key,
        since,
        None if consent is None else consent.opted_out,
        None if consent is None else consent.refused,
        0 if consent is None else consent.person_id,
    )


def _consent_only(
    prospect_id: int, since: datetime, opted_out: bool, refused: bool, person_id: int
) -> MessageTarget:
    """A prospect's consent flags in the shape consent checks take, tied to no message."""
    return MessageTarget(
        message_id=0,
        prospect_id=prospect_id,
        sent_at=since,
        link_count=0,
        opted_out=opted_out,
        refused=refused,
        person_id=person_id,
    )
