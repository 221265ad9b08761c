"""Alembic environment: runs on the connection handed in by ``service.db.migrate``."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import service.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from service.tracking.partitions import is_event_partition

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        import sqlalchemy as sa

        url = context.config.get_main_option("sqlalchemy.url")
        engine = sa.create_engine(url or "sqlite:///./candor.db")
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    """Autogenerate compares the models, not the event table's monthly partitions."""
    return not (type_ == "table" and name is not None and is_event_partition(name))


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
