"""visitor ids kept on the click events that handed them out

A click wrote two rows: its event, and a ``visitor`` row naming the visitor id added to
the destination. The id now rides on the click event's own ``visitor_id`` column
(visits already carry it there), so a click is one row and one insert; erasure and
retention remove a visitor id with its click. Visitor rows whose click is known move
onto it. Rows from before migration 0003 name no click and are dropped: their ids stop
attributing new visits, which the retention period would have ended in any case.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Portable SQL (no UPDATE … FROM); the index makes the lookup per click cheap.
    op.create_index("ix_visitor_click_event_key", "visitor", ["click_event_key"])
    op.execute(
        "UPDATE event SET visitor_id = "
        "(SELECT visitor.id FROM visitor WHERE visitor.click_event_key = event.event_key) "
        "WHERE kind = 'click' AND event_key IN "
        "(SELECT click_event_key FROM visitor WHERE click_event_key IS NOT NULL)"
    )
    op.drop_index("ix_visitor_click_event_key", table_name="visitor")
    with op.batch_alter_table("visitor", schema=None) as batch_op:
        batch_op.drop_index("ix_visitor_prospect_id")
    op.drop_table("visitor")


def downgrade() -> None:
    op.create_table(
        "visitor",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("prospect_id", sa.Integer(), nullable=False),
        sa.Column("click_event_key", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["prospect_id"], ["prospect.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("visitor", schema=None) as batch_op:
        batch_op.create_index("ix_visitor_prospect_id", ["prospect_id"], unique=False)
    op.execute(
        "INSERT INTO visitor (id, prospect_id, click_event_key, created_at) "
        "SELECT visitor_id, prospect_id, event_key, occurred_at FROM event "
        "WHERE kind = 'click' AND visitor_id IS NOT NULL AND prospect_id IS NOT NULL"
    )
    op.execute("UPDATE event SET visitor_id = NULL WHERE kind = 'click'")
