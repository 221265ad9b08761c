"""Timeline read latency for one busy prospect in a large event store.

    python bench/timeline.py [--database-url URL] [--events 1000000] [--reads 300]

Builds a fresh database (a temporary SQLite file by default; a PostgreSQL URL names a
scratch database that is created if missing and emptied first), runs the usual start-up
(``prepare_database``), then bulk-loads a few reps, ~10k prospects with one message and
three links each, and ``--events`` Event rows in arrival order: one email_sent per
message, 1,000 hits of mixed kind and evidence for one "hot" prospect, and the rest
spread over the other prospects, all within the last 30 days. Then it times, for the hot
prospect as its rep:

- ``timeline.service.read``: the whole read a request makes (access check, active policy,
  events query, evaluation, openers, audit row, commit), a new Session per call;
- ``timeline.service.event_views``: its three queries alone, rows to EventViews;
- ``policies.evaluate``: the pure evaluation of the already loaded EventViews.

Prints Markdown tables (percentiles in ms) and the plans of the queries event_views runs.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import gc
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policies import Viewer, evaluate  # noqa: E402
from service.auth.keys import hash_api_key  # noqa: E402
from service.compliance.policy_store import get_active_policy  # noqa: E402
from service.config import Settings  # noqa: E402
from service.db import create_db_engine  # noqa: E402
from service.models import Event, Link, Message, Prospect, User  # noqa: E402
from service.runtime import prepare_database  # noqa: E402
from service.timeline.service import (  # noqa: E402
    event_view_queries,
    event_views,
    prospect_view,
    read,
)

GOAL_MS = 20.0
PROSPECTS = 10_000
REPS = 5
HOT_EVENTS = 1_000
HOT_MESSAGES = 5
LINKS_PER_MESSAGE = 3
DAYS = 30
CHUNK = 10_000
WARMUP = 5
FORBIDDEN_DATABASES = {"test", "candor_ci", "postgres", "template0", "template1"}

INDUSTRIES = ["software", "retail", "manufacturing", "finance", "healthcare", "media"]
REGIONS = ["emea", "na", "apac", "latam"]
KINDS = ["open"] * 50 + ["click"] * 25 + ["visit"] * 25
EVIDENCE = ["human"] * 40 + ["confirmed"] * 10 + ["machine"] * 35 + ["bot"] * 15
REASONS = {
    "human": "known_browser",
    "confirmed": "visit_after_click",
    "machine": "apple_mpp_user_agent,mail_image_proxy",
    "bot": "crawler_user_agent",
}
AGENTS = {
    "human": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    "confirmed": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "machine": "Mozilla/5.0",
    "bot": "Mozilla/5.0 (compatible; Barracuda Sentinel)",
}
PAGES = [
    "https://example.com/",
    "https://example.com/pricing",
    "https://example.com/pricing/enterprise",
    "https://example.com/security",
    "https://example.com/trust/soc2",
    "https://example.com/blog/honest-outreach",
    "https://example.com/docs/getting-started",
    "https://example.com/customers",
]

EVENT_COLUMNS = [
    "id",
    "event_key",
    "kind",
    "prospect_id",
    "message_id",
    "link_id",
    "visitor_id",
    "site",
    "url",
    "title",
    "referrer",
    "occurred_at",
    "received_at",
    "evidence",
    "reasons",
    "user_agent",
    "ip_prefix",
]


# --------------------------------------------------------------------------- database


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def prepare_postgres(url: str) -> None:
    """Create the scratch database if missing and drop everything in it."""
    parsed = sa.engine.make_url(url)
    name = parsed.database or ""
    if name in FORBIDDEN_DATABASES:
        sys.exit(f"refusing to empty database {name!r}: name a scratch database")
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).first()
        if exists is None:
            quoted = connection.dialect.identifier_preparer.quote(name)
            connection.execute(sa.text(f"CREATE DATABASE {quoted}"))
    admin.dispose()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def write_rows(
    engine: sa.Engine, table: sa.Table, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> int:
    """Insert rows (tuples in ``columns`` order): COPY on PostgreSQL, Core executemany else."""
    count = 0
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            names = ", ".join(f'"{name}"' for name in columns)
            with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
                    count += 1
            raw.commit()
        finally:
            raw.close()
        return count
    statement = sa.insert(table)
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA synchronous=OFF")
        connection.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MB for index upkeep
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(dict(zip(columns, row, strict=True)))
            if len(batch) >= CHUNK:
                connection.execute(statement, batch)
                count += len(batch)
                batch = []
        if batch:
            connection.execute(statement, batch)
            count += len(batch)
    return count


def fix_sequences(engine: sa.Engine, tables: Sequence[str]) -> None:
    """After explicit ids, move PostgreSQL's sequences past them."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        for name in tables:
            connection.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
                    f'(SELECT max(id) FROM "{name}"))'
                )
            )


