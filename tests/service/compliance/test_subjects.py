"""Data-subject requests: export everything, erase everything."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from pixel.gif import TRANSPARENT_GIF
from service.compliance import subjects
from service.compliance.retention import run_retention
from service.models import AuditEntry, User, utcnow
from service.runtime import Runtime
from tests.factories import (
    BROWSER_UA,
    age_events,
    make_prospect,
    make_user,
    path_of,
    send_message,
    stored_events,
)

HEADERS = {"User-Agent": BROWSER_UA, "X-Forwarded-For": "203.0.113.5"}


class TestExportAndErasure:
    def test_export_holds_the_prospect_messages_and_events(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep, cora = make_user(client), make_user(client, "compliance")
        prospect = make_prospect(client, rep)
        message = send_message(client, rep, prospect["id"])
        client.get(path_of(message["pixel_url"]), headers=HEADERS)
        click = client.get(path_of(message["links"][0]["tracked_url"]), headers=HEADERS)
        vid = click.headers["location"].split("cnd_vid=", 1)[1]
        response = client.get(f"/api/prospects/{prospect['id']}/export", headers=cora.headers)
        assert response.status_code == 200
        body = response.json()
        assert body["prospect"]["email"] == "anna@example.com"
        assert [m["subject"] for m in body["messages"]] == ["Our proposal"]
        # The timeline's vocabulary; sending is no evidence of anything Anna did.
        assert [e["kind"] for e in body["events"]] == ["email_sent", "email_opened", "link_clicked"]
        assert body["events"][0]["evidence"] is None
        assert body["events"][1]["ip_prefix"] == "203.0.113.0"
        assert body["events"][2]["visitor_id"] == vid
        assert body["visitor_ids"] == [vid]
        assert (
            client.get(f"/api/prospects/{prospect['id']}/export", headers=rep.headers).status_code
            == 403
        )

    def test_each_record_in_the_export_keeps_its_language(self, client: TestClient) -> None:
        rep, other, cora = make_user(client), make_user(client), make_user(client, "compliance")
        german = make_prospect(client, rep, language="de-AT")
        make_prospect(client, other)  # the same person, held by another rep, no language
        body = client.get(f"/api/prospects/{german['id']}/export", headers=cora.headers).json()
        assert body["prospect"]["language"] == "de-AT"
        assert sorted(str(r["language"]) for r in body["prospects"]) == ["None", "de-AT"]

    def test_erasure_removes_the_person_and_later_hits_record_nothing(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep, cora = make_user(client), make_user(client, "compliance")
        prospect = make_prospect(client, rep)
        message = send_message(client, rep, prospect["id"])
        client.get(path_of(message["pixel_url"]), headers=HEADERS)
        click = client.get(path_of(message["links"][0]["tracked_url"]), headers=HEADERS)
        vid = click.headers["location"].split("cnd_vid=", 1)[1]
        beacon = {"site": "example.com", "url": "https://example.com/pricing", "vid": vid}
        assert client.post("/v", content=json.dumps(beacon), headers=HEADERS).status_code == 204
        assert (
            client.delete(f"/api/prospects/{prospect['id']}", headers=cora.headers).status_code
            == 204
        )
        assert stored_events(runtime) == []
        assert (
            client.get(f"/api/prospects/{prospect['id']}", headers=rep.headers).status_code == 404
        )
        assert client.get(path_of(message["pixel_url"]), headers=HEADERS).content == TRANSPARENT_GIF
        click = client.get(path_of(message["links"][0]["tracked_url"]), headers=HEADERS)
        assert click.status_code == 302
        assert click.headers["location"] == "https://example.com/pricing?plan=team&seats=5"
        assert stored_events(runtime) == []
        actions = [
            i["action"] for i in client.get("/api/audit", headers=cora.headers).json()["items"]
        ]
        assert "prospect.erase" in actions
        # The visitor id went with its click: a later visit carrying it names nobody, and
        # is not stored (the policy's anonymous_visits is off).
        assert (
            client.post(
                "/v", content=json.dumps(beacon | {"url": "https://example.com/b"}), headers=HEADERS
            ).status_code
            == 204
        )
        assert stored_events(runtime, "visit") == []

    def test_erasing_twice_is_a_404(self, client: TestClient) -> None:
        rep, cora = make_user(client), make_user(client, "compliance")
        prospect = make_prospect(client, rep)
        assert (
            client.delete(f"/api/prospects/{prospect['id']}", headers=cora.headers).status_code
            == 204
        )
        assert (
            client.delete(f"/api/prospects/{prospect['id']}", headers=cora.headers).status_code
            == 404
        )

    def test_a_rep_cannot_erase(self, client: TestClient) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        assert (
            client.delete(f"/api/prospects/{prospect['id']}", headers=rep.headers).status_code
            == 403
        )


class TestFindByEmail:
    def test_every_owners_record_of_the_email_is_found_whatever_its_case(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        first, second = make_user(client), make_user(client)
        one = make_prospect(client, first, email="Anna@Example.com")
        two = make_prospect(client, second, email="anna@example.com")
        make_prospect(client, second, email="bob@example.com")
        with Session(runtime.engine) as session:
            officer = session.get(User, make_user(client, "compliance").id)
            assert officer is not None
            found = subjects.find_by_email(session, user=officer, email=" ANNA@example.com ")
            assert [p.id for p in found.records] == [one["id"], two["id"]]
            assert found.suppression is None
            [entry] = session.exec(
                select(AuditEntry).where(col(AuditEntry.action) == "prospect.find")
            ).all()
            assert json.loads(entry.detail) == {"matches": 2, "suppressed": False}
            assert "anna" not in entry.detail.lower()


class TestRetention:
    def test_events_older_than_the_retention_period_are_purged(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        message = send_message(client, rep, prospect["id"])
        client.get(path_of(message["pixel_url"]), headers=HEADERS)
        age_events(runtime, hours=24 * 400)
        counts = run_retention(runtime)
        assert counts["events"] == 1
        assert [e.kind for e in stored_events(runtime)] == ["email_sent"]


class TestAuditIsAppendOnly:
    def test_the_database_refuses_to_change_or_delete_audit_entries(self, runtime: Runtime) -> None:
        with Session(runtime.engine) as session:
            session.add(AuditEntry(action="test", at=utcnow()))
            session.commit()
        for statement in ("UPDATE audit_entry SET action = 'x'", "DELETE FROM audit_entry"):
            with pytest.raises(sa.exc.DBAPIError), Session(runtime.engine) as session:
                session.execute(sa.text(statement))
                session.commit()
