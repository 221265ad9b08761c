"""The OpenAPI schema describes the prospect and message routes a client builds on."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

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
