"""Group commit: every hit waits for its batch's commit, so an answer means stored.

A writer thread takes whatever operations have queued while the previous batch was
written, writes them in one transaction and resolves each request's future. On
PostgreSQL two threads do this, each on its own connection (``CANDOR_WRITER_CONNECTIONS``):
while one batch waits for its commit (the WAL flush), the next is taken and inserted on
the other connection, so a batch no longer waits for the whole of the one before it.
Batches are taken in queue order, one thread at a time; a batch that updates rows (a
burst's demotion, a visit's confirmation, a refusal) waits until every batch taken
before it is settled, so it sees their rows, as with one writer. SQLite has one writer
at a time, so one thread there. When
the database fails, the batch goes to the local spool (fsync'd) instead and the
request is still acknowledged; the thread then checks the database every second and,
once it answers, drains the spool (idempotently, by ``event_key``) before writing
anything new, so order is kept. A row that can never be stored (its prospect was
erased meanwhile, a value the database refuses) is dropped and counted, never retried
forever and never mistaken for an outage: one bad row must not hold up its batch.

The thread must outlive anything a batch can raise: every request waits for it, and so
does a graceful shutdown. A batch that fails for any other reason is dropped, counted
and logged, and its requests are answered. When the spool cannot take a batch either
(full, or unwritable), the batch is dropped and counted, and ``recording`` says so until
a batch is stored or spooled again.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from service.metrics import BATCH_SIZE, DROPPED, SHARED_WINDOW, SPOOL_DEPTH, SPOOLED, STORED
from service.models import Event, Message, Person, Prospect, Suppression
from service.tracking.shared import SharedWindows
from service.tracking.spool import Op, Spool, SpoolFull
from service.tracking.wal import WalCheckpoints

__all__ = ["EventWriter", "Outcome"]

log = logging.getLogger("candor.writer")
Outcome = Literal["stored", "spooled", "dropped"]
_STOP = object()
_IDLE = object()  # nothing queued for a second
# The operations that only insert: they need no batch before them to have committed.
_INSERTS = frozenset(("event", "open_ref"))
# Writer connections on PostgreSQL unless CANDOR_WRITER_CONNECTIONS says otherwise.
DEFAULT_CONNECTIONS = 2
_DATES = ("occurred_at", "received_at", "created_at")
# The database answered and refused a row: a problem of that row, not an outage.
_ROW_ERRORS = (sa.exc.IntegrityError, sa.exc.DataError)
# The SQLite page cache of the writer's connection (SQLite's default is 2 MiB).
_SQLITE_CACHE_KIB = 64 * 1024


class EventWriter:
    """The process's writer of collector operations: one thread per connection."""

    def __init__(
        self,
        engine: sa.Engine,
        spool: Spool,
        *,
        max_batch: int = 1000,
        prepared: threading.Event | None = None,
        shared: SharedWindows | None = None,
        connections: int | None = None,
    ) -> None:
        self._engine = engine
        # SQLite lets one connection write at a time: a second would wait for the lock.
        sqlite_ = engine.dialect.name == "sqlite"
        self.connections = 1 if sqlite_ else max(1, connections or DEFAULT_CONNECTIONS)
        # Windows shared with the other collector processes, decided here once per batch.
        self.shared = shared
        self._spool = spool
        self._max_batch = max_batch
        # Lists of (operations, waiter); one list per event-loop iteration or submit().
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._handover: dict[asyncio.AbstractEventLoop, list[tuple[list[Op], Any]]] = {}
        self._threads: list[threading.Thread] = []
        self._start_lock = threading.Lock()
        self._take_lock = threading.Lock()  # one thread at a time takes the next batch
        self._running = 0  # writer threads not yet stopped (each passes _STOP on)
        # Batches are numbered as they are taken; the numbers not yet settled.
        self._order = threading.Condition()
        self._taken = 0
        self._unsettled: set[int] = set()
        # One thread at a time drains the spool; the others wait, then write directly.
        self._recovery = threading.Lock()
        self._local = threading.local()  # each writer thread's own connection
        # Set once the schema is known to be in place; until then everything is spooled
        # (``candor serve`` may start while the database is down, service.bootstrap).
        self.prepared = prepared or _set_event()
        self.healthy = self.prepared.is_set()
        self.spool_fails = False  # the last batch that went to the spool was dropped
        self._database_answers = threading.Event()
        self._stopping = threading.Event()
        self._events: sa.Table = Event.__table__  # type: ignore[attr-defined]
        # SQLite's log is checkpointed beside the writer, never inside a commit.
        self._wal = WalCheckpoints(engine) if engine.dialect.name == "sqlite" else None
        self._event_insert = _BulkInsert(engine, self._events, ("event_key", "occurred_at"))

    # -- API ---------------------------------------------------------------------------
    def submit(self, ops: list[Op]) -> Future[Outcome]:
        """Queue ``ops``; the future resolves once they are committed or spooled."""
        self.start()
        future: Future[Outcome] = Future()
        self._queue.put([(ops, future)])
        return future

    async def write(self, ops: list[Op]) -> Outcome:
        """Queue ``ops`` and wait for their batch, without blocking the event loop.

        The requests of one event-loop iteration reach the writer thread together, and
        the writer wakes each event loop once per batch: waking a thread costs a system
        call, too dear to pay per request.
        """
        self.start()
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[Outcome] = loop.create_future()
        pending = self._handover.get(loop)
        if pending is None:
            pending = self._handover[loop] = []
            loop.call_soon(self._hand_over, loop)
        pending.append((ops, (loop, waiter)))
        return await waiter

    def write_later(
        self, ops: list[Op], done: Callable[[Outcome], None], loop: asyncio.AbstractEventLoop
    ) -> None:
        """Queue ``ops``; ``done(outcome)`` runs on ``loop`` once their batch is settled.

        :meth:`write` without a future or a task: the HTTP protocol ``candor serve`` runs
        answers a hit from this callback (``service.tracking.protocol``). ``done`` must
        not raise; the hits of one batch are settled in one loop callback.
        """
        self.start()
        pending = self._handover.get(loop)
        if pending is None:
            pending = self._handover[loop] = []
            loop.call_soon(self._hand_over, loop)
        pending.append((ops, (loop, done)))

    def _hand_over(self, loop: asyncio.AbstractEventLoop) -> None:
        self._queue.put(self._handover.pop(loop))

    @property
    def alive(self) -> bool:
        """Whether the threads run (or have yet to start): False once one has died."""
        return all(thread.is_alive() for thread in self._threads)

    @property
    def recording(self) -> bool:
        """Whether a hit now is kept: stored, or else spooled."""
        return self.alive and (self.healthy or not self.spool_fails)

    def close(self) -> None:
        """Write everything queued, then stop (SIGTERM flushes through this)."""
        with self._start_lock:
            threads, self._threads = self._threads, []
        self._stopping.set()
        if threads:
            self._queue.put(_STOP)  # each thread hands it on to the next
            deadline = time.monotonic() + 30
            for thread in threads:
                thread.join(timeout=max(0.0, deadline - time.monotonic()))
        self._spool.close()

    # -- the thread ----------------------------------------------------------------------
    def start(self) -> None:
        """Start the writer threads; the first drains what earlier runs left in the spool."""
        if not self._threads:
            with self._start_lock:
                if not self._threads:
                    self._stopping.clear()
                    self._running = self.connections
                    self._threads = [
                        threading.Thread(target=self._run, name=f"candor-writer-{n}", daemon=True)
                        for n in range(self.connections)
                    ]
                    for thread in self._threads:
                        thread.start()
                    threading.Thread(
                        target=self._probe, name="candor-db-probe", daemon=True
                    ).start()
                    if self._wal is not None:
                        threading.Thread(
                            target=self._wal.run,
                            args=(self._stopping,),
                            name="candor-wal-checkpoint",
                            daemon=True,
                        ).start()

    def _run(self) -> None:
        try:
            self._serve()
        finally:
            self._let_go()

    def _serve(self) -> None:
        self._guarded(self._recover)
        while True:
            taken = self._take()
            if taken is _IDLE:
                self._guarded(self._recover)
                continue
            number, batch, last = taken
            if batch:
                self._flush(number, batch)
            else:
                self._settled(number)
            if last:
                return

    def _take(self) -> Any:
        """The next batch, numbered in queue order, as (number, batch, last), or _IDLE.

        ``last``: _STOP was taken; the batch is everything still queued, and the thread
        ends after it, handing _STOP on to the threads still running.
        """
        with self._take_lock:
            try:
                item = self._queue.get(timeout=1.0)
            except queue.Empty:
                return _IDLE
            last = item is _STOP
            if last:
                batch = self._rest_of_queue()
                self._running -= 1
                if self._running > 0:
                    self._queue.put(_STOP)
            else:
                batch = list(item)
                while len(batch) < self._max_batch:
                    try:
                        more = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if more is _STOP:
                        self._queue.put(_STOP)
                        break
                    batch.extend(more)
            with self._order:
                number = self._taken
                self._taken += 1
                self._unsettled.add(number)
            return number, batch, last

    @staticmethod
    def _guarded(step: Any) -> None:
        try:
            step()
        except Exception:  # the thread must go on: every request waits for it
            log.exception("writer step failed; retrying in a second")

    def _rest_of_queue(self) -> list[tuple[list[Op], Any]]:
        batch = []
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not _STOP:
                batch.extend(item)
        return batch

    def _flush(self, number: int, batch: list[tuple[list[Op], Any]]) -> None:
        ops = [op for item_ops, _ in batch for op in item_ops]
        BATCH_SIZE.observe(len(batch))
        outcome: Outcome = "dropped"
        short: list[Any] = []
        try:
            if self.shared is not None:
                short = self._judge(self.shared, ops)
            if any(op["op"] not in _INSERTS for op in ops):
                self._after_earlier(number)
            outcome = self._write(ops)
        except Exception:
            DROPPED.labels("error").inc(len(ops))
            log.exception("%d operations dropped", len(ops))
        finally:
            self._settled(number)
            _resolve(batch, outcome)
        if outcome == "stored" and self._wal is not None:
            # SQLite's log catch-up waits for a sync of the database file (20 ms here):
            # after the batch's answers, so that one batch waits for it, not two.
            self._guarded(self._catch_up)
        shared = self.shared
        if short and outcome == "stored" and shared is not None:
            self._guarded(functools.partial(shared.recheck, short, self._store_late))

    def _after_earlier(self, number: int) -> None:
        """Wait until every batch taken before batch ``number`` is committed or spooled.

        An update must find the rows it updates: a burst's earlier click may be in the
        batch another connection is still committing.
        """
        with self._order:
            self._order.wait_for(lambda: min(self._unsettled) >= number)

    def _settled(self, number: int) -> None:
        with self._order:
            self._unsettled.discard(number)
            self._order.notify_all()

    def _catch_up(self) -> None:
        own = self._own
        if self._wal is not None and own is not None:
            self._wal.after_commit(own)

    @staticmethod
    def _judge(shared: SharedWindows, ops: list[Op]) -> list[Any]:
        """The shared windows' verdict; whatever goes wrong there, the batch is written."""
        try:
            return shared.judge(ops)
        except Exception:
            SHARED_WINDOW.labels("fallback").inc(len(ops))
            log.exception("shared windows failed; this batch keeps the local decision")
            return []

    def _store_late(self, op: Op) -> None:
        """A demotion found after the batch's commit: stored, or spooled like any batch."""
        self._write([op])

    def _write(self, ops: list[Op]) -> Outcome:
        """Store ``ops``, or spool them. Whether they were stored is this batch's own
        result: the other connection may find the database gone meanwhile."""
        if not self.healthy:
            self._guarded(self._recover)
        if self.healthy:
            try:
                self._store(ops)
            except _ROW_ERRORS:
                return self._store_each(ops)
            except sa.exc.SQLAlchemyError:
                log.warning("database unavailable; spooling %d operations", len(ops), exc_info=True)
                self.healthy = False
            else:
                STORED.inc(len(ops))
                return "stored"
        return self._to_spool(ops)

    def _to_spool(self, ops: list[Op]) -> Outcome:
        try:
            self._spool.append(ops)
        except OSError as error:
            reason = "spool_full" if isinstance(error, SpoolFull) else "spool_unwritable"
            DROPPED.labels(reason).inc(len(ops))
            if not self.spool_fails:  # once per episode, not once per batch
                log.error("%s: operations dropped until it takes them again: %s", reason, error)
            self.spool_fails = True
            return "dropped"
        self.spool_fails = False
        SPOOLED.inc(len(ops))
        SPOOL_DEPTH.set(self._spool.depth)
        return "spooled"

    def _store_each(self, ops: list[Op]) -> Outcome:
        """A batch with a row that cannot be stored: store the others, drop that one."""
        outcome: Outcome = "stored"
        for op in ops:
            try:
                self._store([op])
                STORED.inc()
            except _ROW_ERRORS as error:
                reason = "integrity" if isinstance(error, sa.exc.IntegrityError) else "invalid"
                DROPPED.labels(reason).inc()
                log.warning("operation dropped (%s): %s", reason, error.orig)
                outcome = "dropped"
        return outcome

    def _recover(self) -> None:
        """Drain the spool into the database once it answers; then write directly again.

        Only the prober thread waits on an unreachable database, so a batch never
        stalls on a connection attempt. One writer thread drains; another that comes by
        meanwhile waits for it, so that nothing new is stored before what was spooled.
        """
        with self._recovery:
            self._drain_spool()

    def _drain_spool(self) -> None:
        if self.healthy:
            if not self._spool.pending():
                return
        elif not self._database_answers.is_set():
            return
        self._database_answers.clear()
        try:
            for path, ops in self._spool.claim():
                if self._stopping.is_set():  # SIGTERM: the rest waits for the next start
                    return
                for start in range(0, len(ops), self._max_batch):
                    chunk = ops[start : start + self._max_batch]
                    try:
                        self._store(chunk)
                    except _ROW_ERRORS:
                        self._store_each(chunk)
                self._spool.done(path, len(ops))
                SPOOL_DEPTH.set(self._spool.depth)
            self.healthy = True
            self.spool_fails = False
        except sa.exc.SQLAlchemyError:
            self.healthy = False

    def _probe(self) -> None:
        """While the database is unhealthy, ask it every second whether it is back."""
        while not self._stopping.wait(1.0):
            if self.healthy or self._database_answers.is_set() or not self.prepared.is_set():
                continue
            try:
                with self._engine.connect() as connection:
                    connection.execute(sa.text("SELECT 1"))
            except sa.exc.SQLAlchemyError:
                continue
            self._database_answers.set()

    # -- SQL -----------------------------------------------------------------------------
    @property
    def _own(self) -> sa.Connection | None:
        """This writer thread's connection, if it has one."""
        return getattr(self._local, "connection", None)

    @_own.setter
    def _own(self, connection: sa.Connection | None) -> None:
        self._local.connection = connection

    def _connection(self) -> sa.Connection:
        """The writer thread's own connection, kept from batch to batch.

        Taking one from the pool for each batch cost a round trip on PostgreSQL (the
        pool's ping) and, on SQLite, the page cache: the pool hands out its connections in
        turn, and a connection that finds the database changed by another one since its
        last transaction starts with an empty cache, so every batch read its index pages
        again (see docs/collector.md, "Where a hit's time goes").
        """
        connection = self._own
        if connection is None or connection.closed or connection.invalidated:
            connection = self._own = self._engine.connect()
            if self._engine.dialect.name == "sqlite":
                # Room for the pages a batch touches in every index of a large store.
                connection.exec_driver_sql(f"PRAGMA cache_size=-{_SQLITE_CACHE_KIB}")
                connection.commit()
        return connection

    def _let_go(self) -> None:
        """Close this thread's connection (after an error, and when the thread ends)."""
        connection, self._own = self._own, None
        if connection is not None:
            with contextlib.suppress(Exception):  # an unreachable database cannot refuse it
                connection.close()

    def _store(self, ops: list[Op]) -> None:
        reused = self._own is not None
        try:
            self._store_in(self._connection(), ops)
        except _ROW_ERRORS:
            raise  # the transaction rolled back; the connection is fine
        except sa.exc.DBAPIError as error:
            self._let_go()  # whatever state it is in, the next batch starts afresh
            if not (reused and error.connection_invalidated):
                raise
            # The database closed a connection kept since an earlier batch (a restart,
            # an idle timeout): once, on a new one, as the pool's ping would have.
            try:
                self._store_in(self._connection(), ops)
            except Exception:
                self._let_go()
                raise
        except Exception:
            self._let_go()
            raise

    def _store_in(self, connection: sa.Connection, ops: list[Op]) -> None:
        events = [op["row"] for op in ops if op["op"] == "event"]
        with connection.begin():
            events += _resolve_opens(connection, [op for op in ops if op["op"] == "open_ref"])
            if events:
                # A replay carries its first acknowledgement's time: (key, time) is the hit.
                self._event_insert.run(connection, events)
            for op in ops:
                if op["op"] == "visitor":  # spooled before migration 0005
                    connection.execute(_visitor_on_click(self._events, op))
                elif op["op"] == "confirm":
                    connection.execute(_confirm(self._events, op))
                elif op["op"] == "demote":
                    connection.execute(_demote(self._events, op))
                elif op["op"] == "refuse":
                    connection.execute(_refuse(op))


