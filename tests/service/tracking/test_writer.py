"""The group-commit writer: one bad row never holds up, or loses, the rest of its batch."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from service.models import utcnow
from service.runtime import Runtime
from service.tracking.spool import Op
from tests.factories import stored_events

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
