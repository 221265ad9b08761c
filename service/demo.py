"""A demo workspace: users of every role, prospects, emails and a week of engagement.

It lives in its own SQLite file so that trying Candor never touches real data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlmodel import Session, col, select

from service.auth import service as auth_service
from service.messages import service as message_service
from service.messages.schemas import MessageCreate
from service.models import Event, Link, Prospect, User, utcnow
from service.prospects import service as prospect_service
from service.prospects.schemas import ProspectCreate
from service.runtime import Runtime

__all__ = ["DemoKeys", "seed"]

HTML = (
    "<html><body><p>Hi {name},</p><p>As promised, here is "
    '<a href="https://example.com/pricing">our pricing overview</a> and '
    '<a href="https://example.com/security">how we keep your data safe</a>.</p>'
    "<p>Best, Rita</p></body></html>"
)
BROWSER = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Safari/605.1.15"
)


# The demo's people, by role: they sign in to the console with these names.
NAMES = {"rep": "Rita", "manager": "Mia", "compliance": "Cora", "admin": "Ada"}


@dataclass(frozen=True)
class DemoKeys:
    """The API keys of the demo users and their console password, to print once."""

    admin: str
    manager: str
    rep: str
    compliance: str
    prospect_ids: dict[str, int]
    password: str | None = None
    names: dict[str, str] = field(default_factory=lambda: dict(NAMES))


def _engage(
    session: Session,
    *,
    prospect: Prospect,
    message_id: int,
    days_ago: float,
    kinds: list[tuple[str, str]],
) -> None:
    links = session.exec(
        select(Link).where(col(Link.message_id) == message_id, col(Link.honeypot).is_(False))
    ).all()
    when = utcnow() - timedelta(days=days_ago)
    for offset, (kind, evidence) in enumerate(kinds):
        link = links[offset % len(links)] if kind == "click" and links else None
        session.add(
            Event(
                kind=kind,
                prospect_id=prospect.id,
                message_id=message_id,
                link_id=link.id if link else None,
                site="example.com" if kind == "visit" else None,
                url="https://example.com/security/overview" if kind == "visit" else None,
                occurred_at=when + timedelta(minutes=7 * offset),
                evidence=evidence,
                reasons="demo",
                user_agent=BROWSER,
                ip_prefix="203.0.113.0",
            )
        )


def seed(
    session: Session, *, runtime: Runtime, admin_key: str, password: str | None = None
) -> DemoKeys:
    """Fill an empty database with the demo workspace; returns the users' keys.

    With a ``password``, the demo's people (``NAMES``) can sign in to the console with it.
    """
    auth_service.ensure_admin(session, api_key=admin_key)
    manager, manager_key = auth_service.create(
        session, name=NAMES["manager"], role="manager", password=password
    )
    rep, rep_key = auth_service.create(
        session, name=NAMES["rep"], role="rep", manager_id=manager.id, password=password
    )
    _, compliance_key = auth_service.create(
        session, name=NAMES["compliance"], role="compliance", password=password
    )
    auth_service.create(session, name=NAMES["admin"], role="admin", password=password)
    # A second rep on Mia's team, so that the manager's list holds more than Rita's.
    teammate, _ = auth_service.create(
        session, name="Raj", role="rep", manager_id=manager.id, password=password
    )
    olga = prospect_service.create(
        session,
        user=teammate,
        data=ProspectCreate(
            email="olga@northwind.example", name="Olga", company="Northwind", industry="logistics"
        ),
    )
    assert olga.id is not None
    olga_message = message_service.create(
        session,
        runtime=runtime,
        user=teammate,
        data=MessageCreate(
            prospect_id=olga.id,
            subject="Routes for next quarter",
            html=HTML.format(name="Olga").replace("Rita", "Raj"),
            sent_at=utcnow() - timedelta(days=3),
        ),
    )
    _engage(
        session,
        prospect=olga,
        message_id=olga_message.id,
        days_ago=2,
        kinds=[("open", "human"), ("click", "human")],
    )
    people = {
        "anna": ProspectCreate(
            email="anna@acme.example", name="Anna", company="Acme", industry="software"
        ),
        # Frank reads German: his footers and his transparency page are in German.
        "frank": ProspectCreate(
            email="frank@bank.example",
            name="Frank",
            company="Bank",
            industry="finance",
            language="de",
        ),
        "sam": ProspectCreate(
            email="sam@quiet.example", name="Sam", company="Quiet", industry="retail"
        ),
    }
    ids: dict[str, int] = {}
    for key, data in people.items():
        prospect = prospect_service.create(session, user=rep, data=data)
        assert prospect.id is not None
        ids[key] = prospect.id
        message = message_service.create(
            session,
            runtime=runtime,
            user=rep,
            data=MessageCreate(
                prospect_id=prospect.id,
                subject="Our proposal",
                html=HTML.format(name=prospect.name),
                sent_at=utcnow() - timedelta(days=6),
            ),
        )
        if key in ("anna", "frank"):
            _engage(
                session,
                prospect=prospect,
                message_id=message.id,
                days_ago=5,
                kinds=[
                    ("open", "machine"),
                    ("open", "human"),
                    ("open", "human"),
                    ("click", "bot"),
                    ("click", "confirmed"),
                    ("visit", "human"),
                ],
            )
    session.commit()
    assert session.exec(select(User).where(col(User.role) == "admin")).first() is not None
    return DemoKeys(
        admin=admin_key,
        manager=manager_key,
        rep=rep_key,
        compliance=compliance_key,
        prospect_ids={**ids, "olga": olga.id},
        password=password,
    )
