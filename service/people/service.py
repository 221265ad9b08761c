"""People and their consent: one person per normalised address, across every record.

A person is opted out exactly when a ``Suppression`` holds their address hash: the one
source of truth every reader asks (the collector through a join, see
``service.tracking.targets``). ``tracking_refused_at`` (Sec-GPC/DNT) is the person's too.
Every write here is audited without the address; the function that completes the
write commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from service.compliance import audit
from service.models import Person, Prospect, Suppression, User, utcnow
from service.people.identity import address_hash, normalise_email
from service.people.keys import address_key

__all__ = [
    "Consent",
    "consent_of",
    "consents",
    "hash_of",
    "opt_in",
    "opt_out",
    "people_for",
    "person_for",
    "records_of",
    "suppress",
    "tracking_of",
    "why_untracked",
    "with_consent",
]

# Why a suppressed person is not tracked, by the suppression's reason: said to the rep
# in the answers that create a record of them or instrument a message to them.
_WHY = {
    "opted_out": "This person opted out of tracking: nothing sent to them is tracked, "
    "whoever's record it goes through, until they resume tracking on their transparency "
    "page.",
    "erased": "This person asked to have their data erased, and their address stays on the "
    "suppression list: nothing sent to them is tracked until they resume tracking on their "
    "transparency page.",
    "added": "Compliance put this address on the suppression list: nothing sent to this "
    "person is tracked until they resume tracking on their transparency page or compliance "
    "removes the address.",
}

# Rows per multi-row INSERT: far under SQLite's bound-parameter limit.
_CHUNK = 300


@dataclass(frozen=True)
class Consent:
    """What a person allows: ``suppressed`` names why tracking stops (None: it does not)."""

    suppressed: str | None = None  # opted_out | erased | added
    suppressed_at: datetime | None = None
    tracking_refused_at: datetime | None = None

    @property
    def opted_out(self) -> bool:
        """Whether nothing about this person may be tracked (a suppression exists)."""
        return self.suppressed is not None


def tracking_of(consent: Consent) -> tuple[Literal["tracked", "suppressed", "refused"], str | None]:
    """The person's tracking status for the rep, and the sentence saying why it is not tracked.

    ``suppressed`` (on the suppression list) wins over ``refused`` (their browser sent
    ``Sec-GPC``/``DNT``): it stops tracking whatever the policy says. A refusal carries
    no date: it is marked by a hit, so even its day would tell the rep when the person
    opened or clicked, past the policy's delay and granularity.
    """
    if consent.opted_out:
        return "suppressed", why_untracked(consent.suppressed)
    if consent.tracking_refused_at is not None:
        return "refused", (
            "This person's browser refuses tracking (Sec-GPC or DNT): under a policy that "
            "honours it (honor_gpc), you see only what was sent to them."
        )
    return "tracked", None


def why_untracked(reason: str | None) -> str | None:
    """The sentence saying why a person with this suppression reason is not tracked."""
    if reason is None:
        return None
    return _WHY.get(reason, _WHY["added"])


def hash_of(session: Session, email: str) -> str:
    """The keyed hash of ``email`` once normalised."""
    return address_hash(address_key(session.connection()), normalise_email(email))


def _insert_ignoring_duplicates(
    session: Session, table: sa.Table, rows: list[dict[str, Any]]
) -> None:
    connection = session.connection()
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    for start in range(0, len(rows), _CHUNK):
        connection.execute(
            insert(table)
            .values(rows[start : start + _CHUNK])
            .on_conflict_do_nothing(index_elements=["address_hash"])
        )


def _ids_of(session: Session, table: sa.Table, digests: list[str]) -> dict[str, int]:
    """The person id of each of these address hashes that has a person."""
    found: dict[str, int] = {}
    for start in range(0, len(digests), _CHUNK):
        chunk = digests[start : start + _CHUNK]
        rows = session.connection().execute(
            sa.select(table.c.address_hash, table.c.id).where(table.c.address_hash.in_(chunk))
        )
        found.update({digest: person_id for digest, person_id in rows})
    return found


def people_for(session: Session, emails: Iterable[str]) -> dict[str, int]:
    """The person id of each address (keyed by the address as given), made where new.

    Concurrent writers agree: a person another transaction inserted first is read, not
    duplicated. Nothing is committed here.
    """
    key = address_key(session.connection())
    hashes = {email: address_hash(key, normalise_email(email)) for email in emails}
    if not hashes:
        return {}
    table: sa.Table = Person.__table__  # type: ignore[attr-defined]
    wanted = sorted(set(hashes.values()))
    known = _ids_of(session, table, wanted)
    missing = [digest for digest in wanted if digest not in known]
    if missing:
        now = utcnow()
        _insert_ignoring_duplicates(
            session, table, [{"address_hash": digest, "created_at": now} for digest in missing]
        )
        known.update(_ids_of(session, table, missing))
    return {email: known[digest] for email, digest in hashes.items()}


def person_for(session: Session, email: str) -> int:
    """The id of the person with this address, made if new (not committed)."""
    return people_for(session, [email])[email]


def _suppression_query(person_ids: list[int]) -> Any:
    return (
        sa.select(
            col(Person.id),
            col(Suppression.reason),
            col(Suppression.created_at),
            col(Person.tracking_refused_at),
        )
        .outerjoin(Suppression, col(Suppression.address_hash) == col(Person.address_hash))
        .where(col(Person.id).in_(person_ids))
    )


def with_consent(query: sa.Select[Any], person_id: Any) -> sa.Select[Any]:
    """``query`` with the consent of the person ``person_id`` names as three more columns.

    For a reader that needs a record and its person's consent in one round trip; read
    the three columns with ``Consent(*row[-3:])``, as ``consents`` does.
    """
    return (
        query.add_columns(
            col(Suppression.reason), col(Suppression.created_at), col(Person.tracking_refused_at)
        )
        .outerjoin(Person, col(Person.id) == person_id)
        .outerjoin(Suppression, col(Suppression.address_hash) == col(Person.address_hash))
    )


def consents(session: Session, person_ids: Iterable[int]) -> dict[int, Consent]:
    """Each person's consent, in one query per few hundred people."""
    ids = sorted(set(person_ids))
    found: dict[int, Consent] = {}
    for start in range(0, len(ids), _CHUNK):
        for person_id, reason, suppressed_at, refused_at in session.connection().execute(
            _suppression_query(ids[start : start + _CHUNK])
        ):
            found[person_id] = Consent(reason, suppressed_at, refused_at)
    return found


