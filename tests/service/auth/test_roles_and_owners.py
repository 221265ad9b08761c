"""Roles, managers and prospect owners stay consistent, whatever changes first.

Only a rep or a manager owns prospects (``PATCH /api/prospects`` refuses anyone else as
the new owner), and only a rep has a manager (the manager reads the rep's prospects).
A role change may not break either; a deactivation keeps the prospects where they are
and says so.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from service.models import User
from service.runtime import Runtime
from tests.conftest import ADMIN_KEY
from tests.factories import Person, auth, make_prospect, make_user

ADMIN = auth(ADMIN_KEY)


def _audit(client: TestClient, action: str) -> list[dict[str, Any]]:
    entries = client.get("/api/audit", params={"limit": 500}, headers=ADMIN).json()["items"]
    return [entry for entry in entries if entry["action"] == action]


def _owning(client: TestClient, count: int, *, name: str = "Ana", **kwargs: Any) -> Person:
    owner = make_user(client, name=name, **kwargs)
    for n in range(count):
        make_prospect(client, owner, email=f"p{n}@example.com")
    return owner


class TestARoleChangeKeepsProspectsWithAnOwnerWhoMayOwnThem:
    @pytest.mark.parametrize("role", ["compliance", "admin"])
    def test_a_rep_who_owns_prospects_is_refused_another_role_with_a_409_saying_how(
        self, client: TestClient, role: str
    ) -> None:
        ana = _owning(client, 12)
        response = client.patch(f"/api/users/{ana.id}", json={"role": role}, headers=ADMIN)
        assert response.status_code == 409, response.text
        detail = response.json()["detail"]
        assert detail.startswith("Ana owns 12 prospects; give them to a rep or manager first")
        assert (
            f"Hand over on their page in the console, or POST /api/users/{ana.id}/prospects/handover"
            in detail
        )
        assert "PATCH /api/prospects/{id} with owner_id" in detail
        assert client.get(f"/api/users/{ana.id}", headers=ADMIN).json()["role"] == "rep"
        assert _audit(client, "user.updated") == []
        assert client.get("/api/me", headers=ana.headers).json()["role"] == "rep"

    def test_one_prospect_is_said_in_the_singular(self, client: TestClient) -> None:
        ana = _owning(client, 1)
        response = client.patch(f"/api/users/{ana.id}", json={"role": "compliance"}, headers=ADMIN)
        assert response.json()["detail"].startswith("Ana owns 1 prospect; give it to")

    def test_a_manager_who_owns_prospects_is_refused_too(self, client: TestClient) -> None:
        mia = _owning(client, 2, name="Mia", role="manager")
        response = client.patch(f"/api/users/{mia.id}", json={"role": "compliance"}, headers=ADMIN)
        assert response.status_code == 409
        assert response.json()["detail"].startswith("Mia owns 2 prospects")

    def test_a_deactivated_owner_is_refused_alike(self, client: TestClient) -> None:
        ana = _owning(client, 3)
        assert client.delete(f"/api/users/{ana.id}", headers=ADMIN).status_code == 200
        response = client.patch(f"/api/users/{ana.id}", json={"role": "compliance"}, headers=ADMIN)
        assert response.status_code == 409

    def test_between_the_roles_that_own_prospects_the_change_goes_through(
        self, client: TestClient
    ) -> None:
        ana = _owning(client, 2)
        response = client.patch(f"/api/users/{ana.id}", json={"role": "manager"}, headers=ADMIN)
        assert response.status_code == 200 and response.json()["role"] == "manager"
        listed = client.get("/api/prospects", headers=ana.headers).json()
        assert len(listed) == 2
        back = client.patch(f"/api/users/{ana.id}", json={"role": "rep"}, headers=ADMIN)
        assert back.status_code == 200 and back.json()["prospects_owned"] == 2

    def test_once_the_prospects_belong_to_someone_else_the_role_changes(
        self, client: TestClient
    ) -> None:
        ana, bo = _owning(client, 2), make_user(client, name="Bo")
        for prospect in client.get("/api/prospects", headers=ana.headers).json():
            moved = client.patch(
                f"/api/prospects/{prospect['id']}", json={"owner_id": bo.id}, headers=ADMIN
            )
            assert moved.status_code == 200
        response = client.patch(f"/api/users/{ana.id}", json={"role": "compliance"}, headers=ADMIN)
        assert response.status_code == 200
        assert response.json()["role"] == "compliance" and response.json()["prospects_owned"] == 0

    def test_a_user_who_owns_none_changes_role_freely(self, client: TestClient) -> None:
        rep = make_user(client)
        response = client.patch(f"/api/users/{rep.id}", json={"role": "compliance"}, headers=ADMIN)
        assert response.status_code == 200

    def test_every_account_says_how_many_prospects_are_theirs(self, client: TestClient) -> None:
        ana, bo = _owning(client, 3), make_user(client, name="Bo")
        listed = {
            u["id"]: u["prospects_owned"] for u in client.get("/api/users", headers=ADMIN).json()
        }
        assert listed[ana.id] == 3 and listed[bo.id] == 0
        assert client.get(f"/api/users/{ana.id}", headers=ADMIN).json()["prospects_owned"] == 3

    def test_the_openapi_document_declares_the_409(self, client: TestClient) -> None:
        document = client.get("/openapi.json").json()
        responses = document["paths"]["/api/users/{user_id}"]["patch"]["responses"]
        assert "409" in responses and "422" in responses
        account = document["components"]["schemas"]["UserAccount"]
        assert "prospects_owned" in account["required"]


class TestOnlyARepHasAManager:
    @pytest.mark.parametrize("role", ["compliance", "manager", "admin"])
    def test_creating_another_role_with_a_manager_is_a_422_naming_manager_id(
        self, client: TestClient, role: str
    ) -> None:
        boss = make_user(client, "manager", name="Mia")
        before = client.get("/api/users", headers=ADMIN).json()
        for path in ("/api/users", "/api/invitations"):
            body = {"name": "Cora", "role": role, "manager_id": boss.id}
            response = client.post(path, json=body, headers=ADMIN)
            assert response.status_code == 422, response.text
            error = response.json()["detail"][0]
            assert error["loc"] == ["body", "manager_id"]
            assert error["msg"].startswith("Only a rep has a manager")
        assert client.get("/api/users", headers=ADMIN).json() == before

    def test_a_rep_still_gets_one(self, client: TestClient) -> None:
        boss = make_user(client, "manager")
        body = {"name": "Rita", "role": "rep", "manager_id": boss.id}
        response = client.post("/api/users", json=body, headers=ADMIN)
        assert response.status_code == 201 and response.json()["manager_id"] == boss.id

    def test_giving_a_compliance_user_a_manager_is_a_422(self, client: TestClient) -> None:
        boss, cora = make_user(client, "manager"), make_user(client, "compliance")
        response = client.patch(
            f"/api/users/{cora.id}", json={"manager_id": boss.id}, headers=ADMIN
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "manager_id"]
        assert client.get(f"/api/users/{cora.id}", headers=ADMIN).json()["manager_id"] is None

    def test_a_role_change_away_from_rep_ends_the_reporting_line_and_says_so(
        self, client: TestClient
    ) -> None:
        boss = make_user(client, "manager")
        rep = make_user(client, manager=boss)
        response = client.patch(f"/api/users/{rep.id}", json={"role": "compliance"}, headers=ADMIN)
        assert response.status_code == 200
        assert response.json()["manager_id"] is None
        [entry] = _audit(client, "user.updated")
        assert entry["detail"]["before"] == {"role": "rep", "manager_id": boss.id}
        assert entry["detail"]["after"] == {"role": "compliance", "manager_id": None}

    def test_a_role_change_that_names_a_manager_for_a_non_rep_changes_nothing(
        self, client: TestClient
    ) -> None:
        boss = make_user(client, "manager")
        rep = make_user(client, manager=boss)
        body = {"role": "manager", "manager_id": boss.id}
        response = client.patch(f"/api/users/{rep.id}", json=body, headers=ADMIN)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "manager_id"]
        after = client.get(f"/api/users/{rep.id}", headers=ADMIN).json()
        assert after["role"] == "rep" and after["manager_id"] == boss.id
        cleared = client.patch(
            f"/api/users/{rep.id}", json={"role": "manager", "manager_id": None}, headers=ADMIN
        )
        assert cleared.status_code == 200 and cleared.json()["manager_id"] is None

    def test_a_manager_is_held_back_only_by_the_reps_who_report_to_them(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        """A non-rep "under" a manager (left by an earlier version) is nobody's report."""
        boss = make_user(client, "manager")
        rita = make_user(client, manager=boss)
        gone = make_user(client, manager=boss)
        cora = make_user(client, "compliance")
        with Session(runtime.engine) as session:
            row = session.get(User, cora.id)
            assert row is not None
            row.manager_id = boss.id
            session.add(row)
            session.commit()
        client.delete(f"/api/users/{gone.id}", headers=ADMIN)
        response = client.patch(f"/api/users/{boss.id}", json={"role": "rep"}, headers=ADMIN)
        assert response.status_code == 422
        message = response.json()["detail"][0]["msg"]
        assert f"still manages users {rita.id}, {gone.id};" in message
        for rep in (rita, gone):
            client.patch(f"/api/users/{rep.id}", json={"manager_id": None}, headers=ADMIN)
        response = client.patch(f"/api/users/{boss.id}", json={"role": "rep"}, headers=ADMIN)
        assert response.status_code == 200


