"""The spool: durable lines, and each file drained by exactly one process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.tracking.spool import Spool


@pytest.fixture
def other_live_process() -> Iterator[int]:
    """The pid of another process that is alive for the duration of the test."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        yield process.pid
    finally:
        process.kill()
        process.wait()


def drain(spool: Spool) -> list[list[dict[str, object]]]:
    """Claim and forget every file, as the writer does: each file's operations."""
    drained = []
    for path, ops in spool.claim():
        drained.append(ops)
        spool.done(path, len(ops))
    return drained


def spool_file(directory: Path, pid: int, ops: list[dict[str, object]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"spool-{pid}-abcdef01.jsonl"
    path.write_text("".join(json.dumps(op) + "\n" for op in ops), encoding="utf-8")
    return path


class TestClaim:
    def test_a_process_drains_its_own_file_and_skips_a_torn_last_line(self, tmp_path: Path) -> None:
        spool = Spool(tmp_path)
        spool.append([{"op": "event", "n": 1}, {"op": "event", "n": 2}])
        with (tmp_path / os.listdir(tmp_path)[0]).open("a", encoding="utf-8") as handle:
            handle.write('{"op": "ev')  # a crash mid-write: never acknowledged
        [ops] = drain(spool)
        assert [op["n"] for op in ops] == [1, 2]
        assert not spool.pending()

    def test_the_file_of_a_process_that_is_gone_is_drained(self, tmp_path: Path) -> None:
        gone = subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"],
            capture_output=True,
            text=True,
            check=True,
        )
        spool_file(tmp_path, int(gone.stdout), [{"op": "event", "n": 7}])
        assert drain(Spool(tmp_path)) == [[{"op": "event", "n": 7}]]

    def test_the_file_another_live_worker_appends_to_is_left_to_it(
        self, tmp_path: Path, other_live_process: int
    ) -> None:
        path = spool_file(tmp_path, other_live_process, [{"op": "event", "n": 9}])
        assert drain(Spool(tmp_path)) == []
        assert path.exists()  # still there for its writer to drain
        assert os.getpid() != other_live_process
