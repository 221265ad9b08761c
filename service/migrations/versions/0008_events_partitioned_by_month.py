"""events partitioned by month on PostgreSQL

The event table becomes a table partitioned by range of ``occurred_at``: one partition
per month from the oldest stored event's through a few months ahead, and a default
partition for any other time (service.tracking.partitions). The existing rows are
copied across, then the indexes, primary key and foreign keys are built (faster after
the copy than during it), and the old table is dropped; ids keep coming from the same
sequence. SQLite has no partitions: nothing changes there.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-01 12:40:00
"""

from collections.abc import Sequence

from alembic import op

from service.tracking.partitions import ensure_partitions, is_partitioned

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = (
    "event_pkey",
    "ix_event_event_key",
    "ix_event_message_id",
    "ix_event_prospect_occurred",
    "ix_event_visitor_id",
)
_FOREIGN_KEYS = (
    ("event_link_id_fkey", "link_id", "link"),
    ("event_message_id_fkey", "message_id", "message"),
    ("event_prospect_id_fkey", "prospect_id", "prospect"),
)


def _set_aside(old: str) -> None:
    """Rename the current table and its indexes so that the new one can take the names."""
    op.execute(f"ALTER TABLE event RENAME TO {old}")
    for index in _INDEXES:
        op.execute(f"ALTER INDEX {index} RENAME TO {index}_{old}")


def _keys_and_indexes() -> None:
    op.execute("ALTER TABLE event ADD CONSTRAINT event_pkey PRIMARY KEY (id, occurred_at)")
    op.execute("CREATE UNIQUE INDEX ix_event_event_key ON event (event_key, occurred_at)")
    op.execute("CREATE INDEX ix_event_message_id ON event (message_id)")
    op.execute("CREATE INDEX ix_event_prospect_occurred ON event (prospect_id, occurred_at)")
    op.execute("CREATE INDEX ix_event_visitor_id ON event (visitor_id)")
    for name, column, table in _FOREIGN_KEYS:
        op.execute(
            f"ALTER TABLE event ADD CONSTRAINT {name} FOREIGN KEY ({column}) REFERENCES {table}(id)"
        )


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql" or is_partitioned(connection):
        return
    old = "event_unpartitioned"
    _set_aside(old)
    op.execute(
        f"CREATE TABLE event (LIKE {old} INCLUDING DEFAULTS) PARTITION BY RANGE (occurred_at)"
    )
    op.execute("ALTER SEQUENCE event_id_seq OWNED BY event.id")
    oldest = connection.exec_driver_sql(f"SELECT min(occurred_at) FROM {old}").scalar()
    ensure_partitions(connection, since=oldest)
    op.execute(f"INSERT INTO event SELECT * FROM {old}")
    op.execute(f"DROP TABLE {old}")
    _keys_and_indexes()


def downgrade() -> None:
    connection = op.get_bind()
    if not is_partitioned(connection):
        return
    old = "event_partitioned"
    _set_aside(old)
    op.execute(f"CREATE TABLE event (LIKE {old} INCLUDING DEFAULTS)")
    op.execute("ALTER SEQUENCE event_id_seq OWNED BY event.id")
    op.execute(f"INSERT INTO event SELECT * FROM {old}")
    op.execute(f"DROP TABLE {old} CASCADE")  # with its partitions
    _keys_and_indexes()