class _BulkInsert:
    """One ``INSERT … ON CONFLICT DO NOTHING``, compiled once, run as the driver's
    executemany.

    The rows pass through each column's own bind processor (SQLAlchemy's, so values are
    stored exactly as the ORM stores them), and nothing else: building SQLAlchemy's
    per-row parameter structures cost three times the insert itself.
    """

    def __init__(self, engine: sa.Engine, table: sa.Table, key: tuple[str, ...]) -> None:
        dialect = engine.dialect
        insert = postgresql.insert if dialect.name == "postgresql" else sqlite.insert
        statement = insert(table).on_conflict_do_nothing(index_elements=list(key))
        columns = [c.name for c in table.columns if c is not table.autoincrement_column]
        compiled = statement.compile(dialect=dialect, column_keys=columns)
        self._sql = str(compiled)
        order = list(compiled.positiontup) if compiled.positional and compiled.positiontup else None
        self._names = order or columns
        self._positional = order is not None
        # (index, processor or None, is a date): the columns whose values need work.
        self._processors = [
            (index, processor, name in _DATES)
            for index, name in enumerate(self._names)
            if (processor := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
            is not None
            or name in _DATES
        ]

    def run(self, connection: sa.Connection, rows: list[dict[str, Any]]) -> None:
        names, processors = self._names, self._processors
        dates: dict[Any, Any] = {}  # a hit's two timestamps are one value: convert it once
        params: list[Any] = []
        for row in rows:
            values = [row.get(name) for name in names]
            for index, processor, is_date in processors:
                value = values[index]
                if value is None:
                    continue
                if is_date:
                    converted = dates.get(value)
                    if converted is None:
                        converted = _date(value)
                        converted = dates[value] = processor(converted) if processor else converted
                    values[index] = converted
                elif processor is not None:
                    values[index] = processor(value)
            params.append(
                tuple(values) if self._positional else dict(zip(names, values, strict=True))
            )
        connection.exec_driver_sql(self._sql, params)


def _set_event() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


def _resolve(batch: list[tuple[list[Op], Any]], outcome: Outcome) -> None:
    """Settle every waiter of a batch: one wake-up per event loop."""
    by_loop: dict[asyncio.AbstractEventLoop, list[Any]] = {}
    for _, waiter in batch:
        if isinstance(waiter, Future):
            waiter.set_result(outcome)
        else:
            loop, future = waiter
            by_loop.setdefault(loop, []).append(future)
    for loop, futures in by_loop.items():
        with contextlib.suppress(RuntimeError):  # that loop has closed: nobody waits
            loop.call_soon_threadsafe(_settle, futures, outcome)


def _settle(waiters: list[Any], outcome: Outcome) -> None:
    """On the waiters' loop: resolve each future, call each callback (write_later)."""
    for waiter in waiters:
        if isinstance(waiter, asyncio.Future):
            if not waiter.done():
                waiter.set_result(outcome)
            continue
        try:
            waiter(outcome)
        except Exception:  # one broken answer must not leave the batch's others waiting
            log.exception("a hit's answer failed")


def _resolve_opens(connection: sa.Connection, ops: list[Op]) -> list[dict[str, Any]]:
    """Event rows for opens spooled by message reference; gone or opted-out ones drop
    (opted out: the person's address is on the suppression list)."""
    if not ops:
        return []
    messages: sa.Table = Message.__table__  # type: ignore[attr-defined]
    prospects: sa.Table = Prospect.__table__  # type: ignore[attr-defined]
    people: sa.Table = Person.__table__  # type: ignore[attr-defined]
    suppressions: sa.Table = Suppression.__table__  # type: ignore[attr-defined]
    refs = {op["message_ref"] for op in ops}
    found = {
        row.ref: row
        for row in connection.execute(
            sa.select(
                messages.c.ref,
                messages.c.id,
                messages.c.prospect_id,
                suppressions.c.id.label("suppression_id"),
            )
            .join(prospects, prospects.c.id == messages.c.prospect_id)
            .join(people, people.c.id == prospects.c.person_id)
            .outerjoin(suppressions, suppressions.c.address_hash == people.c.address_hash)
            .where(messages.c.ref.in_(refs))
        )
    }
    rows = []
    for op in ops:
        target = found.get(op["message_ref"])
        if target is None or target.suppression_id is not None:
            DROPPED.labels("unresolved").inc()
            continue
        rows.append({**op["row"], "message_id": target.id, "prospect_id": target.prospect_id})
    return rows


def _visitor_on_click(events: sa.Table, op: Op) -> sa.Update:
    """A visitor id spooled as a row of its own by an older version: onto its click."""
    row = op["row"]
    return (
        sa.update(events)
        .where(events.c.event_key == row["click_event_key"], events.c.kind == "click")
        .values(visitor_id=row["id"])
    )


def _confirm(events: sa.Table, op: Op) -> sa.Update:
    """A person's visit carried this click's visitor id: the click was a person's.

    Only a click judged ``human`` is promoted, and only by a visit from the network the
    click came from: the visitor id travels in the redirect's Location, so whatever
    fetched the link (a scanner, stored as ``bot``) can replay it from anywhere.
    """
    conditions = [
        events.c.event_key == op["event_key"],
        events.c.evidence == "human",
        events.c.occurred_at >= _date(op["since"]),
    ]
    if "ip_prefix" in op:  # spooled by an older version without it: evidence alone
        conditions.append(events.c.ip_prefix == op["ip_prefix"])
    return (
        sa.update(events)
        .where(*conditions)
        .values(evidence="confirmed", reasons=_with_reason(events.c.reasons, "visit_followed"))
    )


def _demote(events: sa.Table, op: Op) -> sa.Update:
    """Clicks judged a person's until the rest of their burst showed a link scanner."""
    return (
        sa.update(events)
        .where(events.c.event_key.in_(op["event_keys"]), events.c.evidence == "human")
        .values(evidence="bot", reasons=_with_reason(events.c.reasons, op["reason"]))
    )


def _with_reason(reasons: Any, reason: str) -> Any:
    """The stored reason codes with one more, comma-separated."""
    return sa.case((reasons == "", reason), else_=reasons + "," + reason)


def _refuse(op: Op) -> sa.Update:
    """The person's browser sent GPC or DNT under a policy that honours it: marked on the
    person, so every record of them shows it. An operation spooled before people
    existed (or from a snapshot's target) names only the record: its person is found."""
    people: sa.Table = Person.__table__  # type: ignore[attr-defined]
    prospects: sa.Table = Prospect.__table__  # type: ignore[attr-defined]
    person_id: Any = op.get("person_id") or 0
    if not person_id:
        person_id = (
            sa.select(prospects.c.person_id)
            .where(prospects.c.id == op["prospect_id"])
            .scalar_subquery()
        )
    return (
        sa.update(people)
        .where(people.c.id == person_id, people.c.tracking_refused_at.is_(None))
        .values(tracking_refused_at=_date(op["at"]))
    )


def _date(value: Any) -> Any:
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value
