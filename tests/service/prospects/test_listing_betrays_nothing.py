"""Lists are ordered and badged by visible facts only: hidden events change nothing.

Two worlds differ only by events the viewer may not see under the default policy:
events still inside the rule's delay, machine and bot evidence under ``min_evidence:
human``, and page visits of prospects in industries whose rule hides them. The list
(order, badges, total) must be the same in both, and every badge must be a fact of
that prospect's own timeline for the same viewer.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session
from starlette.testclient import TestClient

from pixel.tokens import new_ref
from service.compliance.policy_store import get_active_policy
from service.models import Event, Link, Message, Prospect, User, utcnow
from service.people import service as people
from service.prospects import service
from service.runtime import Runtime
from service.timeline.service import view
from tests.factories import make_user

KINDS = ("open", "click", "visit")
URLS = ("https://acme.example/pricing", "https://acme.example/blog/a", "https://acme.example/trust")

visible_event = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(KINDS),
        "hours_ago": st.integers(min_value=60, max_value=24 * 40),
        "evidence": st.sampled_from(["human", "confirmed"]),
        "url": st.sampled_from(URLS),
    }
)
hidden_event = st.one_of(
    # inside every rule's delay (24 h for reps, 48 h for finance and healthcare)
    st.fixed_dictionaries(
        {
            "kind": st.sampled_from(KINDS),
            "hours_ago": st.integers(min_value=0, max_value=20),
            "evidence": st.sampled_from(["human", "confirmed"]),
            "url": st.sampled_from(URLS),
        }
    ),
    # below min_evidence: human, at any age
    st.fixed_dictionaries(
        {
            "kind": st.sampled_from(KINDS),
            "hours_ago": st.integers(min_value=0, max_value=24 * 40),
            "evidence": st.sampled_from(["machine", "bot"]),
            "url": st.sampled_from(URLS),
        }
    ),
)
prospect_world = st.fixed_dictionaries(
    {
        "industry": st.sampled_from([None, "retail", "finance"]),
        "sent_hours_ago": st.one_of(st.none(), st.integers(min_value=0, max_value=24 * 40)),
        "visible": st.lists(visible_event, max_size=3),
        "hidden": st.lists(hidden_event, max_size=3),
        "hidden_visits": st.lists(st.integers(min_value=60, max_value=24 * 40), max_size=2),
    }
)


def _add_events(
    session: Session, prospect: Prospect, message: Message, link: Link, events: list[dict[str, Any]]
) -> None:
    now = utcnow()
    for event in events:
        session.add(
            Event(
                kind=event["kind"],
                prospect_id=prospect.id,
                message_id=message.id if event["kind"] != "visit" else None,
                link_id=link.id if event["kind"] == "click" else None,
                url=event["url"] if event["kind"] == "visit" else None,
                occurred_at=now - timedelta(hours=event["hours_ago"]),
                evidence=event["evidence"],
            )
        )


def _build(session: Session, owner: User, worlds: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    built = []
    for index, world in enumerate(worlds):
        prospect = Prospect(
            ref=new_ref(),
            owner_id=owner.id,  # type: ignore[arg-type]
            person_id=people.person_for(session, f"p{index}@example.com"),
            email=f"p{index}@example.com",
            industry=world["industry"],
        )
        session.add(prospect)
        session.flush()
        assert prospect.id is not None
        sent_at = utcnow() - timedelta(hours=world["sent_hours_ago"] or 0)
        message = Message(
            ref=new_ref(),
            prospect_id=prospect.id,
            sender_id=owner.id,
            subject="Hello",  # type: ignore[arg-type]
            html="<p/>",
            sent_at=sent_at,
            # Stored before any of its events, as the collector guarantees (a timeline
            # reads a prospect's events from its first message on).
            created_at=utcnow() - timedelta(days=41),
        )
        session.add(message)
        session.flush()
        assert message.id is not None
        link = Link(ref=new_ref(), message_id=message.id, url=URLS[0])
        session.add(link)
        session.flush()
        if world["sent_hours_ago"] is not None:
            session.add(
                Event(
                    kind="email_sent",
                    prospect_id=prospect.id,
                    message_id=message.id,
                    occurred_at=sent_at,
                    evidence="confirmed",
                )
            )
        _add_events(session, prospect, message, link, world["visible"])
        built.append((prospect, message, link))
    session.commit()
    return built


def _listing(session: Session, user: User) -> list[tuple[str, Any]]:
    page = service.list_page(session, user=user, order="last_engagement", limit=1000)
    return [(row.prospect.email, row.last_activity) for row in page.rows]


class TestListingOrderAndBadges:
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(worlds=st.lists(prospect_world, min_size=1, max_size=5), as_manager=st.booleans())
    def test_hidden_events_change_neither_the_order_nor_the_badges(
        self,
        client: TestClient,
        runtime: Runtime,
        worlds: list[dict[str, Any]],
        as_manager: bool,
    ) -> None:
        boss = make_user(client, "manager")
        rep = make_user(client, manager=boss)  # a fresh team per example: worlds never mix
        viewer_id = boss.id if as_manager else rep.id
        with Session(runtime.engine) as session:
            owner, viewer = session.get(User, rep.id), session.get(User, viewer_id)
            assert owner is not None and viewer is not None
            built = _build(session, owner, worlds)
            before = _listing(session, viewer)

            policy = get_active_policy(session).policy
            for (prospect, _message, _link), (email, badge) in zip(
                sorted(built, key=lambda b: [e for e, _ in before].index(b[0].email)),
                before,
                strict=True,
            ):
                assert prospect.email == email
                facts = view(
                    session, policy=policy, role=viewer.role, user_id=viewer.id, prospect=prospect
                ).facts
                assert badge is None or badge in facts

            for (prospect, message, link), world in zip(built, worlds, strict=True):
                _add_events(session, prospect, message, link, world["hidden"])
                if prospect.industry == "finance" and not as_manager:
                    visits = [
                        {"kind": "visit", "hours_ago": h, "evidence": "human", "url": URLS[1]}
                        for h in world["hidden_visits"]
                    ]
                    _add_events(session, prospect, message, link, visits)
            session.commit()
            assert _listing(session, viewer) == before
