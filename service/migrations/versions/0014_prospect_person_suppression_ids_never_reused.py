"""prospects, people and suppressions: an id, once deleted, is never given out again (SQLite)

An erasure deletes the person and every record of them; opting back in, or compliance
removing an address, deletes a suppression. SQLite gives a new row the largest id plus
one, so a prospect added after the erasure of the newest one took its id, and the audit
log (``/console/audit?prospect=3009``), which names prospects, people and suppressions
by id, then mixed two people together. ``AUTOINCREMENT`` never reuses an id, as 0011
made it for messages and links.

The copy keeps every row and id. Its sequence then starts above the largest id that
exists *or that the audit log names*, so an id deleted before this upgrade, and not yet
taken again, is not given out either. Users are never deleted, and events are named
outside only in an export, by their prospect, while the collector refers to them by
``event_key``: both are left as they are. PostgreSQL's sequences never reuse an id, and
are left alone.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("prospect", "person", "suppression")

# Where the audit log names an id of each table: a column, a key of an entry's detail,
# or a list in it (an erasure's ``prospect_ids``, an export's ``prospects``).
_DETAIL = "CASE WHEN json_valid(detail) THEN detail ELSE '{}' END"
_NAMED = {
    "prospect": [
        "SELECT MAX(prospect_id) FROM audit_entry",
        *(
            "SELECT MAX(CAST(item.value AS INTEGER)) FROM audit_entry, "
            f"json_each({_DETAIL}, '$.{key}') AS item "
            f"WHERE json_type({_DETAIL}, '$.{key}') = 'array'"
            for key in ("prospect_ids", "prospects")
        ),
    ],
    "person": [
        f"SELECT MAX(CAST(json_extract({_DETAIL}, '$.person_id') AS INTEGER)) FROM audit_entry"
    ],
    "suppression": [
        f"SELECT MAX(CAST(json_extract({_DETAIL}, '$.suppression_id') AS INTEGER)) FROM audit_entry"
    ],
}


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in _TABLES:
        # A copy of the table (rows and ids kept) made with or without AUTOINCREMENT.
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def _start_above_the_audit_log() -> None:
    """Each sequence at the largest id its table holds or the audit log names."""
    for table in _TABLES:
        largest = ", ".join(
            f"COALESCE(({query}), 0)" for query in (f"SELECT MAX(id) FROM {table}", *_NAMED[table])
        )
        op.execute(f"DELETE FROM sqlite_sequence WHERE name = '{table}'")
        op.execute(f"INSERT INTO sqlite_sequence (name, seq) VALUES ('{table}', MAX({largest}))")


def upgrade() -> None:
    _rebuild(True)
    if op.get_bind().dialect.name == "sqlite":
        _start_above_the_audit_log()


def downgrade() -> None:
    _rebuild(False)
