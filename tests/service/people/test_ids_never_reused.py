"""Ids the audit log names are never given to someone else: after an erasure, the next
prospect and person get new ids, and after a removal the next suppression does
(SQLite would give the largest id out again without AUTOINCREMENT; migration 0014)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from service.db import migrate_to
from service.models import Person, Prospect, Suppression
from service.runtime import Runtime
from tests.factories import Person as User
from tests.factories import make_prospect, make_user

TABLES = {"prospect", "person", "suppression"}


def rows(runtime: Runtime, model: Any) -> list[Any]:
    with Session(runtime.engine) as session:
        return list(session.exec(select(model)))


def erase(client: TestClient, officer: User, prospect_id: int) -> None:
    response = client.delete(f"/api/prospects/{prospect_id}", headers=officer.headers)
    assert response.status_code == 204, response.text


def audited_prospects(client: TestClient, officer: User, prospect_id: int) -> list[str]:
    response = client.get(f"/api/audit?prospect_id={prospect_id}", headers=officer.headers)
    assert response.status_code == 200, response.text
    return [entry["action"] for entry in response.json()["items"]]


@pytest.fixture
def people(client: TestClient) -> dict[str, User]:
    return {"rob": make_user(client, name="Rob"), "cora": make_user(client, "compliance")}


class TestAfterAnErasure:
    def test_the_same_address_added_again_is_a_new_prospect_and_a_new_person(
        self, client: TestClient, runtime: Runtime, people: dict[str, User]
    ) -> None:
        rob, cora = people["rob"], people["cora"]
        make_prospect(client, rob, email="ann@example.com", name="Ann")
        eve = make_prospect(client, rob, email="EVE@example.com", name="Eve")
        [eves_person] = [p.person_id for p in rows(runtime, Prospect) if p.id == eve["id"]]
        erase(client, cora, eve["id"])
        again = make_prospect(client, rob, email="eve@example.com", name="Eve")
        assert again["id"] > eve["id"]
        [new_person] = [p.person_id for p in rows(runtime, Prospect) if p.id == again["id"]]
        assert new_person > eves_person
        # The erased record's entries stay its own: none of the new record's joins them.
        assert audited_prospects(client, cora, eve["id"]) == ["prospect.erase"]

    def test_a_removed_suppression_id_is_not_given_to_the_next_one(
        self, client: TestClient, runtime: Runtime, people: dict[str, User]
    ) -> None:
        cora = people["cora"]
        first = client.post(
            "/api/suppressions", json={"email": "a@example.com"}, headers=cora.headers
        ).json()
        removed = client.delete(f"/api/suppressions/{first['id']}", headers=cora.headers)
        assert removed.status_code in (200, 204), removed.text
        second = client.post(
            "/api/suppressions", json={"email": "b@example.com"}, headers=cora.headers
        ).json()
        assert second["id"] > first["id"]


class TestMigration0014:
    @pytest.fixture(autouse=True)
    def sqlite_only(self, runtime: Runtime) -> None:
        if runtime.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL's sequences never reuse an id; 0014 changes nothing there")

    def test_it_keeps_every_row_and_id(
        self, client: TestClient, runtime: Runtime, people: dict[str, User]
    ) -> None:
        rob, cora = people["rob"], people["cora"]
        for email in ("ann@example.com", "ben@example.com"):
            make_prospect(client, rob, email=email)
        client.post("/api/suppressions", json={"email": "ben@example.com"}, headers=cora.headers)

        def snapshot() -> list[Any]:
            return [
                [(p.id, p.ref, p.person_id, p.email) for p in rows(runtime, Prospect)],
                [(p.id, p.address_hash) for p in rows(runtime, Person)],
                [(s.id, s.address_hash, s.reason) for s in rows(runtime, Suppression)],
            ]

        before = snapshot()
        migrate_to(runtime.engine, "0013", down=True)
        with runtime.engine.connect() as connection:
            plain = set(
                connection.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE sql LIKE '%AUTOINCREMENT%'"
                ).scalars()
            )
        assert plain & TABLES == set()
        migrate_to(runtime.engine, "head")
        assert snapshot() == before
        with runtime.engine.connect() as connection:
            tables = set(
                connection.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE sql LIKE '%AUTOINCREMENT%'"
                ).scalars()
            )
        assert tables >= TABLES

    def test_an_id_deleted_before_the_upgrade_is_not_given_out_after_it(
        self, client: TestClient, runtime: Runtime, people: dict[str, User]
    ) -> None:
        """The audit log remembers what the old table forgot: each sequence starts above
        every id it names, even one whose row was deleted before the upgrade."""
        rob, cora = people["rob"], people["cora"]
        migrate_to(runtime.engine, "0013", down=True)
        make_prospect(client, rob, email="ann@example.com")
        eve = make_prospect(client, rob, email="eve@example.com")
        [eves_person] = [p.person_id for p in rows(runtime, Prospect) if p.id == eve["id"]]
        erase(client, cora, eve["id"])  # the newest prospect and person go
        xan = client.post(
            "/api/suppressions", json={"email": "xan@example.com"}, headers=cora.headers
        ).json()
        client.delete(f"/api/suppressions/{xan['id']}", headers=cora.headers)
        assert max(s.id for s in rows(runtime, Suppression)) < xan["id"]
        migrate_to(runtime.engine, "head")
        again = make_prospect(client, rob, email="eve@example.com")
        assert again["id"] > eve["id"]
        [new_person] = [p.person_id for p in rows(runtime, Prospect) if p.id == again["id"]]
        assert new_person > eves_person
        newest = client.post(
            "/api/suppressions", json={"email": "yan@example.com"}, headers=cora.headers
        ).json()
        assert newest["id"] > xan["id"]
