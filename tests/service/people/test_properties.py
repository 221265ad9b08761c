"""Properties of a person's rights, through the real app, on each database.

Each example builds its own people (fresh users and a fresh address) in the test's
database, so examples do not depend on each other; the app and its database are the
test's, shared by the examples (hence the suppressed function-scoped-fixture check).
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import SQLModel
from starlette.testclient import TestClient

from service.runtime import Runtime
from tests.factories import (
    BROWSER_UA,
    make_prospect,
    make_user,
    page_of,
    path_of,
    send_message,
    stored_events,
)

_serial = itertools.count(1)
_ips = itertools.count(1)

EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def browser() -> dict[str, str]:
    """A person's browser from an address no earlier hit used (no replay window hides it)."""
    n = next(_ips)
    return {
        "User-Agent": BROWSER_UA,
        "X-Forwarded-For": f"198.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
    }


@st.composite
def spelling(draw: st.DrawFn) -> tuple[str, list[bool], str]:
    """How a rep might type an address: blanks before, which letters in capitals, after."""
    return (
        draw(st.sampled_from(["", " ", "\t"])),
        draw(st.lists(st.booleans(), min_size=8, max_size=8)),
        draw(st.sampled_from(["", " "])),
    )


def spelled(address: str, how: tuple[str, list[bool], str]) -> str:
    before, capitals, after = how
    letters = (c.upper() if capitals[i % len(capitals)] else c for i, c in enumerate(address))
    return before + "".join(letters) + after


@st.composite
def a_person(draw: st.DrawFn) -> dict[str, Any]:
    """1-4 owners of one address, each spelling it their way, and hits to make.

    The address itself is made by ``with_address``, outside the strategy: a fresh one
    per example (hypothesis replays strategies, which must not depend on a counter).
    """
    owners = draw(st.integers(min_value=1, max_value=4))
    return {
        "spellings": [draw(spelling()) for _ in range(owners)],
        "through": draw(st.integers(min_value=0, max_value=owners - 1)),
        "hits": draw(
            st.lists(
                st.tuples(st.integers(0, owners - 1), st.sampled_from(["open", "click", "visit"])),
                min_size=1,
                max_size=6,
            )
        ),
    }


def with_address(person: dict[str, Any]) -> dict[str, Any]:
    """``person`` with a new address, spelt as drawn."""
    address = f"zq{next(_serial)}x@person-test.example"
    return {
        **person,
        "address": address,
        "spellings": [spelled(address, how) for how in person["spellings"]],
    }


def build(client: TestClient, person: dict[str, Any]) -> list[dict[str, Any]]:
    """Each owner's record and sent message."""
    built = []
    for spelling in person["spellings"]:
        owner = make_user(client)
        record = make_prospect(client, owner, email=spelling, name="Zed")
        built.append(
            {"owner": owner, "record": record, "mail": send_message(client, owner, record["id"])}
        )
    return built


def hit(client: TestClient, mail: dict[str, Any], kind: str) -> None:
    """An open, a click, or a click followed by a page view carrying its visitor id."""
    if kind == "open":
        client.get(path_of(mail["pixel_url"]), headers=browser())
        return
    headers = browser()
    click = client.get(path_of(mail["links"][0]["tracked_url"]), headers=headers)
    assert click.status_code == 302
    if kind == "visit":
        vid = click.headers["location"].partition("cnd_vid=")[2]
        body = {"site": "example.com", "url": "https://example.com/pricing", "vid": vid or None}
        client.post("/v", content=json.dumps(body), headers=headers)


def identifying(runtime: Runtime) -> list[int | None]:
    """The ids of stored events that name someone: a record, or a click's visitor id.

    (A page view that carries no visitor id names nobody; whether such views are stored
    at all is the anonymous-visits policy's business, not consent's.)
    """
    return [
        event.id
        for event in stored_events(runtime)
        if event.prospect_id is not None or event.visitor_id is not None
    ]


@EXAMPLES
@given(person=a_person())
def test_an_opt_out_through_any_record_stops_every_records_tracking(
    client: TestClient, runtime: Runtime, person: dict[str, Any]
) -> None:
    person = with_address(person)
    built = build(client, person)
    for index, kind in person["hits"]:  # before: tracked (and cached by the collector)
        hit(client, built[index]["mail"], kind)
    before = identifying(runtime)
    assert len(before) > len(built)  # more than the email_sent rows: tracking worked
    chosen = built[person["through"]]
    assert client.post(page_of(chosen["mail"]) + "/opt-out").status_code == 303
    for index, kind in person["hits"]:
        hit(client, built[index]["mail"], kind)
    assert identifying(runtime) == before
    for each in built:
        answer = client.get(f"/api/prospects/{each['record']['id']}", headers=each["owner"].headers)
        assert answer.json()["opted_out"] is True


def text_rows(runtime: Runtime, needle: str) -> list[tuple[str, str]]:
    """(table, column) of every stored text value containing ``needle``, ignoring case."""
    found = []
    with runtime.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for column in table.columns:
                # SQLModel's strings are a TypeDecorator over String.
                if not isinstance(getattr(column.type, "impl", column.type), sa.String):
                    continue
                hits = connection.execute(
                    sa.select(sa.func.count())
                    .select_from(table)
                    .where(sa.func.lower(column).contains(needle.lower(), autoescape=True))
                ).scalar_one()
                if hits:
                    found.append((table.name, column.name))
    return found


@EXAMPLES
@given(person=a_person(), by_email=st.booleans())
def test_erasure_leaves_no_row_naming_the_address(
    client: TestClient, runtime: Runtime, person: dict[str, Any], by_email: bool
) -> None:
    person = with_address(person)
    built = build(client, person)
    for index, kind in person["hits"]:
        hit(client, built[index]["mail"], kind)
    address = person["address"]
    assert text_rows(runtime, address) != []  # the scan finds it while it is stored
    officer = make_user(client, "compliance")
    if by_email:
        response = client.post(
            "/api/people/erase", json={"email": person["spellings"][0]}, headers=officer.headers
        )
        assert response.status_code == 200, response.text
    else:
        record = built[person["through"]]["record"]
        response = client.delete(f"/api/prospects/{record['id']}", headers=officer.headers)
        assert response.status_code == 204
    assert text_rows(runtime, address) == []
    assert text_rows(runtime, address.split("@")[0]) == []
    # What stays is a keyed hash: a new record of the address is known as suppressed.
    again = make_prospect(client, make_user(client), email=address)
    assert again["opted_out"] is True and again["tracking"] == "suppressed"
