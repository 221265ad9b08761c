"""The database engine, sessions, and the migration entry point."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from fastapi import Depends, Request
from sqlmodel import Session

__all__ = ["SessionDep", "create_db_engine", "get_session", "migrate", "migrate_to"]


def create_db_engine(database_url: str, *, checkpoint_in_background: bool = False) -> sa.Engine:
    """An engine tuned for the URL: SQLite in WAL mode with foreign keys, or PostgreSQL.

    ``checkpoint_in_background`` (SQLite, a server's engine): no commit copies the WAL
    into the database file; the collector's writer has it done beside it
    (``service.tracking.wal``).
    """
    if database_url.startswith("sqlite"):
        engine = sa.create_engine(
            database_url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=8,
            max_overflow=8,
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        if checkpoint_in_background:
            sa.event.listen(engine, "connect", _no_automatic_checkpoints)
        return engine
    # A bounded connect timeout: an unreachable server must fail fast, not hang a request.
    engine = sa.create_engine(
        database_url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        connect_args={"connect_timeout": 5},
    )
    sa.event.listen(engine, "connect", _utc_session)
    return engine


def _utc_session(dbapi_connection: Any, _record: Any) -> None:
    """Sessions in UTC, whatever the server's default zone.

    psycopg hands ``timestamptz`` values back in the session's zone: in ``UTC`` they carry
    ``datetime.timezone.utc``, while a server set to ``Etc/UTC`` (Debian's default) or
    to a local zone costs a zoneinfo conversion per value: a third of psycopg's time
    loading a timeline's thousand events (bench/RESULTS.md). Stored values and every
    comparison are unchanged: the columns are ``timestamptz``.
    """
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")
    dbapi_connection.commit()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _no_automatic_checkpoints(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.execute(f"PRAGMA journal_size_limit={64 * 1024 * 1024}")  # once the log restarts
    cursor.close()


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to the newest migration; safe to call at every start."""
    migrate_to(engine, "head")


def migrate_to(engine: sa.Engine, revision: str, *, down: bool = False) -> None:
    """Upgrade (or downgrade) the schema to ``revision`` in one transaction.

    On SQLite, altering a table means copying it and dropping the original, which
    foreign keys pointing at it would refuse; they are off during the migration and
    checked, all at once, before it commits.
    """
    config = Config()
    config.set_main_option("script_location", "service:migrations")
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # outside any transaction: SQLite ignores this pragma inside one
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                (command.downgrade if down else command.upgrade)(config, revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def get_session(request: Request) -> Iterator[Session]:
    """A session per request; the service function that completes a write commits."""
    with Session(request.app.state.runtime.engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