def next_id(engine: sa.Engine, table: sa.Table) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0) + 1


# --------------------------------------------------------------------------- data


class Store:
    """The generated ids the benchmark needs afterwards."""

    def __init__(self) -> None:
        self.rep_ids: list[int] = []
        self.hot_prospect = 0
        self.messages: dict[int, list[int]] = {}  # prospect -> message ids
        self.links: dict[int, list[int]] = {}  # message -> link ids
        self.counts: dict[str, int] = {}


def ref(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.getrandbits(96).to_bytes(12, "big")).decode()


def load(
    engine: sa.Engine, total_events: int, rng: random.Random, timings: dict[str, float]
) -> Store:
    store = Store()
    now = dt.datetime.now(dt.UTC)
    start = now - dt.timedelta(days=DAYS)
    span = DAYS * 86400.0

    began = time.perf_counter()
    user_id = next_id(engine, User.__table__)  # type: ignore[attr-defined]
    users = []
    for index in range(REPS):
        users.append(
            (user_id, f"Rep {index}", "rep", None, hash_api_key(f"bench-rep-{index}"), start)
        )
        store.rep_ids.append(user_id)
        user_id += 1
    store.counts["user"] = write_rows(
        engine,
        User.__table__,  # type: ignore[attr-defined]
        ["id", "name", "role", "manager_id", "api_key_hash", "created_at"],
        users,
    )

    prospect_base = next_id(engine, Prospect.__table__)  # type: ignore[attr-defined]
    store.hot_prospect = prospect_base + PROSPECTS // 2
    owners: dict[int, int] = {}
    prospects = []
    for index in range(PROSPECTS):
        pid = prospect_base + index
        owner = store.rep_ids[index % REPS]
        owners[pid] = owner
        hot = pid == store.hot_prospect
        prospects.append(
            (
                pid,
                ref(rng),
                owner,
                f"person{index}@company{index % 3000}.example",
                f"Person {index}",
                f"Company {index % 3000}",
                "software" if hot else rng.choice(INDUSTRIES),
                rng.choice(REGIONS),
                start,
            )
        )
    store.counts["prospect"] = write_rows(
        engine,
        Prospect.__table__,  # type: ignore[attr-defined]
        ["id", "ref", "owner_id", "email", "name", "company", "industry", "region", "created_at"],
        prospects,
    )

    message_id = next_id(engine, Message.__table__)  # type: ignore[attr-defined]
    link_id = next_id(engine, Link.__table__)  # type: ignore[attr-defined]
    messages, links, sent_events = [], [], []
    for pid in owners:
        for number in range(HOT_MESSAGES if pid == store.hot_prospect else 1):
            sent_at = start + dt.timedelta(seconds=rng.uniform(0, span / 3))
            html = f"<html><body><p>Hello, about our proposal #{number}.</p>"
            store.messages.setdefault(pid, []).append(message_id)
            for page in PAGES[1 : 1 + LINKS_PER_MESSAGE]:
                links.append((link_id, ref(rng), message_id, page, False))
                store.links.setdefault(message_id, []).append(link_id)
                html += f'<a href="{page}">{page}</a>'
                link_id += 1
            messages.append(
                (
                    message_id,
                    ref(rng),
                    pid,
                    owners[pid],
                    f"Proposal {number} for Company {pid % 3000}",
                    html + "</body></html>",
                    None,
                    LINKS_PER_MESSAGE,
                    sent_at,
                    sent_at,
                )
            )
            sent_events.append((sent_at, "email_sent", pid, message_id, None, "confirmed"))
            message_id += 1
    store.counts["message"] = write_rows(
        engine,
        Message.__table__,  # type: ignore[attr-defined]
        [
            "id",
            "ref",
            "prospect_id",
            "sender_id",
            "subject",
            "html",
            "text",
            "link_count",
            "sent_at",
            "created_at",
        ],
        messages,
    )
    store.counts["link"] = write_rows(
        engine,
        Link.__table__,  # type: ignore[attr-defined]
        ["id", "ref", "message_id", "url", "honeypot"],
        links,
    )
    timings["users, prospects, messages, links"] = time.perf_counter() - began

    began = time.perf_counter()
    others = [pid for pid in owners if pid != store.hot_prospect]
    hits = max(0, total_events - len(sent_events))
    hot_hits = min(HOT_EVENTS, hits)
    skeleton: list[tuple[Any, ...]] = list(sent_events)
    for number in range(hits):
        pid = store.hot_prospect if number < hot_hits else rng.choice(others)
        skeleton.append(
            (
                start + dt.timedelta(seconds=rng.uniform(0, span)),
                rng.choice(KINDS),
                pid,
                rng.choice(store.messages[pid]),
                None,
                rng.choice(EVIDENCE),
            )
        )
    skeleton.sort(key=lambda item: item[0])  # arrival order: the hot prospect's rows scatter
    event_base = next_id(engine, Event.__table__)  # type: ignore[attr-defined]

    def events() -> Iterable[tuple[Any, ...]]:
        for offset, (occurred, kind, pid, mid, _, evidence) in enumerate(skeleton):
            eid = event_base + offset
            if kind == "email_sent":
                yield (eid, None, kind, pid, mid, None, None, None, None, None, None,
                       occurred, occurred, evidence, "sent_by_candor", None, None)  # fmt: skip
                continue
            key = ref(rng)[:16]
            received = occurred + dt.timedelta(milliseconds=40)
            agent, reasons = AGENTS[evidence], REASONS[evidence]
            ip = f"203.0.{pid % 250}.0"
            if kind == "open":
                yield (eid, key, kind, pid, mid, None, None, None, None, None, None,
                       occurred, received, evidence, reasons, agent, ip)  # fmt: skip
            elif kind == "click":
                link = store.links[mid][eid % LINKS_PER_MESSAGE]
                yield (eid, key, kind, pid, mid, link, None, None, None, None, None,
                       occurred, received, evidence, reasons, agent, ip)  # fmt: skip
            else:
                page = PAGES[eid % len(PAGES)]
                yield (eid, key, kind, pid, None, None, f"vis{pid:010d}", "example.com", page,
                       "Example", PAGES[0], occurred, received, evidence, reasons, agent, ip)  # fmt: skip

    timings["events: generate and sort"] = time.perf_counter() - began
    began = time.perf_counter()
    store.counts["event"] = write_rows(engine, Event.__table__, EVENT_COLUMNS, events())  # type: ignore[attr-defined]
    timings["events: insert (with their indexes)"] = time.perf_counter() - began
    fix_sequences(engine, ["user", "prospect", "message", "link", "event"])
    return store


