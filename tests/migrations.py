"""An empty database to build an old install in, for the tests of a migration."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from service.db import create_db_engine, migrate


@contextmanager
def blank_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    """A schema-less database on the backend ``request.param`` names.

    On PostgreSQL it is the suite's scratch database, emptied; afterwards it is left
    migrated again for the tests that follow.
    """
    if request.param == "sqlite":
        engine = create_db_engine(f"sqlite:///{tmp_path}/old.db")
        yield engine
        engine.dispose()
        return
    engine = request.getfixturevalue("postgres_engine")
    _empty(engine)
    yield engine
    _empty(engine)
    migrate(engine)


def _empty(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
