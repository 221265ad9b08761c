"""What every ``candor`` command other than serve, migrate and demo stands on.

Such a command works on an existing Candor database: run from the wrong folder, it must
say which database it looked for rather than create an empty one there and report
success into it. And what it changes is audited with who ran it.
"""

from __future__ import annotations

import getpass
from typing import Any

import sqlalchemy as sa
import typer
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, select

from service.config import Settings, sqlite_path
from service.db import create_db_engine
from service.models import User

__all__ = ["cli_actor", "describe_database", "open_database", "unreachable"]


def describe_database(database_url: str) -> str:
    """The database URL without its password, fit to print."""
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "an unreadable CANDOR_DATABASE_URL"


def unreachable(database_url: str, error: sa.exc.SQLAlchemyError) -> str:
    """The sentence for a database that did not answer: which one (no password), and why
    in the driver's words (its first line; psycopg's name host and port, never the password)."""
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    why = f"{type(error).__name__}: {reason[0]}" if reason else type(error).__name__
    return f"cannot reach the database {describe_database(database_url)} ({why})."


def open_database(settings: Settings) -> sa.Engine:
    """An engine on the configured database, which must exist and be migrated.

    Exits with status 2 and a sentence naming the database otherwise.
    """
    where = describe_database(settings.database_url)
    path = sqlite_path(settings.database_url)
    if path is not None and not path.exists():
        _refuse(
            f"no Candor database at {path.resolve()} ({where}). Run this where "
            "`candor serve` keeps its database, set CANDOR_DATABASE_URL, "
            "or create one with `candor migrate`."
        )
    engine = create_db_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            migrated = sa.inspect(connection).has_table("alembic_version")
    except sa.exc.SQLAlchemyError as error:
        engine.dispose()
        _refuse(unreachable(settings.database_url, error))
    if not migrated:
        engine.dispose()
        _refuse(f"{where} holds no Candor schema; create it with `candor migrate`.")
    typer.echo(f"database: {where}", err=True)
    return engine


def cli_actor(session: Session, *, as_name: str | None) -> tuple[User | None, dict[str, Any]]:
    """Who a command acts as, for the audit log: a named user, or the OS account.

    Returns the user (None without ``--as``) and the audit detail naming the origin.
    """
    detail: dict[str, Any] = {"via": "cli", "os_user": _os_user()}
    if as_name is None:
        return None, detail
    user = session.exec(
        select(User).where(col(User.name) == as_name).order_by(col(User.id))
    ).first()
    if user is None:
        _refuse(f"--as {as_name!r}: no user has that name.")
    return user, detail


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry for this uid (some containers)
        return "unknown"


def _refuse(sentence: str) -> Any:
    typer.echo(f"candor: {sentence}", err=True)
    raise typer.Exit(2)