def analyze(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                sa.text("VACUUM ANALYZE")
            )
        else:
            connection.exec_driver_sql("ANALYZE")
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.commit()


def explain(engine: sa.Engine, prospect_id: int) -> list[str]:
    """The plans of the exact statements ``event_views`` runs."""
    lines: list[str] = []
    with engine.connect() as connection:
        for statement in event_view_queries(prospect_id):
            sql = str(
                statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
            )
            lines.append("-- " + " ".join(sql.split()))
            if engine.dialect.name == "postgresql":
                # Run twice and keep the warm plan; TIMING OFF keeps Execution Time honest.
                for _ in range(2):
                    plan = connection.exec_driver_sql(
                        "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " + sql
                    ).all()
                lines.extend(str(row[0]) for row in plan)
            else:
                rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql).all()
                lines.extend(str(row[-1]) for row in rows)
    return lines


# --------------------------------------------------------------------------- timing


class Timing:
    """Per-call wall times, and the full (generation 2) garbage collections among them."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.samples: list[float] = []
        self.full_gc_ms: list[float] = []
        self._gc_began = 0.0

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._gc_began = time.perf_counter()
        else:
            self.full_gc_ms.append((time.perf_counter() - self._gc_began) * 1000)

    def run(self, function: Callable[[], object], runs: int) -> Timing:
        for _ in range(WARMUP):
            function()
        gc.callbacks.append(self._on_gc)
        try:
            for _ in range(runs):
                began = time.perf_counter()
                function()
                self.samples.append((time.perf_counter() - began) * 1000)
        finally:
            gc.callbacks.remove(self._on_gc)
        return self


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="candor-bench-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/timeline.db"
        if is_postgres(url):
            prepare_postgres(url)
        engine = create_db_engine(url)
        settings = Settings(
            database_url=url,
            secret_keys=["bench"],
            admin_key="bench-admin",
            retention_interval_hours=0,
            spool_dir=Path(tmp) / "spool",
        )
        timings: dict[str, float] = {}
        began = time.perf_counter()
        prepare_database(settings, engine)
        timings["prepare_database"] = time.perf_counter() - began
        store = load(engine, args.events, random.Random(args.seed), timings)
        began = time.perf_counter()
        analyze(engine)
        timings["ANALYZE" if engine.dialect.name == "sqlite" else "VACUUM ANALYZE"] = (
            time.perf_counter() - began
        )

        with Session(engine, expire_on_commit=False) as session:
            prospect = session.get(Prospect, store.hot_prospect)
            assert prospect is not None
            rep = session.get(User, prospect.owner_id)
            assert rep is not None
            session.expunge_all()
        rep_id = rep.id
        hot = store.hot_prospect

        def read_once() -> object:
            with Session(engine) as session:
                return read(session, user=rep, prospect_id=hot)

        def views_once() -> object:
            with Session(engine) as session:
                return event_views(session, prospect_id=hot)

        with Session(engine) as session:
            views = event_views(session, prospect_id=hot)
            policy = get_active_policy(session).policy
        viewer, subject = Viewer(role="rep", user_id=rep_id), prospect_view(prospect)

        def evaluate_once() -> object:
            return evaluate(
                policy, viewer=viewer, prospect=subject, events=views, now=dt.datetime.now(dt.UTC)
            )

        # What a server process would hold: the application, not the loader's leftovers.
        store.messages.clear()
        store.links.clear()
        gc.collect()
        tracked = len(gc.get_objects())
        timings_ms = [
            Timing("`timeline.service.read` (full read, audit row, commit)").run(
                read_once, args.reads
            ),
            Timing("`timeline.service.event_views` (its queries → EventViews)").run(
                views_once, args.reads
            ),
            Timing("`policies.evaluate` (pure, EventViews already loaded)").run(
                evaluate_once, args.reads
            ),
        ]
        # Diagnostic: the same read once the heap is frozen (gc.freeze() after start-up),
        # so full collections no longer walk every long-lived object.
        gc.collect()
        gc.freeze()
        timings_ms.append(
            Timing("`timeline.service.read` after `gc.freeze()` (diagnostic)").run(
                read_once, args.reads
            )
        )
        gc.unfreeze()
        with Session(engine) as session:
            result = read(session, user=rep, prospect_id=hot)
        plan = explain(engine, hot)
        backend = engine.dialect.name
        version = ""
        with engine.connect() as connection:
            if backend == "postgresql":
                version = str(connection.exec_driver_sql("SHOW server_version").scalar())
            else:
                version = str(connection.exec_driver_sql("SELECT sqlite_version()").scalar())
        engine.dispose()

    print("## Timeline read latency\n")
    print(
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC · {platform.platform()} · "
        f"{platform.processor() or platform.machine()} · {os.cpu_count()} CPUs · "
        f"Python {platform.python_version()} · {backend} {version}\n"
    )
    stored = ", ".join(f"{name} {count:,}" for name, count in store.counts.items())
    print(
        f"Store: {stored}. Hot prospect: {len(views):,} events "
        f"({sum(1 for v in views if v.kind != 'email_sent'):,} hits), policy "
        f"{result.active.name!r} v{result.active.version}, rule {result.view.decision.rule!r}, "
        f"{len(result.view.facts)} facts shown. {args.reads} timed calls each after "
        f"{WARMUP} warm-up calls. Goal: timeline read p95 < {GOAL_MS:g} ms.\n"
    )
    print("| measured | p50 ms | p95 ms | p99 ms | p95 / goal | full GCs (median ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    for timing in timings_ms:
        p50, p95, p99 = percentiles(timing.samples)
        pauses = timing.full_gc_ms
        gcs = f"{len(pauses)} ({statistics.median(pauses):.1f})" if pauses else "0"
        print(
            f"| {timing.name} | {p50:.2f} | {p95:.2f} | {p99:.2f} | {p95 / GOAL_MS:.2f} | {gcs} |"
        )
    print(
        f"\nFull GCs: generation-2 collections during the timed calls (CPython thresholds "
        f"{gc.get_threshold()}, {tracked:,} tracked objects in the heap when timing began).\n"
    )

    total_rows = sum(store.counts.values())
    load_total = sum(seconds for name, seconds in timings.items() if name != "prepare_database")
    print("| load step | seconds |")
    print("|---|---:|")
    for name, seconds in timings.items():
        print(f"| {name} | {seconds:.1f} |")
    inserted = timings["events: insert (with their indexes)"]
    print(
        f"| **total load** ({total_rows:,} rows; events at "
        f"{store.counts['event'] / inserted:,.0f} rows/s) | **{load_total:.1f}** |"
    )
    print(f"\nPlans of the three queries of `event_views` for the hot prospect ({backend}):\n")
    print("```")
    for line in plan:
        print(line)
    print("```")


if __name__ == "__main__":
    main()
