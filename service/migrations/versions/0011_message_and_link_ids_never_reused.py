"""messages and links: an id, once deleted, is never given out again (SQLite)

A message taken back (``DELETE /api/messages/{id}``) goes with its links. SQLite gives
a new row the largest id plus one, so the next email could get the deleted one's id and
its links theirs: a hit in flight for the deleted email (a collector's cached target
carries the ids) would then be stored on the new one. ``AUTOINCREMENT`` never reuses
an id. PostgreSQL's sequences never do, and are left alone.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("message", "link")


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in _TABLES:
        # A copy of the table (rows and ids kept) made with or without AUTOINCREMENT.
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
