"""Users, keys and roles, through the real app."""

from __future__ import annotations

import pytest
from fastapi import HTTPException
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from service.auth.keys import hash_api_key
from service.auth.service import deactivate
from service.auth.sessions import sign_in, user_for_session
from service.config import Settings
from service.db import create_db_engine
from service.models import User, utcnow
from service.runtime import Runtime, prepare_database
from tests.conftest import ADMIN_KEY, PUBLIC_URL
from tests.factories import Person, auth, client_at, make_prospect, make_user


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


PASSWORD = "a long enough passphrase"
ADMIN = auth(ADMIN_KEY)


def _audit_actions(client: TestClient) -> list[str]:
    entries = client.get("/api/audit", params={"limit": 500}, headers=ADMIN).json()["items"]
    return [entry["action"] for entry in entries]


class TestPasswordsOnCreation:
    def test_a_user_created_with_a_password_can_sign_in(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        response = client.post(
            "/api/users", json={"name": "Rita", "role": "rep", "password": PASSWORD}, headers=ADMIN
        )
        assert response.status_code == 201
        assert "password" not in response.json()
        with Session(runtime.engine) as session:
            user, _token = sign_in(session, name="Rita", password=PASSWORD, client=client_at())
            assert user.id == response.json()["id"]
        listed = {u["id"]: u for u in client.get("/api/users", headers=ADMIN).json()}
        assert listed[response.json()["id"]]["has_password"] is True

    def test_a_password_under_12_characters_is_a_422_naming_password(
        self, client: TestClient
    ) -> None:
        response = client.post(
            "/api/users", json={"name": "Rita", "role": "rep", "password": "short"}, headers=ADMIN
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "password"]
        assert "12 characters" in response.json()["detail"][0]["msg"]
        names = [u["name"] for u in client.get("/api/users", headers=ADMIN).json()]
        assert "Rita" not in names  # nothing half-written

    def test_spaces_around_a_password_are_kept(self, client: TestClient, runtime: Runtime) -> None:
        body = {"name": "Rita", "role": "rep", "password": f"  {PASSWORD}  "}
        assert client.post("/api/users", json=body, headers=ADMIN).status_code == 201
        with Session(runtime.engine) as session:
            sign_in(session, name="Rita", password=f"  {PASSWORD}  ", client=client_at())

    def test_a_second_user_with_the_same_name_is_a_422_naming_name(
        self, client: TestClient
    ) -> None:
        client.post("/api/users", json={"name": "Rita", "role": "rep"}, headers=ADMIN)
        response = client.post("/api/users", json={"name": "rita", "role": "rep"}, headers=ADMIN)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "name"]

    def test_creating_a_user_is_audited_without_the_password(self, client: TestClient) -> None:
        client.post(
            "/api/users", json={"name": "Rita", "role": "rep", "password": PASSWORD}, headers=ADMIN
        )
        entries = client.get("/api/audit", headers=ADMIN).json()["items"]
        created = [e for e in entries if e["action"] == "user.created"]
        assert created and PASSWORD not in str(entries)


class TestListingUsers:
    def test_the_list_shows_state_and_never_secrets(self, client: TestClient) -> None:
        rep = make_user(client)
        listed = {u["id"]: u for u in client.get("/api/users", headers=ADMIN).json()}
        assert listed[rep.id]["active"] is True
        assert listed[rep.id]["has_password"] is False
        assert listed[rep.id]["has_api_key"] is True
        assert [u["bootstrap"] for u in listed.values()].count(True) == 1
        assert "api_key_hash" not in str(listed) and "password_hash" not in str(listed)

    def test_one_user_is_read_by_id_and_an_unknown_one_is_a_404(self, client: TestClient) -> None:
        rep = make_user(client)
        assert client.get(f"/api/users/{rep.id}", headers=ADMIN).json()["id"] == rep.id
        assert client.get("/api/users/9999", headers=ADMIN).status_code == 404


