"""The group-commit writer: one bad row never holds up, or loses, the rest of its batch."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from service.models import Event, Message, Person, Prospect, User, utcnow
from service.people import service as people
from service.runtime import Runtime
from service.tracking.schemas import ClientInfo
from service.tracking.service import unresolved_open_op
from service.tracking.spool import Op
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
