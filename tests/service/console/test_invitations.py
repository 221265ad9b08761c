"""An invited person sets their own password and lands signed in."""

from __future__ import annotations

from sqlmodel import Session
from starlette.testclient import TestClient

from service.auth import invitations
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

    def test_a_used_or_unknown_link_is_a_404(self, client: TestClient) -> None:
        assert client.get("/invite/not-a-real-token").status_code == 404

    def test_the_form_needs_its_csrf_token(self, client: TestClient) -> None:
        token = invitation(client)
        client.get(f"/invite/{token}")
        password = "a sentence I will remember"
        response = client.post(f"/invite/{token}", data={"password": password, "confirm": password})
        assert response.status_code == 403
        assert client.get(f"/invite/{token}").status_code == 200
