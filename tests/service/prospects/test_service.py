"""Listing and correcting prospects: search, pages with a total, visible-only ordering."""

from __future__ import annotations

import pytest
from fastapi import HTTPException
from sqlmodel import Session
from starlette.testclient import TestClient

from service.models import User
from service.prospects import service
from service.prospects.schemas import ProspectUpdate
from service.runtime import Runtime
from tests.factories import (
    BROWSER_UA,
    Person,
    age_events,
    make_prospect,
    make_user,
    path_of,
    send_message,
)


def listing(runtime: Runtime, person: Person, **options: object) -> service.ProspectPage:
    with Session(runtime.engine) as session:
        user = session.get(User, person.id)
        assert user is not None
        return service.list_page(session, user=user, **options)  # type: ignore[arg-type]


def emails(page: service.ProspectPage) -> list[str]:
    return [row.prospect.email for row in page.rows]


class TestListing:
    def test_search_matches_name_email_or_company_ignoring_case(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        make_prospect(client, rep, email="frank@example.com", name="Frank")
        make_prospect(client, rep, email="g@example.com", name="Gina", company="FrankCo")
        make_prospect(client, rep, email="h@example.com", name="Hal", company="100%_Co")
        assert emails(listing(runtime, rep, q="FRANK")) == ["frank@example.com", "g@example.com"]
        assert emails(listing(runtime, rep, q="%_")) == ["h@example.com"]

    def test_pages_carry_the_total_and_the_next_offset(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        for index in range(5):
            make_prospect(client, rep, email=f"p{index}@example.com")
        page = listing(runtime, rep, limit=2, offset=2)
        assert (emails(page), page.total, page.next_offset) == (
            ["p2@example.com", "p3@example.com"],
            5,
            4,
        )
        assert listing(runtime, rep, limit=2, offset=4).next_offset is None

    def test_a_manager_lists_theirs_and_their_reps_but_no_one_elses(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        boss = make_user(client, "manager")
        rep, stranger = make_user(client, manager=boss), make_user(client)
        make_prospect(client, boss, email="boss@example.com")
        make_prospect(client, rep, email="rep@example.com")
        make_prospect(client, stranger, email="other@example.com")
        assert emails(listing(runtime, boss)) == ["boss@example.com", "rep@example.com"]
        assert listing(runtime, boss).total == 2

    def test_last_engagement_orders_by_the_visible_email_sent_and_not_by_a_delayed_open(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        first = make_prospect(client, rep, email="first@example.com")
        second = make_prospect(client, rep, email="second@example.com")
        make_prospect(client, rep, email="silent@example.com")
        sent = send_message(client, rep, first["id"], sent_at="2026-01-01T10:00:00Z")
        send_message(client, rep, second["id"], sent_at="2026-01-02T10:00:00Z")
        # An open right now: inside the policy's 24-hour delay, so not a fact yet.
        opened = client.get(path_of(sent["pixel_url"]), headers={"User-Agent": BROWSER_UA})
        assert opened.status_code == 200
        page = listing(runtime, rep, order="last_engagement")
        assert emails(page) == ["second@example.com", "first@example.com", "silent@example.com"]
        assert page.rows[0].last_activity is not None
        assert page.rows[0].last_activity["kind"] == "email_sent"
        assert page.rows[2].last_activity is None

    def test_an_unknown_order_is_a_422_naming_it(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        with pytest.raises(HTTPException) as caught:
            listing(runtime, rep, order="secret")
        assert caught.value.detail[0]["loc"] == ["query", "order"]

    def test_compliance_lists_records_without_engagement(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep, officer = make_user(client), make_user(client, "compliance")
        send_message(client, rep, make_prospect(client, rep)["id"])
        age_events(runtime, 100)
        page = listing(runtime, officer)
        assert page.total == 1 and page.rows[0].last_activity is None
        with pytest.raises(HTTPException) as caught:
            listing(runtime, officer, order="last_engagement")
        assert caught.value.status_code == 403


class TestUpdating:
    def test_only_the_fields_sent_change(self, client: TestClient, runtime: Runtime) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep, company="Acme", region="eu")
        with Session(runtime.engine) as session:
            user = session.get(User, rep.id)
            assert user is not None
            updated = service.update(
                session,
                user=user,
                prospect_id=prospect["id"],
                data=ProspectUpdate.model_validate({"industry": "Healthcare", "company": None}),
            )
            assert (updated.industry, updated.company, updated.region) == ("healthcare", None, "eu")