def consent_of(session: Session, person_id: int) -> Consent:
    """One person's consent (nothing suppressed for an unknown id)."""
    return consents(session, [person_id]).get(person_id, Consent())


def records_of(session: Session, person_id: int) -> list[Prospect]:
    """Every owner's record of this person, oldest first."""
    return list(
        session.exec(
            select(Prospect).where(col(Prospect.person_id) == person_id).order_by(col(Prospect.id))
        )
    )


def suppress(
    session: Session, *, digest: str, reason: str, actor: User | None = None
) -> Suppression:
    """The suppression of ``digest``, added with ``reason`` unless one exists (not committed).

    An erasure turns an existing opt-out into ``erased``: the person's records are gone,
    and the list should say why it still holds the address. Compliance adding an address
    the person had put there makes it compliance's (``added``), and nothing the person
    does changes an ``added`` row: only compliance takes it off (see ``opt_in``).
    """
    table: sa.Table = Suppression.__table__  # type: ignore[attr-defined]
    _insert_ignoring_duplicates(
        session,
        table,
        [
            {
                "address_hash": digest,
                "reason": reason,
                "created_at": utcnow(),
                "created_by": actor.id if actor else None,
            }
        ],
    )
    row = session.exec(select(Suppression).where(col(Suppression.address_hash) == digest)).one()
    if row.reason != reason and (reason == "added" or row.reason == "opted_out"):
        row.reason = reason
        if reason == "added" and actor is not None:
            row.created_by = actor.id  # the officer who took it over
        session.add(row)
    return row


def _digest_of(session: Session, person_id: int) -> str:
    person = session.get(Person, person_id)
    assert person is not None, "a record always has its person"
    return person.address_hash


def opt_out(session: Session, *, prospect: Prospect) -> bool:
    """Stop tracking the person behind ``prospect``, through every record; commits.

    Returns whether anything changed (False: they were opted out already).
    """
    digest = _digest_of(session, prospect.person_id)
    existed = session.exec(
        select(col(Suppression.id)).where(col(Suppression.address_hash) == digest)
    ).first()
    if existed is not None:
        return False
    row = suppress(session, digest=digest, reason="opted_out")
    audit.record(
        session,
        actor=None,
        action="person.opted_out",
        prospect_id=prospect.id,
        detail={"person_id": prospect.person_id, "suppression_id": row.id},
    )
    session.commit()
    return True


def opt_in(session: Session, *, prospect: Prospect) -> bool:
    """Resume tracking the person behind ``prospect``: their suppression goes; commits.

    Returns whether anything changed. A Sec-GPC/DNT refusal stays: it is the browser's
    standing request, honoured as long as the policy says so. So does a suppression
    compliance added: the page's one-click form is open to whoever holds one of the
    person's emails (a forwarded one too), and compliance's decision is theirs to undo.
    """
    digest = _digest_of(session, prospect.person_id)
    row = session.exec(select(Suppression).where(col(Suppression.address_hash) == digest)).first()
    if row is None or row.reason == "added":
        return False
    audit.record(
        session,
        actor=None,
        action="person.opted_in",
        prospect_id=prospect.id,
        detail={"person_id": prospect.person_id, "suppression_id": row.id, "was": row.reason},
    )
    session.delete(row)
    session.commit()
    return True
