"""The README's quick tour, run as written against a live `candor serve`.

A newcomer follows the README alone; if a command or its output drifts from what the
server does, this fails. The shell blocks of "A quick tour with curl" run in one bash,
with only the server's address and the `candor` command's path swapped for this run's.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import CandorProcess

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

pytestmark = pytest.mark.skipif(
    shutil.which("curl") is None or shutil.which("jq") is None,
    reason="the README's tour uses curl and jq (`.ci/run` installs them)",
)


def tour_blocks() -> list[str]:
    """The ```sh blocks of the README's tour section, in order."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## A quick tour with curl", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.S)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[CandorProcess]:
    """`candor serve` on a fresh SQLite file in the tour's working folder, no admin."""
    process = CandorProcess(
        database_url=f"sqlite:///{tmp_path}/candor.db", workdir=tmp_path, CANDOR_ADMIN_KEY=""
    )
    process.env.pop("CANDOR_PUBLIC_URL")  # the default follows the port, as the README says
    process.start()
    yield process
    process.stop()


def run_tour(server: CandorProcess) -> subprocess.CompletedProcess[str]:
    """Every block in one bash, stopping at the first failing command."""
    candor = str(Path(sys.executable).with_name("candor"))
    script = "\n".join(tour_blocks())
    script = script.replace("http://127.0.0.1:8000", server.base)
    script = script.replace(".venv/bin/candor", candor)
    script = script.replace("policies/", f"{ROOT}/policies/")
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=server.workdir,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=120,
    )


class TestReadmeTour:
    def test_the_tour_has_blocks_to_run(self) -> None:
        assert len(tour_blocks()) >= 2

    def test_the_tour_records_an_open_a_click_and_a_visit_and_shows_them(
        self, server: CandorProcess
    ) -> None:
        result = run_tour(server)
        assert result.returncode == 0, result.stdout + result.stderr
        out = result.stdout
        assert "open: 200" in out
        assert "click went to: https://example.com/pricing?cnd_vid=" in out
        assert "visit: 204" in out
        for kind in ("email_sent", "email_opened", "link_clicked", "page_visited"):
            assert f'"kind": "{kind}"' in out, out
        assert '"evidence": "confirmed"' in out  # the click, confirmed by its visit
        assert '"kind": "trap"' in out  # the lint caught the trap question
        assert '"created": 1' in out and "x-total-count: 1" in out.lower()
        # the default policy the server started with, unchanged: applied again, stored once
        assert "default version 1 already holds this policy; activated it" in out
