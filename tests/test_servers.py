"""The `candor serve` helper of the end-to-end tests: a failed start leaves nothing running."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers import CandorProcess


class TestAFailedStart:
    def test_a_server_that_is_not_up_in_time_is_killed_and_reaped(self, tmp_path: Path) -> None:
        candor = CandorProcess(database_url=f"sqlite:///{tmp_path / 'candor.db'}", workdir=tmp_path)
        with pytest.raises(RuntimeError, match=r"did not start within 0\.01 s"):
            candor.start(timeout=0.01)
        assert candor.process is not None
        assert candor.process.returncode is not None  # waited for: no zombie, no warning

    def test_a_server_that_exits_says_so_at_once_and_is_reaped(self, tmp_path: Path) -> None:
        candor = CandorProcess(
            database_url=f"sqlite:///{tmp_path / 'candor.db'}",
            workdir=tmp_path,
            CANDOR_PRIVACY_URL="ftp://acme.example/privacy",  # refused at start-up (exit 2)
        )
        with pytest.raises(RuntimeError, match=r"exited \(2\) before answering /healthz"):
            candor.start()
        assert candor.process is not None and candor.process.returncode == 2
