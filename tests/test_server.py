"""End to end: `candor serve` as a real process, spoken to over real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_KEY
from tests.factories import BROWSER_UA, EMAIL_HTML


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A running `candor serve` on a free port; its address."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CANDOR_DATABASE_URL": database_url,
        "CANDOR_ADMIN_KEY": ADMIN_KEY,
        "CANDOR_PUBLIC_URL": base,
        "CANDOR_LOG_LEVEL": "warning",
    }
    command = [
        sys.executable,
        "-c",
        "from service.cli import main; main()",
        "serve",
        "--port",
        str(port),
    ]
    process = subprocess.Popen(command, env=env, cwd=tmp_path)
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("candor serve did not become ready")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


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
            assert http.get("/c/forged-token").status_code == 404

            body = http.get(f"/api/prospects/{prospect['id']}/timeline", headers=headers).json()
            assert body["policy"]["name"] == "default"
            assert [fact["kind"] for fact in body["facts"]] == ["email_sent"]  # the rest is delayed
