"""Fixtures shared by the whole suite: a fresh database per test, on each backend.

SQLite always; PostgreSQL too when ``CANDOR_TEST_DATABASE_URL`` names a scratch
database (every table in it is emptied before each test). Run in parallel (``pytest -n 2``,
as ``make test`` does), each worker gets a scratch database of its own beside it, named
after the worker (``candor_ci_gw0``), made on the same server when missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlmodel import SQLModel
from starlette.testclient import TestClient

from service.app import create_app
from service.auth import passwords
from service.config import Settings
from service.db import create_db_engine, migrate
from service.runtime import Runtime, build_runtime, prepare_database

# In this process only, passwords are hashed cheaply: at Argon2id's production cost (64 MiB,
# three passes, about a seventh of a second) the in-process tests spent minutes of the
# suite hashing and verifying. Every `candor serve` the suite starts hashes at production
# cost, and tests/service/auth/test_passwords.py checks that cost on the real hasher.
PRODUCTION_HASHER = passwords._hasher
passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
passwords._DUMMY_HASH = passwords._hasher.hash("candor: no such user, the same work either way")


def _worker_database(url: str | None) -> str | None:
    """The scratch database of this pytest-xdist worker: workers never share one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if url is None or worker is None:
        return url
    parsed = sa.make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


POSTGRES_URL = _worker_database(os.environ.get("CANDOR_TEST_DATABASE_URL"))
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]

ADMIN_KEY = "cnd_admin-key-for-tests-only"
PUBLIC_URL = "http://collector.test"


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[sa.Engine]:
    """The scratch PostgreSQL database, reset to an empty migrated schema once per run."""
    assert POSTGRES_URL is not None
    _create_database(POSTGRES_URL)
    engine = create_db_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    migrate(engine)
    yield engine
    engine.dispose()


def _create_database(url: str) -> None:
    """Create the worker's scratch database, next to the one the environment named."""
    given = os.environ["CANDOR_TEST_DATABASE_URL"]
    if url == given:
        return
    name = sa.make_url(url).database
    server = sa.create_engine(given, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            exists = connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if exists is None:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        server.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> str:
    """A database with no rows: a new SQLite file, or the emptied PostgreSQL scratch one."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/candor.db"
    engine: sa.Engine = request.getfixturevalue("postgres_engine")
    tables = ", ".join(f'"{table.name}"' for table in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    assert POSTGRES_URL is not None
    return POSTGRES_URL


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings of a test server: fixed keys, an admin, and a recognisable public URL."""
    return Settings(
        database_url=database_url,
        public_url=PUBLIC_URL,
        secret_keys=["test-signing-key-newest", "test-signing-key-older"],
        admin_key=ADMIN_KEY,
        forwarded_allow_ips="127.0.0.1",
        retention_interval_hours=0,
        spool_dir=tmp_path / "spool",
        gc_freeze=False,  # many apps per process here; a frozen one would never be freed
    )


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    """A prepared database and the runtime of a server using it."""
    engine = create_db_engine(settings.database_url)
    prepare_database(settings, engine)
    runtime = build_runtime(settings, engine)
    yield runtime
    runtime.close()
    engine.dispose()


@pytest.fixture
def client(settings: Settings, runtime: Runtime) -> Iterator[TestClient]:
    """The full app, reached from 127.0.0.1 as a trusted proxy would."""
    with TestClient(
        create_app(settings, runtime), client=("127.0.0.1", 50000), follow_redirects=False
    ) as test_client:
        yield test_client
