"""Page views with no known visitor: not stored unless the policy says ``anonymous_visits``,
and then without address or user agent, with a minimised URL and referrer."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from policies import builtin_policy, load_policy, policy_to_document
from service.compliance.policy_store import ActivePolicy
from service.compliance.retention import run_retention
from service.models import utcnow
from service.runtime import Runtime
from service.tracking.partitions import ensure_partitions, is_partitioned, month_start, partitions
from service.tracking.schemas import VisitIn
from service.tracking.service import _origin, _without_query
from service.tracking.snapshot import Snapshot, read_snapshot, write_snapshot
from tests.conftest import ADMIN_KEY
from tests.factories import (
    BROWSER_UA,
    activate_default_policy_with,
    age_events,
    allow_anonymous_visits,
    auth,
    make_prospect,
    make_user,
    path_of,
    send_message,
    stored_events,
)

UNRECORDED = 'candor_collector_unrecorded_total{reason="anonymous"}'
PAGE = {
    "site": "example.com",
    "url": "https://user:secret@Example.com/pricing?email=anna%40example.com&utm_id=42#plans",
    "title": "Pricing",
    "referrer": "https://www.google.com/search?q=anna+smith+globex",
}


def browser(ip: str = "203.0.113.77", **extra: str) -> dict[str, str]:
    """Headers of a person's browser behind our trusted proxy."""
    return {"User-Agent": BROWSER_UA, "X-Forwarded-For": ip, **extra}


def beacon(client: TestClient, body: dict[str, Any], **headers: str) -> None:
    response = client.post("/v", content=json.dumps(body), headers=browser(**headers))
    assert response.status_code == 204


def noscript(client: TestClient, query: dict[str, str]) -> None:
    response = client.get("/v.gif", params=query, headers=browser())
    assert response.status_code == 200 and response.headers["content-type"] == "image/gif"


