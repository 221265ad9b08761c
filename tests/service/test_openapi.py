"""The OpenAPI document says what the API answers, and /docs shows it without internet.

Also: the prospect and message routes a client builds on are described."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from service.app import create_collector_app
from service.config import Settings
from service.runtime import Runtime


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    return dict(client.get("/openapi.json").json())


def responses(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    return dict(document["paths"][path][method]["responses"])


class TestOfflineDocs:
    @pytest.mark.parametrize("page", ["/docs", "/redoc"])
    def test_the_docs_pages_load_every_asset_from_candor_itself(
        self, client: TestClient, page: str
    ) -> None:
        html = client.get(page).text
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert assets and all(asset.startswith("/docs/assets/") for asset in assets), assets
        assert "https://" not in html and "http://" not in html
        for asset in assets:
            response = client.get(asset)
            assert response.status_code == 200 and len(response.content) > 1000, asset

    @pytest.mark.parametrize("page", ["/docs", "/redoc"])
    def test_the_docs_pages_may_fetch_nothing_from_outside(
        self, client: TestClient, page: str
    ) -> None:
        policy = client.get(page).headers["content-security-policy"]
        assert "default-src 'self'" in policy and "img-src 'self' data: blob:" in policy
        assert "https:" not in policy and "*" not in policy

    def test_the_collector_alone_serves_its_docs_offline_too(
        self, settings: Settings, runtime: Runtime
    ) -> None:
        with TestClient(create_collector_app(settings, runtime)) as collector:
            html = collector.get("/docs").text
            assert "/docs/assets/swagger-ui-bundle.js" in html
            assert collector.get("/docs/assets/swagger-ui-bundle.js").status_code == 200


class TestDocumentedAnswers:
    def test_the_pixel_and_tracked_links_are_described(self, document: dict[str, Any]) -> None:
        pixel = responses(document, "get", "/o/{token}.gif")
        assert list(pixel["200"]["content"]) == ["image/gif"]
        link = responses(document, "get", "/c/{token}")
        assert "Location" in link["302"]["headers"]
        assert list(link["404"]["content"]) == ["text/html"]

    @pytest.mark.parametrize(
        ("path", "media_type"),
        [
            ("/metrics", "text/plain"),
            ("/t.js", "application/javascript"),
            ("/v.gif", "image/gif"),
            ("/p/{token}", "text/html"),
            ("/p/{token}.json", "application/json"),
        ],
    )
    def test_non_json_answers_carry_their_real_media_type(
        self, client: TestClient, document: dict[str, Any], path: str, media_type: str
    ) -> None:
        [declared] = responses(document, "get", path)["200"]["content"]
        assert declared.split(";")[0] == media_type

    def test_the_beacon_documents_its_body_as_json_and_as_text(
        self, document: dict[str, Any]
    ) -> None:
        body = document["paths"]["/v"]["post"]["requestBody"]["content"]
        assert set(body) == {"text/plain", "application/json"}
        assert body["text/plain"]["schema"]["required"] == ["site", "url"]

    @pytest.mark.parametrize(
        ("method", "path", "codes"),
        [
            ("get", "/api/me", {"401"}),
            ("post", "/api/users", {"401", "403"}),
            ("get", "/api/prospects/{prospect_id}", {"401", "404"}),
            ("get", "/api/prospects/{prospect_id}/timeline", {"401", "403", "404"}),
            ("delete", "/api/prospects/{prospect_id}", {"401", "403", "404"}),
            ("post", "/api/messages", {"401", "403", "404"}),
            ("get", "/api/policies/{name}", {"401", "403", "404"}),
            ("post", "/api/policies", {"401", "403", "409"}),
        ],
    )
    def test_authentication_role_and_existence_errors_are_documented_per_route(
        self, document: dict[str, Any], method: str, path: str, codes: set[str]
    ) -> None:
        assert codes <= set(responses(document, method, path))

    def test_public_routes_document_no_authentication_errors(
        self, document: dict[str, Any]
    ) -> None:
        for path in ("/healthz", "/t.js", "/v", "/p/{token}"):
            for operation in document["paths"][path].values():
                assert "401" not in operation["responses"], path

    def test_every_request_body_has_an_example(self, document: dict[str, Any]) -> None:
        schemas = document["components"]["schemas"]
        for path, item in document["paths"].items():
            for method, operation in item.items():
                for content in operation.get("requestBody", {}).get("content", {}).values():
                    referenced = [schemas[ref.rsplit("/", 1)[1]] for ref in _refs(content)]
                    assert _has_example(content) or _has_example(referenced), (method, path)


class TestNoSniff:
    def test_json_answers_say_nosniff_whatever_their_status(self, client: TestClient) -> None:
        for response in (
            client.get("/healthz"),
            client.get("/api/me"),  # 401
            client.get("/api/audit?until=0.5"),  # 401 before 422: no key
            client.post("/api/openers/lint", content=b'{"text": 1e999}'),  # the guard's 422
        ):
            assert response.headers["x-content-type-options"] == "nosniff", response.url
            assert response.headers["content-type"].startswith("application/json")


ROUTES = [
    ("post", "/api/prospects"),
    ("get", "/api/prospects"),
    ("post", "/api/prospects/import"),
    ("patch", "/api/prospects/{prospect_id}"),
    ("get", "/api/prospects/{prospect_id}/messages"),
    ("post", "/api/messages"),
]


def _has_example(node: object) -> bool:
    if isinstance(node, dict):
        return "example" in node or "examples" in node or any(map(_has_example, node.values()))
    if isinstance(node, list):
        return any(map(_has_example, node))
    return False


class TestProspectAndMessageRoutes:
    @pytest.mark.parametrize(("method", "path"), ROUTES)
    def test_each_route_has_a_summary_an_example_and_its_error_answers(
        self, client: TestClient, method: str, path: str
    ) -> None:
        schema = client.get("/openapi.json").json()
        operation = schema["paths"][path][method]
        assert operation["summary"]
        assert {"401", "422"} <= set(operation["responses"])
        if "{prospect_id}" in path:
            assert "404" in operation["responses"]
        # The request and the success answer, not the error bodies every route shares.
        own = [operation.get("requestBody", {})] + [
            answer for code, answer in operation["responses"].items() if code.startswith("2")
        ]
        referenced = [schema["components"]["schemas"][ref.rsplit("/", 1)[1]] for ref in _refs(own)]
        assert _has_example(own) or _has_example(referenced), (method, path)

    def test_the_list_documents_its_total_and_next_link_headers(self, client: TestClient) -> None:
        operation = client.get("/openapi.json").json()["paths"]["/api/prospects"]["get"]
        assert {"X-Total-Count", "Link"} <= set(operation["responses"]["200"]["headers"])


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []
