"""Recording hits: verify the token, decide consent and evidence, store one event.

Every function here answers the collector route's question (record? redirect where?)
and never raises for anything a client sends: a bad token simply records nothing.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from sqlmodel import Session, col, select

from pixel.classify import Evidence, Hit, Verdict, classify, truncate_ip
from pixel.tokens import BadToken, Purpose
from pixel.urls import safe_redirect_target
from service.metrics import EVENTS_WRITTEN, REJECTED_TOKENS
from service.models import ErasedLink, Event, Link, Message, Prospect, Visitor, utcnow
from service.runtime import Runtime
from service.tracking.schemas import ClientInfo, VisitIn

__all__ = ["follow_click", "record_open", "record_visit", "with_visitor_id"]


def _verify(runtime: Runtime, purpose: Purpose, token: str) -> str | None:
    try:
        return runtime.signer.verify(purpose, token)
    except BadToken:
        REJECTED_TOKENS.labels(purpose.name.lower()).inc()
        return None


def _may_track(session: Session, runtime: Runtime, prospect: Prospect, client: ClientInfo) -> bool:
    """Whether this hit may be recorded against ``prospect``.

    Opt-out always wins. Under ``honor_gpc`` a Sec-GPC/DNT request records nothing and
    marks the prospect, so readers see only what was sent; a HEAD or prefetch request
    never changes state (Mautic's HEAD lesson).
    """
    if prospect.opted_out_at is not None:
        return False
    if client.refuses_tracking and runtime.policies.get().policy.honor_gpc:
        if prospect.tracking_refused_at is None and not client.is_probe:
            prospect.tracking_refused_at = utcnow()
            session.add(prospect)
            session.commit()
        return False
    return True


def _hit(
    client: ClientInfo,
    kind: Literal["open", "click", "visit"],
    *,
    seconds_since_sent: float | None = None,
    honeypot: bool = False,
    links_hit_together: int = 0,
    message_links: int = 0,
    opened_before: bool = True,
) -> Verdict:
    return classify(
        Hit(
            kind=kind,
            method=client.method,
            user_agent=client.user_agent,
            ip=client.ip,
            headers=client.headers,
            seconds_since_sent=seconds_since_sent,
            honeypot=honeypot,
            links_hit_together=links_hit_together,
            message_links=message_links,
            opened_before=opened_before,
        )
    )


def _event(kind: str, client: ClientInfo, verdict: Verdict, now: datetime, **fields: Any) -> Event:
    EVENTS_WRITTEN.labels(kind, verdict.evidence.value).inc()
    return Event(
        kind=kind,
        occurred_at=now,
        received_at=now,
        evidence=verdict.evidence.value,
        reasons=",".join(verdict.reasons)[:500],
        user_agent=client.user_agent or None,
        ip_prefix=truncate_ip(client.ip) or None,
        **fields,
    )


def record_open(runtime: Runtime, *, token: str, client: ClientInfo) -> None:
    """Record an open for a valid pixel token; anything else records nothing."""
    ref = _verify(runtime, Purpose.OPEN, token)
    if ref is None:
        return
    with Session(runtime.engine) as session:
        row = session.exec(
            select(Message, Prospect).join(Prospect).where(col(Message.ref) == ref)
        ).first()
        if row is None:
            return
        message, prospect = row
        if not _may_track(session, runtime, prospect, client):
            return
        if not runtime.replays.add_if_absent(("o", ref, client.ip, client.user_agent)):
            return
        now = utcnow()
        verdict = _hit(
            client,
            "open",
            seconds_since_sent=(now - message.sent_at).total_seconds(),
            message_links=message.link_count,
        )
        session.add(
            _event("open", client, verdict, now, prospect_id=prospect.id, message_id=message.id)
        )
        session.commit()


def follow_click(runtime: Runtime, *, token: str, client: ClientInfo) -> str | None:
    """The address to redirect to for a valid click token (None: answer 404).

    The destination is the one fixed when the message was instrumented. A ``cnd_vid``
    visitor id is added for GET clicks that may identify, so the site snippet can tie
    later page views (and the confirming visit) to this click.
    """
    ref = _verify(runtime, Purpose.CLICK, token)
    if ref is None:
        return None
    with Session(runtime.engine) as session:
        row = session.exec(
            select(Link, Message, Prospect)
            .join(Message, col(Link.message_id) == col(Message.id))
            .join(Prospect, col(Message.prospect_id) == col(Prospect.id))
            .where(col(Link.ref) == ref)
        ).first()
        if row is None:
            erased = session.get(
                ErasedLink, ref
            )  # an erased prospect's link: redirect, record nothing
            if erased is not None and safe_redirect_target(erased.url):
                return erased.url
            REJECTED_TOKENS.labels("click").inc()
            return None
        link, message, prospect = row
        if not safe_redirect_target(link.url):
            return None
        if not _may_track(session, runtime, prospect, client):
            return link.url
        replay_key = ("c", ref, client.ip, client.user_agent)
        earlier = runtime.replays.get(replay_key)
        if isinstance(earlier, str):
            return earlier
        now = utcnow()
        verdict = _hit(
            client,
            "click",
            seconds_since_sent=(now - message.sent_at).total_seconds(),
            honeypot=link.honeypot,
            links_hit_together=_links_hit_together(runtime, message, link, client),
            message_links=message.link_count,
            opened_before=_opened(session, message),
        )
        event = _event(
            "click",
            client,
            verdict,
            now,
            prospect_id=prospect.id,
            message_id=message.id,
            link_id=link.id,
        )
        session.add(event)
        session.flush()
        target = link.url
        if not client.is_probe and not link.honeypot:
            vid = secrets.token_urlsafe(12)
            assert prospect.id is not None
            session.add(Visitor(id=vid, prospect_id=prospect.id, click_event_id=event.id))
            target = with_visitor_id(link.url, vid)
        session.commit()
        runtime.replays.put(replay_key, target)
        return target


def _links_hit_together(runtime: Runtime, message: Message, link: Link, client: ClientInfo) -> int:
    key = ("burst", message.id, client.ip, client.user_agent)
    seen = runtime.bursts.get(key)
    links = (seen if isinstance(seen, frozenset) else frozenset()) | {link.id}
    runtime.bursts.put(key, links)
    return len(links)


def _opened(session: Session, message: Message) -> bool:
    query = (
        select(col(Event.id))
        .where(col(Event.message_id) == message.id, col(Event.kind) == "open")
        .limit(1)
    )
    return session.exec(query).first() is not None


def with_visitor_id(url: str, vid: str) -> str:
    """``url`` with ``cnd_vid`` added to its query, every other byte kept."""
    parts = urlsplit(url)
    query = f"{parts.query}&cnd_vid={vid}" if parts.query else f"cnd_vid={vid}"
    return urlunsplit(parts._replace(query=query))


def record_visit(runtime: Runtime, *, visit: VisitIn, client: ClientInfo) -> None:
    """Record a page view; a visitor id from a click ties it to the prospect.

    The first human visit carrying a click's visitor id within the confirmation window
    upgrades that click to ``confirmed``: a scanner fetches, a person's browser runs
    the page.
    """
    with Session(runtime.engine) as session:
        visitor = session.get(Visitor, visit.vid) if visit.vid else None
        prospect = session.get(Prospect, visitor.prospect_id) if visitor else None
        if prospect is not None and not _may_track(session, runtime, prospect, client):
            return
        if client.refuses_tracking:
            return
        if not runtime.replays.add_if_absent(
            ("v", visit.vid or client.ip, client.user_agent, visit.url)
        ):
            return
        now = utcnow()
        verdict = _hit(client, "visit")
        if visitor is not None and verdict.evidence is Evidence.HUMAN:
            _confirm_click(session, runtime, visitor, now)
        session.add(
            _event(
                "visit",
                client,
                verdict,
                now,
                prospect_id=prospect.id if prospect else None,
                visitor_id=visitor.id if visitor else None,
                site=visit.site,
                url=visit.url,
                title=visit.title,
                referrer=visit.referrer,
            )
        )
        session.commit()


def _confirm_click(session: Session, runtime: Runtime, visitor: Visitor, now: datetime) -> None:
    if visitor.click_event_id is None:
        return
    click = session.get(Event, visitor.click_event_id)
    if click is None or click.evidence not in (Evidence.HUMAN.value, Evidence.BOT.value):
        return
    if (now - click.occurred_at).total_seconds() > runtime.settings.confirm_window_seconds:
        return
    click.evidence = Evidence.CONFIRMED.value
    click.reasons = ",".join(filter(None, [click.reasons, "visit_followed"]))[:500]
    session.add(click)
