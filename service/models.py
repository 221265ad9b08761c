"""Every table, in one module so domains never import each other's models in a cycle.

Conventions: singular table names, timestamps end in ``_at`` and are stored as UTC,
public identifiers that leave the server (``ref``) are random, never row ids.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

__all__ = [
    "AuditEntry",
    "ErasedLink",
    "Event",
    "InstanceSecret",
    "Invitation",
    "Link",
    "Message",
    "Person",
    "PolicyActivation",
    "PolicyVersion",
    "Prospect",
    "SignInFailure",
    "SigningKey",
    "Suppression",
    "User",
    "UserSession",
    "utcnow",
]


def utcnow() -> datetime:
    """Now, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Stores UTC and always hands back aware datetimes, on SQLite as on PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _when(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_column=sa.Column(UTCDateTime(), nullable=nullable, index=index))


def _created() -> Any:
    return Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime(), nullable=False))


# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class User(SQLModel, table=True):
    """A person: signs in by ``name`` with a password, or calls the API with a key.

    ``api_key_hash`` is None for a person who has no key (an invited user, or one whose
    key went with their deactivation); ``password_hash`` is None until a password is set.
    ``bootstrap`` marks the one admin whose key CANDOR_ADMIN_KEY names.
    """

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    role: str = Field(max_length=20)
    manager_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    api_key_hash: str | None = Field(default=None, max_length=64, unique=True)
    password_hash: str | None = Field(default=None, max_length=255)
    bootstrap: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    deactivated_at: datetime | None = _when(nullable=True)
    created_at: datetime = _created()

    @property
    def active(self) -> bool:
        """A deactivated user's keys, sessions and invitations all stop working."""
        return self.deactivated_at is None


class UserSession(SQLModel, table=True):
    """A signed-in browser. Only a digest of the cookie's token is stored."""

    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = _created()
    last_seen_at: datetime = _created()
    revoked_at: datetime | None = _when(nullable=True)


