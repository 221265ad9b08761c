"""Prospects: who may create and read them; others' prospects are a 404."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.conftest import ADMIN_KEY
from tests.factories import auth, make_prospect, make_user

ADMIN = auth(ADMIN_KEY)


class TestCreatingProspects:
    def test_a_rep_creates_a_prospect_they_own(self, client: TestClient) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep, company="Acme", industry="Finance", region="EU")
        assert prospect["owner_id"] == rep.id
        assert prospect["industry"] == "finance"
        assert "ref" not in prospect

    @pytest.mark.parametrize("email", ["", "not-an-email", "a@b", "<script>@x.com"])
    def test_an_invalid_email_is_a_422_naming_the_field(
        self, client: TestClient, email: str
    ) -> None:
        rep = make_user(client)
        response = client.post("/api/prospects", json={"email": email}, headers=rep.headers)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "email"]

    @pytest.mark.parametrize(
        "email",
        ["a.b+c@sub.example.co.uk", "o'neil@example.com", "ö@bücher.de", "a@xn--p1ai.xn--p1ai"],
    )
    def test_real_addresses_are_accepted(self, client: TestClient, email: str) -> None:
        rep = make_user(client)
        response = client.post("/api/prospects", json={"email": email}, headers=rep.headers)
        assert response.status_code == 201, response.text

    @pytest.mark.parametrize("email", ["a@b.co,x", "a@-x.com", "a@1.2.3.4", "a b@x.com", "a@b.c"])
    def test_addresses_no_mail_server_takes_are_refused(
        self, client: TestClient, email: str
    ) -> None:
        rep = make_user(client)
        response = client.post("/api/prospects", json={"email": email}, headers=rep.headers)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "email"]

    def test_the_same_email_twice_for_one_owner_is_a_422(self, client: TestClient) -> None:
        rep = make_user(client)
        make_prospect(client, rep)
        response = client.post(
            "/api/prospects", json={"email": "ANNA@example.com"}, headers=rep.headers
        )
        assert response.status_code == 422

    def test_a_manager_creates_a_prospect_for_one_of_their_reps(self, client: TestClient) -> None:
        boss = make_user(client, "manager")
        rep = make_user(client, manager=boss)
        assert make_prospect(client, boss, owner_id=rep.id)["owner_id"] == rep.id

    def test_a_rep_cannot_create_a_prospect_for_someone_else(self, client: TestClient) -> None:
        rep, other = make_user(client), make_user(client)
        response = client.post(
            "/api/prospects",
            json={"email": "b@example.com", "owner_id": other.id},
            headers=rep.headers,
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "owner_id"]

    def test_compliance_cannot_create_prospects(self, client: TestClient) -> None:
        officer = make_user(client, "compliance")
        response = client.post(
            "/api/prospects", json={"email": "b@example.com"}, headers=officer.headers
        )
        assert response.status_code == 403


class TestReadingProspects:
    def test_a_rep_lists_only_their_own_prospects(self, client: TestClient) -> None:
        rep, other = make_user(client), make_user(client)
        mine = make_prospect(client, rep)
        make_prospect(client, other, email="z@example.com")
        listed = client.get("/api/prospects", headers=rep.headers).json()
        assert [p["id"] for p in listed] == [mine["id"]]

    def test_another_reps_prospect_is_a_404_not_a_403(self, client: TestClient) -> None:
        rep, other = make_user(client), make_user(client)
        theirs = make_prospect(client, other)
        for path in ("", "/timeline", "/openers"):
            response = client.get(f"/api/prospects/{theirs['id']}{path}", headers=rep.headers)
            assert response.status_code == 404, path
        missing = client.get("/api/prospects/999999", headers=rep.headers)
        assert (
            missing.json()
            == client.get(f"/api/prospects/{theirs['id']}", headers=rep.headers).json()
        )

    def test_a_manager_reads_the_prospects_of_their_reps_but_not_of_others(
        self, client: TestClient
    ) -> None:
        boss = make_user(client, "manager")
        rep, stranger = make_user(client, manager=boss), make_user(client)
        peer = make_user(client, manager=boss)
        peers = make_prospect(client, peer, email="p@example.com")
        # Promoted, the peer reports to nobody: a manager has no manager (docs/people.md).
        promoted = client.patch(f"/api/users/{peer.id}", json={"role": "manager"}, headers=ADMIN)
        assert promoted.json()["manager_id"] is None
        team = make_prospect(client, rep)
        outside = make_prospect(client, stranger, email="o@example.com")
        assert client.get(f"/api/prospects/{peers['id']}", headers=boss.headers).status_code == 404
        assert client.get(f"/api/prospects/{team['id']}", headers=boss.headers).status_code == 200
        assert (
            client.get(f"/api/prospects/{team['id']}/timeline", headers=boss.headers).status_code
            == 200
        )
        assert (
            client.get(f"/api/prospects/{outside['id']}", headers=boss.headers).status_code == 404
        )
        assert [p["id"] for p in client.get("/api/prospects", headers=boss.headers).json()] == [
            team["id"]
        ]

    def test_compliance_sees_prospect_records_but_reads_no_timeline(
        self, client: TestClient
    ) -> None:
        rep, officer = make_user(client), make_user(client, "compliance")
        prospect = make_prospect(client, rep)
        assert (
            client.get(f"/api/prospects/{prospect['id']}", headers=officer.headers).status_code
            == 200
        )
        response = client.get(f"/api/prospects/{prospect['id']}/timeline", headers=officer.headers)
        assert response.status_code == 403
        assert "preview" in response.json()["detail"]

    def test_paging_parameters_are_validated(self, client: TestClient) -> None:
        rep = make_user(client)
        response = client.get("/api/prospects?limit=0", headers=rep.headers)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["query", "limit"]


class TestHostileIds:
    def test_an_id_beyond_64_bits_is_a_422_not_a_crash(self, client: TestClient) -> None:
        rep = make_user(client)
        assert (
            client.get("/api/prospects/99999999999999999999999", headers=rep.headers).status_code
            == 422
        )
        response = client.post(
            "/api/messages",
            json={"prospect_id": 2**70, "subject": "s", "html": "x"},
            headers=rep.headers,
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "prospect_id"]
        assert client.get(f"/api/prospects?offset={10**30}", headers=rep.headers).status_code == 422

    @pytest.mark.parametrize("written", ["1%20", "%201", "1_0", "+1", "%EF%BC%91"])
    def test_an_id_is_digits_and_nothing_else(self, client: TestClient, written: str) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        response = client.get(f"/api/prospects/{written}", headers=rep.headers)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["path", "prospect_id"]
        assert (
            client.get(f"/api/prospects/{prospect['id']}", headers=rep.headers).status_code == 200
        )
