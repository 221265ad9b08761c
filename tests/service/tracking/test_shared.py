"""Two collector processes sharing Redis: one replay window and one burst rule between them."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import redis
from starlette.testclient import TestClient

from service.app import create_app
from service.config import Settings
from service.db import create_db_engine
from service.metrics import SHARED_WINDOW
from service.models import utcnow
from service.runtime import Runtime, build_runtime, prepare_database
from service.tracking.service import new_event_key
from service.tracking.shared import SharedWindows
from tests.factories import (
    BROWSER_UA,
    make_prospect,
    make_user,
    path_of,
    send_message,
    stored_events,
)

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not _redis_answers(), reason="no Redis at 127.0.0.1:6379")
HEADERS = {"User-Agent": BROWSER_UA, "X-Forwarded-For": "203.0.113.77"}


@pytest.fixture
def shared_settings(settings: Settings) -> Settings:
    """The test settings, with windows in Redis under keys of this test alone."""
    return settings.model_copy(
        update={"redis_url": REDIS_URL, "redis_prefix": f"candor-test:{secrets.token_hex(6)}:"}
    )


@pytest.fixture
def replicas(shared_settings: Settings) -> Iterator[list[tuple[TestClient, Runtime]]]:
    """Two collector processes on one database and one Redis."""
    engine = create_db_engine(shared_settings.database_url)
    prepare_database(shared_settings, engine)
    runtimes = [build_runtime(shared_settings, engine) for _ in range(2)]
    clients = [
        TestClient(create_app(shared_settings, runtime), client=("127.0.0.1", 50000),
                   follow_redirects=False)
        for runtime in runtimes
    ]  # fmt: skip
    for client in clients:
        client.__enter__()
    yield list(zip(clients, runtimes, strict=True))
    for client in clients:
        client.__exit__(None, None, None)
    for runtime in runtimes:
        runtime.close()
    engine.dispose()


@pytest.fixture
def sent(replicas: list[tuple[TestClient, Runtime]]) -> dict[str, Any]:
    client = replicas[0][0]
    rep = make_user(client)
    prospect = make_prospect(client, rep)
    sent_at = (utcnow() - timedelta(hours=2)).isoformat()
    return send_message(client, rep, prospect["id"], sent_at=sent_at)


class TestSharedReplayWindow:
    def test_an_open_replayed_on_another_replica_is_stored_once(
        self, replicas: list[tuple[TestClient, Runtime]], sent: dict[str, Any]
    ) -> None:
        for client, _ in replicas * 2:
            assert client.get(path_of(sent["pixel_url"]), headers=HEADERS).status_code == 200
        assert len(stored_events(replicas[0][1], "open")) == 1

    def test_a_click_replayed_on_another_replica_is_stored_once_and_redirects_alike(
        self, replicas: list[tuple[TestClient, Runtime]], sent: dict[str, Any]
    ) -> None:
        url = path_of(sent["links"][0]["tracked_url"])
        answers = [client.get(url, headers=HEADERS).headers["location"] for client, _ in replicas]
        assert answers[0] == answers[1] and "cnd_vid=" in answers[0]
        [click] = stored_events(replicas[0][1], "click")
        assert click.visitor_id is not None and click.visitor_id in answers[0]

    def test_a_hit_whose_first_copy_died_before_its_commit_is_stored_by_the_replay(
        self, shared_settings: Settings
    ) -> None:
        assert shared_settings.redis_url is not None
        windows = SharedWindows(
            shared_settings.redis_url, replay_seconds=10, prefix=shared_settings.redis_prefix
        )
        first, again = (_open_op(key="o\x1fref\x1f203.0.113.7\x1fUA") for _ in range(2))
        windows.judge([first])  # claimed, then the process was killed: never stored
        windows.judge([again])
        assert again["row"]["event_key"] == first["row"]["event_key"]
        assert again["row"]["occurred_at"] == first["row"]["occurred_at"]


class TestSharedBurst:
    def test_a_scanner_spreading_every_link_over_replicas_is_a_bot(
        self, replicas: list[tuple[TestClient, Runtime]], sent: dict[str, Any]
    ) -> None:
        links = [path_of(link["tracked_url"]) for link in sent["links"]]
        assert len(links) >= 2
        scanner = {**HEADERS, "X-Forwarded-For": "40.94.1.1"}
        for index, url in enumerate(links):
            replicas[index % 2][0].get(url, headers=scanner)
        clicks = stored_events(replicas[0][1], "click")
        assert len(clicks) == len(links)
        assert all(click.evidence == "bot" for click in clicks)
        assert all("all_links_at_once" in click.reasons for click in clicks)

    def test_a_person_clicking_one_link_on_each_of_two_replicas_of_a_longer_message_stays_human(
        self, replicas: list[tuple[TestClient, Runtime]]
    ) -> None:
        client = replicas[0][0]
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        html = "".join(f'<a href="https://example.com/{n}">{n}</a>' for n in range(4))
        sent_at = (utcnow() - timedelta(hours=2)).isoformat()
        message = send_message(client, rep, prospect["id"], sent_at=sent_at, html=html)
        client.get(path_of(message["pixel_url"]), headers=HEADERS)
        for index in (0, 1):
            replicas[index][0].get(path_of(message["links"][index]["tracked_url"]), headers=HEADERS)
        clicks = stored_events(replicas[0][1], "click")
        assert [click.evidence for click in clicks] == ["human", "human"]


class TestRedisDown:
    def test_hits_are_still_stored_on_the_local_window_and_the_fallback_is_counted(
        self, settings: Settings
    ) -> None:
        down = settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
        engine = create_db_engine(down.database_url)
        prepare_database(down, engine)
        runtime = build_runtime(down, engine)
        fallbacks = SHARED_WINDOW.labels("fallback")._value.get()
        try:
            with TestClient(
                create_app(down, runtime), client=("127.0.0.1", 50000), follow_redirects=False
            ) as client:
                rep = make_user(client)
                message = send_message(client, rep, make_prospect(client, rep)["id"])
                for _ in range(2):
                    assert (
                        client.get(path_of(message["pixel_url"]), headers=HEADERS).status_code
                        == 200
                    )
            assert len(stored_events(runtime, "open")) == 1
            assert SHARED_WINDOW.labels("fallback")._value.get() > fallbacks
        finally:
            runtime.close()
            engine.dispose()


def _open_op(*, key: str) -> dict[str, Any]:
    now = utcnow()
    row = {"event_key": new_event_key(), "kind": "open", "occurred_at": now, "received_at": now}
    return {"op": "event", "row": row, "window": key}
