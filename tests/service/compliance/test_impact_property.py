"""The impact summary is exactly what evaluating every prospect's timeline gives.

``policy_service.impact`` counts rules per group of prospects and kinds from a summary
of the events (``service.compliance.impact``). Here random stores (segments, consent,
prospects without messages or events, several messages, events before the first
message, unknown evidence) and random pairs of policies (rules per role and segment,
delays, evidence bars, hidden kinds, GPC) are summarised both ways and compared, the
rules in the order the prospects bring them: the reference reads each prospect's
events as its timeline does (``event_views``) and runs ``evaluate`` per role and policy,
as the summary did before.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from pixel.tokens import new_ref
from policies import Policy, Viewer, evaluate, load_policy, precision_change
from service.compliance import policy_service
from service.compliance.policy_store import get_active_policy, store_version
from service.models import Event, Message, PolicyActivation, Prospect, User, utcnow
from service.people import service as people
from service.people.service import Consent
from service.runtime import Runtime
from service.timeline.service import event_views, prospect_view
from tests.factories import give_consent, make_user

SHOWN = ("email_opened", "link_clicked", "page_visited")
ROLES = ("rep", "manager", "compliance", "admin")
COUNTS = (
    "current",
    "draft",
    "revealed",
    "withdrawn",
    "more_precise_or_sooner",
    "less_precise_or_later",
)

visibility = st.one_of(
    st.just({"detail": "hidden"}),
    st.fixed_dictionaries(
        {
            "detail": st.sampled_from(["exists", "count", "topic", "full"]),
            "time": st.sampled_from(["none", "week", "day", "exact"]),
        }
    ),
)
rule = st.fixed_dictionaries(
    {
        "roles": st.lists(st.sampled_from(ROLES), min_size=1, max_size=2, unique=True),
        "segments": st.sampled_from(
            [{}, {}, {"industry": ["finance"]}, {"region": ["EU", "us"]}, {"company": ["acme"]}]
        ),
        "delay_hours": st.sampled_from([0, 0, 1, 24, 48, 0.5]),
        "min_evidence": st.sampled_from(["any", "human", "confirmed"]),
        "show": st.fixed_dictionaries({kind: visibility for kind in SHOWN}),
    }
)
policy_document = st.fixed_dictionaries(
    {"rules": st.lists(rule, max_size=3), "honor_gpc": st.booleans()}
)
event = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["email_sent", "open", "open", "click", "visit"]),
        # whole hours around the delays; some in the future, some before the message
        "hours_ago": st.one_of(
            st.sampled_from([-2, 0, 1, 2, 24, 25, 48, 24 * 7]),
            st.integers(min_value=-3, max_value=24 * 30),
            st.just(24 * 50),
        ),
        "evidence": st.sampled_from(["machine", "bot", "human", "confirmed", "odd"]),
    }
)
prospect_world = st.fixed_dictionaries(
    {
        "industry": st.sampled_from([None, "retail", "finance", " Finance "]),
        "region": st.sampled_from([None, "eu", "US", ""]),
        "company": st.sampled_from([None, "Acme", "Other"]),
        "messages": st.sampled_from([0, 1, 1, 2]),
        "consent": st.sampled_from(["tracked", "tracked", "tracked", "opted_out", "gpc"]),
        "events": st.lists(event, max_size=3),
    }
)


def _policy(document: dict[str, Any], name: str) -> Policy:
    rules = [{"name": f"rule-{index}", **body} for index, body in enumerate(document["rules"])]
    return load_policy({"name": name, "honor_gpc": document["honor_gpc"], "rules": rules})


def _build(session: Session, owner: User, worlds: list[dict[str, Any]], now: datetime) -> None:
    for index, world in enumerate(worlds):
        email = f"p{index}-{new_ref()[:8]}@example.com"
        prospect = Prospect(
            ref=new_ref(),
            owner_id=owner.id,  # type: ignore[arg-type]
            person_id=people.person_for(session, email),
            email=email,
            industry=world["industry"],
            region=world["region"],
            company=world["company"],
        )
        session.add(prospect)
        session.flush()
        messages = []
        for serial in range(world["messages"]):
            message = Message(
                ref=new_ref(),
                prospect_id=prospect.id,  # type: ignore[arg-type]
                sender_id=owner.id,  # type: ignore[arg-type]
                subject=f"Hello {serial}",
                html="<p/>",
                sent_at=now - timedelta(days=40 - serial),
                created_at=now - timedelta(days=41 - serial),
            )
            session.add(message)
            session.flush()
            messages.append(message.id)
        for hit in world["events"]:
            kind = hit["kind"]
            session.add(
                Event(
                    kind=kind,
                    prospect_id=prospect.id,
                    message_id=messages[0] if messages and kind != "visit" else None,
                    url="https://acme.example/pricing" if kind == "visit" else None,
                    occurred_at=now - timedelta(hours=hit["hours_ago"]),
                    evidence="sent" if kind == "email_sent" else hit["evidence"],
                )
            )
        give_consent(session, prospect, world["consent"], now)


def _every_timeline(
    session: Session, current: Policy, draft: Policy, roles: list[str], now: datetime
) -> dict[str, Any]:
    """The summary as evaluating every prospect's timeline gives it."""
    kinds = {role: {kind: Counter[str]() for kind in SHOWN} for role in roles}
    rules = {role: (Counter[str](), Counter[str]()) for role in roles}
    prospects = list(session.exec(select(Prospect).order_by(col(Prospect.id))))
    consent = people.consents(session, [prospect.person_id for prospect in prospects])
    for prospect in prospects:
        assert prospect.id is not None
        seen = prospect_view(prospect, consent.get(prospect.person_id, Consent()))
        events = event_views(session, prospect_id=prospect.id)
        for role in roles:
            now_, then = (
                evaluate(policy, viewer=Viewer(role=role), prospect=seen, events=events, now=now)
                for policy in (current, draft)
            )
            rules[role][0][now_.rule or "(none)"] += 1
            rules[role][1][then.rule or "(none)"] += 1
            seen_now, seen_then = {f.kind for f in now_.facts}, {f.kind for f in then.facts}
            for kind in SHOWN:
                counter = kinds[role][kind]
                counter["current"] += kind in seen_now
                counter["draft"] += kind in seen_then
                counter["revealed"] += kind in seen_then and kind not in seen_now
                counter["withdrawn"] += kind in seen_now and kind not in seen_then
                if kind in seen_now and kind in seen_then:
                    rule_now, rule_then = current.rule(now_.rule or ""), draft.rule(then.rule or "")
                    assert rule_now is not None and rule_then is not None
                    change = precision_change(rule_now, rule_then, kind)
                    counter["more_precise_or_sooner"] += bool(change.more)
                    counter["less_precise_or_later"] += bool(change.less)
    return {
        "prospects": len(prospects),
        "roles": {
            role: {
                "kinds": {kind: {k: c[k] for k in COUNTS} for kind, c in kinds[role].items()},
                "rules_current": list(rules[role][0].items()),
                "rules_draft": list(rules[role][1].items()),
            }
            for role in roles
        },
    }


