"""The prospect's transparency page and one-click opt-out."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from service.models import utcnow
from service.runtime import Runtime
from service.transparency.service import listed_before
from tests.factories import (
    BROWSER_UA,
    Person,
    age_events,
    make_prospect,
    make_user,
    page_of,
    path_of,
    send_message,
    stored_events,
)

HEADERS = {"User-Agent": BROWSER_UA, "X-Forwarded-For": "203.0.113.5"}


@pytest.fixture
def mail(client: TestClient) -> dict[str, Any]:
    rep = make_user(client)
    prospect = make_prospect(client, rep)
    message = send_message(client, rep, prospect["id"])
    page = re.search(r'href="(http://collector\.test/p/[^"]+)"', message["html"])
    assert page is not None
    return {"rep": rep, "prospect": prospect, "message": message, "page": path_of(page.group(1))}


class TestTransparencyPage:
    def test_the_page_lists_what_was_recorded_and_what_a_rep_sees(
        self, client: TestClient, runtime: Runtime, mail: dict[str, Any]
    ) -> None:
        client.get(path_of(mail["message"]["pixel_url"]), headers=HEADERS)
        age_events(runtime, hours=4 * 24)
        page = client.get(mail["page"])
        assert page.status_code == 200
        assert "email opened" in page.text
        assert "Who has your email address, and what they see" in page.text
        data = client.get(mail["page"] + ".json").json()
        assert [row["what"] for row in data["recorded"]] == ["email sent", "email opened"]
        assert data["rep_sees"][0]["kind"] == "email_sent"

    def test_the_page_links_to_everything_recorded_as_json(
        self, client: TestClient, mail: dict[str, Any]
    ) -> None:
        page = client.get(mail["page"]).text
        link = re.search(r'<a href="([^"]+)" download[^>]*>([^<]+)</a>', page)
        assert link is not None
        assert link.group(1) == mail["page"] + ".json"
        assert link.group(2) == "Download this page (JSON)"
        export = client.get(link.group(1))
        assert export.status_code == 200
        assert export.headers["content-type"].startswith("application/json")
        assert export.headers["cache-control"] == "no-store, private"
        assert [row["what"] for row in export.json()["recorded"]] == ["email sent"]

    def test_without_a_contact_the_page_says_to_reply_to_the_email(
        self, client: TestClient, mail: dict[str, Any]
    ) -> None:
        page = client.get(mail["page"]).text
        assert (
            "You can also ask the sender for a copy of your data or for its erasure: reply to "
            "the email you received."
        ) in page
        assert "mailto:" not in page
        german = client.get(mail["page"] + "?lang=de").text
        assert "Antworten Sie dazu auf die E-Mail, die Sie erhalten haben." in german

    def test_each_record_in_the_json_says_its_language(self, client: TestClient) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep, language="de")
        message = send_message(client, rep, prospect["id"])
        page = re.search(r'href="(http://collector\.test/p/[^"]+)"', message["html"])
        assert page is not None
        [record] = client.get(path_of(page.group(1)) + ".json").json()["records"]
        assert record["language"] == "de"

    def test_attacker_controlled_text_is_escaped(
        self, client: TestClient, mail: dict[str, Any]
    ) -> None:
        rep = make_user(client, name="<b>Rita</b>")
        prospect = make_prospect(client, rep)
        message = send_message(client, rep, prospect["id"], subject="<script>alert(1)</script>")
        page = client.get(page_of(message))
        assert "<script>alert(1)</script>" not in page.text
        assert "&lt;script&gt;" in page.text

    def test_a_bad_token_is_a_404(self, client: TestClient) -> None:
        assert client.get("/p/not-a-token").status_code == 404
        assert client.get("/p/not-a-token.json").status_code == 404
        assert client.post("/p/not-a-token/opt-out").status_code == 404


class TestHead:
    def test_head_answers_the_pages_headers_without_its_body_and_records_nothing(
        self, client: TestClient, runtime: Runtime, mail: dict[str, Any]
    ) -> None:
        events = len(stored_events(runtime))
        get = client.get(mail["page"], headers=HEADERS)
        head = client.head(mail["page"], headers=HEADERS)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]
        assert head.headers["content-length"] == get.headers["content-length"]
        assert len(stored_events(runtime)) == events
        assert client.head("/p/not-a-token").status_code == 404


class TestOptOut:
    def test_opting_out_stops_tracking_keeps_links_and_hides_past_facts(
        self, client: TestClient, runtime: Runtime, mail: dict[str, Any]
    ) -> None:
        client.get(path_of(mail["message"]["pixel_url"]), headers=HEADERS)
        response = client.post(mail["page"] + "/opt-out")
        assert response.status_code == 303
        assert response.headers["location"] == mail["page"]
        before = len(stored_events(runtime))
        client.get(
            path_of(mail["message"]["pixel_url"]),
            headers={**HEADERS, "X-Forwarded-For": "198.51.100.1"},
        )
        click = client.get(path_of(mail["message"]["links"][0]["tracked_url"]), headers=HEADERS)
        assert click.status_code == 302 and "cnd_vid" not in click.headers["location"]
        assert len(stored_events(runtime)) == before
        rep: Person = mail["rep"]
        body = client.get(
            f"/api/prospects/{mail['prospect']['id']}/timeline", headers=rep.headers
        ).json()
        assert [f["kind"] for f in body["facts"]] == ["email_sent"]
        assert body["prospect"]["opted_out"] is True
        assert "You opted out" in client.get(mail["page"]).text

    def test_a_new_message_to_an_opted_out_prospect_is_not_instrumented(
        self, client: TestClient, mail: dict[str, Any]
    ) -> None:
        client.post(mail["page"] + "/opt-out")
        again = send_message(client, mail["rep"], mail["prospect"]["id"])
        assert again["pixel_url"] is None and again["links"] == []
        assert "collector.test/c/" not in again["html"]


SPLIT_POLICY = """
name: split
rules:
  - name: reps
    roles: [rep]
    show: {email_opened: {detail: exists}}
  - name: managers
    roles: [manager]
    show: {email_opened: {detail: count}, link_clicked: {detail: topic}}
