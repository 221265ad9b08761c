"""Builders for the service tests: users, prospects and messages through the real API."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, select
from starlette.testclient import TestClient

from service.auth.throttle import ClientDigests
from service.models import Event, Message, Prospect, utcnow
from service.models import Person as PersonRow
from service.people import service as people
from service.runtime import Runtime
from tests.conftest import ADMIN_KEY

BROWSER_UA = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
)


def client_at(address: str = "192.0.2.10") -> str:
    """The digest the sign-in throttle keeps of a client address (``sign_in(client=…)``)."""
    return ClientDigests(lambda: "test-signing-key-newest").of(address)


# People sign in by name, so names are unique: each builder-made user gets a new one.
_serial = itertools.count(1)


def auth(key: str) -> dict[str, str]:
    """The Authorization header for an API key."""
    return {"Authorization": f"Bearer {key}"}


@dataclass(frozen=True)
class Person:
    """A user created through the API, with the key shown at creation."""

    id: int
    role: str
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return auth(self.key)


def make_user(
    client: TestClient, role: str = "rep", *, name: str | None = None, manager: Person | None = None
) -> Person:
    """Create a user as the bootstrap admin."""
    body: dict[str, Any] = {"name": name or f"a {role} {next(_serial)}", "role": role}
    if manager is not None:
        body["manager_id"] = manager.id
    response = client.post("/api/users", json=body, headers=auth(ADMIN_KEY))
    assert response.status_code == 201, response.text
    data = response.json()
    return Person(id=data["id"], role=role, key=data["api_key"])


def make_prospect(client: TestClient, owner: Person, **fields: Any) -> dict[str, Any]:
    """Create a prospect owned by ``owner``."""
    body = {"email": "anna@example.com", "name": "Anna", **fields}
    response = client.post("/api/prospects", json=body, headers=owner.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


EMAIL_HTML = (
    "<html><body><p>Hi Anna,</p>"
    '<p>Here is <a href="https://example.com/pricing?plan=team&amp;seats=5">our pricing</a> '
    'and <a href="https://example.com/security">how we keep data safe</a>.</p>'
    '<p><a href="mailto:rep@example.com">Write back</a></p></body></html>'
)


def send_message(
    client: TestClient, sender: Person, prospect_id: int, **fields: Any
) -> dict[str, Any]:
    """Instrument a message for ``prospect_id`` as ``sender``."""
    body = {"prospect_id": prospect_id, "subject": "Our proposal", "html": EMAIL_HTML, **fields}
    response = client.post("/api/messages", json=body, headers=sender.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def path_of(url: str) -> str:
    """The path part of an absolute collector URL, for the test client."""
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def page_of(message: dict[str, Any]) -> str:
    """The path of the transparency page a message's footer links to."""
    found = re.search(r'href="(http://collector\.test/p/[^"]+)"', message["html"] or "")
    assert found is not None, "the footer links to the transparency page"
    return path_of(found.group(1))


def prepared_ago(runtime: Runtime, message_id: int, minutes: float) -> None:
    """Move the message's preparation ``minutes`` into the past."""
    with Session(runtime.engine) as session:
        message = session.get(Message, message_id)
        assert message is not None
        message.created_at = utcnow() - timedelta(minutes=minutes)
        session.add(message)
        session.commit()


def age_events(runtime: Runtime, hours: float) -> None:
    """Move every stored event ``hours`` into the past, as if time had passed: with the
    messages they follow (a timeline reads a prospect's events from its first message)."""
    with Session(runtime.engine) as session:
        for event in session.exec(select(Event)):
            event.occurred_at = event.occurred_at - timedelta(hours=hours)
            session.add(event)
        for message in session.exec(select(Message)):
            message.sent_at = message.sent_at - timedelta(hours=hours)
            message.created_at = message.created_at - timedelta(hours=hours)
            session.add(message)
        session.commit()


def stored_events(runtime: Runtime, kind: str | None = None) -> list[Event]:
    """The events in the database, oldest first, optionally of one kind."""
    with Session(runtime.engine) as session:
        query = select(Event).order_by(Event.id)  # type: ignore[arg-type]
        if kind is not None:
            query = query.where(Event.kind == kind)
        return list(session.exec(query))


def activate_default_policy_with(client: TestClient, **changes: Any) -> dict[str, Any]:
    """Store the default policy with ``changes`` as its next version and activate it,
    through the API as the bootstrap admin; returns the active document."""
    admin = auth(ADMIN_KEY)
    document = client.get("/api/policies/default", headers=admin).json()["document"]
    stored = client.put(
        "/api/policies/default", json={"document": {**document, **changes}}, headers=admin
    )
    assert stored.status_code == 200, stored.text
    activated = client.post(
        "/api/policies/default/activate", json={"version": stored.json()["version"]}, headers=admin
    )
    assert activated.status_code == 200, activated.text
    return dict(activated.json()["document"])


def allow_anonymous_visits(client: TestClient) -> None:
    """Switch the active policy's ``anonymous_visits`` on: page views with no known
    visitor are stored (without address or user agent)."""
    assert activate_default_policy_with(client, anonymous_visits=True)["anonymous_visits"] is True


def give_consent(session: Session, prospect: Prospect, consent: str, now: datetime) -> None:
    """Put the prospect's person in one of the states the policy reads, and commit:
    ``tracked`` (nothing refused), ``gpc`` (their browser refused tracking a day ago:
    Global Privacy Control) or ``opted_out`` (through the transparency page's path)."""
    if consent == "gpc":
        person = session.get(PersonRow, prospect.person_id)
        assert person is not None
        person.tracking_refused_at = now - timedelta(days=1)
        session.add(person)
    session.commit()
    if consent == "opted_out":
        people.opt_out(session, prospect=prospect)
