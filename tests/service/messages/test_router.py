"""Instrumenting a message through POST /api/messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from starlette.testclient import TestClient

from service.runtime import Runtime
from service.timestamps import CLOCK_SKEW
from tests.conftest import PUBLIC_URL
from tests.factories import make_prospect, make_user, send_message, stored_events


class TestInstrumentingAMessage:
    def test_links_are_rewritten_and_listed_with_their_destinations(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        message = send_message(client, rep, prospect["id"])
        destinations = [link["url"] for link in message["links"]]
        assert destinations == [
            "https://example.com/pricing?plan=team&seats=5",
            "https://example.com/security",
        ]
        for link in message["links"]:
            assert link["tracked_url"].startswith(f"{PUBLIC_URL}/c/")
            assert (
                link["tracked_url"].replace("&", "&amp;") in message["html"]
                or link["tracked_url"] in message["html"]
            )
            token = link["tracked_url"].rsplit("/", 1)[1]
            assert len(token) < 100
            assert "example" not in token
        assert 'href="mailto:rep@example.com"' in message["html"]
        assert "https://example.com/pricing" not in message["html"]

    def test_the_open_pixel_sits_before_the_closing_body_tag(self, client: TestClient) -> None:
        rep = make_user(client)
        message = send_message(client, rep, make_prospect(client, rep)["id"])
        assert message["pixel_url"].startswith(f"{PUBLIC_URL}/o/") and message[
            "pixel_url"
        ].endswith(".gif")
        html = message["html"]
        assert html.index(message["pixel_url"]) < html.lower().rindex("</body>")
        assert html.count(message["pixel_url"]) == 1

    def test_the_disclosure_footer_links_to_the_transparency_page(self, client: TestClient) -> None:
        rep = make_user(client)
        message = send_message(
            client, rep, make_prospect(client, rep)["id"], text="See https://example.com/a."
        )
        assert f"{PUBLIC_URL}/p/" in message["html"]
        assert "records when it is opened" in message["html"]
        assert "which pages of our website you visit" in message["html"]
        assert f"{PUBLIC_URL}/p/" in message["text"]
        assert f"{PUBLIC_URL}/c/" in message["text"]
        assert "https://example.com/a" not in message["text"]

    def test_sending_records_email_sent_at_the_given_time(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        send_message(client, rep, prospect["id"], sent_at="2026-11-02T09:30:00Z")
        sent = stored_events(runtime, "email_sent")
        assert len(sent) == 1
        assert sent[0].occurred_at == datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
        assert sent[0].prospect_id == prospect["id"]

    def test_a_message_for_someone_elses_prospect_is_a_404(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep, other = make_user(client), make_user(client)
        theirs = make_prospect(client, other)
        response = client.post(
            "/api/messages",
            json={"prospect_id": theirs["id"], "subject": "s", "html": "<p>x</p>"},
            headers=rep.headers,
        )
        assert response.status_code == 404
        assert stored_events(runtime) == []

    def test_a_manager_is_told_that_only_the_owner_sends(self, client: TestClient) -> None:
        boss = make_user(client, "manager")
        rep = make_user(client, manager=boss)
        prospect = make_prospect(client, rep)
        response = client.post(
            "/api/messages",
            json={"prospect_id": prospect["id"], "subject": "s", "html": "<p>x</p>"},
            headers=boss.headers,
        )
        assert response.status_code == 403
        assert "Only the prospect's owner sends" in response.json()["detail"]

    def test_missing_fields_are_a_422_naming_each_field(self, client: TestClient) -> None:
        rep = make_user(client)
        response = client.post("/api/messages", json={"prospect_id": 1}, headers=rep.headers)
        assert response.status_code == 422
        assert {tuple(e["loc"]) for e in response.json()["detail"]} == {("body", "subject")}

    def test_an_email_with_neither_html_nor_text_is_a_422_naming_html(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        response = client.post(
            "/api/messages",
            json={"prospect_id": prospect["id"], "subject": "s"},
            headers=rep.headers,
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "html"]

    def test_a_bad_sent_at_is_a_422_naming_the_field(self, client: TestClient) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        response = client.post(
            "/api/messages",
            json={
                "prospect_id": prospect["id"],
                "subject": "s",
                "html": "<p/>",
                "sent_at": "yesterday",
            },
            headers=rep.headers,
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "sent_at"]

    @pytest.mark.parametrize(
        "sent_at",
        [
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:00:00-05:00",
            1700000000,
            "0.5",
            "2099-01-01T00:00:00Z",  # a "sent" email in the future
            "in ten minutes",
        ],
    )
    def test_a_sent_at_outside_utcs_years_or_a_bare_number_is_a_422_and_nothing_is_stored(
        self, client: TestClient, runtime: Runtime, sent_at: object
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        if sent_at == "in ten minutes":
            sent_at = (datetime.now(UTC) + CLOCK_SKEW + timedelta(minutes=5)).isoformat()
        body = {"prospect_id": prospect["id"], "subject": "s", "html": "<p/>", "sent_at": sent_at}
        response = client.post("/api/messages", json=body, headers=rep.headers)
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["loc"] == ["body", "sent_at"]
        assert stored_events(runtime, "email_sent") == []
        assert (
            client.get(f"/api/prospects/{prospect['id']}/messages", headers=rep.headers).json()
            == []
        )

    def test_a_naive_sent_at_is_taken_as_utc(self, client: TestClient, runtime: Runtime) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        send_message(client, rep, prospect["id"], sent_at="2026-11-02T09:30:00")
        [sent] = stored_events(runtime, "email_sent")
        assert sent.occurred_at == datetime(2026, 11, 2, 9, 30, tzinfo=UTC)

    def test_a_sent_at_with_an_offset_is_stored_in_utc(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        send_message(client, rep, prospect["id"], sent_at="2026-11-02T10:30:00+01:00")
        [sent] = stored_events(runtime, "email_sent")
        assert sent.occurred_at == datetime(2026, 11, 2, 9, 30, tzinfo=UTC)

    def test_a_sent_at_a_little_ahead_of_the_servers_clock_is_clock_skew_and_kept(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        ahead = datetime.now(UTC) + CLOCK_SKEW - timedelta(minutes=1)
        send_message(client, rep, prospect["id"], sent_at=ahead.isoformat())
        [sent] = stored_events(runtime, "email_sent")
        assert sent.occurred_at == ahead

    def test_the_future_refusal_names_the_tolerance(self, client: TestClient) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        body = {"prospect_id": prospect["id"], "subject": "s", "html": "<p/>"}
        response = client.post(
            "/api/messages", json={**body, "sent_at": "2099-01-01T00:00:00Z"}, headers=rep.headers
        )
        assert response.status_code == 422
        message = response.json()["detail"][0]["msg"]
        assert f"more than {CLOCK_SKEW.seconds // 60} minutes ahead" in message

    def test_a_body_that_is_not_json_is_a_422(self, client: TestClient) -> None:
        rep = make_user(client)
        response = client.post(
            "/api/messages",
            content=b"{not json",
            headers={**rep.headers, "Content-Type": "application/json"},
        )
        assert response.status_code == 422
