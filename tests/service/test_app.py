"""Operations endpoints and the collector-only app."""

from __future__ import annotations

import gc

import pytest
from starlette.testclient import TestClient

from service.app import create_app, create_collector_app
from service.config import Settings
from service.runtime import Runtime
from tests.conftest import ADMIN_KEY
from tests.factories import auth, make_user


class TestOperations:
    def test_health_and_readiness_answer(self, client: TestClient) -> None:
        assert client.get("/healthz").json() == {"status": "ok"}
        assert client.get("/readyz").json() == {"status": "ok"}

    def test_metrics_are_exposed_for_prometheus(self, client: TestClient) -> None:
        client.get("/o/not-a-token.gif")
        response = client.get("/metrics")
        assert response.status_code == 200
        assert "candor_rejected_tokens_total" in response.text

    def test_with_a_metrics_token_only_its_bearer_reads_the_metrics(
        self, settings: Settings, runtime: Runtime
    ) -> None:
        runtime.settings = settings.model_copy(update={"metrics_token": "scrape-me"})
        with TestClient(create_app(runtime.settings, runtime)) as client:
            assert client.get("/metrics").status_code == 401
            wrong = {"Authorization": "Bearer scrape-you"}
            assert client.get("/metrics", headers=wrong).status_code == 401
            right = client.get("/metrics", headers={"Authorization": "Bearer scrape-me"})
        assert right.status_code == 200
        assert "candor_rejected_tokens_total" in right.text

    def test_the_openapi_document_lists_the_api(self, client: TestClient) -> None:
        paths = client.get("/openapi.json").json()["paths"]
        assert "/api/prospects/{prospect_id}/timeline" in paths
        assert "/api/messages" in paths


class TestCollectorOnlyApp:
    def test_it_serves_the_collector_and_not_the_api(
        self, settings: Settings, runtime: Runtime
    ) -> None:
        with TestClient(create_collector_app(settings, runtime)) as client:
            assert client.get("/o/x.gif").status_code == 200
            assert client.get("/t.js").status_code == 200
            assert client.get("/healthz").status_code == 200
            assert client.get("/api/me").status_code == 404


class TestGarbageCollection:
    def test_a_server_freezes_its_long_lived_objects_after_start_up(
        self, settings: Settings, runtime: Runtime
    ) -> None:
        runtime.settings = settings.model_copy(update={"gc_freeze": True})
        try:
            with TestClient(create_collector_app(runtime.settings, runtime)):
                assert gc.get_freeze_count() > 0
        finally:
            gc.unfreeze()


class TestValidationErrors:
    def test_a_422_names_the_field_and_gives_the_sentence_without_pydantics_prefix(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        response = client.post(
            "/api/prospects", json={"email": "not-an-email", "name": "Anna"}, headers=rep.headers
        )
        assert response.status_code == 422
        error = response.json()["detail"][0]
        assert error["loc"] == ["body", "email"]
        assert error["msg"] == "The field email must be an email address such as anna@example.com."
        assert error["type"] == "value_error" and error["input"] == "not-an-email"

    @pytest.mark.parametrize(
        ("body", "loc", "says"),
        [
            ({"role": "rep"}, ["body", "name"], "The field name is required."),
            ({"name": "  ", "role": "rep"}, ["body", "name"], "The field name is empty"),
            (
                {"name": "x" * 201, "role": "rep"},
                ["body", "name"],
                "The field name is at most 200 characters; this one has 201.",
            ),
            (
                {"name": "Pat", "role": "boss"},
                ["body", "role"],
                "The field role must be one of 'rep', 'manager', 'compliance' or 'admin'; "
                "“boss” is not.",
            ),
            (
                {"name": "Pat", "role": "rep", "colour": "red"},
                ["body", "colour"],
                "The field colour is not one this request takes; leave it out.",
            ),
            (
                {"name": "Pat", "role": "rep", "manager_id": "1"},
                ["body", "manager_id"],
                "The field manager_id must be a whole number written without quotes; “1” is text.",
            ),
            ({"name": 5, "role": "rep"}, ["body", "name"], "The field name must be text"),
            ([1], ["body"], "The body must be an object"),
        ],
    )
    def test_pydantics_error_types_are_said_in_candors_words(
        self, client: TestClient, body: object, loc: list[str], says: str
    ) -> None:
        response = client.post("/api/users", json=body, headers=auth(ADMIN_KEY))
        assert response.status_code == 422
        error = response.json()["detail"][0]
        assert error["loc"] == loc
        assert error["msg"].startswith(says)
        assert "should" not in error["msg"] and "Field required" not in error["msg"]

    def test_a_query_parameter_is_named_with_its_limit(self, client: TestClient) -> None:
        rep = make_user(client)
        for query, says in [
            ("limit=abc", "The query parameter limit must be a whole number; “abc” is not."),
            ("limit=0", "The query parameter limit must be at least 1; “0” is not."),
            ("limit=5000", "The query parameter limit must be at most 1,000; “5000” is not."),
        ]:
            response = client.get(f"/api/prospects?{query}", headers=rep.headers)
            assert response.status_code == 422
            assert response.json()["detail"][0]["msg"] == says

    def test_json_that_does_not_parse_says_where(self, client: TestClient) -> None:
        response = client.post(
            "/api/users",
            content=b'{"name": "Pat",\n "role": }',
            headers=auth(ADMIN_KEY) | {"Content-Type": "application/json"},
        )
        assert response.status_code == 422
        error = response.json()["detail"][0]
        assert error["type"] == "json_invalid"
        assert error["msg"] == "The body is not valid JSON: expecting value at line 2, column 10."
