"""End to end: `candor serve` as a real process, spoken to over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_KEY
from tests.factories import BROWSER_UA, EMAIL_HTML
from tests.servers import CandorProcess


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A running `candor serve` on a free port; its address."""
    candor = CandorProcess(database_url=database_url, workdir=tmp_path)
    candor.start()
    yield candor.base
    candor.stop()


class TestRealServer:
    def test_a_tracked_email_round_trips_over_http(self, server: str) -> None:
        with httpx.Client(base_url=server, timeout=10) as http:
            admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
            rep = http.post(
                "/api/users", json={"name": "Rita", "role": "rep"}, headers=admin
            ).json()
            headers = {"Authorization": f"Bearer {rep['api_key']}"}
            prospect = http.post(
                "/api/prospects", json={"email": "anna@example.com"}, headers=headers
            ).json()
            message = http.post(
                "/api/messages",
                json={"prospect_id": prospect["id"], "subject": "Proposal", "html": EMAIL_HTML},
                headers=headers,
            ).json()
            assert message["pixel_url"].startswith(server)

            gif = http.get(message["pixel_url"], headers={"User-Agent": BROWSER_UA})
            assert gif.status_code == 200 and gif.headers["content-type"] == "image/gif"
            click = http.get(message["links"][0]["tracked_url"], headers={"User-Agent": BROWSER_UA})
            assert click.status_code == 302
            assert click.headers["location"].startswith("https://example.com/pricing")
            forged = http.get("/c/forged-token")
            assert forged.status_code == 404
            # Answered by the protocol itself, in front of the app: nosniff all the same.
            for answer in (gif, click, forged, http.get("/o/forged.gif")):
                assert answer.headers["x-content-type-options"] == "nosniff", answer.url

            body = http.get(f"/api/prospects/{prospect['id']}/timeline", headers=headers).json()
            assert body["policy"]["name"] == "default"
            assert [fact["kind"] for fact in body["facts"]] == ["email_sent"]  # the rest is delayed

    def test_head_answers_like_get_without_a_body_over_http(self, server: str) -> None:
        with httpx.Client(base_url=server, timeout=10) as http:
            visit = "/v.gif?site=example.com&url=https%3A%2F%2Fexample.com%2F"
            for path in ("/t.js", visit, "/p/no-such-token"):
                get, head = http.get(path), http.head(path)
                assert head.status_code == get.status_code, path
                assert head.content == b"" and get.content != b"", path
                assert head.headers["content-type"] == get.headers["content-type"], path
            assert http.get("/healthz").headers["x-content-type-options"] == "nosniff"
            big = b'{"text": ' + b"9" * 5000 + b"}"
            refused = http.post("/api/openers/lint", content=big)
            assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body"]
