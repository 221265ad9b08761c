"""The installation's address key: generated once, kept in the ``instance_secret`` table.

Migration 0010 generates it; ``ensure_address_key`` also makes one for a database whose
table was emptied (a test, a restore of data without secrets). A new key means that
suppressions hashed under the old one no longer match anyone: see docs/privacy.md.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from service.models import InstanceSecret

__all__ = ["ADDRESS_KEY", "address_key", "ensure_address_key", "generate_address_key"]

ADDRESS_KEY = "address_key"


def generate_address_key() -> str:
    """256 random bits, hex-encoded."""
    return secrets.token_hex(32)


def _table() -> sa.Table:
    return InstanceSecret.__table__  # type: ignore[attr-defined,no-any-return]


def ensure_address_key(connection: sa.Connection) -> str:
    """The address key, generated first if the database has none (concurrent callers
    agree: the first insert wins, the others read it)."""
    table = _table()
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    connection.execute(
        insert(table)
        .values(name=ADDRESS_KEY, value=generate_address_key())
        .on_conflict_do_nothing(index_elements=["name"])
    )
    return address_key(connection)


def address_key(connection: sa.Connection) -> str:
    """The address key (one primary-key read); generated if missing."""
    table = _table()
    value = connection.execute(
        sa.select(table.c.value).where(table.c.name == ADDRESS_KEY)
    ).scalar_one_or_none()
    if value is None:
        return ensure_address_key(connection)
    return str(value)
