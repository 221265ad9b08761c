"""Text no handler, database or response could carry is a 422 naming where it was."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from pixel.gif import TRANSPARENT_GIF
from service.input_guard import MAX_BODY_BYTES
from service.runtime import Runtime
from tests.conftest import ADMIN_KEY
from tests.factories import allow_anonymous_visits, auth, make_user, stored_events


class TestBodies:
    @pytest.mark.parametrize(
        ("body", "loc", "says"),
        [
            (b'{"text": 1e309}', ["body"], "finite"),
            (b'{"text": NaN}', ["body"], "finite"),
            (b'{"text": -Infinity}', ["body"], "finite"),
            (b'{"text": "\\ud800"}', ["body", "text"], "surrogate"),
            (b'{"text": "a\\u0000b"}', ["body", "text"], "NUL"),
            (b'{"text": "ok", "extra": ["x", "\\u0000"]}', ["body", "extra", 1], "NUL"),
            (b'{"text": "\xed\xa0\x80"}', ["body"], "UTF-8"),
            (b"[" * 100_000, ["body"], "nested"),
            (b'{"text": ' + b"[" * 40 + b"]" * 40 + b"}", ["body", "text", *[0] * 31], "nested"),
        ],
    )
    def test_unstorable_text_is_a_422_naming_the_place(
        self, client: TestClient, body: bytes, loc: list[object], says: str
    ) -> None:
        rep = make_user(client)
        response = client.post(
            "/api/openers/lint",
            content=body,
            headers={**rep.headers, "Content-Type": "application/json"},
        )
        assert response.status_code == 422
        [error] = response.json()["detail"]
        assert error["loc"] == loc and says in error["msg"]

    def test_a_nul_in_a_stored_field_is_refused_on_every_database(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        response = client.post(
            "/api/prospects", json={"email": "a\x00@example.com"}, headers=rep.headers
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "email"]
        response = client.post(
            "/api/users", json={"name": "a\x00b", "role": "rep"}, headers=auth(ADMIN_KEY)
        )
        assert response.json()["detail"][0]["loc"] == ["body", "name"]

    def test_a_body_larger_than_any_email_is_a_413(self, client: TestClient) -> None:
        rep = make_user(client)
        response = client.post(
            "/api/openers/lint",
            content=b"x" * (MAX_BODY_BYTES + 1),
            headers={**rep.headers, "Content-Type": "application/json"},
        )
        assert response.status_code == 413

    def test_ordinary_unicode_passes(self, client: TestClient) -> None:
        rep = make_user(client)
        response = client.post(
            "/api/openers/lint", json={"text": "Grüße 👋, what did you think?"}, headers=rep.headers
        )
        assert response.status_code == 200


class TestLongIntegers:
    @pytest.mark.parametrize(
        ("method", "path", "authorised"),
        [
            ("POST", "/api/openers/lint", True),
            ("POST", "/api/users", True),
            ("PUT", "/api/policies/default", True),
            ("POST", "/api/openers/lint", False),
            ("POST", "/p/x/opt-out", False),
        ],
    )
    def test_an_integer_too_long_to_read_is_a_422_and_no_traceback(
        self,
        client: TestClient,
        caplog: pytest.LogCaptureFixture,
        method: str,
        path: str,
        authorised: bool,
    ) -> None:
        headers = {"Content-Type": "application/json"}
        if authorised:
            headers.update(auth(ADMIN_KEY))
        body = b'{"text": ' + b"9" * 5_000 + b"}"
        with caplog.at_level("ERROR"):
            response = client.request(method, path, content=body, headers=headers)
        assert response.status_code == 422, response.text
        [error] = response.json()["detail"]
        assert error["loc"] == ["body"] and "digits" in error["msg"]
        assert [record for record in caplog.records if record.levelname == "ERROR"] == []

    def test_a_long_but_readable_integer_reaches_the_route(self, client: TestClient) -> None:
        body = b'{"name": "x", "role": "rep", "manager_id": -' + b"9" * 4_300 + b"}"
        response = client.post(
            "/api/users",
            content=body,
            headers={**auth(ADMIN_KEY), "Content-Type": "application/json"},
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "manager_id"]


class TestUrls:
    def test_a_nul_in_the_query_is_a_422_naming_the_parameter(self, client: TestClient) -> None:
        response = client.get("/api/audit?action=%00", headers=auth(ADMIN_KEY))
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["query", "action"]

    def test_a_nul_in_the_path_is_a_422(self, client: TestClient) -> None:
        response = client.get("/api/policies/%00", headers=auth(ADMIN_KEY))
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["path"]

    def test_the_image_beacon_still_answers_its_gif_and_records_nothing(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        allow_anonymous_visits(client)  # so that nothing stored means refused
        response = client.get("/v.gif?site=exa%00mple.com&url=https%3A%2F%2Fexample.com%2F")
        assert response.status_code == 200 and response.content == TRANSPARENT_GIF
        assert stored_events(runtime, "visit") == []


@pytest.mark.parametrize(
    "body",
    [
        b'{"site": "example.com", "url": "https://example.com/", "title": 1e309}',
        b'{"site": "example.com", "url": "https://example.com/", "title": NaN}',
        b'{"site": "example.com", "url": "https://example.com/", "title": "\\ud800"}',
        b'{"site": "example.com", "url": "https://example.com/", "title": "a\\u0000b"}',
        b'{"site": "example.com", "url": "https://example.com/", "title": "\xed\xa0\x80"}',
        b"[" * 10_000,
        b'{"site": "example.com", "url": "https://example.com/", "title": '
        + b"[" * 40
        + b"]" * 40
        + b"}",
    ],
)
def test_the_page_view_beacon_refuses_unstorable_text_by_itself(
    client: TestClient, runtime: Runtime, body: bytes
) -> None:
    # /v checks its own (small) body once, instead of the guard's parse plus its own.
    response = client.post("/v", content=body, headers={"Content-Type": "text/plain"})
    assert response.status_code == 422
    assert stored_events(runtime, "visit") == []