class Invitation(SQLModel, table=True):
    """A one-time link where a person sets their password (``invite`` or ``reset``)."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    purpose: str = Field(max_length=10)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = _created()
    expires_at: datetime = _when()
    used_at: datetime | None = _when(nullable=True)


class SignInFailure(SQLModel, table=True):
    """A refused sign-in, for the throttle (``service.auth.throttle``).

    ``name`` is the name as typed (folded), not a user id, so that guessing names that
    do not exist is throttled the same way. ``client`` is a keyed digest of the address
    it came from, never the address (NULL on failures from before migration 0013). The
    failure that locked carries ``locks_until`` and what it locked in ``locks``:
    ``address`` (the name, from that address) or ``name`` (the name, from everywhere).
    """

    __tablename__ = "sign_in_failure"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    client: str | None = Field(default=None, max_length=64)
    at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(UTCDateTime(), nullable=False, index=True)
    )
    locks_until: datetime | None = _when(nullable=True)
    locks: str | None = Field(default=None, max_length=10)

    __table_args__ = (sa.Index("ix_sign_in_failure_name_at", "name", "at"),)


class InstanceSecret(SQLModel, table=True):
    """A secret of this installation, generated once and kept in its database.

    ``address_key`` keys the hashes of email addresses (``service.people.identity``):
    it lives with the data it protects, so a backup restores both, and losing the
    database loses the suppression list along with everything it suppressed.
    """

    __tablename__ = "instance_secret"

    name: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=128)


class Person(SQLModel, table=True):
    """The human behind every prospect record that holds one normalised email address.

    Each rep keeps a record of their own (``Prospect``); what a data subject may ask
    or refuse applies here, to all of them. No readable address is stored: only its
    keyed hash, which the records' emails hash to.
    """

    # SQLite: AUTOINCREMENT, so an erased person's id, which the audit log names, is
    # never given to someone else (migration 0014; so for suppressions and prospects).
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    address_hash: str = Field(max_length=64, unique=True)
    # Set when a hit arrived with Sec-GPC or DNT under a policy that honours them.
    tracking_refused_at: datetime | None = _when(nullable=True)
    created_at: datetime = _created()


class Suppression(SQLModel, table=True):
    """An address that must not be tracked: its keyed hash, and why.

    A person is opted out exactly when their address hash is here. The row outlives
    the person's erasure, so a later record of the same address is not tracked either;
    it goes when the person opts back in or compliance removes it.
    """

    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    address_hash: str = Field(max_length=64, unique=True)
    reason: str = Field(max_length=12)  # opted_out | erased | added
    created_at: datetime = _created()
    created_by: int | None = Field(default=None, foreign_key="user.id")


class Prospect(SQLModel, table=True):
    """One owner's record of a person (the same person may be on several reps' lists)."""

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(max_length=32, unique=True)
    owner_id: int = Field(foreign_key="user.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    email: str = Field(max_length=320)
    name: str | None = Field(default=None, max_length=200)
    company: str | None = Field(default=None, max_length=200)
    industry: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    # The language of this person's email footer and transparency page (BCP 47 tag).
    language: str | None = Field(default=None, max_length=16)
    created_at: datetime = _created()

    __table_args__ = (
        sa.UniqueConstraint("owner_id", "email", name="uq_prospect_owner_email"),
        {"sqlite_autoincrement": True},  # an erased record's id is never reused (0014)
    )


class Message(SQLModel, table=True):
    # SQLite: AUTOINCREMENT, so a discarded message's id (and its links') is never
    # given to a new one (migration 0011).
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(max_length=32, unique=True)
    prospect_id: int = Field(foreign_key="prospect.id", index=True)
    sender_id: int = Field(foreign_key="user.id")
    subject: str = Field(max_length=500)
    html: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    text: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    link_count: int = 0
    # What the rep's own HTML carried beyond Candor's footer and opt-out, as sentences
    # (pixel.foreign); None for a message stored before that check (migration 0015).
    content_notes: list[str] | None = Field(
        default=None, sa_column=sa.Column(sa.JSON, nullable=True)
    )
    sent_at: datetime = _when()
    created_at: datetime = _created()


class Link(SQLModel, table=True):
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(max_length=32, unique=True)
    message_id: int = Field(foreign_key="message.id", index=True)
    url: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    honeypot: bool = False


class Event(SQLModel, table=True):
    """One recorded hit, minimised at ingestion: truncated IP, capped user agent."""

    id: int | None = Field(default=None, sa_column=sa.Column(BigId, primary_key=True))
    # Minted when the hit is acknowledged; a spool replay inserts it at most once. Unique
    # with occurred_at (see __table_args__) so that PostgreSQL can partition by time.
    event_key: str | None = Field(default=None, max_length=32)
    kind: str = Field(max_length=20)  # email_sent | open | click | visit
    # machine | bot | human | confirmed for a hit; "sent" for email_sent, which is the
    # sender's own act and no evidence of anything the recipient did.
    prospect_id: int | None = Field(default=None, foreign_key="prospect.id")
    message_id: int | None = Field(default=None, foreign_key="message.id", index=True)
    link_id: int | None = Field(default=None, foreign_key="link.id")
    # A click's visitor id (added to its destination), and on a visit the id it carried.
    visitor_id: str | None = Field(default=None, max_length=64, index=True)
    site: str | None = Field(default=None, max_length=255)
    url: str | None = Field(default=None, max_length=2048)
    title: str | None = Field(default=None, max_length=300)
    referrer: str | None = Field(default=None, max_length=2048)
    occurred_at: datetime = _when()
    received_at: datetime = _created()
    evidence: str = Field(max_length=12)
    reasons: str = Field(default="", max_length=500)
    user_agent: str | None = Field(default=None, max_length=512)
    ip_prefix: str | None = Field(default=None, max_length=64)

    # On PostgreSQL migration 0004 also makes the primary key (id, occurred_at): every
    # unique constraint includes the time, so the table can become time-partitioned.
    __table_args__ = (
        sa.Index("ix_event_prospect_occurred", "prospect_id", "occurred_at"),
        sa.Index("ix_event_event_key", "event_key", "occurred_at", unique=True),
    )


class PolicyVersion(SQLModel, table=True):
    __tablename__ = "policy_version"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64)
    version: int
    document: str = Field(
        sa_column=sa.Column(sa.Text, nullable=False)
    )  # canonical JSON of the validated document
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = _created()

    __table_args__ = (sa.UniqueConstraint("name", "version", name="uq_policy_version"),)


class PolicyActivation(SQLModel, table=True):
    """Activation history; the newest row names the active policy version."""

    __tablename__ = "policy_activation"

    id: int | None = Field(default=None, primary_key=True)
    policy_version_id: int = Field(foreign_key="policy_version.id")
    activated_by: int | None = Field(default=None, foreign_key="user.id")
    activated_at: datetime = _created()


class SigningKey(SQLModel, table=True):
    """Token signing keys generated for a server database when none are configured."""

    __tablename__ = "signing_key"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=128)
    created_at: datetime = _created()


class ErasedLink(SQLModel, table=True):
    """A tracked link whose prospect was erased: it still redirects, and records nothing.

    Only the destination (the sender's own URL, no personal data) survives erasure.
    """

    __tablename__ = "erased_link"

    ref: str = Field(primary_key=True, max_length=32)
    url: str = Field(sa_column=sa.Column(sa.Text, nullable=False))


class AuditEntry(SQLModel, table=True):
    """Append-only record of who saw what about whom, and of every policy change.

    ``prospect_id`` is a plain number, not a foreign key, so the trail outlives erasure.
    Database triggers refuse UPDATE and DELETE on this table.
    """

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, sa_column=sa.Column(BigId, primary_key=True))
    at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(UTCDateTime(), nullable=False, index=True)
    )
    actor_id: int | None = Field(default=None, index=True)
    actor_role: str | None = Field(default=None, max_length=20)
    action: str = Field(max_length=40, index=True)
    prospect_id: int | None = Field(default=None, index=True)
    policy_name: str | None = Field(default=None, max_length=64)
    policy_version: int | None = None
    rule: str | None = Field(default=None, max_length=200)
    facts_shown: int | None = None
    detail: str = Field(default="{}", sa_column=sa.Column(sa.Text, nullable=False))
