"""sign_in_failure: failures count per name and client address, locks say what they lock

Five failures for one name used to lock that name for everyone, so anyone who knew a
colleague's name could keep them out of the console. Failures now carry a keyed digest
of the client's address (``client``) and a lock says whether it holds the name from that
address or from everywhere (``locks``: ``address`` or ``name``; service.auth.throttle).

Rows already there came from an unknown address: they keep counting towards the name's
budget (for at most 15 more minutes) and towards no address's, and a lock in force
stays a lock of the name until it ends, as it was set. Downgrading drops both columns
and, since the old code reads every lock as the name's, lifts the locks of one address.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sign_in_failure", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("locks", sa.String(length=10), nullable=True))
    op.execute(sa.text("UPDATE sign_in_failure SET locks = 'name' WHERE locks_until IS NOT NULL"))


def downgrade() -> None:
    op.execute(sa.text("UPDATE sign_in_failure SET locks_until = NULL WHERE locks = 'address'"))
    with op.batch_alter_table("sign_in_failure", schema=None) as batch_op:
        batch_op.drop_column("locks")
        batch_op.drop_column("client")
