"""The timeline a rep or manager reads: only what the active policy allows."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from starlette.testclient import TestClient

from service.models import utcnow
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

HEADERS = {"User-Agent": BROWSER_UA, "X-Forwarded-For": "203.0.113.9"}


def engage(client: TestClient, rep: Person, **prospect_fields: Any) -> dict[str, Any]:
    """A prospect who opened the email twice (two devices), clicked pricing and visited a page."""
    prospect = make_prospect(client, rep, **prospect_fields)
    message = send_message(
        client, rep, prospect["id"], sent_at=(utcnow() - timedelta(days=3)).isoformat()
    )
    client.get(path_of(message["pixel_url"]), headers=HEADERS)
    client.get(
        path_of(message["pixel_url"]), headers={**HEADERS, "X-Forwarded-For": "198.51.100.1"}
    )
    location = client.get(path_of(message["links"][0]["tracked_url"]), headers=HEADERS).headers[
        "location"
    ]
    vid = location.split("cnd_vid=")[1]
    visit = {"site": "example.com", "url": "https://example.com/security/overview", "vid": vid}
    client.post("/v", content=json.dumps(visit), headers=HEADERS)
    return prospect


def timeline(client: TestClient, who: Person, prospect_id: int) -> dict[str, Any]:
    response = client.get(f"/api/prospects/{prospect_id}/timeline", headers=who.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def kinds(body: dict[str, Any]) -> list[str]:
    return [fact["kind"] for fact in body["facts"]]


class TestTimelineUnderTheDefaultPolicy:
    def test_fresh_engagement_is_withheld_by_the_delay(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = engage(client, rep)
        body = timeline(client, rep, prospect["id"])
        assert kinds(body) == ["email_sent"]
        assert body["policy"]["name"] == "default" and body["policy"]["version"] == 1

    def test_after_the_delay_a_rep_sees_coarse_counted_facts(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = engage(client, rep)
        age_events(runtime, hours=30)
        body = timeline(client, rep, prospect["id"])
        facts = {fact["kind"]: fact for fact in body["facts"]}
        assert set(facts) == {"email_sent", "email_opened", "link_clicked", "page_visited"}
        assert facts["email_opened"]["count"] == 2
        assert len(facts["email_opened"]["when"]) == len("2026-11-20")
        assert facts["link_clicked"]["subject"] == "pricing"
        assert facts["link_clicked"]["evidence"] == "confirmed"
        assert facts["page_visited"]["subject"] == "security"
        assert body["prospect"]["id"] == prospect["id"]

    def test_no_fact_carries_device_location_address_or_user_agent(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = engage(client, rep)
        age_events(runtime, hours=30)
        text = json.dumps(timeline(client, rep, prospect["id"]))
        for secret in ("203.0.113", "198.51.100", "Chrome", "Macintosh", "cnd_vid"):
            assert secret not in text

    def test_a_finance_prospect_shows_only_that_an_email_was_opened(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = engage(client, rep, industry="finance")
        age_events(runtime, hours=50)
        body = timeline(client, rep, prospect["id"])
        opened = [fact for fact in body["facts"] if fact["kind"] == "email_opened"]
        assert opened == [
            {"kind": "email_opened", "subject": None, "detail": "exists", "evidence": "human"}
        ] or (len(opened) == 1 and "count" not in opened[0] and "when" not in opened[0])
        assert "page_visited" not in kinds(body)
        assert body["policy"]["rule"] == "reps-in-high-trust-barrier-industries"

    def test_a_manager_reads_a_team_prospect_under_the_manager_rule(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        boss = make_user(client, "manager")
        rep = make_user(client, manager=boss)
        prospect = engage(client, rep)
        age_events(runtime, hours=30)
        assert "email_opened" in kinds(timeline(client, boss, prospect["id"]))

    def test_machine_opens_are_never_shown_as_reads(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        message = send_message(client, rep, prospect["id"])
        client.get(
            path_of(message["pixel_url"]),
            headers={"User-Agent": "Mozilla/5.0", "X-Forwarded-For": "17.58.1.1"},
        )
        age_events(runtime, hours=30)
        assert kinds(timeline(client, rep, prospect["id"])) == ["email_sent"]

    def test_a_prospect_who_sent_a_privacy_signal_shows_only_what_was_sent(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        message = send_message(
            client, rep, prospect["id"], sent_at=(utcnow() - timedelta(days=3)).isoformat()
        )
        client.get(path_of(message["pixel_url"]), headers=HEADERS)
        client.get(path_of(message["links"][1]["tracked_url"]), headers={**HEADERS, "Sec-GPC": "1"})
        age_events(runtime, hours=30)
        assert kinds(timeline(client, rep, prospect["id"])) == ["email_sent"]

    def test_openers_come_with_the_timeline_and_alone(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = engage(client, rep)
        age_events(runtime, hours=30)
        body = timeline(client, rep, prospect["id"])
        assert 2 <= len(body["openers"]) <= 4
        alone = client.get(f"/api/prospects/{prospect['id']}/openers", headers=rep.headers).json()
        assert alone == {"openers": body["openers"]}
        for opener in body["openers"]:
            assert set(opener) == {"text", "why"}
            lint = client.post(
                "/api/openers/lint", json={"text": opener["text"]}, headers=rep.headers
            ).json()
            assert lint["ok"], opener


class TestOpenerLint:
    def test_a_trap_question_is_flagged_with_a_span_and_a_rewrite(self, client: TestClient) -> None:
        rep = make_user(client)
        text = "Hi Anna, you probably haven't had a chance to read it, have you?"
        body = client.post("/api/openers/lint", json={"text": text}, headers=rep.headers).json()
        assert body["ok"] is False
        finding = body["findings"][0]
        assert finding["kind"] == "trap"
        assert text[finding["start"] : finding["end"]] == finding["excerpt"]
        assert finding["suggestion"]

    def test_an_open_question_passes(self, client: TestClient) -> None:
        rep = make_user(client)
        text = (
            "How useful was the information I sent over? "
            "Which areas would you like to talk through?"
        )
        assert client.post(
            "/api/openers/lint", json={"text": text}, headers=rep.headers
        ).json() == {
            "ok": True,
            "findings": [],
        }

    def test_empty_text_is_a_422_naming_the_field(self, client: TestClient) -> None:
        rep = make_user(client)
        response = client.post("/api/openers/lint", json={"text": ""}, headers=rep.headers)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "text"]
