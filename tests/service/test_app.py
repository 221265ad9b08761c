"""Operations endpoints and the collector-only app."""

from __future__ import annotations

import gc

from starlette.testclient import TestClient

from service.app import create_app, create_collector_app
from service.config import Settings
from service.runtime import Runtime
from tests.factories import make_user


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
        assert error["msg"] == "must be an email address such as anna@example.com"
        assert error["type"] == "value_error" and error["input"] == "not-an-email"
