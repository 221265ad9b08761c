"""users: only a rep has a manager

Earlier versions let any user carry a ``manager_id``; only a rep's ever meant anything
(the manager reads the prospects of the reps whose ``manager_id`` is theirs), yet a
compliance user "under" a manager kept that manager from becoming a rep ("still manages
users …"). The link is removed from every user who is not a rep. Nobody could read
anything through it, so nothing anyone sees changes. Downgrading leaves it removed.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE \"user\" SET manager_id = NULL WHERE role <> 'rep' AND manager_id IS NOT NULL"
        )
    )


def downgrade() -> None:
    """Nothing to put back: which non-rep had which manager meant nothing and is gone."""
