"""The public collector, hit as mail clients, scanners and browsers hit it."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session
from starlette.testclient import TestClient

from pixel.gif import TRANSPARENT_GIF
from service.models import Person, Prospect, Suppression, utcnow
from service.runtime import Runtime
from tests.factories import (
    BROWSER_UA,
    allow_anonymous_visits,
    make_prospect,
    make_user,
    page_of,
    path_of,
    send_message,
    stored_events,
)

APPLE_MPP_UA = "Mozilla/5.0"
GMAIL_PROXY_UA = (
    "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
)


def browser(ip: str = "203.0.113.77", **extra: str) -> dict[str, str]:
    """Headers of a person's browser behind our trusted proxy."""
    return {"User-Agent": BROWSER_UA, "X-Forwarded-For": ip, **extra}


@pytest.fixture
def sent(client: TestClient) -> dict[str, Any]:
    """A rep, a prospect and an instrumented message sent two hours ago."""
    rep = make_user(client)
    prospect = make_prospect(client, rep)
    message = send_message(
        client, rep, prospect["id"], sent_at=(utcnow() - timedelta(hours=2)).isoformat()
    )
    return {"rep": rep, "prospect": prospect, "message": message}


def database_away(ref: str) -> None:
    """A target lookup when the database cannot be reached."""
    raise sa.exc.OperationalError("SELECT", {}, ConnectionRefusedError())


def pixel(sent: dict[str, Any]) -> str:
    return path_of(sent["message"]["pixel_url"])


def link(sent: dict[str, Any], index: int = 0) -> str:
    return path_of(sent["message"]["links"][index]["tracked_url"])


