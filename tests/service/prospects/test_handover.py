"""Handing a leaver's prospects over in one step: POST /api/users/{id}/prospects/handover."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from service.models import User
from service.prospects import handover
from tests.conftest import ADMIN_KEY
from tests.factories import Person, auth, make_prospect, make_user, send_message

ADMIN = auth(ADMIN_KEY)


def hand_over(client: TestClient, giver: int, to: Any, headers: dict[str, str]) -> Any:
    return client.post(
        f"/api/users/{giver}/prospects/handover", json={"to_user_id": to}, headers=headers
    )


def owners(client: TestClient, ids: list[int]) -> list[int]:
    return [client.get(f"/api/prospects/{i}", headers=ADMIN).json()["owner_id"] for i in ids]


def audit(client: TestClient, action: str) -> list[dict[str, Any]]:
    officer = make_user(client, "compliance")
    response = client.get(f"/api/audit?action={action}", headers=officer.headers)
    return list(response.json()["items"])


def prospects_of(client: TestClient, owner: Person, *emails: str) -> list[int]:
    return [make_prospect(client, owner, email=email)["id"] for email in emails]


class TestAnAdminHandsOver:
    def test_every_prospect_moves_and_each_move_is_audited_as_a_reassignment(
        self, client: TestClient
    ) -> None:
        leaver, heir = make_user(client), make_user(client)
        ids = prospects_of(client, leaver, "a@example.com", "b@example.com", "c@example.com")
        assert client.delete(f"/api/users/{leaver.id}", headers=ADMIN).status_code == 200
        response = hand_over(client, leaver.id, heir.id, ADMIN)
        assert response.status_code == 200, response.text
        assert response.json() == {
            "from_user_id": leaver.id,
            "to_user_id": heir.id,
            "moved": 3,
            "not_moved": [],
        }
        assert owners(client, ids) == [heir.id] * 3
        assert client.get(f"/api/users/{leaver.id}", headers=ADMIN).json()["prospects_owned"] == 0
        moves = audit(client, "prospect.owner_changed")
        assert sorted(entry["prospect_id"] for entry in moves) == sorted(ids)
        assert all(
            entry["detail"] == {"from": leaver.id, "to": heir.id, "handover": True}
            for entry in moves
        )
        (summary,) = audit(client, "prospects.handed_over")
        assert summary["detail"] == {
            "from": leaver.id,
            "to": heir.id,
            "moved": 3,
            "not_moved": [],
        }

    def test_a_prospect_the_new_owner_has_already_stays_and_is_listed(
        self, client: TestClient
    ) -> None:
        leaver, heir = make_user(client), make_user(client)
        mine = prospects_of(client, heir, "anna@example.com")
        moving, staying = prospects_of(client, leaver, "ben@example.com", "anna@example.com")
        response = hand_over(client, leaver.id, heir.id, ADMIN)
        assert response.status_code == 200
        body = response.json()
        assert body["moved"] == 1
        assert body["not_moved"] == [
            {
                "prospect_id": staying,
                "email": "anna@example.com",
                "reason": "The new owner already has a prospect with this email "
                "(theirs is kept; this one stays with its owner).",
            }
        ]
        assert owners(client, [moving, staying, *mine]) == [heir.id, leaver.id, heir.id]
        (summary,) = audit(client, "prospects.handed_over")
        assert summary["detail"]["not_moved"] == [staying]

    def test_messages_keep_their_sender_and_the_new_owner_reads_them(
        self, client: TestClient
    ) -> None:
        leaver, heir = make_user(client), make_user(client)
        prospect = make_prospect(client, leaver)
        message = send_message(client, leaver, prospect["id"])
        assert hand_over(client, leaver.id, heir.id, ADMIN).json()["moved"] == 1
        listed = client.get(f"/api/prospects/{prospect['id']}/messages", headers=heir.headers)
        assert [(m["id"], m["sender_id"]) for m in listed.json()] == [(message["id"], leaver.id)]
        timeline = client.get(f"/api/prospects/{prospect['id']}/timeline", headers=heir.headers)
        assert timeline.status_code == 200
        assert any(fact["kind"] == "email_sent" for fact in timeline.json()["facts"])

    def test_the_old_managers_reading_ends_and_the_new_managers_begins(
        self, client: TestClient
    ) -> None:
        old_boss, new_boss = make_user(client, "manager"), make_user(client, "manager")
        leaver = make_user(client, manager=old_boss)
        heir = make_user(client, manager=new_boss)
        (prospect,) = prospects_of(client, leaver, "anna@example.com")
        hand_over(client, leaver.id, heir.id, ADMIN)
        path = f"/api/prospects/{prospect}"
        assert client.get(path, headers=old_boss.headers).status_code == 404
        assert client.get(path, headers=new_boss.headers).status_code == 200

    @pytest.mark.parametrize("target", ["compliance", "admin", "deactivated", "self", "unknown"])
    def test_only_an_active_rep_or_manager_other_than_the_owner_receives(
        self, client: TestClient, target: str
    ) -> None:
        leaver = make_user(client)
        (prospect,) = prospects_of(client, leaver, "anna@example.com")
        if target == "self":
            to: int = leaver.id
        elif target == "unknown":
            to = 999_999
        elif target == "deactivated":
            to = make_user(client).id
            client.delete(f"/api/users/{to}", headers=ADMIN)
        else:
            to = make_user(client, target).id
        response = hand_over(client, leaver.id, to, ADMIN)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "to_user_id"]
        assert owners(client, [prospect]) == [leaver.id]
        assert audit(client, "prospects.handed_over") == []

    @pytest.mark.parametrize("body", [{}, {"to_user_id": "2"}, {"to_user_id": 0}, {"x": 1}])
    def test_a_malformed_body_is_a_422(self, client: TestClient, body: dict[str, Any]) -> None:
        leaver = make_user(client)
        response = client.post(
            f"/api/users/{leaver.id}/prospects/handover", json=body, headers=ADMIN
        )
        assert response.status_code == 422

    def test_an_unknown_person_is_a_404(self, client: TestClient) -> None:
        heir = make_user(client)
        assert hand_over(client, 999_999, heir.id, ADMIN).status_code == 404

    def test_nothing_to_hand_over_moves_nothing(self, client: TestClient) -> None:
        leaver, heir = make_user(client), make_user(client)
        assert hand_over(client, leaver.id, heir.id, ADMIN).json()["moved"] == 0


class TestAManagerHandsOver:
    def test_a_reps_prospects_go_to_another_rep_of_the_team_or_to_the_manager(
        self, client: TestClient
    ) -> None:
        boss = make_user(client, "manager")
        leaver, heir = make_user(client, manager=boss), make_user(client, manager=boss)
        first = prospects_of(client, leaver, "a@example.com")
        assert hand_over(client, leaver.id, heir.id, boss.headers).json()["moved"] == 1
        second = prospects_of(client, heir, "b@example.com")
        assert hand_over(client, heir.id, boss.id, boss.headers).json()["moved"] == 2
        assert owners(client, first + second) == [boss.id, boss.id]

    def test_a_deactivated_reps_prospects_too(self, client: TestClient) -> None:
        boss = make_user(client, "manager")
        leaver, heir = make_user(client, manager=boss), make_user(client, manager=boss)
        prospects_of(client, leaver, "a@example.com")
        client.delete(f"/api/users/{leaver.id}", headers=ADMIN)
        assert hand_over(client, leaver.id, heir.id, boss.headers).json()["moved"] == 1

    def test_outside_the_team_is_a_404_or_a_422_and_nothing_moves(self, client: TestClient) -> None:
        boss, other_boss = make_user(client, "manager"), make_user(client, "manager")
        mine = make_user(client, manager=boss)
        theirs = make_user(client, manager=other_boss)
        (prospect,) = prospects_of(client, mine, "a@example.com")
        prospects_of(client, theirs, "b@example.com")
        assert hand_over(client, theirs.id, mine.id, boss.headers).status_code == 404
        assert hand_over(client, other_boss.id, mine.id, boss.headers).status_code == 404
        refused = hand_over(client, mine.id, theirs.id, boss.headers)
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"] == ["body", "to_user_id"]
        assert owners(client, [prospect]) == [mine.id]


class TestWhoMayNot:
    @pytest.mark.parametrize("role", ["rep", "compliance"])
    def test_reps_and_compliance_get_a_403(self, client: TestClient, role: str) -> None:
        caller = make_user(client, role)
        leaver, heir = make_user(client), make_user(client)
        (prospect,) = prospects_of(client, leaver, "a@example.com")
        assert hand_over(client, leaver.id, heir.id, caller.headers).status_code == 403
        assert owners(client, [prospect]) == [leaver.id]


class TestOneTransaction:
    def test_a_collision_at_the_commit_moves_nothing_and_is_a_409(
        self, client: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        leaver, heir = make_user(client), make_user(client)
        prospects_of(client, heir, "anna@example.com")
        ids = prospects_of(client, leaver, "ben@example.com", "anna@example.com")
        # As if the heir had been given anna@ between the check and the commit.
        blind = handover._split
        nobody = User(id=0, name="nobody", role="rep")
        monkeypatch.setattr(
            handover,
            "_split",
            lambda session, person, _to, rows: blind(session, person, nobody, rows),
        )
        response = hand_over(client, leaver.id, heir.id, ADMIN)
        assert response.status_code == 409
        assert "nothing was moved" in response.json()["detail"]
        assert owners(client, ids) == [leaver.id, leaver.id]
        assert audit(client, "prospects.handed_over") == []
