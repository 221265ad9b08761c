"""Data-subject requests: find a person by email, download the export, erase after typing it."""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient

from service.runtime import Runtime
from tests.conftest import ADMIN_KEY
from tests.factories import auth, make_prospect, make_user, path_of, send_message
from tests.service.console.admin_helpers import signed_in
from tests.service.console.helpers import csrf_of


def find(client: TestClient, token: str, email: str) -> str:
    response = client.post("/console/requests", data={"email": email, "csrf_token": token})
    assert response.status_code == 200, response.text
    return response.text


def exists(client: TestClient, prospect_id: int) -> bool:
    response = client.get(f"/api/prospects/{prospect_id}/export", headers=auth(ADMIN_KEY))
    return response.status_code == 200


class TestWhoMayOpen:
    @pytest.mark.parametrize("role", ["rep", "manager"])
    def test_reps_and_managers_are_refused(
        self, client: TestClient, runtime: Runtime, role: str
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        token = signed_in(client, runtime, role)
        assert client.get("/console/requests").status_code == 403
        assert client.get(f"/console/requests/{prospect['id']}/export").status_code == 403
        refused = client.post(
            f"/console/requests/{prospect['id']}/erase",
            data={"email": prospect["email"], "csrf_token": token},
        )
        assert refused.status_code == 403
        assert exists(client, prospect["id"])


class TestFind:
    def test_every_record_of_the_email_is_listed_whoever_owns_it(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        one, two = make_user(client, name="Rhea"), make_user(client, name="Rob")
        make_prospect(client, one, email="anna@example.com", company="Acme")
        make_prospect(client, two, email="Anna@Example.com", company="Initech")
        make_prospect(client, two, email="bob@example.com", company="Bobco")
        token = signed_in(client, runtime, "compliance")
        page = find(client, token, " ANNA@example.com ")
        assert "2 records" in page
        assert "Acme" in page and "Initech" in page and "Bobco" not in page
        assert "Rhea" in page and "Rob" in page

    def test_nobody_found_says_there_is_nothing_to_answer(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        token = signed_in(client, runtime, "compliance")
        assert "No prospect record holds this email" in find(client, token, "nobody@example.com")

    def test_the_email_is_never_put_in_a_url(self, client: TestClient, runtime: Runtime) -> None:
        token = signed_in(client, runtime, "compliance")
        form = client.get("/console/requests").text
        assert 'method="post" action="/console/requests"' in form
        assert "anna%40example.com" not in find(client, token, "anna@example.com")

    def test_a_blank_or_malformed_email_is_named_beside_the_field(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        token = signed_in(client, runtime, "compliance")
        for typed in ("", "not an email"):
            response = client.post("/console/requests", data={"email": typed, "csrf_token": token})
            assert response.status_code == 422
            assert 'href="#email"' in response.text and 'id="email-error"' in response.text


class TestExport:
    def test_the_export_downloads_as_a_json_file_and_is_audited(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        send_message(client, rep, prospect["id"])
        signed_in(client, runtime, "compliance")
        response = client.get(f"/console/requests/{prospect['id']}/export")
        assert response.status_code == 200
        assert response.headers["content-disposition"].startswith("attachment;")
        data = json.loads(response.text)
        assert data["prospect"]["email"] == "anna@example.com"
        assert len(data["messages"]) == 1
        audit = client.get("/api/audit?action=prospect.export", headers=auth(ADMIN_KEY)).json()
        assert len(audit["items"]) == 1

    def test_an_unknown_prospect_is_a_404_page(self, client: TestClient, runtime: Runtime) -> None:
        signed_in(client, runtime, "compliance")
        assert client.get("/console/requests/999/export").status_code == 404
        assert client.get("/console/requests/999/erase").status_code == 404


class TestErasure:
    def test_the_confirmation_page_asks_for_the_email_and_erases_nothing(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        signed_in(client, runtime, "compliance")
        page = client.get(f"/console/requests/{prospect['id']}/erase")
        assert page.status_code == 200
        assert "Type the person's email address to confirm" in page.text
        assert exists(client, prospect["id"])

    @pytest.mark.parametrize("typed", ["", "anna@example.org", "bob@example.com"])
    def test_a_typed_email_that_does_not_match_erases_nothing(
        self, client: TestClient, runtime: Runtime, typed: str
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        signed_in(client, runtime, "compliance")
        page = client.get(f"/console/requests/{prospect['id']}/erase").text
        response = client.post(
            f"/console/requests/{prospect['id']}/erase",
            data={"email": typed, "csrf_token": csrf_of(page)},
        )
        assert response.status_code == 422
        assert 'href="#email"' in response.text
        assert exists(client, prospect["id"])

    def test_the_matching_email_erases_the_record_and_its_events(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        message = send_message(client, rep, prospect["id"])
        client.get(path_of(message["pixel_url"]))
        signed_in(client, runtime, "compliance")
        page = client.get(f"/console/requests/{prospect['id']}/erase").text
        response = client.post(
            f"/console/requests/{prospect['id']}/erase",
            data={"email": " ANNA@example.com", "csrf_token": csrf_of(page)},
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/console/requests"
        after = client.get("/console/requests").text
        assert "Erased 1 record of this person" in after
        assert "anna@example.com" not in after
        assert not exists(client, prospect["id"])
        audit = client.get("/api/audit?action=prospect.erase", headers=auth(ADMIN_KEY)).json()
        assert len(audit["items"]) == 1

    def test_without_the_csrf_token_nothing_is_erased(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        signed_in(client, runtime, "compliance")
        response = client.post(
            f"/console/requests/{prospect['id']}/erase", data={"email": prospect["email"]}
        )
        assert response.status_code == 403
        assert exists(client, prospect["id"])


class TestHostileText:
    def test_prospect_fields_render_as_text(self, client: TestClient, runtime: Runtime) -> None:
        hostile = '"><script>alert(1)</script>'
        rep = make_user(client)
        prospect = make_prospect(client, rep, name=hostile, company=hostile)
        token = signed_in(client, runtime, "compliance")
        for page in (
            find(client, token, "anna@example.com"),
            client.get(f"/console/requests/{prospect['id']}/erase").text,
        ):
            assert hostile not in page
            assert "&lt;script&gt;" in page


class TestEveryRecordOfThePerson:
    def test_erasing_through_one_record_erases_every_owners_record(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        one, two = make_user(client, name="Rhea"), make_user(client, name="Rob")
        first = make_prospect(client, one, email="anna@example.com")
        second = make_prospect(client, two, email="Anna@Example.com")
        signed_in(client, runtime, "compliance")
        page = client.get(f"/console/requests/{first['id']}/erase").text
        assert "2 records of this person will be erased" in page and "Rob" in page
        response = client.post(
            f"/console/requests/{first['id']}/erase",
            data={"email": "anna@example.com", "csrf_token": csrf_of(page)},
        )
        assert response.status_code == 303
        assert not exists(client, first["id"]) and not exists(client, second["id"])
        token = csrf_of(client.get("/console/requests").text)
        found = find(client, token, "anna@example.com")
        assert "on the suppression list" in found and "erased" in found


class TestSuppressionList:
    def test_an_officer_adds_an_address_sees_no_address_and_removes_it_after_confirming(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep, email="zed@example.com")
        token = signed_in(client, runtime, "compliance")
        added = client.post(
            "/console/requests/suppressions",
            data={"email": "Zed@Example.com", "csrf_token": token},
        )
        assert added.status_code == 303
        listing = client.get("/console/requests").text
        assert "Added suppression #" in listing and "added by compliance" in listing
        assert "zed@example.com" not in listing.lower()
        opted = client.get(f"/api/prospects/{prospect['id']}", headers=rep.headers).json()
        assert opted["opted_out"] is True
        [row] = client.get("/api/suppressions", headers=auth(ADMIN_KEY)).json()
        confirm = client.get(f"/console/requests/suppressions/{row['id']}/remove")
        assert confirm.status_code == 200 and "tracked again" in confirm.text
        removed = client.post(
            f"/console/requests/suppressions/{row['id']}/remove",
            data={"csrf_token": csrf_of(confirm.text)},
        )
        assert removed.status_code == 303
        assert client.get("/api/suppressions", headers=auth(ADMIN_KEY)).json() == []
        assert (
            client.get(f"/api/prospects/{prospect['id']}", headers=rep.headers).json()["opted_out"]
            is False
        )

    def test_a_bad_address_is_named_beside_the_field_and_adds_nothing(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        token = signed_in(client, runtime, "compliance")
        response = client.post(
            "/console/requests/suppressions", data={"email": "not-an-email", "csrf_token": token}
        )
        assert response.status_code == 422 and 'href="#suppress_email"' in response.text
        assert client.get("/api/suppressions", headers=auth(ADMIN_KEY)).json() == []

    def test_removing_needs_the_csrf_token(self, client: TestClient, runtime: Runtime) -> None:
        officer = make_user(client, "compliance")
        client.post("/api/suppressions", json={"email": "zed@example.com"}, headers=officer.headers)
        [row] = client.get("/api/suppressions", headers=officer.headers).json()
        signed_in(client, runtime, "compliance")
        response = client.post(f"/console/requests/suppressions/{row['id']}/remove")
        assert response.status_code == 403
        assert len(client.get("/api/suppressions", headers=officer.headers).json()) == 1
