"""The demo workspace shows what Candor is for: coarse facts and honest openers."""

from __future__ import annotations

from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from service.demo import seed
from service.models import Message
from service.runtime import Runtime
from tests.factories import auth


class TestDemo:
    def test_the_demo_rep_sees_coarse_facts_and_openers_but_no_machine_reads(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        with Session(runtime.engine) as session:
            keys = seed(session, runtime=runtime, admin_key="cnd_demo-admin-key-for-tests")
        anna = keys.prospect_ids["anna"]
        body = client.get(f"/api/prospects/{anna}/timeline", headers=auth(keys.rep)).json()
        opened = next(fact for fact in body["facts"] if fact["kind"] == "email_opened")
        assert opened["count"] == 2 and opened["evidence"] == "human"
        assert all(fact["evidence"] != "machine" for fact in body["facts"])
        frank = client.get(
            f"/api/prospects/{keys.prospect_ids['frank']}/timeline", headers=auth(keys.rep)
        ).json()
        assert frank["policy"]["rule"] == "reps-in-high-trust-barrier-industries"
        assert frank["prospect"]["language"] == "de"
        with Session(runtime.engine) as session:
            sent = session.exec(
                select(Message).where(col(Message.prospect_id) == keys.prospect_ids["frank"])
            ).all()
        assert sent and all("Diese E-Mail zeichnet auf" in message.html for message in sent)
        assert 2 <= len(body["openers"]) <= 4
