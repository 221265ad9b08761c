"""The prospect's language in the console: the Add-prospect form and the prospect page."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.service.console.helpers import signed_in_person


class TestLanguageInTheConsole:
    def test_a_prospect_added_in_german_says_so_on_its_page(self, client: TestClient) -> None:
        rep, token = signed_in_person(client)
        form = client.get("/console/prospects").text
        assert '<option value="de">Deutsch (de)</option>' in form
        added = client.post(
            "/console/prospects",
            data={"csrf_token": token, "email": "anna@acme.example", "language": "de"},
        )
        assert added.status_code == 303
        page = client.get(added.headers["location"]).text
        assert "Language: Deutsch (de)" in page
        listed = client.get("/api/prospects", headers=rep.headers).json()
        assert listed[0]["language"] == "de"

    def test_an_unknown_language_is_explained_beside_the_field(self, client: TestClient) -> None:
        _, token = signed_in_person(client)
        response = client.post(
            "/console/prospects",
            data={"csrf_token": token, "email": "anna@acme.example", "language": "fr"},
        )
        assert response.status_code == 422
        assert 'id="language-error"' in response.text
        assert "Must be a supported language: en, de" in response.text

    def test_the_prospect_page_changes_and_clears_the_language(self, client: TestClient) -> None:
        rep, token = signed_in_person(client)
        added = client.post(
            "/console/prospects", data={"csrf_token": token, "email": "anna@acme.example"}
        )
        path = added.headers["location"]
        assert "not set" in client.get(path).text
        saved = client.post(path + "/language", data={"csrf_token": token, "language": "de"})
        assert saved.status_code == 303
        assert "Language: Deutsch (de)" in client.get(saved.headers["location"]).text
        cleared = client.post(path + "/language", data={"csrf_token": token, "language": ""})
        assert cleared.status_code == 303
        assert client.get("/api/prospects", headers=rep.headers).json()[0]["language"] is None

    def test_changing_the_language_needs_the_csrf_token(self, client: TestClient) -> None:
        rep, token = signed_in_person(client)
        added = client.post(
            "/console/prospects", data={"csrf_token": token, "email": "anna@acme.example"}
        )
        refused = client.post(added.headers["location"] + "/language", data={"language": "de"})
        assert refused.status_code == 403
        assert client.get("/api/prospects", headers=rep.headers).json()[0]["language"] is None
