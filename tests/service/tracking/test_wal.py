"""SQLite's log stays short, and no group commit copies it into the database file."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import sqlalchemy as sa

from service.db import create_db_engine
from service.tracking.wal import WalCheckpoints


def _engine(tmp_path: Path) -> sa.Engine:
    engine = create_db_engine(f"sqlite:///{tmp_path}/wal.db", checkpoint_in_background=True)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE hit (id INTEGER PRIMARY KEY, body TEXT)")
    return engine


def _commits(engine: sa.Engine, count: int) -> None:
    for _ in range(count):
        with engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO hit (body) VALUES (?)", [("x" * 3000,)] * 4)


def _log_frames(engine: sa.Engine) -> int:
    """Frames in the log; a passive checkpoint reports them and changes nothing else."""
    with engine.connect() as connection:
        return int(connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()[1])


def test_a_servers_commits_never_checkpoint_on_their_own(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    _commits(engine, 400)  # SQLite's own threshold is 1,000 frames
    assert _log_frames(engine) > 1000
    engine.dispose()


def test_once_the_log_has_grown_the_writers_catch_up_lets_it_start_over(
    tmp_path: Path,
) -> None:
    engine = _engine(tmp_path)
    checkpoints = WalCheckpoints(engine, interval=0.01, restart_pages=50)
    _commits(engine, 40)
    stop = threading.Event()
    thread = threading.Thread(target=checkpoints.run, args=(stop,))
    thread.start()
    deadline = time.monotonic() + 10
    while not checkpoints._catch_up.is_set() and time.monotonic() < deadline:
        time.sleep(0.01)
    stop.set()
    thread.join()
    grown = _log_frames(engine)
    assert grown > 50

    with engine.connect() as writers:  # the writer, between two batches, on its connection
        checkpoints.after_commit(writers)
    _commits(engine, 1)
    assert _log_frames(engine) < 10  # the next commit wrote the log from its start
    engine.dispose()


def test_the_catch_up_costs_nothing_until_the_log_has_grown(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    checkpoints = WalCheckpoints(engine, restart_pages=50)
    _commits(engine, 40)
    with engine.connect() as writers:
        checkpoints.after_commit(writers)
    _commits(engine, 1)
    assert _log_frames(engine) > 50  # nothing let the log start over
    engine.dispose()
