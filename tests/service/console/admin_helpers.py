"""People for the compliance and admin page tests, signed in through the console's form."""

from __future__ import annotations

from sqlmodel import Session
from starlette.testclient import TestClient

from service.auth import service as accounts
from service.runtime import Runtime
from tests.service.console.helpers import PASSWORD, sign_in


def person(runtime: Runtime, role: str, name: str) -> tuple[int, str]:
    """A user of ``role`` with a password; returns their id and API key."""
    with Session(runtime.engine) as session:
        user, key = accounts.create(session, name=name, role=role, password=PASSWORD)
        assert user.id is not None
        return user.id, key


def signed_in(client: TestClient, runtime: Runtime, role: str, name: str | None = None) -> str:
    """A new person of ``role`` signed in on ``client``; returns their CSRF token."""
    name = name or f"a {role}"
    person(runtime, role, name)
    return sign_in(client, name)
