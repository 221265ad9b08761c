"""messages: the notes on what the rep's own HTML carried, kept with the message

A nullable ``content_notes`` (a JSON list of sentences) on each message: what Candor
removed from the rep's HTML (scripts, event handlers, ``javascript:`` addresses, frames)
and what it kept but Candor's footer and opt-out do not cover (remote images, other
services' trackers, forms). What was removed is in the stored email no more, so the
sentences are kept beside it, for the console to show again. Earlier messages get none:
they were stored before the check.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_notes", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_column("content_notes")
