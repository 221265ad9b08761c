"""prospects: the language their emails' footer and their transparency page speak

A nullable ``language`` (a BCP 47 tag such as ``de`` or ``en-GB``) on each prospect;
existing prospects get none and are served by their browser's Accept-Language, then the
default language.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("prospect", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("prospect", schema=None) as batch_op:
        batch_op.drop_column("language")
