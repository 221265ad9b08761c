"""people: passwords, deactivation, sessions, invitations and the sign-in throttle

Existing users carry over with their API keys and no password; they stay active. Names
become unique because a person signs in by name: where two users share one (the old
start-up made a second ``admin`` when CANDOR_ADMIN_KEY changed), the older keeps it and
each later one gets `` #<id>`` appended. The oldest admin named ``admin`` becomes the
bootstrap admin whose key CANDOR_ADMIN_KEY names from now on. An API key becomes
optional: an invited person has none until an admin issues one.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("password_hash", sa.String(length=255), nullable=True))
        batch_op.add_column(
            sa.Column("bootstrap", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("deactivated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column("api_key_hash", existing_type=sa.String(length=64), nullable=True)
    op.execute(
        sa.text(
            'UPDATE "user" SET bootstrap = :yes WHERE id = '
            "(SELECT MIN(id) FROM \"user\" WHERE name = 'admin' AND role = 'admin')"
        ).bindparams(yes=True)
    )
    op.execute(
        "UPDATE \"user\" SET name = SUBSTR(name, 1, 180) || ' #' || CAST(id AS VARCHAR(20)) "
        'WHERE id NOT IN (SELECT MIN(id) FROM "user" GROUP BY name)'
    )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_user_name", ["name"])

    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_session_user_id"), ["user_id"], unique=False)

    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=10), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["user.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitation_user_id"), ["user_id"], unique=False)

    op.create_table(
        "sign_in_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locks_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sign_in_failure_name_at", "sign_in_failure", ["name", "at"], unique=False)
    op.create_index("ix_sign_in_failure_at", "sign_in_failure", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_sign_in_failure_at", table_name="sign_in_failure")
    op.drop_index("ix_sign_in_failure_name_at", table_name="sign_in_failure")
    op.drop_table("sign_in_failure")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_user_id"))
    op.drop_table("invitation")
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_session_user_id"))
    op.drop_table("user_session")
    # A user without a key gets a placeholder no key hashes to (not hexadecimal).
    op.execute(
        "UPDATE \"user\" SET api_key_hash = 'no key #' || CAST(id AS VARCHAR(20)) "
        "WHERE api_key_hash IS NULL"
    )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint("uq_user_name", type_="unique")
        batch_op.alter_column("api_key_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column("deactivated_at")
        batch_op.drop_column("bootstrap")
        batch_op.drop_column("password_hash")
