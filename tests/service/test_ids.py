"""Ids are bounded by the column they name: past it, a 422 naming the field, never a 500.

On PostgreSQL most id columns are INTEGER; an id of 2**31 used to reach the driver and
come back as NumericValueOutOfRange.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from service.ids import MAX_BIG_ID, MAX_INT
from tests.conftest import ADMIN_KEY
from tests.factories import auth, make_prospect, make_user

PAST_INTEGER = MAX_INT + 1


class TestPathAndQueryIds:
    @pytest.mark.parametrize(
        "path",
        [
            "/api/prospects/{id}",
            "/api/prospects/{id}/timeline",
            "/api/prospects/{id}/openers",
            "/api/prospects/{id}/export",
        ],
    )
    def test_an_id_past_an_integer_column_is_a_422_and_the_largest_one_a_404(
        self, client: TestClient, path: str
    ) -> None:
        headers = auth(ADMIN_KEY) if path.endswith("export") else make_user(client).headers
        response = client.get(path.format(id=PAST_INTEGER), headers=headers)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["path", "prospect_id"]
        assert client.get(path.format(id=MAX_INT), headers=headers).status_code == 404

    def test_erasing_an_id_past_the_column_is_a_422(self, client: TestClient) -> None:
        response = client.delete(f"/api/prospects/{2**62}", headers=auth(ADMIN_KEY))
        assert response.status_code == 422

    @pytest.mark.parametrize("name", ["actor_id", "prospect_id"])
    def test_audit_filters_on_integer_columns_are_bounded_alike(
        self, client: TestClient, name: str
    ) -> None:
        response = client.get(f"/api/audit?{name}={PAST_INTEGER}", headers=auth(ADMIN_KEY))
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["query", name]
        assert client.get(f"/api/audit?{name}={MAX_INT}", headers=auth(ADMIN_KEY)).json() == {
            "items": [],
            "next_before_id": None,
        }

    def test_audit_entry_ids_are_big_integers(self, client: TestClient) -> None:
        ok = client.get(f"/api/audit?before_id={MAX_BIG_ID}", headers=auth(ADMIN_KEY))
        assert ok.status_code == 200
        past = client.get(f"/api/audit?before_id={MAX_BIG_ID + 1}", headers=auth(ADMIN_KEY))
        assert past.status_code == 422

    def test_a_policy_version_past_its_column_is_a_422(self, client: TestClient) -> None:
        response = client.get(
            f"/api/policies/default?version={PAST_INTEGER}", headers=auth(ADMIN_KEY)
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["query", "version"]


class TestBodyIds:
    @pytest.mark.parametrize(
        ("path", "body", "field", "role"),
        [
            ("/api/messages", {"subject": "s", "html": "<p>x</p>"}, "prospect_id", "rep"),
            ("/api/prospects", {"email": "a@example.com"}, "owner_id", "manager"),
            ("/api/users", {"name": "x", "role": "rep"}, "manager_id", "admin"),
            (
                "/api/policies/preview",
                {"document": "name: x", "role": "rep"},
                "prospect_id",
                "admin",
            ),
        ],
    )
    def test_an_id_past_its_column_in_a_body_is_a_422_naming_it(
        self, client: TestClient, path: str, body: dict[str, Any], field: str, role: str
    ) -> None:
        headers = auth(ADMIN_KEY) if role == "admin" else make_user(client, role).headers
        response = client.post(path, json={**body, field: PAST_INTEGER}, headers=headers)
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["loc"] == ["body", field]

    def test_the_largest_id_a_column_holds_is_an_ordinary_not_found(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        make_prospect(client, rep)
        response = client.post(
            "/api/messages",
            json={"prospect_id": MAX_INT, "subject": "s", "html": "<p>x</p>"},
            headers=rep.headers,
        )
        assert response.status_code == 404


class TestDeclaredBounds:
    def test_the_openapi_document_states_each_ids_bounds_as_json_schema(
        self, client: TestClient
    ) -> None:
        document = client.get("/openapi.json").json()
        [prospect_id] = document["paths"]["/api/prospects/{prospect_id}"]["get"]["parameters"]
        assert prospect_id["schema"]["minimum"] == 1
        assert prospect_id["schema"]["maximum"] == MAX_INT
        assert "ge" not in prospect_id["schema"] and "le" not in prospect_id["schema"]
        audit = {
            p["name"]: p["schema"] for p in document["paths"]["/api/audit"]["get"]["parameters"]
        }
        assert audit["actor_id"]["anyOf"][0]["maximum"] == MAX_INT
        assert audit["before_id"]["anyOf"][0]["maximum"] == MAX_BIG_ID
        body = document["components"]["schemas"]["MessageCreate"]["properties"]["prospect_id"]
        assert body["maximum"] == MAX_INT and "le" not in body
