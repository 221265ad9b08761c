"""Taking back an email within 30 minutes of preparing it: DELETE /api/messages/{id}.

Time alone decides, never what was recorded: the answer must not tell the rep at once
what the disclosure policy shows him only late and coarsely.
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from pixel.gif import TRANSPARENT_GIF
from service.db import migrate_to
from service.messages import service as message_service
from service.models import AuditEntry, Event, Link, Message, utcnow
from service.runtime import Runtime
from service.timestamps import CLOCK_SKEW
from service.tracking.spool import Op
from tests.conftest import ADMIN_KEY
from tests.factories import (
    BROWSER_UA,
    auth,
    make_prospect,
    make_user,
    page_of,
    path_of,
    prepared_ago,
    send_message,
    stored_events,
)

BROWSER = {"User-Agent": BROWSER_UA, "X-Forwarded-For": "203.0.113.77"}


def rows(runtime: Runtime, model: Any) -> list[Any]:
    with Session(runtime.engine) as session:
        return list(session.exec(select(model)))


def engage(client: TestClient, message: dict[str, Any], page: str = "/pricing") -> str:
    """A person's open, a mail scanner's open, a click and a page visit after it; the
    visitor id the click handed out."""
    client.get(path_of(message["pixel_url"]), headers=BROWSER)
    client.get(path_of(message["pixel_url"]), headers={"User-Agent": "Mozilla/5.0"})
    location = client.get(path_of(message["links"][0]["tracked_url"]), headers=BROWSER)
    vid = location.headers["location"].split("cnd_vid=", 1)[1]
    body = {"site": "example.com", "url": f"https://example.com{page}", "vid": vid}
    assert client.post("/v", content=json.dumps(body), headers=BROWSER).status_code == 204
    return vid


def discarded_entries(runtime: Runtime) -> list[dict[str, Any]]:
    return [
        json.loads(entry.detail)
        for entry in rows(runtime, AuditEntry)
        if entry.action == "message.discarded"
    ]


@pytest.fixture
def sent(client: TestClient) -> dict[str, Any]:
    rep = make_user(client)
    prospect = make_prospect(client, rep)
    message = send_message(client, rep, prospect["id"])
    return {"rep": rep, "prospect": prospect, "message": message}


class TestDiscarding:
    def test_an_email_with_no_hit_goes_with_its_links_and_its_sending(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        rep, message = sent["rep"], sent["message"]
        kept = send_message(client, rep, sent["prospect"]["id"], subject="The one I sent")
        response = client.delete(f"/api/messages/{message['id']}", headers=rep.headers)
        assert response.status_code == 204 and response.content == b""
        assert [m.id for m in rows(runtime, Message)] == [kept["id"]]
        assert {link.message_id for link in rows(runtime, Link)} == {kept["id"]}
        assert [e.message_id for e in stored_events(runtime)] == [kept["id"]]
        listed = client.get(
            f"/api/prospects/{sent['prospect']['id']}/messages", headers=rep.headers
        ).json()
        assert [m["subject"] for m in listed] == ["The one I sent"]

    def test_its_pixel_and_links_then_answer_as_unknown_tokens(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        message = sent["message"]
        pixel, link = path_of(message["pixel_url"]), path_of(message["links"][0]["tracked_url"])
        # Cached by the collector before the discard: the cache must not keep it alive.
        runtime.targets.load_link(link.rsplit("/", 1)[1][:16])
        assert (
            client.delete(f"/api/messages/{message['id']}", headers=sent["rep"].headers).status_code
            == 204
        )
        opened = client.get(pixel, headers=BROWSER)
        assert opened.status_code == 200 and opened.content == TRANSPARENT_GIF
        clicked = client.get(link, headers=BROWSER)
        assert clicked.status_code == 404 and "location" not in clicked.headers
        assert stored_events(runtime) == []

    def test_the_discard_is_audited_with_who_which_message_and_which_prospect(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        rep, message = sent["rep"], sent["message"]
        client.delete(f"/api/messages/{message['id']}", headers=rep.headers)
        [entry] = [e for e in rows(runtime, AuditEntry) if e.action == "message.discarded"]
        assert entry.actor_id == rep.id and entry.actor_role == "rep"
        assert entry.prospect_id == sent["prospect"]["id"]
        assert json.loads(entry.detail) == {"message_id": message["id"], "links": 3, "events": 0}

    def test_the_transparency_page_keeps_no_trace_of_it(
        self, client: TestClient, sent: dict[str, Any]
    ) -> None:
        page = page_of(sent["message"])
        before = client.get(page + ".json").json()
        assert [fact["email"] for fact in before["recorded"]] == ["Our proposal"]
        client.delete(f"/api/messages/{sent['message']['id']}", headers=sent["rep"].headers)
        assert client.get(page + ".json").json()["recorded"] == []


class TestWhateverWasRecorded:
    """Within the window everything recorded for the email goes with it, and the rep's
    answer says nothing about whether there was anything."""

    def test_its_opens_clicks_and_the_visits_after_its_clicks_go_with_it(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        rep, message = sent["rep"], sent["message"]
        kept = send_message(client, rep, sent["prospect"]["id"], subject="The one I sent")
        kept_vid = engage(client, kept, page="/kept")
        vid = engage(client, message)
        assert {e.kind for e in stored_events(runtime) if e.visitor_id == vid} == {
            "click",
            "visit",
        }
        hits = [e for e in stored_events(runtime) if e.kind != "email_sent"]
        gone = [e for e in hits if e.message_id == message["id"] or e.visitor_id == vid]
        assert {e.kind for e in gone} == {"open", "click", "visit"}
        response = client.delete(f"/api/messages/{message['id']}", headers=rep.headers)
        assert response.status_code == 204
        left = stored_events(runtime)
        assert not [e for e in left if e.message_id == message["id"] or e.visitor_id == vid]
        # The other email keeps all it had, the visit after its click too.
        assert {e.id for e in left} == {e.id for e in stored_events(runtime)} - {e.id for e in gone}
        assert [e.url for e in left if e.kind == "visit"] == ["https://example.com/kept"]
        assert {e.visitor_id for e in left if e.kind == "visit"} == {kept_vid}
        assert [m.id for m in rows(runtime, Message)] == [kept["id"]]
        assert discarded_entries(runtime) == [
            {"message_id": message["id"], "links": 3, "events": len(gone)}
        ]

    def test_the_reps_answer_is_the_same_with_and_without_events(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        rep, quiet = sent["rep"], sent["message"]
        engaged = send_message(client, rep, sent["prospect"]["id"])
        engage(client, engaged)
        answers = [
            client.delete(f"/api/messages/{m['id']}", headers=rep.headers) for m in (quiet, engaged)
        ]
        assert [a.status_code for a in answers] == [204, 204]
        assert answers[0].content == answers[1].content == b""
        assert {k for k in answers[0].headers} == {k for k in answers[1].headers}
        assert rows(runtime, Message) == [] and stored_events(runtime) == []
        assert [d["events"] for d in discarded_entries(runtime)] == [
            0,
            4,
        ]  # 2 opens, a click, a visit

    def test_a_later_visit_by_one_of_its_visitors_names_nobody(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        vid = engage(client, sent["message"])  # the collector cached this visitor id
        client.delete(f"/api/messages/{sent['message']['id']}", headers=sent["rep"].headers)
        body = {"site": "example.com", "url": "https://example.com/again", "vid": vid}
        assert client.post("/v", content=json.dumps(body), headers=BROWSER).status_code == 204
        assert stored_events(runtime) == []

    def test_the_transparency_page_keeps_no_trace_of_what_was_recorded(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        page = page_of(sent["message"])
        engage(client, sent["message"])
        with Session(runtime.engine) as session:  # the page lists days past the delay
            for event in session.exec(select(Event)):
                event.occurred_at -= timedelta(days=4)
                session.add(event)
            session.commit()
        before = client.get(page + ".json").json()["recorded"]
        assert {fact["kind"] for fact in before} > {"email_sent"}
        client.delete(f"/api/messages/{sent['message']['id']}", headers=sent["rep"].headers)
        assert client.get(page + ".json").json()["recorded"] == []


class TestAfterTheWindow:
    @pytest.mark.parametrize("recorded", [False, True], ids=["no event", "events"])
    def test_it_may_have_been_sent_409_whatever_was_recorded(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any], recorded: bool
    ) -> None:
        message = sent["message"]
        if recorded:
            engage(client, message)
        before = [e.id for e in stored_events(runtime)]
        prepared_ago(runtime, message["id"], message_service.DISCARD_MINUTES + 1)
        response = client.delete(f"/api/messages/{message['id']}", headers=sent["rep"].headers)
        assert response.status_code == 409
        assert response.json() == {"detail": message_service.TOO_LATE_TO_DISCARD}
        assert "more than 30 minutes ago" in message_service.TOO_LATE_TO_DISCARD
        assert len(rows(runtime, Message)) == 1 and len(rows(runtime, Link)) == 3
        assert [e.id for e in stored_events(runtime)] == before
        assert discarded_entries(runtime) == []

    def test_a_minute_before_it_ends_the_email_can_still_be_discarded(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        message = sent["message"]
        prepared_ago(runtime, message["id"], message_service.DISCARD_MINUTES - 1)
        response = client.delete(f"/api/messages/{message['id']}", headers=sent["rep"].headers)
        assert response.status_code == 204

    def test_the_window_runs_from_its_preparation_not_its_given_sent_at(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        long_ago = send_message(
            client, rep, prospect["id"], sent_at=(utcnow() - timedelta(days=30)).isoformat()
        )
        assert (
            client.delete(f"/api/messages/{long_ago['id']}", headers=rep.headers).status_code == 204
        )
        ahead = send_message(
            client, rep, prospect["id"], sent_at=(utcnow() + CLOCK_SKEW / 2).isoformat()
        )
        prepared_ago(runtime, ahead["id"], message_service.DISCARD_MINUTES + 1)
        assert client.delete(f"/api/messages/{ahead['id']}", headers=rep.headers).status_code == 409


class TestRefusals:
    def test_an_unknown_message_is_a_404(self, client: TestClient, sent: dict[str, Any]) -> None:
        response = client.delete("/api/messages/999999", headers=sent["rep"].headers)
        assert response.status_code == 404
        assert response.json() == {"detail": "No such message."}

    def test_another_reps_message_is_the_same_404(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        other = make_user(client)
        response = client.delete(f"/api/messages/{sent['message']['id']}", headers=other.headers)
        assert response.status_code == 404
        assert response.json() == {"detail": "No such message."}
        assert len(rows(runtime, Message)) == 1

    def test_a_manager_who_reads_the_prospect_may_not_write_to_it_403(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        manager = make_user(client, "manager")
        rep = make_user(client, manager=manager)
        message = send_message(client, rep, make_prospect(client, rep)["id"])
        response = client.delete(f"/api/messages/{message['id']}", headers=manager.headers)
        assert response.status_code == 403
        assert "who prepared this email, can discard it" in response.json()["detail"]
        assert len(rows(runtime, Message)) == 1

    def test_a_new_owner_may_not_discard_what_the_previous_owner_prepared_403(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        manager = make_user(client, "manager")
        rita = make_user(client, name="Rita", manager=manager)
        rob = make_user(client, name="Rob", manager=manager)
        prospect = make_prospect(client, rita)
        message = send_message(client, rita, prospect["id"])
        engage(client, message)
        moved = client.patch(
            f"/api/prospects/{prospect['id']}", json={"owner_id": rob.id}, headers=manager.headers
        )
        assert moved.status_code == 200, moved.text
        kept = len(stored_events(runtime))
        response = client.delete(f"/api/messages/{message['id']}", headers=rob.headers)
        assert response.status_code == 403
        assert response.json() == {"detail": message_service.not_the_sender("Rita")}
        assert response.json()["detail"].startswith("Only Rita, who prepared this email,")
        assert len(rows(runtime, Message)) == 1 and len(stored_events(runtime)) == kept
        assert discarded_entries(runtime) == []

    def test_its_sender_may_still_discard_it_once_the_prospect_is_someone_elses(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        manager = make_user(client, "manager")
        rita = make_user(client, manager=manager)
        rob = make_user(client, manager=manager)
        prospect = make_prospect(client, rita)
        message = send_message(client, rita, prospect["id"])
        client.patch(
            f"/api/prospects/{prospect['id']}", json={"owner_id": rob.id}, headers=manager.headers
        )
        response = client.delete(f"/api/messages/{message['id']}", headers=rita.headers)
        assert response.status_code == 204
        assert rows(runtime, Message) == []

    def test_a_rep_who_prepared_nothing_and_reads_nothing_gets_the_404(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        manager = make_user(client, "manager")
        rita = make_user(client, manager=manager)
        message = send_message(client, rita, make_prospect(client, rita)["id"])
        stranger = make_user(client, manager=manager)  # same team, not the prospect's
        response = client.delete(f"/api/messages/{message['id']}", headers=stranger.headers)
        assert response.status_code == 404
        assert response.json() == {"detail": "No such message."}

    @pytest.mark.parametrize("role", ["compliance", "admin"])
    def test_roles_that_never_send_get_a_403(
        self, client: TestClient, sent: dict[str, Any], role: str
    ) -> None:
        headers = auth(ADMIN_KEY) if role == "admin" else make_user(client, role).headers
        response = client.delete(f"/api/messages/{sent['message']['id']}", headers=headers)
        assert response.status_code == 403

    def test_without_a_key_401(self, client: TestClient, sent: dict[str, Any]) -> None:
        assert client.delete(f"/api/messages/{sent['message']['id']}").status_code == 401


class TestTheRaceWithTheCollector:
    """A hit and a discard at once: the discard takes the hit with it, or the hit finds
    the message gone and is dropped alone, never half of each."""

    def _click_row(self, sent: dict[str, Any], runtime: Runtime) -> Op:
        with Session(runtime.engine) as session:
            link = session.exec(
                select(Link).where(
                    Link.message_id == sent["message"]["id"], col(Link.honeypot).is_(False)
                )
            ).first()
            assert link is not None
        now = utcnow()
        row = {
            "event_key": "race-click-000000000000000000000",
            "kind": "click",
            "prospect_id": sent["prospect"]["id"],
            "message_id": sent["message"]["id"],
            "link_id": link.id,
            "occurred_at": now,
            "received_at": now,
            "evidence": "human",
            "reasons": "",
        }
        return {"op": "event", "row": row}

    def test_a_hit_written_after_the_discard_is_dropped_and_the_rest_of_its_batch_kept(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        click = self._click_row(sent, runtime)
        client.delete(f"/api/messages/{sent['message']['id']}", headers=sent["rep"].headers)
        other = send_message(client, sent["rep"], sent["prospect"]["id"])
        now = utcnow()
        kept: Op = {
            "op": "event",
            "row": {
                "event_key": "race-open-0000000000000000000000",
                "kind": "open",
                "prospect_id": sent["prospect"]["id"],
                "message_id": other["id"],
                "occurred_at": now,
                "received_at": now,
                "evidence": "human",
                "reasons": "",
            },
        }
        assert runtime.writer.submit([click, kept]).result(timeout=30) == "dropped"
        assert runtime.writer.healthy  # a gone message is no outage: nothing spooled
        assert [
            (e.kind, e.message_id) for e in stored_events(runtime) if e.kind != "email_sent"
        ] == [("open", other["id"])]

    def test_a_hit_whose_transaction_is_open_makes_the_discard_wait_then_take_it(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        """The collector's transaction has inserted its event but not committed when the
        discard starts: the discard must wait for it, then delete that event too (not
        leave it behind, nor fail on it)."""
        click = self._click_row(sent, runtime)
        events: sa.Table = Event.__table__  # type: ignore[attr-defined]
        inserted, answered = threading.Event(), threading.Event()
        results: dict[str, int] = {}

        def discard() -> None:
            inserted.wait(10)
            response = client.delete(
                f"/api/messages/{sent['message']['id']}", headers=sent["rep"].headers
            )
            results["status"] = response.status_code
            answered.set()

        worker = threading.Thread(target=discard)
        worker.start()
        with runtime.engine.connect() as connection, connection.begin():
            connection.execute(sa.insert(events), [click["row"]])
            inserted.set()
            # The discard waits for this transaction (a row lock on PostgreSQL, the
            # write lock on SQLite) instead of answering before it commits.
            assert not answered.wait(1.0)
        worker.join(30)
        assert results["status"] == 204
        assert rows(runtime, Message) == [] and stored_events(runtime) == []
        assert [d["events"] for d in discarded_entries(runtime)] == [1]


class TestIdsAreNeverReused:
    """A hit in flight names the discarded email by its ids: the next email must not
    take them over (SQLite would give them out again without AUTOINCREMENT)."""

    def test_the_next_email_and_its_links_get_new_ids(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        rep, message = sent["rep"], sent["message"]
        old_links = {link.id for link in rows(runtime, Link)}
        client.delete(f"/api/messages/{message['id']}", headers=rep.headers)
        again = send_message(client, rep, sent["prospect"]["id"])
        assert again["id"] > message["id"]
        assert min(link.id for link in rows(runtime, Link)) > max(old_links)

    def test_migration_0011_keeps_every_row_and_id(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        if runtime.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL's sequences never reuse an id; 0011 changes nothing there")
        before = [(m.id, m.ref, m.html) for m in rows(runtime, Message)]
        links = [(link.id, link.ref, link.message_id) for link in rows(runtime, Link)]
        migrate_to(runtime.engine, "0010", down=True)
        migrate_to(runtime.engine, "head")
        assert [(m.id, m.ref, m.html) for m in rows(runtime, Message)] == before
        assert [(link.id, link.ref, link.message_id) for link in rows(runtime, Link)] == links
        with runtime.engine.connect() as connection:
            tables = connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE sql LIKE '%AUTOINCREMENT%'"
            ).scalars()
            assert {"message", "link"} <= set(tables)  # and 0014's


class TestAfterAHandOver:
    def test_the_new_owner_may_not_take_back_an_email_the_earlier_owner_prepared(
        self, client: TestClient, runtime: Runtime, sent: dict[str, Any]
    ) -> None:
        heir = make_user(client)
        moved = client.post(
            f"/api/users/{sent['rep'].id}/prospects/handover",
            json={"to_user_id": heir.id},
            headers=auth(ADMIN_KEY),
        )
        assert moved.json()["moved"] == 1
        response = client.delete(f"/api/messages/{sent['message']['id']}", headers=heir.headers)
        assert response.status_code == 403
        assert "who prepared this email" in response.json()["detail"]
        assert len(rows(runtime, Message)) == 1
        # Their own email to the prospect they may take back as usual.
        own = send_message(client, heir, sent["prospect"]["id"])
        assert client.delete(f"/api/messages/{own['id']}", headers=heir.headers).status_code == 204
