"""SQLite: keep the write-ahead log short without making a group commit wait for it.

SQLite's automatic checkpoint runs inside whichever commit pushes the WAL past 1,000
pages: that commit copies the log into the database file and syncs it twice, and every
hit of its batch waits (collector p99 17 ms; 11 to 14 ms without it, bench/collector.py).
The server's engine turns it off (``create_db_engine(checkpoint_in_background=True)``)
and the writer uses this instead:

- a thread copies the log into the database every 250 ms (a *passive* checkpoint,
  which blocks no reader and no writer);
- the log starts over only when a commit finds it wholly copied; under steady load,
  commits landing during each checkpoint can keep that from happening, and the log
  grows (to 640 MB in 8 s, measured). Once it holds more than ``restart_pages`` pages (64 MB), the writer, after a
  batch's answers, checkpoints the few frames the thread has not yet copied; the next commit
  then writes the log from its start again, and ``journal_size_limit`` trims the file.
"""

from __future__ import annotations

import logging
import threading

import sqlalchemy as sa

__all__ = ["WalCheckpoints"]

log = logging.getLogger("candor.writer")


class WalCheckpoints:
    """Background checkpoints of one SQLite database, plus the writer's catch-up."""

    def __init__(
        self, engine: sa.Engine, *, interval: float = 0.25, restart_pages: int = 16384
    ) -> None:
        self._engine = engine
        self._interval = interval
        self._restart_pages = restart_pages
        self._catch_up = threading.Event()

    def run(self, stop: threading.Event) -> None:
        """The thread: a passive checkpoint every ``interval`` seconds until ``stop``,
        on a connection of its own (kept: taking one from the pool each time would hand
        the writer's pool connections a stale page cache, see EventWriter._connection)."""
        connection: sa.Connection | None = None
        try:
            while not stop.wait(self._interval):
                try:
                    connection = connection or self._engine.connect()
                    _busy, log_pages, _copied = _checkpoint(connection)
                except sa.exc.SQLAlchemyError:
                    log.warning("WAL checkpoint failed; retrying", exc_info=True)
                    if connection is not None:
                        connection.close()
                    connection = None
                    continue
                if log_pages > self._restart_pages:
                    self._catch_up.set()
        finally:
            if connection is not None:
                connection.close()

    def after_commit(self, connection: sa.Connection) -> None:
        """The writer, between batches, on its own connection: let the log start over
        once it has grown."""
        if self._catch_up.is_set():
            self._catch_up.clear()
            _checkpoint(connection)


def _checkpoint(connection: sa.Connection) -> tuple[int, int, int]:
    row = connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
    connection.commit()  # end the implicit transaction: never hold a read snapshot
    return int(row[0]), int(row[1]), int(row[2])
