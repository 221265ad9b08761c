"""Managing prospects through the real app: correct, reassign, find, page, import."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from service.models import Event, utcnow
from service.runtime import Runtime
from tests.conftest import ADMIN_KEY
from tests.factories import (
    BROWSER_UA,
    age_events,
    auth,
    make_prospect,
    make_user,
    path_of,
    send_message,
)

CSV = (
    "email,name,company,industry,region\n"
    "anna@example.com,Anna,Acme,Finance,EU\n"
    "bad-email,Bob,,,\n"
    "anna@example.com,Twice,,,\n"
    "carl@example.com,Carl,Cee,,\n"
)


def post_csv(client: TestClient, text: str, headers: dict[str, str], query: str = ""):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/prospects/import{query}",
        content=text.encode(),
        headers={**headers, "Content-Type": "text/csv; charset=utf-8"},
    )


class TestCorrectingAProspect:
    def test_the_owner_corrects_the_fields_that_drive_segment_rules(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep, company="Acme", region="eu")
        response = client.patch(
            f"/api/prospects/{prospect['id']}",
            json={"industry": "Healthcare", "company": None},
            headers=rep.headers,
        )
        assert response.status_code == 200
        body = response.json()
        assert (body["industry"], body["company"], body["region"]) == ("healthcare", None, "eu")
        again = client.get(f"/api/prospects/{prospect['id']}", headers=rep.headers).json()
        assert again["industry"] == "healthcare"

    def test_a_manager_corrects_a_prospect_of_one_of_their_reps(self, client: TestClient) -> None:
        boss = make_user(client, "manager")
        rep = make_user(client, manager=boss)
        prospect = make_prospect(client, rep)
        response = client.patch(
            f"/api/prospects/{prospect['id']}", json={"region": "US"}, headers=boss.headers
        )
        assert response.status_code == 200
        assert (response.json()["region"], response.json()["owner_id"]) == ("us", rep.id)

    def test_another_reps_prospect_is_a_404_and_unchanged(self, client: TestClient) -> None:
        rep, other = make_user(client), make_user(client)
        theirs = make_prospect(client, other, name="Anna")
        response = client.patch(
            f"/api/prospects/{theirs['id']}", json={"name": "X"}, headers=rep.headers
        )
        assert response.status_code == 404
        assert response.json() == {"detail": "No such prospect."}
        assert (
            client.get(f"/api/prospects/{theirs['id']}", headers=other.headers).json()["name"]
            == "Anna"
        )

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"email": "x@y.co"}, "email"),
            ({"name": "x" * 201}, "name"),
            ({"owner_id": 0}, "owner_id"),
            ({"owner_id": None}, "owner_id"),
        ],
    )
    def test_bad_fields_are_a_422_naming_the_field(
        self, client: TestClient, body: dict[str, object], field: str
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        response = client.patch(f"/api/prospects/{prospect['id']}", json=body, headers=rep.headers)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", field]

    def test_a_rep_cannot_hand_a_prospect_away(self, client: TestClient) -> None:
        rep, other = make_user(client), make_user(client)
        prospect = make_prospect(client, rep)
        response = client.patch(
            f"/api/prospects/{prospect['id']}", json={"owner_id": other.id}, headers=rep.headers
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "owner_id"]

    def test_a_manager_moves_a_prospect_within_their_team_and_it_is_audited(
        self, client: TestClient
    ) -> None:
        boss = make_user(client, "manager")
        one, two = make_user(client, manager=boss), make_user(client, manager=boss)
        stranger = make_user(client)
        prospect = make_prospect(client, one)
        path = f"/api/prospects/{prospect['id']}"
        moved = client.patch(path, json={"owner_id": two.id}, headers=boss.headers)
        assert moved.status_code == 200 and moved.json()["owner_id"] == two.id
        assert client.get(path, headers=one.headers).status_code == 404
        assert client.get(path, headers=two.headers).status_code == 200
        outside = client.patch(path, json={"owner_id": stranger.id}, headers=boss.headers)
        assert outside.status_code == 422
        officer = make_user(client, "compliance")
        entries = client.get(
            "/api/audit?action=prospect.owner_changed", headers=officer.headers
        ).json()["items"]
        assert len(entries) == 1 and entries[0]["prospect_id"] == prospect["id"]

    def test_an_admin_reassigns_to_any_rep_but_not_to_compliance(self, client: TestClient) -> None:
        rep, other = make_user(client), make_user(client)
        officer = make_user(client, "compliance")
        prospect = make_prospect(client, rep)
        path = f"/api/prospects/{prospect['id']}"
        admin = auth(ADMIN_KEY)
        assert client.patch(path, json={"owner_id": officer.id}, headers=admin).status_code == 422
        assert client.patch(path, json={"owner_id": 999999}, headers=admin).status_code == 422
        response = client.patch(path, json={"owner_id": other.id}, headers=admin)
        assert response.status_code == 200 and response.json()["owner_id"] == other.id

    def test_a_leavers_prospects_move_to_an_active_rep_never_to_a_deactivated_one(
        self, client: TestClient
    ) -> None:
        leaver, stayer, gone = make_user(client), make_user(client), make_user(client)
        prospect = make_prospect(client, leaver)
        admin = auth(ADMIN_KEY)
        for person in (leaver, gone):
            assert client.delete(f"/api/users/{person.id}", headers=admin).status_code < 300
        path = f"/api/prospects/{prospect['id']}"
        refused = client.patch(path, json={"owner_id": gone.id}, headers=admin)
        assert refused.status_code == 422
        assert "deactivated" in refused.json()["detail"][0]["msg"]
        moved = client.patch(path, json={"owner_id": stayer.id}, headers=admin)
        assert moved.status_code == 200 and moved.json()["owner_id"] == stayer.id

    def test_reassigning_to_someone_who_has_the_email_already_is_a_422(
        self, client: TestClient
    ) -> None:
        boss = make_user(client, "manager")
        rep = make_user(client, manager=boss)
        mine = make_prospect(client, boss)
        make_prospect(client, rep)
        response = client.patch(
            f"/api/prospects/{mine['id']}", json={"owner_id": rep.id}, headers=boss.headers
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "owner_id"]

    def test_compliance_edits_nothing(self, client: TestClient) -> None:
        rep, officer = make_user(client), make_user(client, "compliance")
        prospect = make_prospect(client, rep)
        response = client.patch(
            f"/api/prospects/{prospect['id']}", json={"name": "X"}, headers=officer.headers
        )
        assert response.status_code == 403

    def test_without_a_key_it_is_a_401(self, client: TestClient) -> None:
        assert client.patch("/api/prospects/1", json={"name": "X"}).status_code == 401


class TestFindingAndPaging:
    def test_q_searches_and_the_total_and_next_link_are_headers(self, client: TestClient) -> None:
        rep = make_user(client)
        for index in range(3):
            make_prospect(client, rep, email=f"frank{index}@example.com", name=f"Frank {index}")
        make_prospect(client, rep, email="zoe@example.com", name="Zoe")
        response = client.get("/api/prospects?q=FRANK&limit=2", headers=rep.headers)
        assert response.status_code == 200
        assert [p["email"] for p in response.json()] == ["frank0@example.com", "frank1@example.com"]
        assert response.headers["X-Total-Count"] == "3"
        assert response.headers["Link"].endswith('; rel="next"')
        following = response.headers["Link"][1:].split(">", 1)[0]
        assert "offset=2" in following and "q=FRANK" in following
        parts = urlsplit(following)
        last = client.get(f"{parts.path}?{parts.query}", headers=rep.headers)
        assert [p["email"] for p in last.json()] == ["frank2@example.com"]
        assert "Link" not in last.headers

    def test_order_by_name_puts_blanks_last(self, client: TestClient) -> None:
        rep = make_user(client)
        make_prospect(client, rep, email="b@example.com", name="bea")
        make_prospect(client, rep, email="n@example.com", name=None)
        make_prospect(client, rep, email="a@example.com", name="Al")
        listed = client.get("/api/prospects?order=name", headers=rep.headers).json()
        assert [p["email"] for p in listed] == ["a@example.com", "b@example.com", "n@example.com"]

    def test_an_unknown_order_is_a_422_naming_it(self, client: TestClient) -> None:
        rep = make_user(client)
        response = client.get("/api/prospects?order=opens", headers=rep.headers)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["query", "order"]

    def test_compliance_may_not_order_by_engagement(self, client: TestClient) -> None:
        officer = make_user(client, "compliance")
        response = client.get("/api/prospects?order=last_engagement", headers=officer.headers)
        assert response.status_code == 403

    @pytest.mark.parametrize("role", ["compliance", "admin"])
    def test_compliance_and_admin_list_every_record_without_engagement(
        self, client: TestClient, role: str
    ) -> None:
        one, two = make_user(client), make_user(client)
        sent = make_prospect(client, one)
        make_prospect(client, two, email="b@example.com")
        send_message(client, one, sent["id"], sent_at="2026-01-01T10:00:00Z")
        reader = auth(ADMIN_KEY) if role == "admin" else make_user(client, role).headers
        response = client.get("/api/prospects", headers=reader)
        assert response.status_code == 200 and response.headers["X-Total-Count"] == "2"
        assert [p["last_activity"] for p in response.json()] == [None, None]
        mine = client.get("/api/prospects", headers=one.headers).json()
        assert mine[0]["last_activity"]["kind"] == "email_sent"

    def test_without_a_key_listing_is_a_401(self, client: TestClient) -> None:
        assert client.get("/api/prospects?q=a").status_code == 401


class TestImportingOverHttp:
    def test_a_csv_import_reports_created_and_refused_rows_with_lines(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        response = post_csv(client, CSV, rep.headers)
        assert response.status_code == 200, response.text
        report = response.json()
        assert (report["created"], report["updated"], report["rows"]) == (2, 0, 4)
        assert [(r["line"], r["field"]) for r in report["refused"]] == [(3, "email"), (4, "email")]
        assert "duplicate of line 2" in report["refused"][1]["reason"]
        listed = client.get("/api/prospects", headers=rep.headers)
        assert listed.headers["X-Total-Count"] == "2"

    def test_importing_again_updates_and_never_duplicates(self, client: TestClient) -> None:
        rep = make_user(client)
        post_csv(client, CSV, rep.headers)
        report = post_csv(
            client, "email,region\nanna@example.com,US\ncarl@example.com,\n", rep.headers
        ).json()
        assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 1)
        listed = client.get("/api/prospects", headers=rep.headers).json()
        assert [(p["email"], p["region"]) for p in listed] == [
            ("anna@example.com", "us"),
            ("carl@example.com", None),
        ]

    def test_a_json_array_imports_through_both_routes(self, client: TestClient) -> None:
        rep = make_user(client)
        rows = [{"email": "a@example.com", "name": "A"}, {"email": "nope"}]
        one = client.post("/api/prospects/import", json=rows, headers=rep.headers)
        two = client.post("/api/prospects", json=[{"email": "b@example.com"}], headers=rep.headers)
        assert one.status_code == two.status_code == 200
        assert one.json()["created"] == 1 and one.json()["refused"][0]["line"] == 2
        assert two.json()["created"] == 1

    def test_a_manager_imports_for_one_of_their_reps(self, client: TestClient) -> None:
        boss = make_user(client, "manager")
        rep = make_user(client, manager=boss)
        report = post_csv(client, CSV, boss.headers, f"?owner_id={rep.id}").json()
        assert report["owner_id"] == rep.id and report["created"] == 2
        assert client.get("/api/prospects", headers=rep.headers).headers["X-Total-Count"] == "2"

    @pytest.mark.parametrize("owner", ["999999", "OTHER"])
    def test_an_unknown_or_foreign_owner_is_a_422_and_imports_nothing(
        self, client: TestClient, owner: str
    ) -> None:
        rep, other = make_user(client), make_user(client)
        owner_id = str(other.id) if owner == "OTHER" else owner
        for response in (
            post_csv(client, CSV, rep.headers, f"?owner_id={owner_id}"),
            client.post(
                f"/api/prospects?owner_id={owner_id}",
                json=[{"email": "a@b.co"}],
                headers=rep.headers,
            ),
        ):
            assert response.status_code == 422
            assert response.json()["detail"][0]["loc"] == ["query", "owner_id"]
        assert client.get("/api/prospects", headers=other.headers).json() == []

    @pytest.mark.parametrize(
        ("content", "media", "loc"),
        [
            (b"name,phone\nAnna,1\n", "text/csv", ["body", "header"]),
            (b"", "text/csv", ["body"]),
            (b"\xff\xfe not utf-8", "text/csv", ["body"]),
            (json.dumps({"email": "a@b.co"}).encode(), "application/json", ["body"]),
            (b"[{", "application/json", ["body"]),
        ],
    )
    def test_a_malformed_request_is_a_422_and_imports_nothing(
        self, client: TestClient, content: bytes, media: str, loc: list[str]
    ) -> None:
        rep = make_user(client)
        response = client.post(
            "/api/prospects/import", content=content, headers={**rep.headers, "Content-Type": media}
        )
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["loc"] == loc
        assert client.get("/api/prospects", headers=rep.headers).json() == []

    @pytest.mark.parametrize(
        ("path", "content", "media", "says"),
        [
            ("/api/prospects", b"[]", "application/json", "The array is empty"),
            ("/api/prospects/import", b"[]", "application/json", "The array is empty"),
            ("/api/prospects/import", b"email,name\n\n", "text/csv", "header but no rows"),
        ],
    )
    def test_nothing_to_import_is_a_422_naming_the_body_with_a_sentence(
        self, client: TestClient, path: str, content: bytes, media: str, says: str
    ) -> None:
        rep = make_user(client)
        response = client.post(
            path, content=content, headers={**rep.headers, "Content-Type": media}
        )
        assert response.status_code == 422, response.text
        [error] = response.json()["detail"]
        assert error["loc"] == ["body"]
        assert says in error["msg"] and error["msg"].endswith(".")

    def test_the_documented_arrays_need_at_least_one_item(self, client: TestClient) -> None:
        paths = client.get("/openapi.json").json()["paths"]
        one_or_many = paths["/api/prospects"]["post"]["requestBody"]["content"]
        imported = paths["/api/prospects/import"]["post"]["requestBody"]["content"]
        arrays = [
            *one_or_many["application/json"]["schema"]["oneOf"][1:],
            imported["application/json"]["schema"],
        ]
        assert [(array["type"], array["minItems"]) for array in arrays] == [("array", 1)] * 2

    def test_another_media_type_is_a_415(self, client: TestClient) -> None:
        rep = make_user(client)
        response = client.post(
            "/api/prospects/import",
            content=b"<x/>",
            headers={**rep.headers, "Content-Type": "application/xml"},
        )
        assert response.status_code == 415

    def test_only_reps_and_managers_import(self, client: TestClient) -> None:
        officer = make_user(client, "compliance")
        assert post_csv(client, CSV, officer.headers).status_code == 403
        assert post_csv(client, CSV, auth(ADMIN_KEY)).status_code == 403
        assert post_csv(client, CSV, {}).status_code == 401

    def test_a_single_object_still_creates_one_prospect_with_the_old_errors(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        response = client.post("/api/prospects", json={"email": "x"}, headers=rep.headers)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "email"]
        created = client.post(
            "/api/prospects", json={"email": "x@example.com"}, headers=rep.headers
        )
        assert created.status_code == 201 and created.json()["email"] == "x@example.com"

    def test_the_import_is_in_the_audit_log(self, client: TestClient) -> None:
        rep, officer = make_user(client), make_user(client, "compliance")
        post_csv(client, CSV, rep.headers)
        entries = client.get("/api/audit?action=prospects.imported", headers=officer.headers).json()
        assert entries["items"][0]["actor_id"] == rep.id


class TestBadgesFollowTheViewersRule:
    def test_a_rep_and_their_manager_see_the_badge_their_own_rule_allows(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        boss = make_user(client, "manager")
        rep = make_user(client, manager=boss)
        bank = make_prospect(client, rep, email="cfo@bank.example", industry="finance")
        message = send_message(client, rep, bank["id"], sent_at="2026-01-01T10:00:00Z")
        click = client.get(
            path_of(message["links"][0]["tracked_url"]), headers={"User-Agent": BROWSER_UA}
        )
        assert click.status_code == 302
        age_events(runtime, 24 * 8)  # the click is now beyond both rules' delays
        with Session(runtime.engine) as session:  # a later visit, 3 days ago
            session.add(
                Event(
                    kind="visit",
                    prospect_id=bank["id"],
                    url="https://example.com/blog/post",
                    occurred_at=utcnow() - timedelta(days=3),
                    evidence="human",
                )
            )
            session.commit()
        as_rep = client.get("/api/prospects", headers=rep.headers).json()[0]["last_activity"]
        as_boss = client.get("/api/prospects", headers=boss.headers).json()[0]["last_activity"]
        rep_timeline = client.get(f"/api/prospects/{bank['id']}/timeline", headers=rep.headers)
        boss_timeline = client.get(f"/api/prospects/{bank['id']}/timeline", headers=boss.headers)
        assert as_rep["kind"] != "page_visited"  # hidden from reps in finance
        shown = {key: value for key, value in as_rep.items() if value is not None}
        assert any(shown.items() <= fact.items() for fact in rep_timeline.json()["facts"])
        assert as_boss["kind"] == "page_visited" and len(as_boss["when"]) == 10  # a day
        assert any(fact["kind"] == "page_visited" for fact in boss_timeline.json()["facts"])
