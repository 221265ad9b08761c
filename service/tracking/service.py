"""What a hit means: consent, evidence, and the operations that record it.

These functions are pure over cached targets: they read no database and write nothing.
The collector routes resolve the token's target (from the cache, or the database on a
miss), call one of them, and hand the returned operations to the group-commit writer.
"""

from __future__ import annotations

import base64
import functools
import itertools
import os
import re
import secrets
import threading
import time
from datetime import datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit

from pixel.classify import Evidence, Hit, Verdict, classify, truncate_ip
from pixel.urls import safe_redirect_target
from service.metrics import EVENTS_WRITTEN, UNRECORDED
from service.runtime import Runtime
from service.tracking.schemas import ClientInfo, VisitIn
from service.tracking.spool import Op
from service.tracking.targets import LinkTarget, MessageTarget, VisitorTarget

__all__ = [
    "click_answer",
    "click_plan",
    "open_ops",
    "unresolved_open_op",
    "visit_ops",
    "with_visitor_id",
]


def _consent(
    runtime: Runtime, target: MessageTarget, client: ClientInfo, now: datetime
) -> tuple[bool, list[Op]]:
    """(whether this hit may be recorded, operations to write either way).

    Opt-out always wins. Under ``honor_gpc`` a Sec-GPC/DNT request records nothing and
    marks the person (every record of them), so readers see only what was sent; a HEAD
    or prefetch request never changes state (Mautic's HEAD lesson).
    """
    if target.opted_out:
        return False, []
    if client.refuses_tracking and runtime.policies.get().policy.honor_gpc:
        if target.refused or client.is_probe:
            return False, []
        runtime.targets.forget_person(target.person_id)
        return False, [
            {
                "op": "refuse",
                "person_id": target.person_id,
                "prospect_id": target.prospect_id,
                "at": now,
            }
        ]
    return True, []