class TestDeactivatingAnOwner:
    def test_a_reps_prospects_stay_theirs_and_their_manager_reads_and_moves_them(
        self, client: TestClient
    ) -> None:
        boss = make_user(client, "manager", name="Mia")
        ana = _owning(client, 2, manager=boss)
        bo = make_user(client, name="Bo", manager=boss)
        response = client.delete(f"/api/users/{ana.id}", headers=ADMIN)
        assert response.status_code == 200
        assert response.json()["prospects_owned"] == 2 and response.json()["active"] is False
        [entry] = _audit(client, "user.deactivated")
        assert entry["detail"]["prospects_owned"] == 2
        team = client.get("/api/prospects", headers=boss.headers).json()
        assert sorted(p["owner_id"] for p in team) == [ana.id, ana.id]
        first = team[0]["id"]
        assert client.get(f"/api/prospects/{first}", headers=boss.headers).status_code == 200
        moved = client.patch(
            f"/api/prospects/{first}", json={"owner_id": bo.id}, headers=boss.headers
        )
        assert moved.status_code == 200 and moved.json()["owner_id"] == bo.id
        assert client.get(f"/api/users/{ana.id}", headers=ADMIN).json()["prospects_owned"] == 1

    def test_nobody_may_give_a_prospect_to_the_deactivated_owner(self, client: TestClient) -> None:
        boss = make_user(client, "manager")
        ana = _owning(client, 1, manager=boss)
        bo = _owning(client, 1, name="Bo", manager=boss)
        client.delete(f"/api/users/{ana.id}", headers=ADMIN)
        [bos] = client.get("/api/prospects", headers=bo.headers).json()
        response = client.patch(
            f"/api/prospects/{bos['id']}", json={"owner_id": ana.id}, headers=boss.headers
        )
        assert response.status_code == 422
