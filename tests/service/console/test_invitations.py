"""An invited person sets their own password and lands signed in."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session
from starlette.testclient import TestClient

from service.auth import invitations
from service.auth import service as auth_service
from tests.service.console.helpers import csrf_of, post_login


def invitation(client: TestClient, name: str = "Ines") -> str:
    engine = client.app.state.runtime.engine  # type: ignore[attr-defined]
    with Session(engine) as session:
        _, token = invitations.invite(session, actor=None, name=name, role="rep")
        session.commit()
    return token


class TestInvitationPage:
    def test_setting_a_password_signs_the_person_in(self, client: TestClient) -> None:
        token = invitation(client)
        page = client.get(f"/invite/{token}")
        assert page.status_code == 200
        assert "Welcome, Ines" in page.text
        password = "a sentence I will remember"
        response = client.post(
            f"/invite/{token}",
            data={"csrf_token": csrf_of(page.text), "password": password, "confirm": password},
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/console"
        assert "Welcome, Ines" in client.get("/console").text
        client.cookies.clear()
        assert post_login(client, "Ines", password).status_code == 303

    def test_a_person_locked_out_from_here_sets_the_password_and_is_told_to_wait(
        self, client: TestClient
    ) -> None:
        token = invitation(client)
        for _ in range(5):  # the person forgot the password, and was sent a new link
            assert post_login(client, "Ines", "what was it again?").status_code == 401
        page = client.get(f"/invite/{token}")
        password = "a sentence I will remember"
        response = client.post(
            f"/invite/{token}",
            data={"csrf_token": csrf_of(page.text), "password": password, "confirm": password},
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/login"
        shown = client.get("/login").text
        assert "Your password is set, but sign-in is paused for Ines" in shown
        assert "candor_session=" not in response.headers.get("set-cookie", "")

    def test_a_short_password_is_refused_beside_the_field(self, client: TestClient) -> None:
        token = invitation(client)
        page = client.get(f"/invite/{token}")
        response = client.post(
            f"/invite/{token}",
            data={"csrf_token": csrf_of(page.text), "password": "short", "confirm": "short"},
        )
        assert response.status_code == 422
        assert "at least 12 characters" in response.text
        assert client.get(f"/invite/{token}").status_code == 200  # the link still works

    def test_an_unknown_link_is_a_404_page_that_says_to_check_the_link(
        self, client: TestClient
    ) -> None:
        response = client.get("/invite/not-a-real-token")
        assert response.status_code == 404
        assert "This link is not valid" in response.text
        assert "ask your administrator for a new link" in response.text


class TestALinkThatNoLongerWorks:
    """A used, expired or replaced link says which, and what to do next (410 Gone)."""

    def accept(self, client: TestClient, token: str) -> None:
        page = client.get(f"/invite/{token}")
        password = "a sentence I will remember"
        answer = client.post(
            f"/invite/{token}",
            data={"csrf_token": csrf_of(page.text), "password": password, "confirm": password},
        )
        assert answer.status_code == 303
        client.cookies.clear()

    def test_a_used_invitation_says_so_and_points_to_sign_in(self, client: TestClient) -> None:
        token = invitation(client)
        self.accept(client, token)
        for response in (
            client.get(f"/invite/{token}"),
            client.post(f"/invite/{token}", data={"password": "x" * 20, "confirm": "x" * 20}),
        ):
            assert response.status_code == 410
            assert "This invitation has already been used" in response.text
            assert "sign in with your name and that password" in response.text
            assert "ask your administrator for a new link" in response.text
            assert "Not found" not in response.text

    def test_an_expired_invitation_says_when_it_ran_out_and_what_to_do(
        self, client: TestClient
    ) -> None:
        token = invitation(client)
        engine = client.app.state.runtime.engine  # type: ignore[attr-defined]
        with Session(engine) as session:
            row = invitations.find_invitation(session, token=token)
            assert row is not None
            row.expires_at = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
            session.add(row)
            session.commit()
        response = client.get(f"/invite/{token}")
        assert response.status_code == 410
        assert "This invitation has expired" in response.text
        assert "ran out on 02 January 2026 at 03:04 UTC" in response.text
        assert "ask your administrator for a new link" in response.text

    def test_a_link_replaced_by_a_newer_one_says_to_use_the_newest(
        self, client: TestClient
    ) -> None:
        token = invitation(client)
        engine = client.app.state.runtime.engine  # type: ignore[attr-defined]
        with Session(engine) as session:
            row = invitations.find_invitation(session, token=token)
            assert row is not None
            newer = invitations.reset_invitation(session, actor=None, user_id=row.user_id)
        response = client.get(f"/invite/{token}")
        assert response.status_code == 410
        assert "has been replaced by a newer one" in response.text
        assert client.get(f"/invite/{newer}").status_code == 200

    def test_a_used_password_reset_link_is_named_as_one(self, client: TestClient) -> None:
        engine = client.app.state.runtime.engine  # type: ignore[attr-defined]
        self.accept(client, invitation(client))
        with Session(engine) as session:
            user = next(u for u in auth_service.list_users(session) if u.name == "Ines")
            assert user.id is not None
            reset = invitations.reset_invitation(session, actor=None, user_id=user.id)
        self.accept(client, reset)
        response = client.get(f"/invite/{reset}")
        assert response.status_code == 410
        assert "This password-reset link has already been used" in response.text

    def test_the_form_needs_its_csrf_token(self, client: TestClient) -> None:
        token = invitation(client)
        client.get(f"/invite/{token}")
        password = "a sentence I will remember"
        response = client.post(f"/invite/{token}", data={"password": password, "confirm": password})
        assert response.status_code == 403
        assert client.get(f"/invite/{token}").status_code == 200