def metric(client: TestClient, sample: str) -> float:
    """A sample's value from /metrics (0 when it has not been counted yet)."""
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(sample + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@pytest.fixture
def clicked(client: TestClient) -> dict[str, Any]:
    """A prospect who clicked a link of a message sent two hours ago: the click's id."""
    rep = make_user(client)
    prospect = make_prospect(client, rep)
    message = send_message(
        client, rep, prospect["id"], sent_at=(utcnow() - timedelta(hours=2)).isoformat()
    )
    click = client.get(path_of(message["links"][0]["tracked_url"]), headers=browser())
    return {"prospect": prospect, "vid": click.headers["location"].split("cnd_vid=", 1)[1]}


class TestOffByDefault:
    def test_the_shipped_default_policy_stores_no_anonymous_visit(self, client: TestClient) -> None:
        policy = client.get("/api/policies/default", headers=auth(ADMIN_KEY)).json()
        assert policy["active"] is True and policy["document"]["anonymous_visits"] is False

    def test_a_page_view_without_a_visitor_id_is_not_stored_and_is_counted(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        before = metric(client, UNRECORDED)
        beacon(client, PAGE)
        noscript(client, {"site": "example.com", "url": "https://example.com/a"})
        assert stored_events(runtime, "visit") == []
        assert metric(client, UNRECORDED) == before + 2

    def test_a_visitor_id_no_click_handed_out_is_anonymous_too(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        before = metric(client, UNRECORDED)
        beacon(client, {**PAGE, "vid": "6745a3c1NoSuchVisitorId0"})
        noscript(client, {"site": "example.com", "url": "https://example.com/", "vid": "abcdefgh"})
        assert stored_events(runtime, "visit") == []
        assert metric(client, UNRECORDED) == before + 2

    def test_a_known_visitors_visit_is_stored_whole_and_confirms_the_click(
        self, client: TestClient, runtime: Runtime, clicked: dict[str, Any]
    ) -> None:
        before = metric(client, UNRECORDED)
        beacon(client, {**PAGE, "vid": clicked["vid"]})
        [visit] = stored_events(runtime, "visit")
        assert visit.prospect_id == clicked["prospect"]["id"]
        assert visit.visitor_id == clicked["vid"]
        # A person's visit: exported and erased with them, kept as the site sent it.
        assert (visit.ip_prefix, visit.user_agent) == ("203.0.113.0", BROWSER_UA)
        assert (visit.url, visit.referrer) == (PAGE["url"], PAGE["referrer"])
        [click] = stored_events(runtime, "click")
        assert click.evidence == "confirmed" and "visit_followed" in click.reasons
        assert metric(client, UNRECORDED) == before

    def test_a_privacy_signal_is_not_counted_as_an_anonymous_visit(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        before = metric(client, UNRECORDED)
        beacon(client, PAGE, DNT="1")
        assert stored_events(runtime, "visit") == []
        assert metric(client, UNRECORDED) == before


class TestOn:
    @pytest.fixture(autouse=True)
    def _switched_on(self, client: TestClient) -> None:
        allow_anonymous_visits(client)

    def test_stored_without_address_or_user_agent_with_url_and_referrer_minimised(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        before = metric(client, UNRECORDED)
        beacon(client, PAGE)
        [visit] = stored_events(runtime, "visit")
        assert (visit.prospect_id, visit.visitor_id) == (None, None)
        assert (visit.ip_prefix, visit.user_agent) == (None, None)
        assert visit.url == "https://Example.com/pricing"
        assert visit.referrer == "https://www.google.com/"
        assert (visit.site, visit.title) == ("example.com", "Pricing")
        assert visit.evidence == "human"  # judged on the whole request, while in hand
        assert metric(client, UNRECORDED) == before

    def test_the_verdict_still_reads_the_user_agent_it_does_not_keep(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        response = client.post(
            "/v",
            content=json.dumps(PAGE),
            headers={"User-Agent": "curl/8.0", "X-Forwarded-For": "198.51.100.9"},
        )
        assert response.status_code == 204
        [visit] = stored_events(runtime, "visit")
        assert visit.evidence == "bot" and visit.user_agent is None

    def test_the_noscript_image_and_an_unknown_visitor_id_are_stored_alike(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        noscript(client, {"site": "example.com", "url": "https://example.com/a?cnd_vid=x#top"})
        beacon(client, {**PAGE, "url": "https://example.com/b", "vid": "6745a3c1NoSuchVisitorId0"})
        visits = stored_events(runtime, "visit")
        assert [v.url for v in visits] == ["https://example.com/a", "https://example.com/b"]
        assert all(v.ip_prefix is None and v.user_agent is None for v in visits)
        assert all(v.visitor_id is None and v.prospect_id is None for v in visits)

    def test_a_known_visitors_visit_is_unchanged(
        self, client: TestClient, runtime: Runtime, clicked: dict[str, Any]
    ) -> None:
        beacon(client, {**PAGE, "vid": clicked["vid"]})
        [visit] = stored_events(runtime, "visit")
        assert (visit.prospect_id, visit.ip_prefix) == (clicked["prospect"]["id"], "203.0.113.0")
        assert visit.url == PAGE["url"]
        [click] = stored_events(runtime, "click")
        assert click.evidence == "confirmed"

    def test_a_replay_is_stored_once(self, client: TestClient, runtime: Runtime) -> None:
        beacon(client, PAGE)
        beacon(client, PAGE)
        assert len(stored_events(runtime, "visit")) == 1

    def test_retention_purges_them_whole_months_included(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        # On PostgreSQL the aged row lands in a month partition of its own, which
        # retention drops whole; on SQLite it is deleted row by row.
        aged = month_start(utcnow() - timedelta(days=400))
        with runtime.engine.begin() as connection:
            ensure_partitions(connection, since=aged)
        beacon(client, PAGE)
        age_events(runtime, hours=24 * 400)
        beacon(client, {**PAGE, "url": "https://example.com/today"})
        counts = run_retention(runtime)
        assert counts["events"] == 1
        assert [v.url for v in stored_events(runtime, "visit")] == ["https://example.com/today"]
        with runtime.engine.connect() as connection:
            if is_partitioned(connection):
                months = {partition.start for partition in partitions(connection)}
                assert aged not in months  # dropped whole


class TestThePolicySwitch:
    @pytest.mark.parametrize("value", ["yes", "true", 1, None])
    def test_a_value_that_is_not_true_or_false_is_a_422_naming_the_field(
        self, client: TestClient, runtime: Runtime, value: Any
    ) -> None:
        admin = auth(ADMIN_KEY)
        document = client.get("/api/policies/default", headers=admin).json()["document"]
        response = client.put(
            "/api/policies/default",
            json={"document": {**document, "anonymous_visits": value}},
            headers=admin,
        )
        assert response.status_code == 422
        [error] = response.json()["detail"]
        assert error["loc"] == ["body", "document", "anonymous_visits"]
        assert error["msg"] == f"anonymous_visits: {value!r} is not true or false"
        versions = client.get("/api/policies/default/versions", headers=admin).json()
        assert [v["version"] for v in versions] == [1]  # nothing half-written
        assert runtime.policies.get().policy.anonymous_visits is False

    def test_a_yaml_document_is_checked_the_same_way(self, client: TestClient) -> None:
        document = "anonymous_visits: sometimes\nrules: [{name: r, roles: [rep]}]\n"
        response = client.post(
            "/api/policies", json={"name": "p", "document": document}, headers=auth(ADMIN_KEY)
        )
        assert response.status_code == 422
        [error] = response.json()["detail"]
        assert error["loc"] == ["body", "document", "anonymous_visits"]
        assert "'sometimes' is not true or false" in error["msg"]

    def test_switching_it_off_again_stops_storing_them(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        allow_anonymous_visits(client)
        beacon(client, PAGE)
        activate_default_policy_with(client, anonymous_visits=False)
        beacon(client, {**PAGE, "url": "https://example.com/later"})
        assert [v.url for v in stored_events(runtime, "visit")] == ["https://Example.com/pricing"]


class TestTheSnapshot:
    def test_a_collector_started_without_the_database_keeps_the_switch(
        self, tmp_path: Path
    ) -> None:
        document = {**policy_to_document(builtin_policy("default")), "anonymous_visits": True}
        active = ActivePolicy(name="default", version=2, policy=load_policy(document))
        write_snapshot(tmp_path, Snapshot(keys=[], policy=active, messages={}, links=[]))
        saved = read_snapshot(tmp_path)
        assert saved is not None and saved.policy == active

    def test_a_snapshot_from_before_the_switch_reads_as_off(self, tmp_path: Path) -> None:
        active = ActivePolicy(name="default", version=1, policy=builtin_policy("default"))
        write_snapshot(tmp_path, Snapshot(keys=[], policy=active, messages={}, links=[]))
        file = tmp_path / "snapshot.json"
        older = json.loads(file.read_text())
        del older["policy"]["document"]["anonymous_visits"]
        file.write_text(json.dumps(older))
        saved = read_snapshot(tmp_path)
        assert saved is not None and saved.policy is not None
        assert saved.policy.policy.anonymous_visits is False


_TEXT = st.text(alphabet="aZ09-._~%!$&'()*+,;=:@/?#", max_size=12)


@given(
    scheme=st.sampled_from(["http", "https", "HTTPS"]),
    user=st.one_of(
        st.just(""),
        _TEXT.map(lambda text: text.replace("/", "").replace("?", "").replace("#", "") + "@"),
    ),
    host=st.sampled_from(["example.com", "Example.COM:8443", "[2001:db8::1]", "10.0.0.1:80"]),
    rest=_TEXT,
)
def test_the_minimised_url_is_what_urlsplit_says_the_page_is(
    scheme: str, user: str, host: str, rest: str
) -> None:
    url = f"{scheme}://{user}{host}{rest}"
    try:
        VisitIn(site="example.com", url=url)
    except ValueError:
        return  # the beacon refuses it before anything is minimised
    parts = urlsplit(url)
    base = f"{parts.scheme.lower()}://{parts.netloc.rpartition('@')[2]}"
    assert _without_query(url) == base + (parts.path or "/")
    assert _origin(url) == base + "/"
