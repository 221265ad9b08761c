"""Prospects of a CSV import's mix, bulk-loaded: what the listing and the policy-impact
benchmarks both measure over.

A share of the prospects (``engaged``) has one message, its links and ~20 events (its
``email_sent`` and hits of mixed kind and evidence after it), a share (``sent``) has a
message nobody opened, the rest nothing yet. Rows go in through ``bench.timeline``'s
bulk writer, ids taken after what the store already holds, so a store can grow from one
size to the next.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from bench.timeline import (
    AGENTS,
    EVENT_COLUMNS,
    EVIDENCE,
    INDUSTRIES,
    KINDS,
    LINK_COLUMNS,
    MESSAGE_COLUMNS,
    PAGES,
    PERSON_COLUMNS,
    PROSPECT_COLUMNS,
    REASONS,
    REGIONS,
    USER_COLUMNS,
    fix_sequences,
    next_id,
    ref,
    write_rows,
)
from service.auth.keys import hash_api_key
from service.models import Event, Link, Message, Person, Prospect, User

DAYS = 60  # how far back the prospects were imported
SENT_WITHIN_DAYS = 20  # messages went out in the first days after the import
EVENTS_PER_PROSPECT = 20
LINKS = 3


def add_users(engine: sa.Engine, people: list[tuple[str, str, int | None]]) -> list[int]:
    """Users with an API key only, from (name, role, manager's index in ``people``);
    returns their ids in order."""
    first = next_id(engine, User.__table__)  # type: ignore[attr-defined]
    now = dt.datetime.now(dt.UTC)
    rows = [
        (
            first + index,
            name,
            role,
            None if manager is None else first + manager,
            hash_api_key(f"bench-{first + index}"),
            now,
        )
        for index, (name, role, manager) in enumerate(people)
    ]
    write_rows(engine, User.__table__, USER_COLUMNS, rows)  # type: ignore[attr-defined]
    fix_sequences(engine, ["user"])
    return [row[0] for row in rows]


def add_prospects(
    engine: sa.Engine,
    reps: list[int],
    count: int,
    rng: random.Random,
    *,
    engaged: float = 1.0,
    sent: float = 0.0,
    quiet_days: float = 0.0,
    some_unsegmented: bool = False,
) -> int:
    """``count`` prospects of ``reps``, in turn; returns the events written.

    No hit is younger than ``quiet_days`` (so a policy's delays never move while a
    benchmark runs); ``some_unsegmented`` leaves industry or region empty on some, as
    imports do.
    """
    now = dt.datetime.now(dt.UTC)
    start = now - dt.timedelta(days=DAYS)
    quiet = now - dt.timedelta(days=quiet_days)
    prospect_base = next_id(engine, Prospect.__table__)  # type: ignore[attr-defined]
    person_base = next_id(engine, Person.__table__)  # type: ignore[attr-defined]
    message_base = next_id(engine, Message.__table__)  # type: ignore[attr-defined]
    link_base = next_id(engine, Link.__table__)  # type: ignore[attr-defined]
    event_base = next_id(engine, Event.__table__)  # type: ignore[attr-defined]
    blank: list[str | None] = [None] if some_unsegmented else []
    write_rows(
        engine,
        Person.__table__,  # type: ignore[attr-defined]
        PERSON_COLUMNS,
        [(person_base + i, f"{person_base + i:064x}", start) for i in range(count)],
    )
    write_rows(
        engine,
        Prospect.__table__,  # type: ignore[attr-defined]
        PROSPECT_COLUMNS,
        [
            (
                prospect_base + i,
                ref(rng),
                reps[i % len(reps)],
                person_base + i,
                f"lead{prospect_base + i}@company{i % 3000}.example",
                f"Lead {prospect_base + i}",
                f"Company {i % 3000}",
                rng.choice([*INDUSTRIES, *blank]),
                rng.choice([*REGIONS, *blank]),
                start,
            )
            for i in range(count)
        ],
    )
    # Which prospects have a message (and of those, which have hits): spread, not a block.
    fate = [rng.random() for _ in range(count)]
    messaged = [i for i in range(count) if fate[i] < engaged + sent]
    hit = {i for i in messaged if fate[i] < engaged}
    message_of = {i: message_base + n for n, i in enumerate(messaged)}
    sent_at = {
        i: start + dt.timedelta(seconds=rng.uniform(0, 86400 * SENT_WITHIN_DAYS)) for i in messaged
    }
    write_rows(
        engine,
        Message.__table__,  # type: ignore[attr-defined]
        MESSAGE_COLUMNS,
        [
            (
                message_of[i],
                ref(rng),
                prospect_base + i,
                reps[i % len(reps)],
                f"Proposal for Company {i % 3000}",
                "<html><body>Hello</body></html>",
                None,
                LINKS,
                sent_at[i],
                sent_at[i],
            )
            for i in messaged
        ],
    )
    link_of = {i: link_base + n * LINKS for n, i in enumerate(messaged)}
    write_rows(
        engine,
        Link.__table__,  # type: ignore[attr-defined]
        LINK_COLUMNS,
        [
            (link_of[i] + n, ref(rng), message_of[i], PAGES[1 + n], False)
            for i in messaged
            for n in range(LINKS)
        ],
    )
    written = [0]

    def events() -> Iterable[tuple[Any, ...]]:
        eid = event_base
        for i in messaged:
            pid, mid, first = prospect_base + i, message_of[i], sent_at[i]
            yield (eid, None, "email_sent", pid, mid, None, None, None, None, None, None,
                   first, first, "sent", "sent_by_candor", None, None)  # fmt: skip
            eid += 1
            if i not in hit:
                continue
            for _ in range(EVENTS_PER_PROSPECT - 1):
                occurred = first + dt.timedelta(
                    seconds=rng.uniform(0, (quiet - first).total_seconds())
                )
                kind, evidence = rng.choice(KINDS), rng.choice(EVIDENCE)
                key, received = ref(rng)[:16], occurred + dt.timedelta(milliseconds=40)
                agent, reasons, ip = AGENTS[evidence], REASONS[evidence], f"203.0.{pid % 250}.0"
                link = link_of[i] + eid % LINKS if kind == "click" else None
                page = PAGES[eid % len(PAGES)] if kind == "visit" else None
                yield (eid, key, kind, pid, mid if kind != "visit" else None, link,
                       None, "example.com" if page else None, page, None, None,
                       occurred, received, evidence, reasons, agent, ip)  # fmt: skip
                eid += 1
        written[0] = eid - event_base

    write_rows(engine, Event.__table__, EVENT_COLUMNS, events())  # type: ignore[attr-defined]
    fix_sequences(engine, ["prospect", "person", "message", "link", "event"])
    return written[0]
