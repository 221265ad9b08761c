"""Signing people in to the console through its own forms, as a browser would."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session
from starlette.testclient import TestClient

from service.auth import service as auth_service
from tests.factories import Person

PASSWORD = "a long enough password"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def words_of(html: str) -> str:
    """A page as its reader sees the words: without the ``<wbr>`` the ``wbr`` filter adds."""
    return html.replace("<wbr>", "")


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = _CSRF.search(html)
    assert found is not None, "no CSRF token on the page"
    return found.group(1)


def make_person(
    client: TestClient,
    role: str = "rep",
    *,
    name: str | None = None,
    manager: Person | None = None,
    password: str = PASSWORD,
) -> Person:
    """A user with a password (and an API key), as an admin would create them."""
    engine = client.app.state.runtime.engine  # type: ignore[attr-defined]
    with Session(engine) as session:
        user, key = auth_service.create(
            session,
            name=name or f"a {role}",
            role=role,
            manager_id=manager.id if manager is not None else None,
            password=password,
        )
        assert user.id is not None
        return Person(id=user.id, role=role, key=key)


def post_login(
    client: TestClient,
    name: str,
    password: str,
    *,
    headers: dict[str, str] | None = None,
    **fields: str,
) -> Any:
    """Submit the sign-in form as shown (its CSRF token included), with ``headers``."""
    token = csrf_of(client.get("/login", headers=headers).text)
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": token, **fields},
        headers=headers,
    )


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Sign in through the form (signing out whoever was); returns the session's CSRF token."""
    client.cookies.clear()
    response = post_login(client, name, password)
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/console").text)


def signed_in_person(
    client: TestClient, role: str = "rep", *, name: str | None = None, **kwargs: Any
) -> tuple[Person, str]:
    """A new person of ``role``, signed in on ``client``; with their CSRF token."""
    person = make_person(client, role, name=name or f"a {role}", **kwargs)
    return person, sign_in(client, name or f"a {role}")
