"""people behind the prospect records, a suppression list, an address key

Every prospect record now belongs to a ``person``: one per normalised email address
(``service.people.identity``), stored only as an HMAC of that address under a key made
here, once, and kept in ``instance_secret``. Opt-out moves from the record to the
``suppression`` list, which holds the same hash and outlives erasure; the Sec-GPC/DNT
refusal moves to the person.

Existing installs: records are grouped into people by normalised address; a person any
of whose records had opted out gets a suppression (reason ``opted_out``, dated by the
earliest opt-out), and the earliest refusal becomes the person's. Then the record's
``opted_out_at`` and ``tracking_refused_at`` go. Stored ``email_sent`` events change
their evidence from ``confirmed`` to ``sent``: sending is the sender's act, no evidence
of anything the recipient did. Downgrading puts each record's flags back from its
person.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 15:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from service.people.identity import address_hash, normalise_email
from service.people.keys import generate_address_key

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = sa.DateTime(timezone=True)


def _aware(value: Any) -> datetime | None:
    """A stored time as an aware UTC datetime (SQLite hands back text or naive values)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _stored(value: datetime | None, dialect: str) -> datetime | None:
    """The form the models store: naive UTC on SQLite, aware on PostgreSQL."""
    if value is None or dialect != "sqlite":
        return value
    return value.replace(tzinfo=None)


def upgrade() -> None:
    connection = op.get_bind()
    dialect = connection.dialect.name
    secrets = op.create_table(
        "instance_secret",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    key = generate_address_key()
    op.bulk_insert(secrets, [{"name": "address_key", "value": key}])
    people = op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("tracking_refused_at", _WHEN, nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("address_hash"),
    )
    suppressions = op.create_table(
        "suppression",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=12), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("address_hash"),
    )
    with op.batch_alter_table("prospect", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_id", sa.Integer(), nullable=True))

    prospects = sa.table(
        "prospect",
        sa.column("id", sa.Integer()),
        sa.column("email", sa.String()),
        sa.column("person_id", sa.Integer()),
        sa.column("created_at", _WHEN),
        sa.column("opted_out_at", _WHEN),
        sa.column("tracking_refused_at", _WHEN),
    )
    groups: dict[str, dict[str, Any]] = {}
    for prospect_id, email, created_at, opted_out_at, refused_at in connection.execute(
        sa.select(
            prospects.c.id,
            prospects.c.email,
            prospects.c.created_at,
            prospects.c.opted_out_at,
            prospects.c.tracking_refused_at,
        ).order_by(prospects.c.id)
    ):
        digest = address_hash(key, normalise_email(email))
        group = groups.setdefault(
            digest, {"ids": [], "created": [], "opted_out": [], "refused": []}
        )
        group["ids"].append(prospect_id)
        group["created"].append(_aware(created_at))
        if opted_out_at is not None:
            group["opted_out"].append(_aware(opted_out_at))
        if refused_at is not None:
            group["refused"].append(_aware(refused_at))
    for person_id, (digest, group) in enumerate(groups.items(), start=1):
        connection.execute(
            people.insert().values(
                id=person_id,
                address_hash=digest,
                tracking_refused_at=_stored(min(group["refused"], default=None), dialect),
                created_at=_stored(min(group["created"]), dialect),
            )
        )
        connection.execute(
            prospects.update().where(prospects.c.id.in_(group["ids"])).values(person_id=person_id)
        )
        if group["opted_out"]:
            connection.execute(
                suppressions.insert().values(
                    address_hash=digest,
                    reason="opted_out",
                    created_at=_stored(min(group["opted_out"]), dialect),
                )
            )
    if dialect == "postgresql" and groups:  # explicit ids leave the sequence behind
        connection.execute(
            sa.text("SELECT setval(pg_get_serial_sequence('person', 'id'), :last)"),
            {"last": len(groups)},
        )

    with op.batch_alter_table("prospect", schema=None) as batch_op:
        batch_op.alter_column("person_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key("fk_prospect_person_id_person", "person", ["person_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_prospect_person_id"), ["person_id"], unique=False)
        batch_op.drop_column("opted_out_at")
        batch_op.drop_column("tracking_refused_at")

    op.execute("UPDATE event SET evidence = 'sent' WHERE kind = 'email_sent'")


def downgrade() -> None:
    connection = op.get_bind()
    dialect = connection.dialect.name
    with op.batch_alter_table("prospect", schema=None) as batch_op:
        batch_op.add_column(sa.Column("opted_out_at", _WHEN, nullable=True))
        batch_op.add_column(sa.Column("tracking_refused_at", _WHEN, nullable=True))
    rows = connection.execute(
        sa.text(
            "SELECT prospect.id, suppression.created_at, person.tracking_refused_at "
            "FROM prospect JOIN person ON person.id = prospect.person_id "
            "LEFT JOIN suppression ON suppression.address_hash = person.address_hash"
        )
    ).all()
    prospects = sa.table(
        "prospect",
        sa.column("id", sa.Integer()),
        sa.column("opted_out_at", _WHEN),
        sa.column("tracking_refused_at", _WHEN),
    )
    for prospect_id, suppressed_at, refused_at in rows:
        if suppressed_at is None and refused_at is None:
            continue
        connection.execute(
            prospects.update()
            .where(prospects.c.id == prospect_id)
            .values(
                opted_out_at=_stored(_aware(suppressed_at), dialect),
                tracking_refused_at=_stored(_aware(refused_at), dialect),
            )
        )
    with op.batch_alter_table("prospect", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prospect_person_id"))
        batch_op.drop_constraint("fk_prospect_person_id_person", type_="foreignkey")
        batch_op.drop_column("person_id")
    op.drop_table("suppression")
    op.drop_table("person")
    op.drop_table("instance_secret")
    op.execute("UPDATE event SET evidence = 'confirmed' WHERE kind = 'email_sent'")
