"""event keys and primary key ready for time partitions

PostgreSQL partitions a table by a column only if every unique constraint includes it.
The event's replay key becomes unique with its time (a replayed hit carries the time it
was acknowledged, so the pair deduplicates exactly as the key alone did), and on
PostgreSQL the primary key becomes (id, occurred_at), ids still coming from the
sequence. SQLite keeps ``id`` alone as its key: only a sole INTEGER PRIMARY KEY
auto-increments there, and SQLite has no partitions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 13:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index("ix_event_event_key")
        batch_op.create_index("ix_event_event_key", ["event_key", "occurred_at"], unique=True)
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("event_pkey", "event", type_="primary")
        op.create_primary_key("event_pkey", "event", ["id", "occurred_at"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("event_pkey", "event", type_="primary")
        op.create_primary_key("event_pkey", "event", ["id"])
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index("ix_event_event_key")
        batch_op.create_index("ix_event_event_key", ["event_key"], unique=True)
