"""A local append-only spool for hits the database could not take.

Each process appends JSON lines to its own file and fsyncs before the hit is
acknowledged, so ``kill -9`` loses nothing that was answered. Draining claims a file by
renaming it (atomic, so two processes never drain the same file), inserts its rows
idempotently (``event_key``), and deletes it. A process claims its own files and those
of processes that are gone, never the file another live worker may still append to. A torn last line from a crash was never
acknowledged and is skipped.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["Spool"]

Op = dict[str, Any]


class Spool:
    """Append-only, fsync'd JSON-lines files in one directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._file: Any = None
        self._path: Path | None = None
        self.depth = 0  # operations appended by this process and not yet drained

    def append(self, ops: list[Op]) -> None:
        """Write ``ops`` durably (fsync) or raise OSError (e.g. disk full)."""
        data = "".join(json.dumps(op, separators=(",", ":"), default=str) + "\n" for op in ops)
        with self._lock:
            if self._file is None:
                self.directory.mkdir(parents=True, exist_ok=True)
                self._path = self.directory / f"spool-{os.getpid()}-{uuid.uuid4().hex[:8]}.jsonl"
                self._file = open(self._path, "a", encoding="utf-8")  # noqa: SIM115 (kept open)
            self._file.write(data)
            self._file.flush()
            os.fsync(self._file.fileno())
            self.depth += len(ops)

    def close(self) -> None:
        """Close this process's spool file (it stays on disk until drained)."""
        self._rotate()

    def _rotate(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None

    def pending(self) -> bool:
        """Whether any spool file (this process's or an orphan's) waits to be drained."""
        return self.directory.is_dir() and any(self.directory.glob("spool-*.jsonl"))

    def claim(self) -> Iterator[tuple[Path, list[Op]]]:
        """Each spooled file, claimed by this process, with its readable operations.

        The caller deletes the claimed file once its operations are stored.
        """
        self._rotate()
        if not self.directory.is_dir():
            return
        for path in sorted(self.directory.glob("spool-*.jsonl")):
            if _writer_alive(path.name.split("-")[1]):
                continue  # another live process still appends to it; it drains its own
            claimed = path.with_name(f"draining-{os.getpid()}-{path.name}")
            try:
                path.rename(claimed)
            except FileNotFoundError:  # another process claimed it first
                continue
            yield claimed, list(_read(claimed))
        for path in sorted(self.directory.glob("draining-*.jsonl")):
            owner = path.name.split("-")[1]
            if owner != str(os.getpid()) and _alive(int(owner)):
                continue  # another live process is draining it
            yield path, list(_read(path))  # left over from a failed or crashed drain

    def done(self, path: Path, count: int) -> None:
        """Forget a drained file."""
        path.unlink(missing_ok=True)
        with self._lock:
            self.depth = max(0, self.depth - count)


def _writer_alive(pid: str) -> bool:
    """Whether the process named in a spool file's name is another live process."""
    return pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read(path: Path) -> Iterator[Op]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            try:
                yield json.loads(line)
            except json.JSONDecodeError:  # a torn write from a crash, never acknowledged
                continue
