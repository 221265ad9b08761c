"""Users, keys and roles, through the real app."""

from __future__ import annotations

from sqlmodel import Session, select
from starlette.testclient import TestClient

from service.auth.keys import hash_api_key
from service.models import User
from service.runtime import Runtime
from tests.conftest import ADMIN_KEY
from tests.factories import auth, make_user


class TestAuthentication:
    def test_a_request_without_a_key_is_refused_with_401(self, client: TestClient) -> None:
        response = client.get("/api/me")
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"

    def test_an_unknown_key_is_refused_with_401(self, client: TestClient) -> None:
        assert client.get("/api/me", headers=auth("cnd_not-a-real-key")).status_code == 401

    def test_a_malformed_authorization_header_is_refused_with_401(self, client: TestClient) -> None:
        response = client.get("/api/me", headers={"Authorization": "Basic Zm9vOmJhcg=="})
        assert response.status_code == 401

    def test_the_bootstrap_admin_exists_with_the_configured_key(self, client: TestClient) -> None:
        response = client.get("/api/me", headers=auth(ADMIN_KEY))
        assert response.status_code == 200
        assert response.json()["role"] == "admin"


class TestCreatingUsers:
    def test_an_admin_creates_a_user_and_sees_the_key_once(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        response = client.post(
            "/api/users", json={"name": "Rita", "role": "rep"}, headers=auth(ADMIN_KEY)
        )
        assert response.status_code == 201
        body = response.json()
        assert set(body) == {"id", "name", "role", "manager_id", "api_key"}
        me = client.get("/api/me", headers=auth(body["api_key"])).json()
        assert me == {"id": body["id"], "name": "Rita", "role": "rep", "manager_id": None}
        listed = client.get("/api/users", headers=auth(ADMIN_KEY)).json()
        assert all("api_key" not in user for user in listed)

    def test_keys_are_stored_only_as_digests(self, client: TestClient, runtime: Runtime) -> None:
        rep = make_user(client)
        with Session(runtime.engine) as session:
            stored = session.exec(select(User).where(User.id == rep.id)).one()
        assert stored.api_key_hash == hash_api_key(rep.key)
        assert rep.key not in stored.api_key_hash

    def test_only_an_admin_may_create_users(self, client: TestClient) -> None:
        for role in ("rep", "manager", "compliance"):
            person = make_user(client, role)
            response = client.post(
                "/api/users", json={"name": "x", "role": "rep"}, headers=person.headers
            )
            assert response.status_code == 403

    def test_a_rep_is_created_under_a_manager(self, client: TestClient) -> None:
        boss = make_user(client, "manager")
        rep = make_user(client, "rep", manager=boss)
        assert client.get("/api/me", headers=rep.headers).json()["manager_id"] == boss.id

    def test_a_manager_id_that_is_not_a_manager_is_a_422_naming_the_field(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        response = client.post(
            "/api/users",
            json={"name": "x", "role": "rep", "manager_id": rep.id},
            headers=auth(ADMIN_KEY),
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "manager_id"]

    def test_an_unknown_role_is_a_422_naming_the_field(self, client: TestClient) -> None:
        response = client.post(
            "/api/users", json={"name": "x", "role": "king"}, headers=auth(ADMIN_KEY)
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "role"]

    def test_a_blank_name_is_a_422_naming_the_field(self, client: TestClient) -> None:
        response = client.post(
            "/api/users", json={"name": "   ", "role": "rep"}, headers=auth(ADMIN_KEY)
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "name"]
