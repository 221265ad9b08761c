"""The API against its own OpenAPI document: schemathesis, over HTTP, on each database.

A real `candor serve` is started on a free port; schemathesis reads every operation
from its `/openapi.json` (so a route added tomorrow is covered the day it is merged),
generates valid and invalid requests for each, and checks every answer: no status of
500 or more, no status, media type, header or body the document does not declare.
It runs twice, as a rep with a prospect and a sent message (prospects, messages,
timelines, the lint) and then as the admin (users, policies, audit, export, erasure),
so that both reach past 401 and 403. Each run is bounded in time (``CANDOR_CONTRACT_SECONDS``,
default 30 s); ``-m "not contract"`` leaves these out while you work.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_KEY
from tests.factories import EMAIL_HTML, auth
from tests.servers import CandorProcess

pytestmark = pytest.mark.contract

SECONDS = os.environ.get("CANDOR_CONTRACT_SECONDS", "30")
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)
SCHEMATHESIS = Path(sys.executable).with_name("st")


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[CandorProcess]:
    """A running `candor serve` whose log (warnings and errors) goes to a file."""
    candor = CandorProcess(database_url=database_url, workdir=tmp_path)
    candor.start()
    yield candor
    candor.stop()


def seed(base: str) -> str:
    """A rep with a prospect and a sent message; the rep's key."""
    with httpx.Client(base_url=base, timeout=10) as http:
        rep = http.post("/api/users", json={"name": "Rita", "role": "rep"}, headers=auth(ADMIN_KEY))
        key = str(rep.json()["api_key"])
        prospect = http.post(
            "/api/prospects", json={"email": "anna@example.com"}, headers=auth(key)
        ).json()
        sent = http.post(
            "/api/messages",
            json={"prospect_id": prospect["id"], "subject": "Proposal", "html": EMAIL_HTML},
            headers=auth(key),
        )
        assert sent.status_code == 201, sent.text
    return key


def schemathesis(base: str, key: str, report: Path) -> subprocess.CompletedProcess[str]:
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{base}/openapi.json",
        "--header",
        f"Authorization: Bearer {key}",
        "--checks",
        CHECKS,
        "--max-examples",
        "20",
        "--max-time",
        SECONDS,
        # One worker: under two worker threads, CPython 3.11.7's ast.parse (which hypothesis calls to
        # describe filters) can fail with "AST constructor recursion depth mismatch"
        # (CPython gh-106905), a fault of the tool, not of the API.
        "--workers",
        "1",
        # Generous: the suite shares two cores; a hang still fails, a slow moment does not.
        "--request-timeout",
        "30",
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
    ]
    env = {**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_HOOKS": ""}
    # schemathesis keeps a cache of crashes beside it: in the test's folder, not the checkout.
    return subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=600, cwd=report.parent
    )


class TestOpenApiContract:
    def test_every_operation_answers_as_its_document_says_for_admin_and_rep(
        self, server: CandorProcess, tmp_path: Path
    ) -> None:
        rep_key = seed(server.base)
        # The rep first: the admin's run may rotate or deactivate the rep's key.
        for who, key in (("rep", rep_key), ("admin", ADMIN_KEY)):
            result = schemathesis(server.base, key, tmp_path / f"{who}.xml")
            assert result.returncode == 0, f"as {who}:\n{result.stdout[-12_000:]}{result.stderr}"
            generated = re.search(r"([0-9]+) generated", result.stdout)
            assert generated is not None and int(generated.group(1)) > 100, result.stdout
