"""One check for a new owner: a single reassignment and a hand-over refuse alike."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import ADMIN_KEY
from tests.factories import Person, auth, make_prospect, make_user

ADMIN = auth(ADMIN_KEY)


def refusals(client: TestClient, owner: Person, to: int, headers: dict[str, str]) -> list[Any]:
    """The 422 details of PATCH owner_id and of the hand-over, for the same new owner."""
    prospect = make_prospect(client, owner)
    patched = client.patch(
        f"/api/prospects/{prospect['id']}", json={"owner_id": to}, headers=headers
    )
    handed = client.post(
        f"/api/users/{owner.id}/prospects/handover", json={"to_user_id": to}, headers=headers
    )
    assert (patched.status_code, handed.status_code) == (422, 422), (patched.text, handed.text)
    return [patched.json()["detail"][0], handed.json()["detail"][0]]


class TestTheSameRefusalForAReassignmentAndAHandOver:
    @pytest.mark.parametrize("role", ["admin", "compliance"])
    def test_an_admin_refusing_a_non_owner_role_says_an_active_rep_or_manager(
        self, client: TestClient, role: str
    ) -> None:
        rep, other = make_user(client), make_user(client, role)
        patched, handed = refusals(client, rep, other.id, ADMIN)
        assert patched["loc"] == ["body", "owner_id"]
        assert patched["msg"] == "owner_id must be an active rep or manager."
        assert handed["loc"] == ["body", "to_user_id"]
        assert handed["msg"] == "to_user_id must be an active rep or manager."

    def test_an_unknown_id_is_refused_as_a_non_owner_is(self, client: TestClient) -> None:
        patched, handed = refusals(client, make_user(client), 999_999, ADMIN)
        assert patched["msg"] == "owner_id must be an active rep or manager."
        assert handed["msg"] == "to_user_id must be an active rep or manager."

    def test_a_deactivated_user_is_refused_naming_the_deactivation(
        self, client: TestClient
    ) -> None:
        rep, gone = make_user(client), make_user(client)
        client.delete(f"/api/users/{gone.id}", headers=ADMIN)
        patched, handed = refusals(client, rep, gone.id, ADMIN)
        assert patched["msg"] == "owner_id names a deactivated user; choose an active owner."
        assert handed["msg"] == "to_user_id names a deactivated user; choose an active owner."

    def test_a_manager_refused_someone_outside_the_team_is_told_you_or_your_reps(
        self, client: TestClient
    ) -> None:
        boss, other_boss = make_user(client, "manager"), make_user(client, "manager")
        mine, theirs = make_user(client, manager=boss), make_user(client, manager=other_boss)
        patched, handed = refusals(client, mine, theirs.id, boss.headers)
        assert patched["msg"] == "owner_id must be you or one of your reps."
        assert handed["msg"] == "to_user_id must be you or one of your reps."
