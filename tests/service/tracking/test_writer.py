"""The group-commit writer: one bad row never holds up, or loses, the rest of its batch;
on PostgreSQL one batch commits while the next is written on a second connection."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY
from pydantic import ValidationError
from sqlmodel import Session, select
from starlette.testclient import TestClient

from service.config import Settings
from service.models import Event, Message, Person, Prospect, User, utcnow
from service.people import service as people
from service.runtime import Runtime
from service.tracking.schemas import ClientInfo
from service.tracking.service import unresolved_open_op
from service.tracking.spool import Op, Spool
from service.tracking.writer import EventWriter
from tests.factories import BROWSER_UA, make_prospect, make_user, send_message, stored_events

_keys = itertools.count()


def visit(url: str) -> Op:
    now = utcnow()
    row: dict[str, Any] = {
        "event_key": f"test-{next(_keys):027d}",
        "kind": "visit",
        "occurred_at": now,
        "received_at": now,
        "evidence": "human",
        "reasons": "",
        "site": "example.com",
        "url": url,
    }
    return {"op": "event", "row": row}


class TestRefusedRows:
    def test_a_row_the_database_refuses_is_dropped_and_the_rest_of_its_batch_stored(
        self, runtime: Runtime
    ) -> None:
        if runtime.engine.dialect.name != "postgresql":
            pytest.skip("SQLite stores any text; PostgreSQL refuses a NUL character")
        ops = [
            visit("https://example.com/a"),
            visit("https://example.com/\x00"),
            visit("https://example.com/b"),
        ]
        assert runtime.writer.submit(ops).result(timeout=30) == "dropped"
        assert runtime.writer.healthy  # a refused row is not an outage: nothing spooled
        assert sorted(event.url for event in stored_events(runtime, "visit")) == [
            "https://example.com/a",
            "https://example.com/b",
        ]
        later = runtime.writer.submit([visit("https://example.com/c")]).result(timeout=30)
        assert later == "stored"


class TestRowsAsTheOrmStoresThem:
    """The writer hands rows to the driver itself; readers must not tell the difference."""

    @pytest.mark.parametrize(
        "when",
        [
            datetime(2026, 11, 25, 9, 30, 0, 0, tzinfo=UTC),  # no microseconds to print
            datetime(2026, 11, 25, 11, 30, 0, 123456, tzinfo=timezone(timedelta(hours=2))),
            "2026-11-25T09:30:00.500000+00:00",  # as a spool file carries it
        ],
    )
    def test_a_time_is_stored_so_that_the_orm_finds_it_by_equality_and_range(
        self, runtime: Runtime, when: datetime | str
    ) -> None:
        op = visit("https://example.com/t")
        op["row"]["occurred_at"] = op["row"]["received_at"] = when
        assert runtime.writer.submit([op]).result(timeout=30) == "stored"
        expected = datetime.fromisoformat(when) if isinstance(when, str) else when
        with Session(runtime.engine) as session:
            found = session.exec(select(Event).where(Event.occurred_at == expected)).one()
            earlier = expected - timedelta(microseconds=1)
            assert session.exec(select(Event).where(Event.occurred_at > earlier)).one() == found
        assert found.occurred_at == expected and found.received_at == expected
        assert found.url == "https://example.com/t" and found.site == "example.com"
        assert found.prospect_id is None and found.title is None

    def test_many_hits_of_one_event_loop_iteration_are_each_answered(
        self, runtime: Runtime
    ) -> None:
        async def hits() -> list[str]:
            ops = [[visit(f"https://example.com/{n}")] for n in range(200)]
            return await asyncio.gather(*(runtime.writer.write(op) for op in ops))

        assert asyncio.run(hits()) == ["stored"] * 200
        assert len(stored_events(runtime, "visit")) == 200


def test_a_visitor_id_spooled_by_an_older_version_lands_on_its_click(runtime: Runtime) -> None:
    click = visit("https://example.com/c")
    click["row"]["kind"] = "click"
    legacy = {
        "op": "visitor",
        "row": {
            "id": "legacy-visitor-id",
            "prospect_id": None,
            "click_event_key": click["row"]["event_key"],
            "created_at": "2026-11-25T09:30:00+00:00",
        },
    }
    assert runtime.writer.submit([click, legacy]).result(timeout=30) == "stored"
    [stored] = stored_events(runtime, "click")
    assert stored.visitor_id == "legacy-visitor-id"


class TestRefusalsMarkThePerson:
    @pytest.fixture
    def record(self, runtime: Runtime) -> Prospect:
        """A record of a person who has refused nothing yet."""
        with Session(runtime.engine) as session:
            owner = User(name="rep for refusals", role="rep")
            session.add(owner)
            session.flush()
            assert owner.id is not None
            prospect = Prospect(
                ref="refusal-record",
                owner_id=owner.id,
                person_id=people.person_for(session, "ref@example.com"),
                email="ref@example.com",
            )
            session.add(prospect)
            session.commit()
            session.refresh(prospect)
            return prospect

    def refused_at(self, runtime: Runtime, record: Prospect) -> datetime | None:
        with Session(runtime.engine) as session:
            person = session.get(Person, record.person_id)
            assert person is not None
            return person.tracking_refused_at

    def test_a_refusal_is_stored_on_the_person(self, runtime: Runtime, record: Prospect) -> None:
        op: Op = {"op": "refuse", "person_id": record.person_id, "prospect_id": record.id}
        assert runtime.writer.submit([{**op, "at": utcnow()}]).result(5) == "stored"
        assert self.refused_at(runtime, record) is not None

    def test_a_refusal_spooled_before_people_existed_finds_the_records_person(
        self, runtime: Runtime, record: Prospect
    ) -> None:
        op: Op = {"op": "refuse", "prospect_id": record.id, "at": utcnow().isoformat()}
        assert runtime.writer.submit([op]).result(5) == "stored"
        assert self.refused_at(runtime, record) is not None


class TestOpensSpooledByReference:
    """An open spooled while the database was down is checked against the suppression list
    when it is written: the person may have opted out meanwhile, through any record."""

    @pytest.mark.parametrize("suppressed", [False, True], ids=["tracked", "suppressed"])
    def test_the_open_is_stored_unless_the_person_is_suppressed_by_then(
        self, client: TestClient, runtime: Runtime, suppressed: bool
    ) -> None:
        rep = make_user(client)
        sent = send_message(client, rep, make_prospect(client, rep)["id"])
        with Session(runtime.engine) as session:
            message = session.get(Message, sent["id"])
            assert message is not None
            if suppressed:
                people.suppress(
                    session, digest=people.hash_of(session, "anna@example.com"), reason="added"
                )
                session.commit()
            ref = message.ref
        client_info = ClientInfo.from_parts("GET", "203.0.113.9", {"user-agent": BROWSER_UA})
        ops = unresolved_open_op(runtime, ref=ref, client=client_info, now=utcnow())
        runtime.writer.submit(ops).result(5)
        assert len(stored_events(runtime, "open")) == (0 if suppressed else 1)


class _HeldInsert:
    """The writer's insert, holding the first batch that carries ``url`` after its rows
    are inserted, before its commit, until ``release`` is set; then, once, ``fails``."""

    def __init__(self, insert: Any, url: str, fails: Exception | None = None) -> None:
        self._insert, self._url, self._fails = insert, url, fails
        self.inside = threading.Event()  # the held batch has inserted and waits
        self.release = threading.Event()
        self._done = False

    def run(self, connection: Any, rows: list[dict[str, Any]]) -> None:
        self._insert.run(connection, rows)
        if not self._done and any(row.get("url") == self._url for row in rows):
            self._done = True
            self.inside.set()
            assert self.release.wait(10)
            if self._fails is not None:
                raise self._fails


def hold(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, url: str, fails: Exception | None = None
) -> _HeldInsert:
    held = _HeldInsert(runtime.writer._event_insert, url, fails)
    monkeypatch.setattr(runtime.writer, "_event_insert", held)
    return held


def stored_once(runtime: Runtime, url: str) -> bool:
    return [event.url for event in stored_events(runtime, "visit")].count(url) == 1


def is_postgresql(runtime: Runtime) -> bool:
    return runtime.engine.dialect.name == "postgresql"


class TestPipelinedGroupCommit:
    """On PostgreSQL two connections write in turn: one batch is inserted and committed
    while the one before it still waits for its commit. SQLite has one writer."""

    def test_a_batch_is_committed_while_the_one_before_it_waits_for_its_commit(
        self, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        held = hold(runtime, monkeypatch, "https://example.com/slow")
        stored_before = REGISTRY.get_sample_value("candor_writer_operations_stored_total") or 0
        slow = runtime.writer.submit([visit("https://example.com/slow")])
        assert held.inside.wait(10)
        quick = runtime.writer.submit([visit("https://example.com/quick")])
        if is_postgresql(runtime):
            assert runtime.writer.connections == 2
            assert quick.result(timeout=10) == "stored"  # the slow one not yet committed
            assert not slow.done() and stored_once(runtime, "https://example.com/quick")
        else:
            assert runtime.writer.connections == 1
            with pytest.raises(TimeoutError):
                quick.result(timeout=0.5)  # one connection: it waits for the slow one
        held.release.set()
        assert slow.result(timeout=10) == "stored" and quick.result(timeout=10) == "stored"
        stored = REGISTRY.get_sample_value("candor_writer_operations_stored_total") or 0
        assert stored - stored_before == 2  # each batch counted once
        assert stored_once(runtime, "https://example.com/slow")

    def test_an_outage_on_one_connection_spools_only_its_batch_and_drains_it_once(
        self, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        if not is_postgresql(runtime):
            pytest.skip("SQLite writes on one connection")
        gone = sa.exc.OperationalError("COMMIT", None, Exception("server closed the connection"))
        lost_held = hold(runtime, monkeypatch, "https://example.com/lost", fails=gone)
        other_held = hold(runtime, monkeypatch, "https://example.com/other")
        spooled_before = REGISTRY.get_sample_value("candor_writer_operations_spooled_total") or 0
        lost = runtime.writer.submit([visit("https://example.com/lost")])
        assert lost_held.inside.wait(10)
        other = runtime.writer.submit([visit("https://example.com/other")])
        assert other_held.inside.wait(10)  # both batches in flight, one per connection
        lost_held.release.set()
        assert lost.result(timeout=10) == "spooled"
        other_held.release.set()  # its commit succeeds after the other connection failed
        assert other.result(timeout=10) == "stored"
        spooled = REGISTRY.get_sample_value("candor_writer_operations_spooled_total") or 0
        assert spooled - spooled_before == 1  # the failed batch only
        # The database answers the prober: the spool drains, then writing goes on.
        deadline = time.monotonic() + 15
        while not (runtime.writer.healthy and stored_once(runtime, "https://example.com/lost")):
            assert time.monotonic() < deadline, "the spooled batch was never drained"
            time.sleep(0.1)
        later = runtime.writer.submit([visit("https://example.com/later")]).result(timeout=10)
        assert later == "stored"
        assert runtime.writer._spool.depth == 0 and not runtime.writer._spool.pending()
        assert stored_once(runtime, "https://example.com/other")

    def test_a_batch_that_fails_in_an_unforeseen_way_on_one_connection_stops_nothing(
        self, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        held = hold(runtime, monkeypatch, "https://example.com/bug", fails=RuntimeError("bug"))
        broken = runtime.writer.submit([visit("https://example.com/bug")])
        assert held.inside.wait(10)
        held.release.set()
        assert broken.result(timeout=10) == "dropped"
        # Every writer thread still takes batches, on its own connection or a new one.
        futures = [runtime.writer.submit([visit(f"https://example.com/{n}")]) for n in range(20)]
        assert [future.result(timeout=10) for future in futures] == ["stored"] * 20
        assert runtime.writer.alive and runtime.writer.healthy

    def test_a_demotion_waits_for_the_batch_before_it_that_holds_the_click(
        self, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A scanner's second click demotes its first, which may still be committing on
        the other connection: the demotion must find it."""
        held = hold(runtime, monkeypatch, "https://example.com/first-click")
        click = visit("https://example.com/first-click")
        click["row"]["kind"] = "click"
        first = runtime.writer.submit([click])
        assert held.inside.wait(10)
        demote: Op = {
            "op": "demote",
            "event_keys": [click["row"]["event_key"]],
            "reason": "all_links_at_once",
        }
        second = runtime.writer.submit([visit("https://example.com/second"), demote])
        with pytest.raises(TimeoutError):
            second.result(timeout=0.5)  # it waits for the click's commit
        held.release.set()
        assert first.result(timeout=10) == "stored" and second.result(timeout=10) == "stored"
        [stored] = stored_events(runtime, "click")
        assert stored.evidence == "bot" and "all_links_at_once" in stored.reasons

    def test_close_writes_everything_queued_on_every_connection_and_returns(
        self, runtime: Runtime
    ) -> None:
        futures = [runtime.writer.submit([visit(f"https://example.com/{n}")]) for n in range(50)]
        began = time.monotonic()
        runtime.writer.close()  # what SIGTERM runs
        assert time.monotonic() - began < 10  # every thread took its turn to stop
        assert [future.result(timeout=0) for future in futures] == ["stored"] * 50
        assert len(stored_events(runtime, "visit")) == 50
        assert not [t for t in threading.enumerate() if t.name.startswith("candor-writer-")]


class TestWriterConnections:
    @pytest.mark.parametrize("asked", [None, 1, 3])
    def test_postgresql_takes_the_setting_or_two_and_sqlite_always_one(
        self, runtime: Runtime, asked: int | None, tmp_path: Path
    ) -> None:
        writer = EventWriter(runtime.engine, Spool(tmp_path / "spool"), connections=asked)
        expected = (asked or 2) if is_postgresql(runtime) else 1
        assert writer.connections == expected

    def test_the_setting_is_read_from_candor_writer_connections(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("CANDOR_WRITER_CONNECTIONS", "3")
        assert Settings().writer_connections == 3
        monkeypatch.setenv("CANDOR_WRITER_CONNECTIONS", "0")
        with pytest.raises(ValidationError):
            Settings()
