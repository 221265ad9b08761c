"""Signing people in to the console through its own forms, as a browser would."""

from __future__ import annotations

import re
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import ADMIN_KEY
from tests.factories import Person, auth

PASSWORD = "a long enough password"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


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
    """A user with a password (and an API key), created by the bootstrap admin."""
    body: dict[str, Any] = {"name": name or f"a {role}", "role": role, "password": password}
    if manager is not None:
        body["manager_id"] = manager.id
    response = client.post("/api/users", json=body, headers=auth(ADMIN_KEY))
    assert response.status_code == 201, response.text
    data = response.json()
    return Person(id=data["id"], role=role, key=data["api_key"])


def post_login(client: TestClient, name: str, password: str, **fields: str) -> Any:
    """Submit the sign-in form as shown (its CSRF token included)."""
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login", data={"name": name, "password": password, "csrf_token": token, **fields}
    )


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the CSRF token of the signed-in session."""
    response = post_login(client, name, password)
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/console").text)


def signed_in_person(
    client: TestClient, role: str = "rep", *, name: str | None = None, **kwargs: Any
) -> tuple[Person, str]:
    """A new person of ``role``, signed in on ``client``; with their CSRF token."""
    person = make_person(client, role, name=name or f"a {role}", **kwargs)
    return person, sign_in(client, name or f"a {role}")
