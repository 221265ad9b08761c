"""event keys for idempotent replay

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 06:47:45.482378
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event_key", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_event_event_key"), ["event_key"], unique=True)

    with op.batch_alter_table("visitor", schema=None) as batch_op:
        batch_op.add_column(sa.Column("click_event_key", sa.String(length=32), nullable=True))
        batch_op.drop_column("click_event_id")


def downgrade() -> None:
    with op.batch_alter_table("visitor", schema=None) as batch_op:
        batch_op.add_column(sa.Column("click_event_id", sa.INTEGER(), nullable=True))
        batch_op.drop_column("click_event_key")

    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_event_key"))
        batch_op.drop_column("event_key")
