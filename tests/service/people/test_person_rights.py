"""One person, one set of rights: every rule across every owner's record of an address."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from pixel.gif import TRANSPARENT_GIF
from service.models import AuditEntry, Person, Suppression, utcnow
from service.runtime import Runtime
from tests.conftest import ADMIN_KEY
from tests.factories import (
    BROWSER_UA,
    age_events,
    auth,
    make_prospect,
    make_user,
    page_of,
    path_of,
    send_message,
    stored_events,
)
from tests.factories import Person as User

HEADERS = {"User-Agent": BROWSER_UA, "X-Forwarded-For": "203.0.113.5"}
BEN = "ben@globex.com"


@pytest.fixture
def two_reps(client: TestClient) -> dict[str, Any]:
    """Rob and Rita each hold a record of Ben (typed differently) and mailed him."""
    rob, rita = make_user(client, name="Rob"), make_user(client, name="Rita")
    robs = make_prospect(client, rob, email=BEN, name="Ben")
    ritas = make_prospect(client, rita, email="  Ben@Globex.COM", name="Ben O.")
    return {
        "rob": rob,
        "rita": rita,
        "robs": robs,
        "ritas": ritas,
        "rob_mail": send_message(client, rob, robs["id"]),
        "rita_mail": send_message(client, rita, ritas["id"]),
    }


def prospect(client: TestClient, user: User, prospect_id: int) -> dict[str, Any]:
    response = client.get(f"/api/prospects/{prospect_id}", headers=user.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def officer(client: TestClient) -> User:
    return make_user(client, "compliance")


class TestOnePersonBehindEveryRecord:
    def test_records_of_one_address_however_typed_are_one_person(
        self, runtime: Runtime, two_reps: dict[str, Any]
    ) -> None:
        with Session(runtime.engine) as session:
            assert len(session.exec(select(Person)).all()) == 1

    def test_the_person_row_holds_no_readable_address(
        self, runtime: Runtime, two_reps: dict[str, Any]
    ) -> None:
        with Session(runtime.engine) as session:
            [person] = session.exec(select(Person)).all()
        assert "globex" not in person.address_hash and len(person.address_hash) == 64


class TestOptOutThroughAnyRecord:
    def test_opting_out_on_robs_page_stops_ritas_tracking_too(
        self, client: TestClient, runtime: Runtime, two_reps: dict[str, Any]
    ) -> None:
        # Rita's pixel is cached before the opt-out: the cache must forget it.
        client.get(path_of(two_reps["rita_mail"]["pixel_url"]), headers=HEADERS)
        opens = len(stored_events(runtime, "open"))
        assert client.post(page_of(two_reps["rob_mail"]) + "/opt-out").status_code == 303
        assert prospect(client, two_reps["rita"], two_reps["ritas"]["id"])["opted_out"] is True
        assert prospect(client, two_reps["rob"], two_reps["robs"]["id"])["opted_out"] is True
        pixel = client.get(
            path_of(two_reps["rita_mail"]["pixel_url"]),
            headers={**HEADERS, "X-Forwarded-For": "198.51.100.7"},
        )
        assert pixel.content == TRANSPARENT_GIF
        click = client.get(
            path_of(two_reps["rita_mail"]["links"][0]["tracked_url"]), headers=HEADERS
        )
        assert click.status_code == 302 and "cnd_vid" not in click.headers["location"]
        assert len(stored_events(runtime, "open")) == opens
        assert stored_events(runtime, "click") == []

    def test_the_opt_out_is_audited_without_the_address(
        self, client: TestClient, runtime: Runtime, two_reps: dict[str, Any]
    ) -> None:
        client.post(page_of(two_reps["rob_mail"]) + "/opt-out")
        with Session(runtime.engine) as session:
            [entry] = session.exec(
                select(AuditEntry).where(AuditEntry.action == "person.opted_out")
            ).all()
        assert entry.prospect_id == two_reps["robs"]["id"] and "globex" not in entry.detail

    def test_a_privacy_signal_through_one_record_marks_the_person(
        self, client: TestClient, two_reps: dict[str, Any]
    ) -> None:
        client.get(path_of(two_reps["rob_mail"]["pixel_url"]), headers={**HEADERS, "Sec-GPC": "1"})
        data = client.get(page_of(two_reps["rita_mail"]) + ".json").json()
        assert data["tracking_refused"] is True and data["opted_out"] is False


class TestARefusalIsShownToTheRep:
    def test_a_browsers_refusal_through_one_record_is_an_undated_status_on_every_record(
        self, client: TestClient, two_reps: dict[str, Any]
    ) -> None:
        before = prospect(client, two_reps["rita"], two_reps["ritas"]["id"])
        assert (before["tracking"], before["tracking_note"]) == ("tracked", None)
        client.get(path_of(two_reps["rob_mail"]["pixel_url"]), headers={**HEADERS, "Sec-GPC": "1"})
        today = utcnow().date()
        for rep, record in (("rita", "ritas"), ("rob", "robs")):
            read = prospect(client, two_reps[rep], two_reps[record]["id"])
            assert read["tracking"] == "refused" and read["opted_out"] is False
            note = read["tracking_note"]
            assert "browser refuses tracking" in note
            # no date: the refusal came with a hit, whose day the policy may hold back
            assert str(today.year) not in note and not re.search(r"\d\d:\d\d", note)
        listed = client.get("/api/prospects", headers=two_reps["rita"].headers).json()
        assert [row["tracking"] for row in listed] == ["refused"]

    def test_an_opt_out_after_a_refusal_reads_suppressed(
        self, client: TestClient, two_reps: dict[str, Any]
    ) -> None:
        client.get(path_of(two_reps["rob_mail"]["pixel_url"]), headers={**HEADERS, "DNT": "1"})
        opted = client.post(page_of(two_reps["rob_mail"]) + "/opt-out", follow_redirects=False)
        assert opted.status_code == 303
        read = prospect(client, two_reps["rita"], two_reps["ritas"]["id"])
        assert read["tracking"] == "suppressed" and read["opted_out"] is True


class TestTheSuppressionListOutlivesErasure:
    def test_a_record_added_after_erasure_says_it_is_not_tracked_and_why(
        self, client: TestClient, two_reps: dict[str, Any]
    ) -> None:
        cora = officer(client)
        erased = client.delete(f"/api/prospects/{two_reps['robs']['id']}", headers=cora.headers)
        assert erased.status_code == 204
        # Both owners' records went: the request was about the person.
        gone = client.get(f"/api/prospects/{two_reps['ritas']['id']}", headers=cora.headers)
        assert gone.status_code == 404
        again = make_prospect(client, two_reps["rita"], email=BEN)
        assert again["opted_out"] is True and again["tracking"] == "suppressed"
        assert "erased" in again["tracking_note"]

    def test_a_message_to_a_suppressed_person_keeps_its_footer_and_tracks_nothing(
        self, client: TestClient, runtime: Runtime, two_reps: dict[str, Any]
    ) -> None:
        client.post(page_of(two_reps["rita_mail"]) + "/opt-out")
        message = send_message(client, two_reps["rob"], two_reps["robs"]["id"])
        assert message["tracked"] is False and "opted out" in message["untracked_reason"]
        assert message["pixel_url"] is None and message["links"] == []
        assert "collector.test/c/" not in message["html"] and "/o/" not in message["html"]
        assert "collector.test/p/" in message["html"]  # the page where they can opt back in
        assert "https://example.com/pricing?plan=team&amp;seats=5" in message["html"]
        sent = [e for e in stored_events(runtime, "email_sent") if e.message_id == message["id"]]
        assert len(sent) == 1 and sent[0].evidence == "sent"

    def test_a_plain_text_message_to_a_suppressed_person_keeps_its_footer(
        self, client: TestClient, two_reps: dict[str, Any]
    ) -> None:
        client.post(page_of(two_reps["rita_mail"]) + "/opt-out")
        message = send_message(
            client,
            two_reps["rob"],
            two_reps["robs"]["id"],
            html=None,
            text="See https://a.example/x",
        )
        assert message["tracked"] is False
        assert "https://a.example/x" in message["text"] and "collector.test/p/" in message["text"]
        assert "collector.test/c/" not in message["text"]

    def test_an_import_keeps_suppressed_rows_and_lists_them_with_their_line(
        self, client: TestClient, two_reps: dict[str, Any]
    ) -> None:
        client.post(page_of(two_reps["rob_mail"]) + "/opt-out")
        rep = make_user(client)
        csv = f"email,name\nnew@example.com,New\n{BEN.upper()},Ben\n"
        response = client.post(
            "/api/prospects/import",
            content=csv,
            headers={**rep.headers, "Content-Type": "text/csv"},
        )
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["created"] == 2
        assert [(row["line"], row["email"]) for row in report["suppressed"]] == [(3, BEN)]
        assert "opted out" in report["suppressed"][0]["reason"]


class TestOptingBackIn:
    def test_resume_tracking_on_the_page_removes_the_suppression(
        self, client: TestClient, runtime: Runtime, two_reps: dict[str, Any]
    ) -> None:
        page = page_of(two_reps["rob_mail"])
        client.post(page + "/opt-out")
        assert "Resume tracking" in client.get(page).text
        response = client.post(page + "/opt-in")
        assert response.status_code == 303
        assert response.headers["location"] == page + "?done=resumed"
        assert "Tracking resumed." in client.get(response.headers["location"]).text
        assert prospect(client, two_reps["rita"], two_reps["ritas"]["id"])["opted_out"] is False
        client.get(path_of(two_reps["rita_mail"]["pixel_url"]), headers=HEADERS)
        assert len(stored_events(runtime, "open")) == 1
        with Session(runtime.engine) as session:
            assert session.exec(select(Suppression)).all() == []
            actions = [entry.action for entry in session.exec(select(AuditEntry))]
        assert "person.opted_in" in actions

    def test_a_bad_token_cannot_opt_in(self, client: TestClient) -> None:
        assert client.post("/p/not-a-token/opt-in").status_code == 404

    def test_only_the_browser_that_opted_out_may_resume_not_the_sender_holding_the_link(
        self, client: TestClient, runtime: Runtime, two_reps: dict[str, Any]
    ) -> None:
        robs, ritas = page_of(two_reps["rob_mail"]), page_of(two_reps["rita_mail"])
        client.post(robs + "/opt-out")  # the person, in their browser
        proof = client.cookies.get("candor_resume")
        assert proof
        persons_browser = list(client.cookies.jar)
        client.cookies.clear()  # the rep, or anyone the email was forwarded to
        shown = client.get(robs).text
        assert "/opt-in" not in shown and "only from the browser you opted out in" in shown
        refused = client.post(robs + "/opt-in")
        assert refused.status_code == 403 and "Nothing was changed" in refused.text
        client.cookies.set("candor_resume", "forged" + proof[6:], path="/p/")
        assert client.post(robs + "/opt-in").status_code == 403
        assert prospect(client, two_reps["rob"], two_reps["robs"]["id"])["opted_out"] is True
        client.cookies.clear()
        for cookie in persons_browser:  # the person again
            client.cookies.jar.set_cookie(cookie)
        assert client.post(ritas + "/opt-in").status_code == 303  # through any of their records
        assert prospect(client, two_reps["rob"], two_reps["robs"]["id"])["opted_out"] is False
        assert "candor_resume" not in client.cookies  # used once

    def test_an_address_compliance_added_stays_suppressed_whatever_the_page_is_sent(
        self, client: TestClient, runtime: Runtime, two_reps: dict[str, Any]
    ) -> None:
        client.post("/api/suppressions", json={"email": BEN}, headers=officer(client).headers)
        page = page_of(two_reps["rob_mail"])
        shown = client.get(page).text
        assert "Resume tracking" not in shown and "/opt-in" not in shown
        assert "only they can take it off" in shown
        assert client.post(page + "/opt-in").status_code == 403  # a forged post changes nothing
        assert prospect(client, two_reps["rita"], two_reps["ritas"]["id"])["opted_out"] is True
        client.get(path_of(two_reps["rita_mail"]["pixel_url"]), headers=HEADERS)
        assert stored_events(runtime, "open") == []

    def test_compliance_adding_an_opted_out_address_makes_the_suppression_theirs(
        self, client: TestClient, runtime: Runtime, two_reps: dict[str, Any]
    ) -> None:
        page = page_of(two_reps["rob_mail"])
        client.post(page + "/opt-out")
        again = client.post(
            "/api/suppressions", json={"email": BEN}, headers=officer(client).headers
        )
        assert again.status_code == 200 and again.json()["reason"] == "added"
        client.post(page + "/opt-in")
        assert prospect(client, two_reps["rob"], two_reps["robs"]["id"])["opted_out"] is True
        with Session(runtime.engine) as session:
            [taken_over] = [
                entry
                for entry in session.exec(select(AuditEntry))
                if entry.action == "suppression.add"
            ]
        assert json.loads(taken_over.detail)["was"] == "opted_out"


class TestTheSuppressionApi:
    def test_compliance_adds_lists_and_removes_without_ever_seeing_an_address(
        self, client: TestClient, runtime: Runtime, two_reps: dict[str, Any]
    ) -> None:
        cora = officer(client)
        added = client.post("/api/suppressions", json={"email": BEN}, headers=cora.headers)
        assert added.status_code == 201, added.text
        body = added.json()
        assert body["reason"] == "added" and body["matches_person"] is True
        assert (
            client.post(
                "/api/suppressions", json={"email": " BEN@globex.com"}, headers=cora.headers
            ).status_code
            == 200
        )
        assert prospect(client, two_reps["rita"], two_reps["ritas"]["id"])["opted_out"] is True
        listed = client.get("/api/suppressions", headers=cora.headers)
        assert listed.headers["X-Total-Count"] == "1"
        assert [row["id"] for row in listed.json()] == [body["id"]]
        removed = client.delete(f"/api/suppressions/{body['id']}", headers=cora.headers)
        assert removed.status_code == 204
        assert (
            client.delete(f"/api/suppressions/{body['id']}", headers=cora.headers).status_code
            == 404
        )
        assert prospect(client, two_reps["rita"], two_reps["ritas"]["id"])["opted_out"] is False
        for answer in (added, listed):
            assert "globex" not in answer.text
        with Session(runtime.engine) as session:
            details = [
                (entry.action, entry.detail)
                for entry in session.exec(select(AuditEntry))
                if entry.action.startswith("suppression.")
            ]
        assert [action for action, _ in details] == ["suppression.add", "suppression.remove"]
        assert all("globex" not in detail for _, detail in details)

    def test_the_list_pages_like_the_other_lists(self, client: TestClient) -> None:
        cora = officer(client)
        for number in range(3):
            client.post(
                "/api/suppressions", json={"email": f"p{number}@example.com"}, headers=cora.headers
            )
        first = client.get("/api/suppressions?limit=2", headers=cora.headers)
        assert first.headers["X-Total-Count"] == "3" and len(first.json()) == 2
        assert 'rel="next"' in first.headers["Link"] and "offset=2" in first.headers["Link"]

    @pytest.mark.parametrize("email", ["", "not-an-email", "a@b"])
    def test_a_bad_email_is_a_422_naming_the_field(self, client: TestClient, email: str) -> None:
        cora = officer(client)
        for path in ("/api/suppressions", "/api/people/export", "/api/people/erase"):
            response = client.post(path, json={"email": email}, headers=cora.headers)
            assert response.status_code == 422, (path, response.text)
            assert response.json()["detail"][0]["loc"] == ["body", "email"]

    def test_reps_may_not_touch_the_list(self, client: TestClient) -> None:
        rep = make_user(client)
        assert client.get("/api/suppressions", headers=rep.headers).status_code == 403
        assert (
            client.post("/api/suppressions", json={"email": BEN}, headers=rep.headers).status_code
            == 403
        )
        assert client.get("/api/suppressions", headers=auth(ADMIN_KEY)).status_code == 200


class TestPersonLevelRequests:
    def test_the_export_covers_every_record_and_keeps_the_old_keys(
        self, client: TestClient, two_reps: dict[str, Any]
    ) -> None:
        client.get(path_of(two_reps["rita_mail"]["pixel_url"]), headers=HEADERS)
        cora = officer(client)
        by_record = client.get(
            f"/api/prospects/{two_reps['robs']['id']}/export", headers=cora.headers
        ).json()
        assert by_record["prospect"]["id"] == two_reps["robs"]["id"]
        assert sorted(p["id"] for p in by_record["prospects"]) == sorted(
            [two_reps["robs"]["id"], two_reps["ritas"]["id"]]
        )
        assert len(by_record["messages"]) == 2
        assert [e["kind"] for e in by_record["events"]] == [
            "email_sent",
            "email_sent",
            "email_opened",
        ]
        assert all(e["evidence"] is None for e in by_record["events"] if e["kind"] == "email_sent")
        by_email = client.post(
            "/api/people/export", json={"email": "BEN@globex.com"}, headers=cora.headers
        ).json()
        assert by_email["person"] == by_record["person"]
        assert by_email["events"] == by_record["events"]

    def test_an_address_no_record_holds_is_a_404(self, client: TestClient) -> None:
        cora = officer(client)
        for path in ("/api/people/export", "/api/people/erase"):
            response = client.post(path, json={"email": "nobody@example.com"}, headers=cora.headers)
            assert response.status_code == 404

    def test_erasing_by_email_deletes_every_record_and_suppresses_the_address(
        self, client: TestClient, runtime: Runtime, two_reps: dict[str, Any]
    ) -> None:
        cora = officer(client)
        response = client.post("/api/people/erase", json={"email": BEN}, headers=cora.headers)
        assert response.status_code == 200, response.text
        assert response.json()["prospects"] == 2 and response.json()["messages"] == 2
        with Session(runtime.engine) as session:
            assert session.exec(select(Person)).all() == []
            [suppression] = session.exec(select(Suppression)).all()
        assert suppression.reason == "erased"
        link = client.get(
            path_of(two_reps["rita_mail"]["links"][0]["tracked_url"]), headers=HEADERS
        )
        assert link.status_code == 302 and stored_events(runtime) == []


class TestTheTransparencyPageCoversThePerson:
    def test_each_page_shows_its_own_record_and_only_counts_a_colleagues(
        self, client: TestClient, runtime: Runtime, two_reps: dict[str, Any]
    ) -> None:
        """Rob holds his own email's link: Rita's record of the same person is hers."""
        client.get(path_of(two_reps["rita_mail"]["pixel_url"]), headers=HEADERS)
        age_events(runtime, hours=4 * 24)
        robs = client.get(page_of(two_reps["rob_mail"]) + ".json").json()
        assert [record["owner"] for record in robs["records"]] == ["Rob"]
        assert robs["other_records"] == 1
        assert [(row["kind"], row["sender"]) for row in robs["recorded"]] == [("email_sent", "Rob")]
        html = client.get(page_of(two_reps["rob_mail"])).text
        assert "Rita" not in html and "also have your email address: 1" in html
        ritas = client.get(page_of(two_reps["rita_mail"]) + ".json").json()
        assert [(row["kind"], row["sender"], row["evidence"]) for row in ritas["recorded"]] == [
            ("email_sent", "Rita", None),
            ("email_opened", "Rita", "human"),
        ]

    def test_after_a_reassignment_each_email_names_who_sent_it_not_todays_owner(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        mia = make_user(client, "manager", name="Mia")
        rita = make_user(client, name="Rita", manager=mia)
        rob = make_user(client, name="Rob", manager=mia)
        anna = make_prospect(client, rita)
        ritas_mail = send_message(client, rita, anna["id"])
        client.get(path_of(ritas_mail["pixel_url"]), headers=HEADERS)
        location = client.get(
            path_of(ritas_mail["links"][0]["tracked_url"]), headers=HEADERS
        ).headers["location"]
        visit = {
            "site": "example.com",
            "url": "https://example.com/pricing",
            "vid": location.split("cnd_vid=", 1)[1],
        }
        assert client.post("/v", content=json.dumps(visit), headers=HEADERS).status_code == 204
        moved = client.patch(
            f"/api/prospects/{anna['id']}", json={"owner_id": rob.id}, headers=mia.headers
        )
        assert moved.status_code == 200, moved.text
        age_events(runtime, hours=4 * 24)
        robs_mail = send_message(client, rob, anna["id"], subject="Following up")
        data = client.get(page_of(ritas_mail) + ".json").json()
        assert [record["owner"] for record in data["records"]] == ["Rob"]
        senders = [(row["kind"], row["email"], row["sender"]) for row in data["recorded"]]
        assert sorted(senders, key=str) == sorted(
            [
                ("email_sent", "Our proposal", "Rita"),
                ("email_opened", "Our proposal", "Rita"),
                ("link_clicked", "Our proposal", "Rita"),
                ("page_visited", None, None),  # no email, so no sender
                ("email_sent", "Following up", "Rob"),
            ],
            key=str,
        )
        html = client.get(page_of(robs_mail)).text
        assert html.count("Sender: Rita") == 3 and html.count("Sender: Rob") == 1
        export = client.get(
            f"/api/prospects/{anna['id']}/export", headers=officer(client).headers
        ).json()
        assert {m["subject"]: m["sender_id"] for m in export["messages"]} == {
            "Our proposal": rita.id,
            "Following up": rob.id,
        }

    def test_the_page_says_why_a_suppressed_person_is_not_tracked(
        self, client: TestClient, two_reps: dict[str, Any]
    ) -> None:
        cora = officer(client)
        client.post("/api/suppressions", json={"email": BEN}, headers=cora.headers)
        data = client.get(page_of(two_reps["rob_mail"]) + ".json").json()
        assert data["opted_out"] is True and data["suppressed"] == "added"
        assert "do-not-track list" in client.get(page_of(two_reps["rob_mail"])).text


class TestNamesThatAgree:
    def test_email_sent_is_never_confirmed_evidence_on_the_timeline(
        self, client: TestClient, two_reps: dict[str, Any]
    ) -> None:
        facts = client.get(
            f"/api/prospects/{two_reps['robs']['id']}/timeline", headers=two_reps["rob"].headers
        ).json()["facts"]
        sent = [fact for fact in facts if fact["kind"] == "email_sent"]
        assert sent and all(fact["evidence"] == "sent" for fact in sent)


def test_no_address_reaches_the_audit_log_of_these_requests(
    client: TestClient, runtime: Runtime, two_reps: dict[str, Any]
) -> None:
    cora = officer(client)
    client.post("/api/people/export", json={"email": BEN}, headers=cora.headers)
    client.post("/api/people/erase", json={"email": BEN}, headers=cora.headers)
    with Session(runtime.engine) as session:
        entries = session.exec(select(AuditEntry)).all()
    actions = {entry.action for entry in entries}
    assert {"prospect.export", "prospect.erase"} <= actions
    assert "globex" not in json.dumps([entry.detail for entry in entries]).lower()
