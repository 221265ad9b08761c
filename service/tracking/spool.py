"""A local append-only spool for hits the database could not take.

Each process appends JSON lines to its own file and fsyncs before the hit is
acknowledged, so ``kill -9`` loses nothing that was answered. Draining claims a file by
renaming it (atomic, so two processes never drain the same file), inserts its rows
idempotently (``event_key``), and deletes it. A process claims its own files and those
of processes that are gone, never the file another live worker may still append to. A torn last line from a crash was never
acknowledged and is skipped.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["Spool", "SpoolFull"]

Op = dict[str, Any]
_FULL = (errno.ENOSPC, errno.EDQUOT)


class SpoolFull(OSError):
    """The spool holds ``max_bytes`` already, or its disk is full: the batch is not kept."""


class Spool:
    """Append-only, fsync'd JSON-lines files in one directory, at most ``max_bytes`` (0: no
    cap but the disk's).

    Writes go straight to the file descriptor, never through a buffer: a write that
    fails (disk full) is cut off the file again and raised, and nothing of it lingers to
    be written, or to fail again, on close. The cap counts every spool file in the
    directory, so workers sharing it share the cap.
    """

    def __init__(self, directory: Path, *, max_bytes: int = 0) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._size = 0  # bytes of the open file, all of them whole lines
        self._appended: set[str] = set()  # names of the files this process created
        self._counted: set[Path] = set()  # claimed files whose operations ``depth`` holds
        self.depth = 0  # operations appended or claimed by this process, not yet drained

    def append(self, ops: list[Op]) -> None:
        """Write ``ops`` durably (fsync) or raise OSError (SpoolFull when out of room)."""
        data = "".join(
            json.dumps(op, separators=(",", ":"), default=str) + "\n" for op in ops
        ).encode("utf-8")
        with self._lock:
            if self.max_bytes and self._bytes_on_disk() + len(data) > self.max_bytes:
                raise SpoolFull(errno.ENOSPC, f"spool holds {self.max_bytes} bytes already")
            fd = self._open()
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            except OSError as error:
                self._cut(fd)
                if error.errno in _FULL:
                    raise SpoolFull(error.errno, str(error)) from error
                raise
            self._size += len(data)
            self.depth += len(ops)

    def _open(self) -> int:
        if self._fd is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            name = f"spool-{os.getpid()}-{uuid.uuid4().hex[:8]}.jsonl"
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC
            self._fd = os.open(self.directory / name, flags, 0o600)
            self._size = 0
            self._appended.add(name)
        return self._fd

    def _cut(self, fd: int) -> None:
        """Take a failed write's partial line off the file, so the next line stays whole;
        if even that fails, the next write starts a new file (a torn last line is skipped
        when read)."""
        try:
            os.ftruncate(fd, self._size)
        except OSError:
            self._close_file()

    def _bytes_on_disk(self) -> int:
        total = 0
        with contextlib.suppress(FileNotFoundError), os.scandir(self.directory) as entries:
            for entry in entries:
                if entry.name.endswith(".jsonl"):
                    with contextlib.suppress(FileNotFoundError):
                        total += entry.stat().st_size
        return total

    def close(self) -> None:
        """Close this process's spool file (it stays on disk until drained)."""
        with self._lock:
            self._close_file()

    def _close_file(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            with contextlib.suppress(OSError):  # nothing is buffered: nothing can be lost
                os.close(fd)

    def pending(self) -> bool:
        """Whether any spool file (this process's or an orphan's) waits to be drained."""
        return self.directory.is_dir() and any(self.directory.glob("spool-*.jsonl"))

    def claim(self) -> Iterator[tuple[Path, list[Op]]]:
        """Each spooled file, claimed by this process, with its readable operations.

        The caller deletes the claimed file once its operations are stored.
        """
        self.close()
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
            yield claimed, self._count(claimed, own=path.name in self._appended)
        for path in sorted(self.directory.glob("draining-*.jsonl")):
            owner = path.name.split("-")[1]
            if owner != str(os.getpid()) and _alive(int(owner)):
                continue  # another live process is draining it
            yield path, self._count(path, own=False)  # left from a failed or crashed drain

    def _count(self, path: Path, *, own: bool) -> list[Op]:
        """A claimed file's operations; those of another process join ``depth``."""
        ops = list(_read(path))
        with self._lock:
            if own:
                self._appended.discard(path.name.split("-", 2)[2])
            elif path not in self._counted:
                self.depth += len(ops)
            self._counted.add(path)
        return ops

    def done(self, path: Path, count: int) -> None:
        """Forget a drained file."""
        path.unlink(missing_ok=True)
        with self._lock:
            self._counted.discard(path)
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