def _verdict(
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


# Event keys: a random per-process prefix and a counter, unique across processes and
# restarts without a system call per hit.
_KEY_PREFIX = secrets.token_hex(8)
_KEY_COUNTER = itertools.count()


def new_event_key() -> str:
    """A 32-character key, unique to this hit."""
    return f"{_KEY_PREFIX}{next(_KEY_COUNTER):016x}"


class _RandomIds:
    """URL-safe random ids cut from a pool of CSPRNG bytes: one system call per 4096 ids.

    ``size`` is a multiple of 3, so the pool encodes in one pass into exactly the ids
    each chunk would have given on its own.
    """

    def __init__(self, size: int = 12, batch: int = 4096) -> None:
        if size % 3:
            raise ValueError("size must be a multiple of 3 bytes")
        self._length, self._batch = size // 3 * 4, batch
        self._size = size
        self._pool = ""
        self._offset = 0
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            if self._offset >= len(self._pool):
                raw = os.urandom(self._size * self._batch)
                self._pool, self._offset = base64.urlsafe_b64encode(raw).decode("ascii"), 0
            start = self._offset
            self._offset = start + self._length
        return self._pool[start : start + self._length]


_random_ids = _RandomIds()


def new_visitor_id() -> str:
    """A visitor id: the second it was handed out (8 hex digits), then 96 random bits.

    Ids made together sort together, so storing a click adds to one end of the visitor
    id index instead of a random page of it (click p99 19 -> 14.5 ms, bench/collector.py).
    The second is no secret from the site the click lands on, which sees it arrive.
    """
    return f"{int(time.time()):08x}{_random_ids()}"


@functools.cache
def _written(kind: str, evidence: str) -> Any:
    return EVENTS_WRITTEN.labels(kind, evidence)


def _event(kind: str, client: ClientInfo, verdict: Verdict, now: datetime, **fields: Any) -> Op:
    _written(kind, verdict.evidence.value).inc()
    row = {
        "event_key": new_event_key(),
        "kind": kind,
        "occurred_at": now,
        "received_at": now,
        "evidence": verdict.evidence.value,
        "reasons": ",".join(verdict.reasons)[:500],
        "user_agent": client.user_agent or None,
        "ip_prefix": truncate_ip(client.ip) or None,
        "prospect_id": None,
        "message_id": None,
        "link_id": None,
        "visitor_id": None,
        "site": None,
        "url": None,
        "title": None,
        "referrer": None,
        **fields,
    }
    return {"op": "event", "row": row}


def open_ops(
    runtime: Runtime, *, ref: str, target: MessageTarget, client: ClientInfo, now: datetime
) -> list[Op]:
    """The operations recording one pixel fetch (none for a replay or refused consent)."""
    allowed, ops = _consent(runtime, target, client, now)
    if not allowed:
        return ops
    if not runtime.replays.add_if_absent(("o", ref, client.ip, client.user_agent)):
        return []
    verdict = _verdict(
        client,
        "open",
        seconds_since_sent=(now - target.sent_at).total_seconds(),
        message_links=target.link_count,
    )
    runtime.targets.mark_opened(target.message_id)
    op = _event(
        "open", client, verdict, now, prospect_id=target.prospect_id, message_id=target.message_id
    )
    return [_shared_window(runtime, op, ("o", ref, client.ip, client.user_agent))]


def unresolved_open_op(
    runtime: Runtime, *, ref: str, client: ClientInfo, now: datetime
) -> list[Op]:
    """An open whose message could not be read (database down): spooled by reference.

    The writer resolves the reference when the database answers again, and drops the
    hit if the message is gone or its prospect opted out meanwhile.
    """
    if client.refuses_tracking or not runtime.replays.add_if_absent(
        ("o", ref, client.ip, client.user_agent)
    ):
        return []
    op = _event("open", client, _verdict(client, "open"), now)
    op["op"], op["message_ref"] = "open_ref", ref
    return [_shared_window(runtime, op, ("o", ref, client.ip, client.user_agent))]


def _shared_window(runtime: Runtime, op: Op, replay_key: tuple[Any, ...]) -> Op:
    """Name the hit's replay key for the writer, when the windows are shared."""
    if runtime.shared:
        op["window"] = "\x1f".join(str(part) for part in replay_key)
    return op


def _burst(
    runtime: Runtime, target: LinkTarget, client: ClientInfo
) -> tuple[tuple[Any, ...], tuple[int | None, ...], tuple[str, ...]]:
    """This client's burst on the message: its window key, the distinct links hit with
    this one, and the event keys of the burst's earlier clicks still to be judged.

    Plain tuples of ints and strings, which the garbage collector stops tracking.
    """
    assert target.message is not None
    key = ("burst", target.message.message_id, client.ip, client.user_agent)
    seen = runtime.bursts.get(key)
    links, keys = seen if isinstance(seen, tuple) else ((), ())
    if target.link_id not in links:
        links += (target.link_id,)
    return key, links, keys


def _demote_burst(keys: tuple[str, ...]) -> Op:
    """The burst's earlier clicks, stored as a person's, were a scanner's all along."""
    return {"op": "demote", "event_keys": list(keys), "reason": "all_links_at_once"}


# Destinations repeat across every click of a campaign; the check is pure.
_safe_target = functools.lru_cache(maxsize=65536)(safe_redirect_target)


def click_plan(
    runtime: Runtime, *, ref: str, target: LinkTarget, client: ClientInfo, now: datetime
) -> tuple[str | None, list[Op]]:
    """Where to redirect (None: nowhere, answer 404) and the operations recording it.

    The destination is the one fixed when the message was instrumented. GET clicks that
    may identify get a ``cnd_vid`` visitor id, so the site snippet can tie later page
    views (and the confirming visit) to this click.
    """
    if not _safe_target(target.url):
        return None, []
    message = target.message
    if message is None:  # an erased prospect's link: redirect, record nothing
        return target.url, []
    allowed, ops = _consent(runtime, message, client, now)
    if not allowed:
        return target.url, ops
    replay_key = ("c", ref, client.ip, client.user_agent)
    earlier = runtime.replays.get(replay_key)
    if isinstance(earlier, str):
        return earlier, []
    burst_key, links, earlier_keys = _burst(runtime, target, client)
    verdict = _verdict(
        client,
        "click",
        seconds_since_sent=(now - message.sent_at).total_seconds(),
        honeypot=target.honeypot,
        links_hit_together=len(links),
        message_links=message.link_count,
        opened_before=runtime.targets.opened(message.message_id),
    )
    # The visitor id the snippet will send back; kept on the click's own row.
    identify = not client.is_probe and not target.honeypot
    vid = new_visitor_id() if identify else None
    click = _event(
        "click",
        client,
        verdict,
        now,
        prospect_id=message.prospect_id,
        message_id=message.message_id,
        link_id=target.link_id,
        visitor_id=vid,
    )
    ops = [click]
    if "all_links_at_once" in verdict.reasons:
        # The clicks before this one could not know; now they are judged with it.
        if earlier_keys:
            ops.append(_demote_burst(earlier_keys))
        runtime.bursts.put(burst_key, (links, ()))
    else:
        runtime.bursts.put(burst_key, (links, (*earlier_keys, click["row"]["event_key"])))
    location = target.url
    if vid is not None:
        runtime.targets.remember_visitor(vid, message, click["row"]["event_key"], now)
        location = with_visitor_id(target.url, vid)
    runtime.replays.put(replay_key, location)
    if runtime.shared:
        _shared_window(runtime, click, replay_key)
        click["answer"] = location
        click["burst"] = (
            "\x1f".join(str(part) for part in burst_key[1:]),
            target.link_id,
            message.link_count,
        )
    return location, ops


def click_answer(
    runtime: Runtime, *, ref: str, client: ClientInfo, ops: list[Op], location: str
) -> str:
    """The redirect to answer once the click is written: another process's first answer
    when the shared window found this click a replay of it, else ``location``."""
    if not ops or not ops[0].get("replayed"):
        return location
    answer: str = ops[0]["answer"]
    runtime.replays.put(("c", ref, client.ip, client.user_agent), answer)
    return answer


def with_visitor_id(url: str, vid: str) -> str:
    """``url`` with ``cnd_vid`` set in its query, every other byte kept.

    Plain string work on a URL ``trackable_url`` normalised: the query starts at the
    first ``?``, the fragment at the first ``#``. A ``cnd_vid`` the destination already
    carries is replaced, never doubled: the snippet must read this click's id.
    """
    head, hash_mark, fragment = url.partition("#")
    if "cnd_vid=" in head:  # rare: one substring test on the click path otherwise
        head = _without_visitor_id(head)
    if "?" not in head:
        head += "?"
    elif not head.endswith(("?", "&")):
        head += "&"
    return f"{head}cnd_vid={vid}{hash_mark}{fragment}"


def _without_visitor_id(head: str) -> str:
    """``head`` (a URL without its fragment) without any ``cnd_vid`` parameter."""
    path, mark, query = head.partition("?")
    kept = [part for part in query.split("&") if not part.startswith("cnd_vid=")]
    return f"{path}{mark}{'&'.join(kept)}"


_UNRECORDED_ANONYMOUS = UNRECORDED.labels("anonymous")


def visit_ops(
    runtime: Runtime,
    *,
    visit: VisitIn,
    visitor: VisitorTarget | None,
    client: ClientInfo,
    now: datetime,
) -> list[Op]:
    """The operations recording a page view; a click's visitor id ties it to the prospect.

    The first human visit carrying a click's visitor id within the confirmation window,
    from the network the click came from, upgrades that click to ``confirmed`` when the
    click itself was judged ``human``: a scanner fetches, a person's browser runs the
    page. A ``bot`` click stays ``bot`` whatever replays its id (the writer's ``_confirm``).

    A page view with no known visitor (no visitor id, or one no click handed out) names
    nobody, so nobody could export or erase it: it is stored only under the policy's
    ``anonymous_visits``, and then without address or user agent (``_anonymous_visit``).
    """
    if visitor is not None and visitor.prospect is not None:
        allowed, ops = _consent(runtime, visitor.prospect, client, now)
        if not allowed:
            return ops
    if client.refuses_tracking:
        return []
    # Before the replay window, so that unrecorded hits take no room in it. The policy is
    # cached (service.runtime.PolicyCache): no query per hit.
    if visitor is None and not runtime.policies.get().policy.anonymous_visits:
        _UNRECORDED_ANONYMOUS.inc()
        return []
    replay_key = ("v", visit.vid or client.ip, client.user_agent, visit.url)
    if not runtime.replays.add_if_absent(replay_key):
        return []
    verdict = _verdict(client, "visit")  # the whole request judged, whatever is kept
    if visitor is None:
        return [_shared_window(runtime, _anonymous_visit(client, verdict, visit, now), replay_key)]
    ops = []
    ip_prefix = truncate_ip(client.ip) or None
    if visitor.click_event_key and verdict.evidence is Evidence.HUMAN and ip_prefix is not None:
        since = now - timedelta(seconds=runtime.settings.confirm_window_seconds)
        ops.append(
            {
                "op": "confirm",
                "event_key": visitor.click_event_key,
                "since": since,
                "ip_prefix": ip_prefix,
            }
        )
    event = _event(
        "visit",
        client,
        verdict,
        now,
        prospect_id=visitor.prospect_id,
        visitor_id=visit.vid,
        site=visit.site,
        url=visit.url,
        title=visit.title,
        referrer=visit.referrer,
    )
    ops.append(_shared_window(runtime, event, replay_key))
    return ops


def _anonymous_visit(client: ClientInfo, verdict: Verdict, visit: VisitIn, now: datetime) -> Op:
    """A page view that names nobody, as it is kept: what was seen, not who saw it.

    No address prefix and no user agent: with nothing else, they are what would single
    a person out. The URL loses its query and fragment, which carry email addresses,
    campaign and session ids as often as anything about the page; the referrer keeps
    only its origin (what browsers send another site by default), since its path may
    be a search, a webmail folder or a record in someone's tool.
    """
    return _event(
        "visit",
        client,
        verdict,
        now,
        user_agent=None,
        ip_prefix=None,
        site=visit.site,
        url=_without_query(visit.url),
        title=visit.title,
        referrer=_origin(visit.referrer) if visit.referrer else None,
    )


# Scheme, user (left out), host with port, path: of an absolute http(s) URL as VisitIn
# validated it. One match where urlsplit cost 7 µs a call for URLs it had not cached.
_PAGE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://(?:[^/?#]*@)?([^/?#]*)([^?#]*)")


def _without_query(url: str) -> str:
    """``scheme://host/path`` of a URL ``VisitIn`` validated: no user, query or fragment."""
    scheme, host, path = _page_parts(url)
    return f"{scheme}://{host}{path or '/'}"


def _origin(url: str) -> str:
    """``scheme://host/`` of a URL ``VisitIn`` validated, as a browser's origin referrer."""
    scheme, host, _ = _page_parts(url)
    return f"{scheme}://{host}/"


def _page_parts(url: str) -> tuple[str, str, str]:
    match = _PAGE.match(url)
    if match is not None:
        return match[1].lower(), match[2], match[3]
    parts = urlsplit(url)  # never reached for a URL VisitIn validated: both agree there
    return parts.scheme.lower(), parts.netloc.rpartition("@")[2], parts.path
