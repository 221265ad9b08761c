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

    @pytest.mark.parametrize(
        "loose", [True, "1", 1.0, "01"], ids=["true", "text", "float", "0-led"]
    )
    @pytest.mark.parametrize(
        ("method", "path", "body", "field", "role"),
        [
            ("post", "/api/messages", {"subject": "s", "html": "<p>x</p>"}, "prospect_id", "rep"),
            ("post", "/api/prospects", {"email": "b@example.com"}, "owner_id", "rep"),
            ("patch", "/api/prospects/1", {}, "owner_id", "admin"),
            ("post", "/api/users", {"name": "x", "role": "rep"}, "manager_id", "admin"),
            ("patch", "/api/users/{rep}", {}, "manager_id", "admin"),
            ("post", "/api/invitations", {"name": "x", "role": "rep"}, "manager_id", "admin"),
            (
                "post",
                "/api/policies/preview",
                {"document": "name: x", "role": "rep"},
                "prospect_id",
                "admin",
            ),
            ("post", "/api/policies/default/activate", {}, "version", "admin"),
        ],
    )
    def test_an_id_in_a_body_is_a_json_integer_or_a_422_naming_it_and_nothing_changes(
        self,
        client: TestClient,
        method: str,
        path: str,
        body: dict[str, Any],
        field: str,
        role: str,
        loose: object,
    ) -> None:
        """``true``, ``"1"`` and ``1.0`` are not user, prospect or version 1, in any body."""
        manager = make_user(client, "manager")
        rep = make_user(client, "rep", manager=manager)
        prospect = make_prospect(client, rep)
        assert prospect["id"] == 1 and manager.id == 2
        headers = auth(ADMIN_KEY) if role == "admin" else rep.headers
        before = client.get("/api/audit?limit=1000", headers=auth(ADMIN_KEY)).json()["items"]
        response = client.request(
            method, path.format(rep=rep.id), json={**body, field: loose}, headers=headers
        )
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["loc"] == ["body", field]
        after = client.get("/api/audit?limit=1000", headers=auth(ADMIN_KEY)).json()["items"]
        assert after == before
        assert client.get("/api/prospects/1", headers=rep.headers).json()["owner_id"] == rep.id
        listed = client.get("/api/prospects/1/messages", headers=rep.headers).json()
        assert listed == []

    def test_the_strict_ids_are_json_integers_in_the_openapi_document(
        self, client: TestClient
    ) -> None:
        schemas = client.get("/openapi.json").json()["components"]["schemas"]
        for model, field in [
            ("MessageCreate", "prospect_id"),
            ("ProspectUpdate", "owner_id"),
            ("UserCreate", "manager_id"),
            ("Activation", "version"),
        ]:
            declared = schemas[model]["properties"][field]
            types = [declared.get("type")] + [
                part.get("type") for part in declared.get("anyOf", [])
            ]
            assert "integer" in types and "string" not in types and "boolean" not in types

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