class TestImpactProperty:
    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        current=policy_document,
        draft=policy_document,
        worlds=st.lists(prospect_world, max_size=12),
        roles=st.lists(st.sampled_from(ROLES), min_size=1, max_size=3),
    )
    def test_the_summary_is_the_one_every_timeline_gives(
        self,
        client: TestClient,
        runtime: Runtime,
        current: dict[str, Any],
        draft: dict[str, Any],
        worlds: list[dict[str, Any]],
        roles: list[str],
    ) -> None:
        rep = make_user(client)  # a fresh owner per example; the store grows across them
        now = utcnow().replace(minute=0, second=0, microsecond=0)
        with Session(runtime.engine) as session:
            active = _policy(current, f"current-{rep.id}")
            row = store_version(session, policy=active, created_by=None)
            session.add(PolicyActivation(policy_version_id=row.id))  # type: ignore[arg-type]
            session.commit()
            owner, officer = session.get(User, rep.id), session.get(User, rep.id)
            assert owner is not None and officer is not None
            _build(session, owner, worlds, now)
            drafted = _policy(draft, "draft")
            expected = _every_timeline(session, active, drafted, roles, now)
            assert get_active_policy(session).name == active.name
            with mock.patch("service.compliance.policy_service.utcnow", return_value=now):
                got = policy_service.impact(
                    session,
                    user=officer,
                    document={"name": "draft", **_document(draft)},
                    roles=roles,
                )
        assert got.prospects == expected["prospects"]
        for role in roles:
            summary = got.roles[role]
            assert {k: v.model_dump() for k, v in summary.kinds.items()} == expected["roles"][role][
                "kinds"
            ]
            assert list(summary.rules_current.items()) == expected["roles"][role]["rules_current"]
            assert list(summary.rules_draft.items()) == expected["roles"][role]["rules_draft"]


def _document(document: dict[str, Any]) -> dict[str, Any]:
    rules = [{"name": f"rule-{index}", **body} for index, body in enumerate(document["rules"])]
    return {"honor_gpc": document["honor_gpc"], "rules": rules}
