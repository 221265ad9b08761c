"""The evaluator's inputs as the timeline and the prospect lists read them."""

from __future__ import annotations

from sqlmodel import Session
from starlette.testclient import TestClient

from service.runtime import Runtime
from service.timeline.service import event_views, event_views_by_prospect
from tests.factories import make_prospect, make_user
from tests.service.timeline.test_router import engage


class TestEventViews:
    def test_each_event_carries_its_subject_and_a_click_its_destination(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        prospect = engage(client, rep)
        with Session(runtime.engine) as session:
            views = event_views(session, prospect_id=prospect["id"])
        assert [view.kind for view in views] == ["email_sent", "open", "open", "click", "visit"]
        assert [view.occurred_at for view in views] == sorted(view.occurred_at for view in views)
        assert {view.message_subject for view in views if view.kind != "visit"} == {"Our proposal"}
        (click,) = [view for view in views if view.kind == "click"]
        assert click.url == "https://example.com/pricing?plan=team&seats=5"
        (visit,) = [view for view in views if view.kind == "visit"]
        assert (visit.url, visit.message_subject) == ("https://example.com/security/overview", None)

    def test_a_prospect_without_messages_has_no_events(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        prospect = make_prospect(client, make_user(client))
        with Session(runtime.engine) as session:
            assert event_views(session, prospect_id=prospect["id"]) == []

    def test_a_list_reads_each_prospect_as_its_timeline_does(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep = make_user(client)
        ids = [engage(client, rep)["id"], engage(client, rep, email="bo@example.com")["id"]]
        ids.append(make_prospect(client, rep, email="quiet@example.com")["id"])
        with Session(runtime.engine) as session:
            listed = event_views_by_prospect(session, prospect_ids=ids)
            alone = {
                prospect_id: event_views(session, prospect_id=prospect_id) for prospect_id in ids
            }
        assert listed == alone
        assert [len(listed[prospect_id]) for prospect_id in ids] == [5, 5, 0]
