"""The spool: durable lines, and each file drained by exactly one process."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.tracking.spool import Spool, SpoolFull


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


class TestFull:
    def test_a_spool_at_its_cap_refuses_a_batch_and_keeps_what_it_holds(
        self, tmp_path: Path
    ) -> None:
        spool = Spool(tmp_path, max_bytes=200)
        spool.append([{"op": "event", "n": 1}])
        with pytest.raises(SpoolFull):
            spool.append([{"op": "event", "pad": "x" * 200}])
        assert spool.depth == 1
        spool.close()
        [ops] = drain(spool)
        assert ops == [{"op": "event", "n": 1}]

    def test_a_write_the_disk_refuses_half_way_leaves_no_torn_line_and_nothing_for_close(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        spool = Spool(tmp_path)
        spool.append([{"op": "event", "n": 1}])
        real_write = os.write

        def half_then_full(fd: int, data: bytes) -> int:
            monkeypatch.setattr(os, "write", full)
            return real_write(fd, bytes(data[: len(data) // 2]))

        def full(fd: int, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "write", half_then_full)
        with pytest.raises(SpoolFull):
            spool.append([{"op": "event", "n": 2}])
        spool.close()  # nothing is left in a buffer to be flushed (and fail) again
        monkeypatch.setattr(os, "write", real_write)
        spool.append([{"op": "event", "n": 3}])
        assert sorted(op["n"] for ops in drain(spool) for op in ops) == [1, 3]
        assert spool.depth == 0

    def test_the_cap_counts_every_worker_s_files_in_the_directory(
        self, tmp_path: Path, other_live_process: int
    ) -> None:
        spool_file(tmp_path, other_live_process, [{"op": "event", "pad": "x" * 150}])
        with pytest.raises(SpoolFull):
            Spool(tmp_path, max_bytes=200).append([{"op": "event", "pad": "y" * 60}])


class TestDepth:
    def test_an_orphan_s_operations_count_while_they_drain(self, tmp_path: Path) -> None:
        gone = subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"],
            capture_output=True,
            text=True,
            check=True,
        )
        spool_file(tmp_path, int(gone.stdout), [{"op": "event", "n": 1}, {"op": "event", "n": 2}])
        spool = Spool(tmp_path)
        spool.append([{"op": "event", "n": 3}])
        seen = []
        for path, ops in spool.claim():
            seen.append((len(ops), spool.depth))
            spool.done(path, len(ops))
        assert sorted(n for n, _ in seen) == [1, 2]
        assert all(depth >= n for n, depth in seen)  # the file being drained is counted
        assert spool.depth == 0