class TestOpenPixel:
    def test_a_valid_pixel_answers_the_gif_and_records_an_open(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        response = client.get(pixel(sent), headers=browser())
        assert response.status_code == 200
        assert response.content == TRANSPARENT_GIF
        assert response.headers["content-type"] == "image/gif"
        assert response.headers["cache-control"] == "no-store, no-cache, must-revalidate, private"
        [opened] = stored_events(runtime, "open")
        assert opened.prospect_id == sent["prospect"]["id"]
        assert opened.evidence == "human"

    @pytest.mark.parametrize(
        "token", ["garbage", "a" * 99, "%00", "x" * 5000, "..%2F..%2Fetc%2Fpasswd", "a/b", ""]
    )
    def test_a_bad_token_answers_the_same_gif_and_records_nothing(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any], token: str
    ) -> None:
        for path in (f"/o/{token}.gif", f"/o/{token}"):
            response = client.get(path, headers=browser())
            assert response.status_code == 200
            assert response.content == TRANSPARENT_GIF
        assert stored_events(runtime, "open") == []

    def test_a_tampered_token_records_nothing(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        path = pixel(sent)
        token = path[len("/o/") : -len(".gif")]
        flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
        assert client.get(f"/o/{flipped}.gif", headers=browser()).content == TRANSPARENT_GIF
        assert stored_events(runtime, "open") == []

    def test_a_replayed_open_within_seconds_is_stored_once(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        for _ in range(3):
            client.get(pixel(sent), headers=browser())
        assert len(stored_events(runtime, "open")) == 1

    def test_the_client_address_is_stored_truncated(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        client.get(pixel(sent), headers=browser("198.51.100.123"))
        client.get(pixel(sent), headers=browser("2001:db8:abcd:12::1"))
        prefixes = {event.ip_prefix for event in stored_events(runtime, "open")}
        assert prefixes == {"198.51.100.0", "2001:db8:abcd::"}

    def test_a_head_request_never_records_a_human_open(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        assert client.head(pixel(sent), headers=browser()).status_code == 200
        assert all(event.evidence != "human" for event in stored_events(runtime, "open"))

    def test_apple_mail_privacy_protection_is_a_machine_open(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        message = send_message(client, rep, prospect["id"])  # sent now: MPP fetches on delivery
        client.get(
            path_of(message["pixel_url"]),
            headers={"User-Agent": APPLE_MPP_UA, "X-Forwarded-For": "17.58.101.4"},
        )
        [opened] = stored_events(runtime, "open")
        assert opened.evidence == "machine"

    def test_gmails_image_proxy_is_a_real_open(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        client.get(
            pixel(sent), headers={"User-Agent": GMAIL_PROXY_UA, "X-Forwarded-For": "66.249.84.10"}
        )
        [opened] = stored_events(runtime, "open")
        assert opened.evidence == "human"

    def test_the_pixel_of_a_suppressed_person_records_nothing(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        with Session(runtime.engine) as session:
            prospect = session.get(Prospect, sent["prospect"]["id"])
            assert prospect is not None
            person = session.get(Person, prospect.person_id)
            assert person is not None
            session.add(Suppression(address_hash=person.address_hash, reason="added"))
            session.commit()
        assert client.get(pixel(sent), headers=browser()).content == TRANSPARENT_GIF
        assert stored_events(runtime, "open") == []

    @pytest.mark.parametrize("header", [{"Sec-GPC": "1"}, {"DNT": "1"}])
    def test_a_privacy_signal_records_no_open(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any], header: dict[str, str]
    ) -> None:
        assert client.get(pixel(sent), headers=browser(**header)).content == TRANSPARENT_GIF
        assert stored_events(runtime, "open") == []


class TestTrackedLink:
    def test_a_click_redirects_to_the_fixed_destination_with_a_visitor_id(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        response = client.get(link(sent), headers=browser())
        assert response.status_code == 302
        location = response.headers["location"]
        assert location.startswith("https://example.com/pricing?plan=team&seats=5&cnd_vid=")
        [clicked] = stored_events(runtime, "click")
        assert clicked.prospect_id == sent["prospect"]["id"]

    def test_a_destination_holding_a_visitor_id_gets_it_replaced_not_doubled(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        html = '<p><a href="https://example.com/landing?cnd_vid=stale-id-123&amp;a=1">x</a></p>'
        message = send_message(
            client,
            rep,
            prospect["id"],
            html=html,
            sent_at=(utcnow() - timedelta(hours=2)).isoformat(),
        )
        tracked = path_of(message["links"][0]["tracked_url"])
        location = client.get(tracked, headers=browser()).headers["location"]
        assert location.count("cnd_vid=") == 1
        assert location.startswith("https://example.com/landing?a=1&cnd_vid=")
        [clicked] = stored_events(runtime, "click")
        assert location.endswith(f"cnd_vid={clicked.visitor_id}")

    def test_query_strings_added_to_the_tracked_link_are_ignored(
        self, client: TestClient, sent: dict[str, Any]
    ) -> None:
        response = client.get(
            link(sent) + "?url=https://evil.example&next=//evil.example", headers=browser()
        )
        assert response.headers["location"].startswith(
            "https://example.com/pricing?plan=team&seats=5&cnd_vid="
        )

    @pytest.mark.parametrize(
        "token",
        ["garbage", "https:%2F%2Fevil.example", "a" * 200, "..%2F..%2Fetc%2Fpasswd", "a/b", ""],
    )
    def test_a_bad_click_token_is_a_404_that_redirects_nowhere(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any], token: str
    ) -> None:
        response = client.get(f"/c/{token}", headers=browser())
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert "location" not in response.headers
        assert stored_events(runtime, "click") == []

    def test_a_click_token_does_not_work_as_a_pixel_and_back(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        click_token = link(sent).rsplit("/", 1)[1]
        open_token = pixel(sent)[len("/o/") : -len(".gif")]
        client.get(f"/o/{click_token}.gif", headers=browser())
        assert client.get(f"/c/{open_token}", headers=browser()).status_code == 404
        assert stored_events(runtime, "open") == [] and stored_events(runtime, "click") == []

    def test_the_hidden_link_leads_to_the_persons_page_and_records_a_bot(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        listed = {link["tracked_url"] for link in sent["message"]["links"]}
        hidden = [
            url
            for url in re.findall(
                r'href="(http://collector\.test/c/[^"]+)"', sent["message"]["html"]
            )
            if url not in listed
        ]
        assert len(hidden) == 1
        response = client.get(path_of(hidden[0]), headers=browser())
        assert response.status_code == 302
        assert path_of(response.headers["location"]) == page_of(sent["message"])
        assert [click.evidence for click in stored_events(runtime, "click")] == ["bot"]

    def test_a_head_request_gets_no_visitor_id_and_no_human_click(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        response = client.head(link(sent), headers=browser())
        assert response.status_code == 302
        assert "cnd_vid" not in response.headers["location"]
        assert all(event.evidence == "bot" for event in stored_events(runtime, "click"))

    def test_a_privacy_signal_still_redirects_but_records_and_identifies_nothing(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        response = client.get(link(sent), headers=browser(**{"Sec-GPC": "1"}))
        assert response.status_code == 302
        assert response.headers["location"] == "https://example.com/pricing?plan=team&seats=5"
        assert stored_events(runtime, "click") == []

    def test_a_scanner_hitting_every_link_at_once_is_a_bot(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        scanner = browser("40.94.1.1")
        for index in range(len(sent["message"]["links"])):
            client.get(link(sent, index), headers=scanner)
        clicks = stored_events(runtime, "click")
        assert len(clicks) == len(sent["message"]["links"]) >= 2
        # The first clicks looked like a person's until the burst was complete.
        assert all(click.evidence == "bot" for click in clicks)
        assert all("all_links_at_once" in click.reasons for click in clicks)

    def test_a_person_clicking_two_links_of_several_stays_human(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        html = "".join(f'<a href="https://example.com/{n}">{n}</a>' for n in range(4))
        sent_at = (utcnow() - timedelta(hours=2)).isoformat()
        message = send_message(client, rep, prospect["id"], sent_at=sent_at, html=html)
        client.get(pixel({"message": message}), headers=browser())
        for index in (0, 1):
            client.get(path_of(message["links"][index]["tracked_url"]), headers=browser())
        assert [click.evidence for click in stored_events(runtime, "click")] == ["human", "human"]

    def test_a_replayed_click_is_stored_once_and_redirects_alike(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        first = client.get(link(sent), headers=browser()).headers["location"]
        second = client.get(link(sent), headers=browser()).headers["location"]
        assert first == second
        assert len(stored_events(runtime, "click")) == 1

    def test_a_known_link_keeps_redirecting_after_its_cache_entry_expired_while_the_database_is_away(
        self,
        client: TestClient,
        runtime: Runtime,
        sent: dict[str, Any],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        first = client.get(link(sent), headers=browser("203.0.113.1")).headers["location"]
        runtime.targets.links.ttl = 0  # every entry has expired
        monkeypatch.setattr(runtime.targets, "load_link", database_away)
        response = client.get(link(sent), headers=browser("203.0.113.2"))
        assert response.status_code == 302
        assert response.headers["location"].split("cnd_vid=")[0] == first.split("cnd_vid=")[0]

    def test_an_unknown_link_while_the_database_is_away_asks_to_retry_and_redirects_nowhere(
        self,
        client: TestClient,
        runtime: Runtime,
        sent: dict[str, Any],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(runtime.targets, "load_link", database_away)
        response = client.get(link(sent), headers=browser())
        assert response.status_code == 503
        assert "location" not in response.headers


class TestSiteBeacon:
    def test_the_snippet_is_served_as_javascript(self, client: TestClient) -> None:
        response = client.get("/t.js")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/javascript")
        assert "sendBeacon" in response.text
        assert "http://collector.test" in response.text

    def test_a_text_plain_beacon_is_accepted_without_a_preflight(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        allow_anonymous_visits(client)  # else a page view naming nobody is not stored
        body = json.dumps(
            {"site": "example.com", "url": "https://example.com/pricing", "title": "Pricing"}
        )
        response = client.post(
            "/v", content=body, headers={**browser(), "Content-Type": "text/plain;charset=UTF-8"}
        )
        assert response.status_code == 204
        assert response.headers["access-control-allow-origin"] == "*"
        [visit] = stored_events(runtime, "visit")
        assert visit.url == "https://example.com/pricing"
        assert visit.prospect_id is None

    @pytest.mark.parametrize("cached", [True, False], ids=["cached", "read from the database"])
    def test_a_visit_with_the_clicks_visitor_id_attributes_and_confirms(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any], cached: bool
    ) -> None:
        location = client.get(link(sent), headers=browser()).headers["location"]
        if not cached:
            with Session(runtime.engine) as session:
                record = session.get(Prospect, sent["prospect"]["id"])
                assert record is not None
            runtime.targets.forget_person(record.person_id)
        vid = location.split("cnd_vid=", 1)[1]
        body = {"site": "example.com", "url": "https://example.com/pricing?plan=team", "vid": vid}
        assert client.post("/v", content=json.dumps(body), headers=browser()).status_code == 204
        [visit] = stored_events(runtime, "visit")
        assert visit.prospect_id == sent["prospect"]["id"]
        [clicked] = stored_events(runtime, "click")
        assert clicked.visitor_id == vid  # kept on the click's own row
        assert clicked.evidence == "confirmed"
        assert "visit_followed" in clicked.reasons.split(",")
        assert "" not in clicked.reasons.split(",")

    def test_a_beacon_never_promotes_a_bot_click_to_confirmed(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        scanner = {"User-Agent": "curl/8.0", "X-Forwarded-For": "198.51.100.9"}
        location = client.get(link(sent), headers=scanner).headers["location"]
        vid = location.split("cnd_vid=", 1)[1]
        body = {"site": "example.com", "url": "https://example.com/pricing", "vid": vid}
        for ip in ("203.0.113.77", "198.51.100.9"):  # elsewhere, and the scanner's own network
            assert (
                client.post("/v", content=json.dumps(body), headers=browser(ip)).status_code == 204
            )
        [clicked] = stored_events(runtime, "click")
        assert clicked.evidence == "bot"
        assert "visit_followed" not in clicked.reasons

    def test_a_visit_from_another_network_does_not_confirm_a_persons_click(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        location = client.get(link(sent), headers=browser("203.0.113.77")).headers["location"]
        vid = location.split("cnd_vid=", 1)[1]
        body = {"site": "example.com", "url": "https://example.com/pricing", "vid": vid}
        client.post("/v", content=json.dumps(body), headers=browser("192.0.2.50"))
        [visit] = stored_events(runtime, "visit")
        assert visit.prospect_id == sent["prospect"]["id"]  # still attributed
        [clicked] = stored_events(runtime, "click")
        assert clicked.evidence == "human"

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"url": "https://example.com/"}, "site"),
            ({"site": "example.com"}, "url"),
            ({"site": "example.com", "url": "javascript:alert(1)"}, "url"),
            ({"site": "example.com", "url": "https://example.com/", "vid": "../../etc"}, "vid"),
        ],
    )
    def test_an_invalid_beacon_is_a_422_naming_the_field(
        self, client: TestClient, runtime: Runtime, body: dict[str, str], field: str
    ) -> None:
        allow_anonymous_visits(client)
        response = client.post("/v", content=json.dumps(body), headers=browser())
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", field]
        assert stored_events(runtime, "visit") == []

    def test_a_beacon_that_is_not_json_is_a_422(self, client: TestClient) -> None:
        assert client.post("/v", content=b"\xff\xfe{", headers=browser()).status_code == 422

    def test_an_oversized_beacon_is_a_413(self, client: TestClient) -> None:
        body = json.dumps(
            {"site": "example.com", "url": "https://example.com/", "title": "x" * 20000}
        )
        assert client.post("/v", content=body, headers=browser()).status_code == 413

    def test_the_noscript_image_records_a_visit_and_always_answers_the_gif(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        allow_anonymous_visits(client)
        ok = client.get(
            "/v.gif",
            params={"site": "example.com", "url": "https://example.com/a"},
            headers=browser(),
        )
        bad = client.get(
            "/v.gif", params={"site": "example.com", "url": "ftp://x"}, headers=browser()
        )
        assert ok.content == TRANSPARENT_GIF and bad.content == TRANSPARENT_GIF
        assert [visit.url for visit in stored_events(runtime, "visit")] == ["https://example.com/a"]

    def test_a_beacon_with_a_privacy_signal_records_nothing(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        allow_anonymous_visits(client)
        body = json.dumps({"site": "example.com", "url": "https://example.com/"})
        assert client.post("/v", content=body, headers=browser(DNT="1")).status_code == 204
        assert stored_events(runtime, "visit") == []

    @pytest.mark.parametrize(
        "path", ["/t.js", "/v.gif?site=example.com&url=https%3A%2F%2Fexample.com%2F"]
    )
    def test_head_answers_like_get_without_a_body_and_records_nothing(
        self, client: TestClient, runtime: Runtime, path: str
    ) -> None:
        allow_anonymous_visits(client)
        head = client.head(path, headers=browser())
        assert head.status_code == 200 and head.content == b""
        get = client.get(path, headers=browser())
        assert head.headers["content-type"] == get.headers["content-type"]
        assert head.headers["content-length"] == get.headers["content-length"]
        assert len(stored_events(runtime, "visit")) == (1 if "v.gif" in path else 0)  # GET's

    def test_the_preflight_for_json_integrations_is_answered(self, client: TestClient) -> None:
        response = client.options(
            "/v", headers={"Origin": "https://example.com", "Access-Control-Request-Method": "POST"}
        )
        assert response.status_code == 204
        assert "POST" in response.headers["access-control-allow-methods"]
