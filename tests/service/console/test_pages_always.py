"""Every console address answers a page a person can read, never the API's JSON."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from service.prospects import service as prospect_service
from service.runtime import Runtime
from tests.service.console.admin_helpers import signed_in
from tests.service.console.helpers import words_of


def _is_page(response: object) -> None:
    content_type = response.headers["content-type"]  # type: ignore[attr-defined]
    assert content_type.startswith("text/html"), content_type
    assert "Content-Security-Policy" in response.headers  # type: ignore[attr-defined]


class TestUnreadableAddresses:
    @pytest.mark.parametrize(
        ("role", "path", "status", "named"),
        [
            ("rep", "/console/prospects?q=%00", 400, "The query parameter “q”"),
            ("rep", "/console/prospects/%00", 404, "There is nothing here"),
            ("compliance", "/console/audit?actor=%00", 400, "The query parameter “actor”"),
            ("compliance", "/console/policies/default?version=%00", 400, "“version”"),
            ("admin", "/console/users/%00", 404, "There is nothing here"),
        ],
    )
    def test_a_nul_or_a_broken_character_gets_a_page_naming_the_parameter(
        self, client: TestClient, runtime: Runtime, role: str, path: str, status: int, named: str
    ) -> None:
        signed_in(client, runtime, role)
        response = client.get(path)
        assert response.status_code == status
        _is_page(response)
        assert named in response.text
        assert "Sign out" in response.text  # the person's header, as on every page

    def test_the_api_still_answers_json(self, client: TestClient) -> None:
        response = client.get("/api/prospects?q=%00")
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/json"

    def test_a_stranger_gets_a_page_too(self, client: TestClient) -> None:
        response = client.get("/login?next=%00")
        assert response.status_code == 400
        _is_page(response)
        assert "“next”" in response.text


class TestUnreadableForms:
    def test_a_form_not_sent_as_utf8_is_a_page(self, client: TestClient, runtime: Runtime) -> None:
        token = signed_in(client, runtime, "rep")
        response = client.post(
            "/console/prospects",
            content=f"csrf_token={token}&email=m".encode() + "üller@example.com".encode("latin-1"),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 422
        _is_page(response)
        assert "not sent as UTF-8 text" in response.text

    def test_a_body_the_guard_refuses_on_a_console_path_is_a_page(self, client: TestClient) -> None:
        # The input guard's JSON checks (here an integer too long to read) on "/".
        response = client.post(
            "/",
            content=b'{"text": ' + b"9" * 5_000 + b"}",
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 422
        _is_page(response)
        assert "could not be read" in response.text

    def test_a_csv_file_saved_in_latin1_comes_back_to_the_import_form(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        token = signed_in(client, runtime, "rep")
        excel = "email,name\nm.mueller@example.com,Müller\n".encode("cp1252")
        response = client.post(
            "/console/prospects/import",
            data={"csrf_token": token},
            files={"file": ("people.csv", excel, "text/csv")},
        )
        assert response.status_code == 422
        _is_page(response)
        assert 'id="csv_file-error"' in response.text  # beside the file field
        assert "save it as “CSV UTF-8”" in response.text
        assert "m.mueller@example.com" not in words_of(client.get("/console/prospects").text)

    def test_a_request_over_the_limit_is_a_page(self, client: TestClient, runtime: Runtime) -> None:
        token = signed_in(client, runtime, "rep")
        response = client.post(
            "/console/prospects/1/compose",
            data={"csrf_token": token, "subject": "Hi", "body": "x" * (11 * 1024 * 1024)},
        )
        assert response.status_code == 413
        _is_page(response)
        assert "larger than 10 MB" in response.text

    def test_the_live_lint_keeps_json(self, client: TestClient, runtime: Runtime) -> None:
        token = signed_in(client, runtime, "rep")
        response = client.post(
            "/console/api/lint",
            content=b'{"text": "M\xfcller"}',
            headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/json"


class TestUnexpectedErrors:
    def test_a_failure_on_a_console_path_is_a_page_and_the_api_keeps_json(
        self, client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        signed_in(client, runtime, "rep")

        def broken(*_args: object, **_kwargs: object) -> None:
            raise RuntimeError("a bug")

        monkeypatch.setattr(prospect_service, "list_page", broken)
        quiet = TestClient(client.app, raise_server_exceptions=False, follow_redirects=False)
        quiet.cookies = client.cookies
        response = quiet.get("/console/prospects")
        assert response.status_code == 500
        _is_page(response)
        assert "it has been logged" in response.text
        api = quiet.get("/api/prospects", headers={"Authorization": "Bearer nobody"})
        assert "application/json" in api.headers["content-type"]