class TestDeactivating:
    def test_a_deactivated_users_key_stops_at_once(self, client: TestClient) -> None:
        rep = make_user(client)
        response = client.delete(f"/api/users/{rep.id}", headers=ADMIN)
        assert response.status_code == 200
        assert response.json()["active"] is False and response.json()["has_api_key"] is False
        for path in ("/api/me", "/api/prospects"):
            assert client.get(path, headers=rep.headers).status_code == 401

    def test_their_prospects_stay(self, client: TestClient) -> None:
        boss = make_user(client, "manager")
        rep = make_user(client, manager=boss)
        prospect = make_prospect(client, rep)
        client.delete(f"/api/users/{rep.id}", headers=ADMIN)
        listed = client.get("/api/prospects", headers=boss.headers).json()
        assert [p["id"] for p in listed] == [prospect["id"]]

    def test_their_sessions_end_at_once(self, client: TestClient, runtime: Runtime) -> None:
        client.post(
            "/api/users", json={"name": "Rita", "role": "rep", "password": PASSWORD}, headers=ADMIN
        )
        with Session(runtime.engine) as session:
            user, token = sign_in(session, name="Rita", password=PASSWORD, client=client_at())
        client.delete(f"/api/users/{user.id}", headers=ADMIN)
        with Session(runtime.engine) as session:
            assert user_for_session(session, token=token) is None

    def test_an_admin_cannot_deactivate_themselves(self, client: TestClient) -> None:
        me = client.get("/api/me", headers=ADMIN).json()
        response = client.delete(f"/api/users/{me['id']}", headers=ADMIN)
        assert response.status_code == 409
        assert client.get("/api/me", headers=ADMIN).status_code == 200

    def test_deactivating_twice_is_harmless_and_audited_once(self, client: TestClient) -> None:
        rep = make_user(client)
        client.delete(f"/api/users/{rep.id}", headers=ADMIN)
        assert client.delete(f"/api/users/{rep.id}", headers=ADMIN).status_code == 200
        assert _audit_actions(client).count("user.deactivated") == 1

    def test_a_repeated_deactivation_says_the_user_was_already_deactivated(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        first = client.delete(f"/api/users/{rep.id}", headers=ADMIN)
        again = client.delete(f"/api/users/{rep.id}", headers=ADMIN)
        assert (first.status_code, first.json()["already_deactivated"]) == (200, False)
        assert (again.status_code, again.json()["already_deactivated"]) == (200, True)
        assert again.json()["active"] is False
        assert again.json()["deactivated_at"] == first.json()["deactivated_at"]

    def test_reactivating_gives_a_new_key_and_the_old_one_stays_dead(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        client.delete(f"/api/users/{rep.id}", headers=ADMIN)
        response = client.post(f"/api/users/{rep.id}/reactivate", headers=ADMIN)
        assert response.status_code == 200
        new_key = response.json()["api_key"]
        assert client.get("/api/me", headers=auth(new_key)).status_code == 200
        assert client.get("/api/me", headers=rep.headers).status_code == 401
        assert client.post(f"/api/users/{rep.id}/reactivate", headers=ADMIN).status_code == 409
        assert "user.reactivated" in _audit_actions(client)


class TestNewApiKeys:
    def test_a_new_key_works_and_the_old_one_stops(self, client: TestClient) -> None:
        rep = make_user(client)
        response = client.post(f"/api/users/{rep.id}/api-key", headers=ADMIN)
        assert response.status_code == 200
        assert response.json()["user_id"] == rep.id
        assert client.get("/api/me", headers=auth(response.json()["api_key"])).status_code == 200
        assert client.get("/api/me", headers=rep.headers).status_code == 401
        assert "user.key_issued" in _audit_actions(client)

    def test_a_deactivated_user_gets_no_key(self, client: TestClient) -> None:
        rep = make_user(client)
        client.delete(f"/api/users/{rep.id}", headers=ADMIN)
        assert client.post(f"/api/users/{rep.id}/api-key", headers=ADMIN).status_code == 409


class TestRevokingAKey:
    def test_the_key_stops_and_none_is_issued_and_it_is_audited(self, client: TestClient) -> None:
        rep = make_user(client)
        response = client.delete(f"/api/users/{rep.id}/api-key", headers=ADMIN)
        assert response.status_code == 200
        body = response.json()
        assert body["has_api_key"] is False and body["already_revoked"] is False
        assert body["active"] is True  # still a user: only the key is gone
        assert "api_key" not in body
        assert client.get("/api/me", headers=rep.headers).status_code == 401
        assert "user.key_revoked" in _audit_actions(client)

    def test_revoking_again_changes_nothing_and_says_so(self, client: TestClient) -> None:
        rep = make_user(client)
        client.delete(f"/api/users/{rep.id}/api-key", headers=ADMIN)
        again = client.delete(f"/api/users/{rep.id}/api-key", headers=ADMIN)
        assert again.status_code == 200 and again.json()["already_revoked"] is True
        assert _audit_actions(client).count("user.key_revoked") == 1

    def test_a_new_key_can_be_issued_after_a_revocation(self, client: TestClient) -> None:
        rep = make_user(client)
        client.delete(f"/api/users/{rep.id}/api-key", headers=ADMIN)
        key = client.post(f"/api/users/{rep.id}/api-key", headers=ADMIN).json()["api_key"]
        assert client.get("/api/me", headers=auth(key)).status_code == 200

    def test_the_bootstrap_admins_key_is_stopped_by_its_setting_not_here(
        self, client: TestClient
    ) -> None:
        me = client.get("/api/me", headers=ADMIN).json()
        refused = client.delete(f"/api/users/{me['id']}/api-key", headers=ADMIN)
        assert refused.status_code == 409
        assert "CANDOR_ADMIN_KEY" in refused.json()["detail"]
        assert client.get("/api/me", headers=ADMIN).status_code == 200

    def test_the_only_admin_without_a_password_keeps_their_key(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        other = make_user(client, "admin")
        with Session(runtime.engine) as session:  # the bootstrap admin leaves
            bootstrap = session.exec(select(User).where(col(User.bootstrap).is_(True))).one()
            bootstrap.deactivated_at = utcnow()
            session.add(bootstrap)
            session.commit()
        refused = client.delete(f"/api/users/{other.id}/api-key", headers=other.headers)
        assert refused.status_code == 409
        assert "only active admin" in refused.json()["detail"]
        assert client.get("/api/me", headers=other.headers).status_code == 200

    def test_only_an_admin_may_and_an_unknown_user_is_a_404(self, client: TestClient) -> None:
        rep = make_user(client)
        other = make_user(client)
        assert (
            client.delete(f"/api/users/{other.id}/api-key", headers=rep.headers).status_code == 403
        )
        assert client.delete("/api/users/999999/api-key", headers=ADMIN).status_code == 404
        assert client.get("/api/me", headers=other.headers).status_code == 200


class TestChangingUsers:
    def test_role_manager_and_name_change_and_are_audited(self, client: TestClient) -> None:
        boss = make_user(client, "manager")
        rep = make_user(client)
        response = client.patch(
            f"/api/users/{rep.id}", json={"manager_id": boss.id, "name": "Rita K."}, headers=ADMIN
        )
        assert response.status_code == 200
        assert response.json()["manager_id"] == boss.id and response.json()["name"] == "Rita K."
        response = client.patch(f"/api/users/{rep.id}", json={"role": "compliance"}, headers=ADMIN)
        assert response.json()["role"] == "compliance"
        assert client.get("/api/me", headers=rep.headers).json()["role"] == "compliance"
        assert _audit_actions(client).count("user.updated") == 2

    def test_a_null_manager_id_removes_the_manager(self, client: TestClient) -> None:
        boss = make_user(client, "manager")
        rep = make_user(client, manager=boss)
        response = client.patch(f"/api/users/{rep.id}", json={"manager_id": None}, headers=ADMIN)
        assert response.json()["manager_id"] is None

    def test_fields_left_out_are_kept(self, client: TestClient) -> None:
        boss = make_user(client, "manager")
        rep = make_user(client, manager=boss)
        response = client.patch(f"/api/users/{rep.id}", json={"role": "rep"}, headers=ADMIN)
        assert response.json()["manager_id"] == boss.id

    def test_a_manager_id_that_names_no_manager_is_a_422(self, client: TestClient) -> None:
        rep, other = make_user(client), make_user(client)
        for manager_id in (other.id, rep.id, 99999):
            response = client.patch(
                f"/api/users/{rep.id}", json={"manager_id": manager_id}, headers=ADMIN
            )
            assert response.status_code == 422
            assert response.json()["detail"][0]["loc"] == ["body", "manager_id"]

    def test_a_deactivated_manager_takes_no_new_reports(self, client: TestClient) -> None:
        boss, rep = make_user(client, "manager"), make_user(client)
        client.delete(f"/api/users/{boss.id}", headers=ADMIN)
        response = client.patch(f"/api/users/{rep.id}", json={"manager_id": boss.id}, headers=ADMIN)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "manager_id"]

    def test_a_role_that_does_not_exist_is_a_422(self, client: TestClient) -> None:
        rep = make_user(client)
        for role in ("king", None, 3):
            response = client.patch(f"/api/users/{rep.id}", json={"role": role}, headers=ADMIN)
            assert response.status_code == 422
            assert response.json()["detail"][0]["loc"] == ["body", "role"]

    def test_a_manager_with_reps_keeps_the_role_until_they_move(self, client: TestClient) -> None:
        boss = make_user(client, "manager")
        make_user(client, manager=boss)
        response = client.patch(f"/api/users/{boss.id}", json={"role": "rep"}, headers=ADMIN)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "role"]

    def test_the_bootstrap_admin_stays_an_admin(self, client: TestClient) -> None:
        me = client.get("/api/me", headers=ADMIN).json()
        response = client.patch(f"/api/users/{me['id']}", json={"role": "rep"}, headers=ADMIN)
        assert response.status_code == 422

    def test_an_unknown_field_is_a_422(self, client: TestClient) -> None:
        rep = make_user(client)
        response = client.patch(f"/api/users/{rep.id}", json={"api_key": "x"}, headers=ADMIN)
        assert response.status_code == 422


class TestTheLastAdmin:
    """A workspace always keeps one active admin: nobody may remove the last one."""

    def _sole_admin(self, client: TestClient) -> Person:
        """A second admin who then deactivates the bootstrap admin, leaving only themselves."""
        other = make_user(client, "admin")
        me = client.get("/api/me", headers=ADMIN).json()
        assert client.delete(f"/api/users/{me['id']}", headers=other.headers).status_code == 200
        return other

    def test_the_only_admin_cannot_demote_themselves(self, client: TestClient) -> None:
        sole = self._sole_admin(client)
        response = client.patch(f"/api/users/{sole.id}", json={"role": "rep"}, headers=sole.headers)
        assert response.status_code == 422
        error = response.json()["detail"][0]
        assert error["loc"] == ["body", "role"]
        assert error["msg"].startswith("This is the only active admin")
        assert client.get("/api/users", headers=sole.headers).status_code == 200

    def test_an_admin_may_step_down_while_another_admin_remains(self, client: TestClient) -> None:
        other = make_user(client, "admin")
        response = client.patch(
            f"/api/users/{other.id}", json={"role": "rep"}, headers=other.headers
        )
        assert response.status_code == 200
        assert response.json()["role"] == "rep"

    def test_the_only_admin_cannot_be_deactivated(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        sole = self._sole_admin(client)
        with Session(runtime.engine) as session, pytest.raises(HTTPException) as refused:
            deactivate(session, actor=None, user_id=sole.id)
        assert refused.value.status_code == 409
        assert "only active admin" in str(refused.value.detail)
        assert client.get("/api/me", headers=sole.headers).status_code == 200

    def test_a_deactivated_admin_does_not_count(self, client: TestClient) -> None:
        first = make_user(client, "admin")
        second = make_user(client, "admin")
        me = client.get("/api/me", headers=ADMIN).json()
        client.delete(f"/api/users/{me['id']}", headers=first.headers)
        client.delete(f"/api/users/{second.id}", headers=first.headers)
        response = client.patch(
            f"/api/users/{first.id}", json={"role": "manager"}, headers=first.headers
        )
        assert response.status_code == 422


class TestInvitationsThroughTheApi:
    def test_an_admin_invites_a_person_who_accepts_and_signs_in(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        response = client.post(
            "/api/invitations", json={"name": "Nina", "role": "rep"}, headers=ADMIN
        )
        assert response.status_code == 201
        body = response.json()
        assert body["url"].startswith(f"{PUBLIC_URL}/invite/")
        assert body["purpose"] == "invite"
        assert body["user"]["has_password"] is False and body["user"]["has_api_key"] is False
        token = body["url"].rsplit("/", 1)[1]
        accepted = client.post(
            "/api/invitations/accept", json={"token": token, "password": PASSWORD}
        )
        assert accepted.status_code == 200
        assert accepted.json()["id"] == body["user_id"]
        with Session(runtime.engine) as session:
            sign_in(session, name="Nina", password=PASSWORD, client=client_at())
        again = client.post("/api/invitations/accept", json={"token": token, "password": PASSWORD})
        assert again.status_code == 422
        assert again.json()["detail"][0]["loc"] == ["body", "token"]

    def test_a_short_password_on_accepting_is_a_422_naming_password(
        self, client: TestClient
    ) -> None:
        body = client.post("/api/invitations", json={"name": "Nina", "role": "rep"}, headers=ADMIN)
        token = body.json()["url"].rsplit("/", 1)[1]
        response = client.post("/api/invitations/accept", json={"token": token, "password": "x"})
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "password"]

    def test_a_reset_link_for_an_existing_user(self, client: TestClient) -> None:
        response = client.post(
            "/api/users", json={"name": "Rita", "role": "rep", "password": PASSWORD}, headers=ADMIN
        )
        user_id = response.json()["id"]
        link = client.post(f"/api/users/{user_id}/invitation", headers=ADMIN)
        assert link.status_code == 201
        assert link.json()["purpose"] == "reset" and link.json()["user_id"] == user_id
        assert client.post("/api/users/9999/invitation", headers=ADMIN).status_code == 404
        assert "user.invitation_issued" in _audit_actions(client)

    def test_an_invitation_with_an_unknown_role_is_a_422(self, client: TestClient) -> None:
        response = client.post(
            "/api/invitations", json={"name": "Nina", "role": "king"}, headers=ADMIN
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "role"]


class TestSessionsThroughTheApi:
    def test_an_admin_lists_and_revokes_a_users_sessions(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        client.post(
            "/api/users", json={"name": "Rita", "role": "rep", "password": PASSWORD}, headers=ADMIN
        )
        with Session(runtime.engine) as session:
            user, first = sign_in(session, name="Rita", password=PASSWORD, client=client_at())
            _user, second = sign_in(session, name="Rita", password=PASSWORD, client=client_at())
        listed = client.get(f"/api/users/{user.id}/sessions", headers=ADMIN).json()
        assert len(listed) == 2
        one = client.delete(f"/api/users/{user.id}/sessions/{listed[0]['id']}", headers=ADMIN)
        assert one.status_code == 204
        again = client.delete(f"/api/users/{user.id}/sessions/{listed[0]['id']}", headers=ADMIN)
        assert again.status_code == 404
        everything = client.delete(f"/api/users/{user.id}/sessions", headers=ADMIN)
        assert everything.json() == {"revoked": 1}
        with Session(runtime.engine) as session:
            assert user_for_session(session, token=first) is None
            assert user_for_session(session, token=second) is None
        assert client.get("/api/users/9999/sessions", headers=ADMIN).status_code == 404


ADMIN_ROUTES = [
    ("get", "/api/users", None),
    ("post", "/api/users", {"name": "x", "role": "rep"}),
    ("get", "/api/users/{id}", None),
    ("patch", "/api/users/{id}", {"role": "manager"}),
    ("delete", "/api/users/{id}", None),
    ("post", "/api/users/{id}/reactivate", None),
    ("post", "/api/users/{id}/api-key", None),
    ("post", "/api/users/{id}/invitation", None),
    ("post", "/api/invitations", {"name": "y", "role": "rep"}),
    ("get", "/api/users/{id}/sessions", None),
    ("delete", "/api/users/{id}/sessions", None),
    ("delete", "/api/users/{id}/sessions/1", None),
]


class TestOnlyAdminsManagePeople:
    @pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
    def test_every_other_role_gets_403_and_no_key_gets_401(
        self, client: TestClient, method: str, path: str, body: dict[str, str] | None
    ) -> None:
        target = make_user(client)
        url = path.format(id=target.id)
        for role in ("rep", "manager", "compliance"):
            person = make_user(client, role)
            response = client.request(method, url, json=body, headers=person.headers)
            assert response.status_code == 403, (role, response.text)
        assert client.request(method, url, json=body).status_code == 401
        assert client.get(f"/api/users/{target.id}", headers=ADMIN).json()["active"] is True

    def test_another_admin_may_manage_people(self, client: TestClient) -> None:
        other = make_user(client, "admin")
        rep = make_user(client)
        assert client.delete(f"/api/users/{rep.id}", headers=other.headers).status_code == 200


def _restart(settings: Settings, admin_key: str) -> None:
    """Start-up again as `candor serve` does, with this CANDOR_ADMIN_KEY."""
    engine = create_db_engine(settings.database_url)
    prepare_database(settings.model_copy(update={"admin_key": admin_key}), engine)
    engine.dispose()


class TestTheBootstrapAdmin:
    def test_a_new_admin_key_replaces_the_old_one_and_makes_no_second_admin(
        self, client: TestClient, runtime: Runtime, settings: Settings
    ) -> None:
        before = client.get("/api/me", headers=ADMIN).json()
        _restart(settings, "cnd_rotated-admin-key")
        after = client.get("/api/me", headers=auth("cnd_rotated-admin-key")).json()
        assert after["id"] == before["id"]
        assert client.get("/api/me", headers=ADMIN).status_code == 401
        admins = [
            u
            for u in client.get("/api/users", headers=auth("cnd_rotated-admin-key")).json()
            if u["role"] == "admin"
        ]
        assert len(admins) == 1
        entries = client.get("/api/audit", headers=auth("cnd_rotated-admin-key")).json()["items"]
        assert any(
            e["action"] == "user.key_issued" and "CANDOR_ADMIN_KEY" in str(e) for e in entries
        )

    def test_restarting_with_the_same_key_changes_nothing(
        self, client: TestClient, settings: Settings
    ) -> None:
        _restart(settings, ADMIN_KEY)
        assert client.get("/api/me", headers=ADMIN).status_code == 200
        assert len(client.get("/api/users", headers=ADMIN).json()) == 1

    def test_the_bootstrap_admin_is_found_by_flag_not_by_name(
        self, client: TestClient, settings: Settings
    ) -> None:
        me = client.get("/api/me", headers=ADMIN).json()
        client.patch(f"/api/users/{me['id']}", json={"name": "Root"}, headers=ADMIN)
        client.post("/api/users", json={"name": "admin", "role": "admin"}, headers=ADMIN)
        _restart(settings, "cnd_rotated-admin-key")
        assert client.get("/api/me", headers=auth("cnd_rotated-admin-key")).json()["id"] == me["id"]


class TestTheOpenApiSchema:
    def test_every_people_route_has_a_summary_its_errors_and_an_example_body(
        self, client: TestClient
    ) -> None:
        schema = client.get("/openapi.json").json()
        components = schema["components"]["schemas"]
        routes = [(m, p) for m, p, _body in ADMIN_ROUTES]
        routes += [("post", "/api/invitations/accept"), ("get", "/api/me")]
        for method, path in routes:
            path = path.replace("{id}", "{user_id}").replace(
                "/sessions/1", "/sessions/{session_id}"
            )
            operation = schema["paths"][path][method]
            assert operation.get("summary"), (method, path)
            responses = set(operation["responses"])
            if path != "/api/invitations/accept":
                assert "401" in responses, (method, path)
            if path not in ("/api/invitations/accept", "/api/me"):
                assert "403" in responses, (method, path)
            if "{user_id}" in path:
                assert {"404", "422"} <= responses, (method, path)
            if "requestBody" in operation:
                assert "422" in responses, (method, path)
                ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                assert components[ref.rsplit("/", 1)[1]].get("examples"), (method, path)
