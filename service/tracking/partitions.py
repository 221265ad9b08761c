"""Monthly time partitions of the event table on PostgreSQL.

Migration 0008 makes ``event`` a table partitioned by range of ``occurred_at``: one
partition per calendar month (UTC), named ``event_yYYYYmMM``, and a default partition
that takes any hit whose month has no partition yet, so no hit is ever refused.
``candor migrate`` and ``candor serve`` create the current month and the next few
ahead (``ensure_partitions``), and so does every retention run; a month created while
the default partition holds some of its rows takes them over.

Retention drops a whole partition once all of its month is past the cutoff
(``drop_expired_partitions``): rows that outlive retention (``email_sent``) are copied
into a fresh partition of the same month, and the old one is dropped, which frees its
space at once where row-wise deletes would leave it bloated until a vacuum.

On SQLite, and on a PostgreSQL table that is not partitioned, everything here is a no-op.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

__all__ = [
    "MONTHS_AHEAD",
    "ExpiredPartitions",
    "Partition",
    "drop_expired_partitions",
    "ensure_partitions",
    "is_event_partition",
    "is_partitioned",
    "month_start",
    "partitions",
]

PARENT = "event"
DEFAULT = "event_default"
# The current month and this many after it always exist: a server left running for
# weeks never sends a month's hits to the default partition.
MONTHS_AHEAD = 3
_NAME = re.compile(r"^event_y(\d{4})m(\d{2})$")
# Serialises partition changes across replicas (prepare_database holds another key).
_LOCK = 0x43414E44_50415254  # "CAND" "PART"
# Rows that outlive retention (service.compliance.subjects.purge_expired).
_KEPT_KINDS = ("email_sent",)


@dataclass(frozen=True)
class Partition:
    """One month of events: rows with ``start <= occurred_at < end``."""

    name: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class ExpiredPartitions:
    """What dropping whole expired months removed, and up to when (for the row-wise rest)."""

    events: int = 0
    visitors: int = 0
    dropped_until: datetime | None = None


def is_event_partition(name: str) -> bool:
    """Whether a table is one of the event table's partitions (not in the models)."""
    return name == DEFAULT or _NAME.match(name) is not None


def month_start(when: datetime) -> datetime:
    """The first instant (UTC) of ``when``'s month."""
    when = when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)
    return when.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def add_months(month: datetime, count: int) -> datetime:
    index = month.year * 12 + month.month - 1 + count
    return month.replace(year=index // 12, month=index % 12 + 1)


def partition_for(month: datetime) -> Partition:
    start = month_start(month)
    return Partition(f"event_y{start.year:04d}m{start.month:02d}", start, add_months(start, 1))


def is_partitioned(connection: sa.Connection) -> bool:
    """Whether ``event`` is a partitioned table (PostgreSQL after migration 0008)."""
    if connection.dialect.name != "postgresql":
        return False
    kind = connection.execute(
        sa.text("SELECT relkind FROM pg_class WHERE oid = to_regclass(:name)"), {"name": PARENT}
    ).scalar()
    return kind == "p"


def partitions(connection: sa.Connection) -> list[Partition]:
    """The monthly partitions, oldest first (the default partition is not one)."""
    names = connection.execute(
        sa.text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(:name)"
        ),
        {"name": PARENT},
    ).scalars()
    months = []
    for name in names:
        match = _NAME.match(name)
        if match:
            months.append(partition_for(datetime(int(match[1]), int(match[2]), 1, tzinfo=UTC)))
    return sorted(months, key=lambda partition: partition.start)


def ensure_partitions(
    connection: sa.Connection,
    *,
    now: datetime | None = None,
    since: datetime | None = None,
    months_ahead: int = MONTHS_AHEAD,
) -> list[str]:
    """Create the missing monthly partitions from ``since``'s month (default: ``now``'s)
    through ``months_ahead`` months after ``now``'s, and the default partition.

    Runs in the caller's transaction; returns the names created.
    """
    if not is_partitioned(connection):
        return []
    connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
    now = now or datetime.now(UTC)
    existing = {partition.name for partition in partitions(connection)}
    created = []
    if connection.execute(sa.text("SELECT to_regclass(:name)"), {"name": DEFAULT}).scalar() is None:
        connection.exec_driver_sql(f"CREATE TABLE {DEFAULT} PARTITION OF {PARENT} DEFAULT")
        created.append(DEFAULT)
    month, last = month_start(since or now), add_months(month_start(now), months_ahead)
    while month <= last:
        partition = partition_for(month)
        if partition.name not in existing:
            _create(connection, partition)
            created.append(partition.name)
        month = add_months(month, 1)
    return created


def _bounds(partition: Partition) -> str:
    return f"FROM ('{partition.start.isoformat()}') TO ('{partition.end.isoformat()}')"


def _create(connection: sa.Connection, partition: Partition) -> None:
    """Build the month's table beside the parent, move in its rows from the default
    partition (attaching would refuse a month whose rows sit there), attach it."""
    run = connection.exec_driver_sql
    run(f"CREATE TABLE {partition.name} (LIKE {PARENT} INCLUDING DEFAULTS)")
    run(
        f"WITH moved AS (DELETE FROM {DEFAULT} WHERE occurred_at >= %(start)s "
        f"AND occurred_at < %(end)s RETURNING *) "
        f"INSERT INTO {partition.name} SELECT * FROM moved",
        {"start": partition.start, "end": partition.end},
    )
    _attach(connection, partition)


def _attach(connection: sa.Connection, partition: Partition) -> None:
    connection.exec_driver_sql(
        f"ALTER TABLE {PARENT} ATTACH PARTITION {partition.name} FOR VALUES {_bounds(partition)}"
    )


def drop_expired_partitions(connection: sa.Connection, *, cutoff: datetime) -> ExpiredPartitions:
    """Drop every monthly partition that ends at or before ``cutoff``, keeping its
    ``email_sent`` rows in a fresh partition of the same month.

    Runs in the caller's transaction; returns the rows removed (events other than
    ``email_sent``, and clicks with a visitor id) and the end of the last month dropped.
    """
    if not is_partitioned(connection):
        return ExpiredPartitions()
    connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
    events = visitors = 0
    dropped_until = None
    run = connection.exec_driver_sql
    kept_kinds = ", ".join(f"'{kind}'" for kind in _KEPT_KINDS)
    for partition in partitions(connection):
        if partition.end > cutoff:
            break
        removed, ids, kept = run(
            f"SELECT count(*) FILTER (WHERE kind NOT IN ({kept_kinds})), "
            "count(*) FILTER (WHERE kind = 'click' AND visitor_id IS NOT NULL), "
            f"count(*) FILTER (WHERE kind IN ({kept_kinds})) FROM {partition.name}"
        ).one()
        events, visitors, dropped_until = events + removed, visitors + ids, partition.end
        if removed == 0:
            continue  # holds only what retention keeps: already as small as it gets
        run(f"ALTER TABLE {PARENT} DETACH PARTITION {partition.name}")
        if kept:  # the month's kept rows into a fresh table, which takes the old one's place
            old = f"{partition.name}_expired"
            run(f"ALTER TABLE {partition.name} RENAME TO {old}")
            run(f"CREATE TABLE {partition.name} (LIKE {PARENT} INCLUDING DEFAULTS)")
            run(f"INSERT INTO {partition.name} SELECT * FROM {old} WHERE kind IN ({kept_kinds})")
            _attach(connection, partition)
            run(f"DROP TABLE {old}")
        else:
            run(f"DROP TABLE {partition.name}")
    return ExpiredPartitions(events, visitors, dropped_until)
