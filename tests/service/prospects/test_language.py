"""A prospect's language: set on create, import and correction, refused when not shipped."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.factories import make_prospect, make_user


def refusal(response_json: dict[str, object]) -> tuple[list[str], str]:
    detail = response_json["detail"]
    assert isinstance(detail, list)
    return detail[0]["loc"], detail[0]["msg"]


class TestLanguageField:
    def test_a_new_prospect_keeps_its_canonical_tag_and_answers_it(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        created = make_prospect(client, rep, language="de-at")
        assert created["language"] == "de-AT"
        read = client.get(f"/api/prospects/{created['id']}", headers=rep.headers).json()
        assert read["language"] == "de-AT"
        listed = client.get("/api/prospects", headers=rep.headers).json()
        assert listed[0]["language"] == "de-AT"

    def test_without_one_it_is_null(self, client: TestClient) -> None:
        assert make_prospect(client, make_user(client))["language"] is None

    @pytest.mark.parametrize("language", ["fr", "klingon", "de-XX", 7])
    def test_an_unsupported_language_is_a_422_naming_the_field_and_listing_the_shipped(
        self, client: TestClient, language: object
    ) -> None:
        rep = make_user(client)
        response = client.post(
            "/api/prospects",
            json={"email": "anna@example.com", "language": language},
            headers=rep.headers,
        )
        assert response.status_code == 422
        loc, msg = refusal(response.json())
        assert loc == ["body", "language"]
        if isinstance(language, str):
            assert "en, de" in msg
        assert client.get("/api/prospects", headers=rep.headers).json() == []

    def test_a_correction_sets_and_clears_it(self, client: TestClient) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        path = f"/api/prospects/{prospect['id']}"
        assert (
            client.patch(path, json={"language": "en-GB"}, headers=rep.headers).json()["language"]
            == "en-GB"
        )
        bad = client.patch(path, json={"language": "fr"}, headers=rep.headers)
        assert bad.status_code == 422 and refusal(bad.json())[0] == ["body", "language"]
        assert (
            client.patch(path, json={"name": "Anna B"}, headers=rep.headers).json()["language"]
            == "en-GB"
        )
        assert (
            client.patch(path, json={"language": None}, headers=rep.headers).json()["language"]
            is None
        )


class TestLanguageColumn:
    def test_the_csv_import_reads_a_language_column(self, client: TestClient) -> None:
        rep = make_user(client)
        csv = (
            "email,name,language\n"
            "anna@example.com,Anna,de\n"
            "ben@example.com,Ben,\n"
            "cleo@example.com,Cleo,fr\n"
        )
        response = client.post(
            "/api/prospects/import",
            content=csv,
            headers={**rep.headers, "Content-Type": "text/csv"},
        )
        report = response.json()
        assert report["created"] == 2
        assert [(row["line"], row["field"]) for row in report["refused"]] == [(4, "language")]
        assert "en, de" in report["refused"][0]["reason"]
        languages = {
            p["email"]: p["language"]
            for p in client.get("/api/prospects", headers=rep.headers).json()
        }
        assert languages == {"anna@example.com": "de", "ben@example.com": None}

    def test_reimporting_with_an_empty_cell_keeps_the_language(self, client: TestClient) -> None:
        rep = make_user(client)
        headers = {**rep.headers, "Content-Type": "text/csv"}
        client.post(
            "/api/prospects/import", content="email,language\na@example.com,de\n", headers=headers
        )
        again = client.post(
            "/api/prospects/import", content="email,language\na@example.com,\n", headers=headers
        ).json()
        assert again["unchanged"] == 1
        changed = client.post(
            "/api/prospects/import", content="email,language\na@example.com,en\n", headers=headers
        ).json()
        assert changed["updated"] == 1
        assert client.get("/api/prospects", headers=rep.headers).json()[0]["language"] == "en"