"""


class TestWhoTheSalespersonIs:
    @pytest.fixture
    def split(self, client: TestClient) -> None:
        officer = make_user(client, "compliance")
        body = {"name": "split", "document": SPLIT_POLICY}
        assert client.post("/api/policies", json=body, headers=officer.headers).status_code == 201
        activated = client.post(
            "/api/policies/split/activate", json={"version": 1}, headers=officer.headers
        )
        assert activated.status_code == 200, activated.text

    def engaged(self, client: TestClient, owner: Person) -> dict[str, Any]:
        prospect = make_prospect(client, owner)
        sent_at = (utcnow() - timedelta(hours=2)).isoformat()
        message = send_message(client, owner, prospect["id"], sent_at=sent_at)
        client.get(path_of(message["pixel_url"]), headers=HEADERS)
        client.get(path_of(message["links"][0]["tracked_url"]), headers=HEADERS)
        page = re.search(r'href="(http://collector\.test/p/[^"]+)"', message["html"])
        assert page is not None
        return {"prospect": prospect, "page": path_of(page.group(1)) + ".json"}

    def facts(self, client: TestClient, reader: Person, prospect_id: int) -> list[Any]:
        response = client.get(f"/api/prospects/{prospect_id}/timeline", headers=reader.headers)
        return response.json()["facts"]

    def test_a_reps_prospect_sees_the_rep_and_the_managers_views(
        self, client: TestClient, split: None
    ) -> None:
        boss = make_user(client, "manager")
        rep = make_user(client, manager=boss)
        mail = self.engaged(client, rep)
        page = client.get(mail["page"]).json()
        assert page["rep_sees"] == self.facts(client, rep, mail["prospect"]["id"])
        assert page["manager_sees"] == self.facts(client, boss, mail["prospect"]["id"])
        assert page["manager_sees"] != page["rep_sees"]

    def test_a_manager_who_sells_is_the_salesperson(self, client: TestClient, split: None) -> None:
        boss = make_user(client, "manager")
        mail = self.engaged(client, boss)
        page = client.get(mail["page"]).json()
        assert page["rep_sees"] == self.facts(client, boss, mail["prospect"]["id"])
        assert any(fact["kind"] == "link_clicked" for fact in page["rep_sees"])
        assert page["manager_sees"] is None


class TestThePageTellsTheSenderNoMoreThanThePolicy:
    """Whoever holds the email holds the page, the rep who prepared it too."""

    def test_what_the_person_did_today_is_not_listed_yet_but_the_sending_is(
        self, client: TestClient, mail: dict[str, Any]
    ) -> None:
        client.get(path_of(mail["message"]["pixel_url"]), headers=HEADERS)
        client.get(path_of(mail["message"]["links"][0]["tracked_url"]), headers=HEADERS)
        data = client.get(mail["page"] + ".json").json()
        assert [row["kind"] for row in data["recorded"]] == ["email_sent"]
        assert data["recorded_before"] < utcnow().strftime("%Y-%m-%d")
        assert "email opened" not in client.get(mail["page"]).text

    def test_it_gives_days_never_times_browsers_networks_or_addresses(
        self, client: TestClient, runtime: Runtime, mail: dict[str, Any]
    ) -> None:
        client.get(path_of(mail["message"]["pixel_url"]), headers=HEADERS)
        client.get(path_of(mail["message"]["links"][0]["tracked_url"]), headers=HEADERS)
        age_events(runtime, hours=4 * 24)
        data = client.get(mail["page"] + ".json").json()
        assert [row["kind"] for row in data["recorded"]] == [
            "email_sent",
            "email_opened",
            "link_clicked",
        ]
        for row in data["recorded"]:
            assert set(row) == {"kind", "what", "when", "email", "sender", "evidence"}
            assert len(row["when"]) == len("2026-12-01")
        page = client.get(mail["page"]).text
        assert "203.0.113" not in page and "Mozilla" not in page
        assert mail["message"]["links"][0]["url"] not in page

    def test_a_whole_day_appears_at_once_after_the_policys_longest_delay(self) -> None:
        now = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
        assert listed_before(now, 48) == datetime(2026, 12, 1, tzinfo=UTC)
        assert listed_before(now.replace(hour=23, minute=59), 48) == datetime(
            2026, 12, 1, tzinfo=UTC
        )
        assert listed_before(now, 0) == datetime(2026, 12, 3, tzinfo=UTC)

    def test_after_an_erasure_the_link_says_nothing_is_held_any_more(
        self, client: TestClient, mail: dict[str, Any]
    ) -> None:
        officer = make_user(client, "compliance")
        erased = client.delete(f"/api/prospects/{mail['prospect']['id']}", headers=officer.headers)
        assert erased.status_code in (200, 204), erased.text
        page = client.get(mail["page"])
        assert page.status_code == 404 and "Nothing is held about you" in page.text
        assert "Nothing is held" not in client.get("/p/not-a-token").text

    def test_the_note_names_the_first_day_not_listed_in_words(
        self, client: TestClient, mail: dict[str, Any]
    ) -> None:
        page = client.get(mail["page"]).text
        assert "%(" not in page and re.search(r"Events before \w+ \d{1,2}, \d{4} are listed", page)
        assert "%(" not in client.get(mail["page"] + "?lang=de").text
        assert (
            "Was aufgezeichnet wird, wird nach 365 Tagen gelöscht."
            in client.get(mail["page"] + "?lang=de").text
        )
