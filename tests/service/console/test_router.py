"""Sign-in, sign-out, the home page and the rules every console page follows."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.service.console.helpers import (
    PASSWORD,
    csrf_of,
    make_person,
    post_login,
    sign_in,
    signed_in_person,
)


class TestRoot:
    def test_root_sends_a_stranger_to_sign_in(self, client: TestClient) -> None:
        response = client.get("/")
        assert response.status_code == 303
        assert response.headers["location"] == "/login"

    def test_root_sends_a_signed_in_person_to_the_console(self, client: TestClient) -> None:
        signed_in_person(client)
        response = client.get("/")
        assert response.status_code == 303
        assert response.headers["location"] == "/console"


class TestLoginPage:
    def test_the_form_has_labelled_name_and_password_fields_and_a_sign_in_button(
        self, client: TestClient
    ) -> None:
        page = client.get("/login").text
        assert '<label for="name">Name</label>' in page
        assert '<label for="password">Password</label>' in page
        assert '<button type="submit">Sign in</button>' in page

    def test_every_console_page_carries_the_security_headers(self, client: TestClient) -> None:
        response = client.get("/login")
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert "http" not in csp  # no third-party origin
        assert response.headers["referrer-policy"] == "same-origin"
        assert response.headers["x-content-type-options"] == "nosniff"

    def test_the_api_keeps_its_own_headers(self, client: TestClient) -> None:
        assert "content-security-policy" not in client.get("/healthz").headers


class TestSignIn:
    def test_the_right_password_signs_in_and_goes_to_the_page_wanted(
        self, client: TestClient
    ) -> None:
        make_person(client, name="Rita")
        response = post_login(client, "Rita", PASSWORD, next="/console/prospects")
        assert response.status_code == 303
        assert response.headers["location"] == "/console/prospects"
        cookie = response.headers["set-cookie"]
        assert "candor_session=" in cookie
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie

    def test_a_wrong_password_and_an_unknown_name_get_the_same_message(
        self, client: TestClient
    ) -> None:
        make_person(client, name="Rita")
        wrong_password = post_login(client, "Rita", "not the password at all")
        unknown_name = post_login(client, "Nobody", PASSWORD)
        assert wrong_password.status_code == unknown_name.status_code == 401
        message = "That name and password do not match an account."
        assert message in wrong_password.text
        assert message in unknown_name.text
        assert "candor_session=" not in wrong_password.headers.get("set-cookie", "")

    def test_five_failures_for_a_name_lock_it_with_a_429(self, client: TestClient) -> None:
        make_person(client, name="Rita")
        for _ in range(5):
            assert post_login(client, "Rita", "wrong password here").status_code == 401
        locked = post_login(client, "Rita", PASSWORD)
        assert locked.status_code == 429
        assert "Too many failed attempts" in locked.text
        assert "candor_session=" not in locked.headers.get("set-cookie", "")

    def test_a_lockout_from_one_address_leaves_the_name_open_from_another(
        self, client: TestClient
    ) -> None:
        make_person(client, name="Rita")
        guesser = {"X-Forwarded-For": "203.0.113.66"}  # named by the trusted proxy
        for _ in range(5):
            assert (
                post_login(client, "Rita", "wrong password here", headers=guesser).status_code
                == 401
            )
        assert post_login(client, "Rita", PASSWORD, headers=guesser).status_code == 429
        rita = post_login(client, "Rita", PASSWORD, headers={"X-Forwarded-For": "198.51.100.7"})
        assert rita.status_code == 303
        assert "candor_session=" in rita.headers["set-cookie"]

    def test_a_client_the_proxies_do_not_vouch_for_cannot_pick_its_address(
        self, client: TestClient
    ) -> None:
        make_person(client, name="Rita")
        direct = TestClient(client.app, client=("203.0.113.66", 50000), follow_redirects=False)
        for n in range(5):
            claimed = {"X-Forwarded-For": f"198.51.100.{n}"}  # ignored: not a trusted peer
            assert (
                post_login(direct, "Rita", "wrong password here", headers=claimed).status_code
                == 401
            )
        locked = post_login(direct, "Rita", PASSWORD, headers={"X-Forwarded-For": "192.0.2.1"})
        assert locked.status_code == 429
        assert "Too many failed attempts" in locked.text

    def test_a_login_without_its_csrf_token_is_refused(self, client: TestClient) -> None:
        make_person(client, name="Rita")
        client.get("/login")
        response = client.post("/login", data={"name": "Rita", "password": PASSWORD})
        assert response.status_code == 403
        assert "candor_session=" not in response.headers.get("set-cookie", "")

    @pytest.mark.parametrize(
        "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
    )
    def test_next_never_leaves_the_site(self, client: TestClient, target: str) -> None:
        make_person(client, name="Rita")
        response = post_login(client, "Rita", PASSWORD, next=target)
        assert response.headers["location"] == "/console"


class TestSignedOut:
    def test_a_console_page_sends_a_stranger_to_sign_in_keeping_the_page(
        self, client: TestClient
    ) -> None:
        response = client.get("/console?from=mail")
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=/console%3Ffrom%3Dmail"

    def test_an_unknown_session_cookie_is_dropped(self, client: TestClient) -> None:
        client.cookies.set("candor_session", "made-up")
        response = client.get("/console")
        assert response.status_code == 303
        assert 'candor_session=""' in response.headers["set-cookie"]


class TestSignOut:
    def test_signing_out_ends_the_session(self, client: TestClient) -> None:
        _, token = signed_in_person(client)
        old_cookie = client.cookies.get("candor_session")
        response = client.post("/logout", data={"csrf_token": token})
        assert response.status_code == 303
        assert response.headers["location"] == "/login"
        assert "You are signed out." in client.get("/login").text
        client.cookies.set("candor_session", old_cookie or "")
        assert client.get("/console").status_code == 303

    def test_signing_out_without_the_csrf_token_is_refused(self, client: TestClient) -> None:
        signed_in_person(client)
        response = client.post("/logout", data={})
        assert response.status_code == 403
        assert "nothing was changed" in response.text
        assert client.get("/console").status_code == 200


class TestHome:
    @pytest.mark.parametrize(
        ("role", "pages"),
        [
            ("rep", ["/console/prospects"]),
            ("manager", ["/console/prospects"]),
            ("compliance", ["/console/policies", "/console/audit", "/console/requests"]),
            (
                "admin",
                ["/console/policies", "/console/audit", "/console/requests", "/console/users"],
            ),
        ],
    )
    def test_the_home_leads_to_the_pages_of_the_role(
        self, client: TestClient, role: str, pages: list[str]
    ) -> None:
        signed_in_person(client, role, name="Someone")
        page = client.get("/console").text
        assert "Someone" in page
        assert "Sign out" in page
        for href in pages:
            assert f'href="{href}"' in page
        if role in ("rep", "manager"):
            assert 'href="/console/users"' not in page

    def test_a_hostile_name_renders_as_text(self, client: TestClient) -> None:
        name = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
        make_person(client, name=name)
        sign_in(client, name)
        page = client.get("/console").text
        assert "<script>alert(1)" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


class TestErrorPages:
    def test_an_unknown_console_page_is_a_readable_404(self, client: TestClient) -> None:
        signed_in_person(client)
        response = client.get("/console/nothing-here")
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert "content-security-policy" in response.headers
        assert "Sign out" in response.text  # the header is there, even on an unknown page

    def test_api_errors_stay_json(self, client: TestClient) -> None:
        response = client.get("/api/me")
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/json"


def test_the_csrf_token_differs_between_sessions(client: TestClient) -> None:
    make_person(client, name="Rita")
    first = sign_in(client, "Rita")
    client.cookies.clear()
    second = sign_in(client, "Rita")
    assert first != second
    assert csrf_of(client.get("/console").text) == second


def test_a_nul_in_the_login_name_is_refused_without_an_error(client: TestClient) -> None:
    response = post_login(client, "Ri\x00ta", PASSWORD)
    assert response.status_code == 422
