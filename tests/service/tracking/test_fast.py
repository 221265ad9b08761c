"""The lean collector path (``service.tracking.fast``): its answers and its own helpers.

Under a plain ASGI server (and the test client) pixels and tracked links are answered
here, in front of the application's middleware.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from service.tracking.collector import _URL_SAFE, location_header
from tests.factories import BROWSER_UA, make_prospect, make_user, path_of, send_message


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])))
def test_the_location_header_is_the_destination_percent_encoded_only_where_needed(
    path: str,
) -> None:
    url = f"https://example.com/{path}"
    assert location_header(url) == quote(url, safe=_URL_SAFE).encode("ascii")


class TestAnswers:
    @pytest.fixture
    def message(self, client: TestClient) -> dict[str, Any]:
        rep = make_user(client)
        return send_message(client, rep, make_prospect(client, rep)["id"])

    def test_every_pixel_and_link_answer_says_nosniff_like_the_rest_of_the_api(
        self, client: TestClient, message: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        paths = {
            path_of(message["pixel_url"]): 200,
            path_of(message["links"][0]["tracked_url"]): 302,
            "/o/forged.gif": 200,
            "/c/garbage": 404,
        }
        for path, status in paths.items():
            for method in ("GET", "HEAD"):
                response = client.request(
                    method, path, headers={"User-Agent": BROWSER_UA}, follow_redirects=False
                )
                assert response.status_code == status, (method, path)
                assert response.headers["x-content-type-options"] == "nosniff", (method, path)
        collector = client.app.state.collector  # type: ignore[attr-defined]

        def broken(*args: Any) -> Any:
            raise RuntimeError("a bug")

        monkeypatch.setattr(collector, "click_plan", broken)
        retry = client.get(path_of(message["links"][0]["tracked_url"]), follow_redirects=False)
        assert retry.status_code == 503
        assert retry.headers["x-content-type-options"] == "nosniff"
