"""Listing prospects by last engagement for a manager with a large team, before and after.

    python bench/last_engagement.py [--database-url URL] [--sizes 10000,50000]
        [--runs 10] [--before-runs 3] [--deep-offset 2000]

Builds a fresh database (a temporary SQLite file by default; a PostgreSQL URL names a
scratch database that is created if missing and emptied first), runs the usual start-up
(``prepare_database``: migrations, the default policy), then bulk-loads a manager, five
reps, and per size (the store grows from one size to the next) that many engaged
prospects of the reps, each with one message, three links and ~20 events: its
``email_sent`` and 19 hits of mixed kind and evidence after it, within the last 60 days.

Then, as the manager (new Session per call, audit row and commit included), it times
``service.prospects.service.list_page(order="last_engagement", limit=50)`` for the first
page and for a deep one (``--deep-offset``), in turns:

- **after**: the code as it is (``service.prospects.ranking``: SQL bounds, then exact
  evaluation of the candidates that can reach the page);
- **before**: the previous ``_by_last_engagement``, kept here only, which evaluated
  every engaged prospect (patched in for those calls).

Both must return the same page (ids and badges), compared at one frozen moment; the
script exits 1 if they differ.
Prints p50 / p95 ms per case and the ratio before / after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import sqlalchemy as sa
from sqlmodel import Session, col, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.engaged_store import DAYS, EVENTS_PER_PROSPECT, add_prospects, add_users  # noqa: E402
from bench.timeline import (  # noqa: E402
    analyze,
    is_postgres,
    prepare_postgres,
)
from policies import Policy  # noqa: E402
from service.config import Settings  # noqa: E402
from service.db import create_db_engine  # noqa: E402
from service.models import Event, Prospect, User, utcnow  # noqa: E402
from service.prospects.activity import latest_facts, shown_time  # noqa: E402
from service.prospects.service import list_page  # noqa: E402
from service.runtime import prepare_database  # noqa: E402
from service.tracking.partitions import ensure_partitions  # noqa: E402

REPS = 5
LIMIT = 50


# --------------------------------------------------------------------------- before


def old_by_last_engagement(
    session: Session, *, policy: Policy, user: User, where: Any, limit: int, offset: int
) -> tuple[list[Prospect], dict[int, dict[str, Any] | None]]:
    """The ranking as it was before service.prospects.ranking: every engaged prospect
    evaluated, then sorted (the code of service/prospects/service.py at 206cfaa)."""
    ids = list(session.exec(select(col(Prospect.id)).where(where).order_by(col(Prospect.id))))
    has_events = sa.exists().where(col(Event.prospect_id) == col(Prospect.id))
    engaged = list(
        session.exec(select(Prospect).where(where, has_events).order_by(col(Prospect.id)))
    )
    latest = latest_facts(session, policy=policy, user=user, prospects=engaged)

    def newest_first(prospect_id: int) -> float:
        fact = latest.get(prospect_id)
        moment = shown_time(fact.get("when")) if fact else None
        return -moment.timestamp() if moment else float("inf")

    ranked = sorted((i for i in ids if i is not None), key=newest_first)
    page_ids = ranked[offset : offset + limit]
    wanted = set(page_ids)
    loaded: dict[int | None, Prospect] = {p.id: p for p in engaged if p.id in wanted}
    missing = [prospect_id for prospect_id in page_ids if prospect_id not in loaded]
    if missing:
        for prospect in session.exec(select(Prospect).where(col(Prospect.id).in_(missing))):
            loaded[prospect.id] = prospect
    return [loaded[prospect_id] for prospect_id in page_ids], latest


# --------------------------------------------------------------------------- data


def add_team(engine: sa.Engine) -> tuple[int, list[int]]:
    """A manager and their reps; returns (manager id, rep ids)."""
    ids = add_users(
        engine, [("Manager", "manager", None)] + [(f"Rep {i}", "rep", 0) for i in range(REPS)]
    )
    return ids[0], ids[1:]


# --------------------------------------------------------------------------- timing


def page_of(engine: sa.Engine, manager: User, offset: int) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        page = list_page(session, user=manager, order="last_engagement", limit=LIMIT, offset=offset)
        return [(row.prospect.id, row.last_activity) for row in page.rows]


def timed(function: Callable[[], object], runs: int, *, warm: bool = True) -> list[float]:
    if warm:
        function()  # statement caches, the policy's parse
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def p50_p95(samples: list[float]) -> tuple[float, float]:
    if len(samples) < 2:
        return samples[0], samples[0]
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return statistics.median(samples), cuts[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--sizes", default="10000,50000", help="engaged prospects, growing")
    parser.add_argument("--runs", type=int, default=10, help="calls per case, after")
    parser.add_argument("--before-runs", type=int, default=3, help="calls per case, before")
    parser.add_argument("--deep-offset", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory(prefix="candor-bench-order-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/order.db"
        if is_postgres(url):
            prepare_postgres(url)
        engine = create_db_engine(url)
        settings = Settings(
            database_url=url,
            secret_keys=["bench-signing-key"],
            admin_key="cnd_bench-admin-key",
            retention_interval_hours=0,
            spool_dir=Path(tmp) / "spool",
        )
        prepare_database(settings, engine)
        with engine.begin() as connection:  # the months back the store reaches (PostgreSQL)
            ensure_partitions(connection, since=dt.datetime.now(dt.UTC) - dt.timedelta(days=DAYS))
        manager_id, reps = add_team(engine)
        with Session(engine, expire_on_commit=False) as session:
            manager = session.get(User, manager_id)
            assert manager is not None
            session.expunge_all()

        backend = engine.dialect.name
        print(f"## order=last_engagement, a manager over {REPS} reps, {backend}\n")
        print(f"Python {platform.python_version()}, {LIMIT} per page, ~{EVENTS_PER_PROSPECT} "
              f"events per prospect, default policy.\n")  # fmt: skip
        print("| engaged prospects | page | before p50 / p95 ms | after p50 / p95 ms | "
              "before / after (p50) |")  # fmt: skip
        print("|---:|---|---:|---:|---:|")
        loaded = 0
        for size in sizes:
            began = time.perf_counter()
            add_prospects(engine, reps, size - loaded, rng)  # every one engaged
            loaded = size
            analyze(engine)
            print(f"<!-- loaded {size} in {time.perf_counter() - began:.0f} s -->", file=sys.stderr)
            pages = (
                ("first (offset 0)", 0),
                (f"deep (offset {args.deep_offset})", args.deep_offset),
            )
            for label, offset in pages:

                def call(offset: int = offset) -> object:
                    return page_of(engine, manager, offset)

                # Compared at one frozen moment: a run of "before" lasts long enough for
                # events to leave the policy's delay between the two pages.
                frozen = utcnow()
                with (
                    mock.patch("service.prospects.ranking.utcnow", return_value=frozen),
                    mock.patch("service.prospects.activity.utcnow", return_value=frozen),
                ):
                    after_page = page_of(engine, manager, offset)
                    with mock.patch(
                        "service.prospects.ranking.by_last_engagement", old_by_last_engagement
                    ):
                        before_page = page_of(engine, manager, offset)  # also its warm-up
                with mock.patch(
                    "service.prospects.ranking.by_last_engagement", old_by_last_engagement
                ):
                    before = timed(call, args.before_runs, warm=False)
                if before_page != after_page:
                    print(f"pages differ at {size}, offset {offset}", file=sys.stderr)
                    raise SystemExit(1)
                after = timed(call, args.runs, warm=False)
                (b50, b95), (a50, a95) = p50_p95(before), p50_p95(after)
                print(f"| {size:,} | {label} | {b50:.0f} / {b95:.0f} | {a50:.0f} / {a95:.0f} | "
                      f"{b50 / a50:.1f}x |", flush=True)  # fmt: skip
        engine.dispose()


if __name__ == "__main__":
    main()
