"""The replay window and the "every link at once" rule, shared by every collector process.

Each process keeps its own windows (``service.runtime.ExpiringSet``) and decides on them
in the request path, as one process always did. With ``CANDOR_REDIS_URL`` set, the
writer thread then checks each batch against Redis, in one pipelined round trip per
batch (never one per hit), before the batch is committed:

- replay: ``SET NX PX`` claims the hit's replay key with the event's key, time, answer
  and visitor id. When another process claimed it first, this hit is rewritten to that
  first hit's ``event_key`` and time, so the insert (``ON CONFLICT DO NOTHING`` on the
  pair) stores nothing new; and if the first process was killed before its commit, this
  copy stores the hit once instead. A click replay answers the first hit's redirect.
- burst: each click is added to a hash per (message, client), sliding its expiry; when
  the links in it cover the message (two or more), every click of the hash still judged
  a person's is demoted. A batch re-reads its bursts after its commit, because the
  click that completed a burst on another replica may have committed before this one.

When Redis does not answer, the batch keeps the local decision (nothing waits or is
lost), the fallback is counted, and Redis is tried again a second later.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import datetime

import redis

from service.metrics import SHARED_WINDOW
from service.tracking.spool import Op

__all__ = ["SharedWindows"]

log = logging.getLogger("candor.shared")
BURST_SECONDS = 2.0  # the local burst window's, service.runtime.Runtime.bursts


class SharedWindows:
    """Redis-backed windows, consulted by the writer thread once per batch."""

    def __init__(
        self,
        url: str,
        *,
        replay_seconds: float,
        prefix: str = "candor:",
        timeout: float = 0.25,
        retry_seconds: float = 1.0,
    ) -> None:
        self._redis = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self._replay_ms = max(1, int(replay_seconds * 1000))
        self._burst_ms = int(BURST_SECONDS * 1000)
        self._prefix = prefix
        self._retry_seconds = retry_seconds
        self._down_until = 0.0
        self.available = True

    def judge(self, ops: list[Op]) -> list[tuple[str, set[str], int]]:
        """Rewrite cross-process replays in ``ops`` and append burst demotions, in place.

        Returns the bursts still short of the rule, for ``recheck`` after the commit.
        The window fields the request path added are taken off the operations here, so
        a spooled operation carries none of them.
        """
        replays = [(op, op.pop("window")) for op in ops if "window" in op]
        bursts = [(op, op.pop("burst")) for op in ops if "burst" in op]
        if not replays and not bursts:
            return []
        if time.monotonic() < self._down_until:
            SHARED_WINDOW.labels("fallback").inc(len(replays) + len(bursts))
            return []
        pipe = self._redis.pipeline(transaction=False)
        for op, key in replays:
            name = self._prefix + "r:" + key
            pipe.set(name, _claim(op), nx=True, px=self._replay_ms)
            pipe.get(name)
        for op, (key, link_id, _) in bursts:
            name = self._prefix + "b:" + key
            pipe.hset(name, op["row"]["event_key"], str(link_id))
            pipe.pexpire(name, self._burst_ms)
            pipe.hgetall(name)
        try:
            results = pipe.execute()
        except redis.RedisError as error:
            self._fell_back(error, len(replays) + len(bursts))
            return []
        self.available = True
        for index, (op, _) in enumerate(replays):
            claimed, first = results[2 * index : 2 * index + 2]
            if not claimed and first is not None:
                _as_replay_of(op, first)
                SHARED_WINDOW.labels("replay").inc()
        short: list[tuple[str, set[str], int]] = []
        offset = 2 * len(replays)
        for index, (_, (key, _, message_links)) in enumerate(bursts):
            clicks: dict[bytes, bytes] = results[offset + 3 * index + 2]
            keys = {event_key.decode() for event_key in clicks}
            if _covers(clicks, message_links):
                ops.append(_demote(keys))
                SHARED_WINDOW.labels("burst").inc()
            else:
                short.append((key, keys, message_links))
        return short

    def recheck(self, short: list[tuple[str, set[str], int]], store: Callable[[Op], None]) -> None:
        """After the commit: the bursts another replica completed meanwhile, demoted."""
        if not short:
            return
        pipe = self._redis.pipeline(transaction=False)
        for key, _, _ in short:
            pipe.hgetall(self._prefix + "b:" + key)
        try:
            results = pipe.execute()
        except redis.RedisError as error:
            self._fell_back(error, len(short))
            return
        for (_, _, message_links), clicks in zip(short, results, strict=True):
            if _covers(clicks, message_links):
                store(_demote({event_key.decode() for event_key in clicks}))
                SHARED_WINDOW.labels("burst").inc()

    def _fell_back(self, error: Exception, count: int) -> None:
        SHARED_WINDOW.labels("fallback").inc(count)
        if self.available:  # once per outage, not once per batch
            log.warning("Redis unavailable, windows are per process until it answers: %s", error)
        self.available = False
        self._down_until = time.monotonic() + self._retry_seconds


def _claim(op: Op) -> str:
    row = op["row"]
    at = row["occurred_at"]
    return json.dumps(
        [row["event_key"], at.isoformat() if isinstance(at, datetime) else at,
         op.get("answer"), row.get("visitor_id")]
    )  # fmt: skip


def _as_replay_of(op: Op, first: bytes) -> None:
    """This hit is the first one again: its key, its time, its answer."""
    event_key, at, answer, visitor_id = json.loads(first)
    row = op["row"]
    row["event_key"] = event_key
    row["occurred_at"] = row["received_at"] = datetime.fromisoformat(at)
    row["visitor_id"] = visitor_id
    op["answer"] = answer
    op["replayed"] = True


def _covers(clicks: dict[bytes, bytes], message_links: int) -> bool:
    """The rule of ``pixel.classify``: every link of the message, two or more."""
    links = len(set(clicks.values()))
    return links >= 2 and links >= message_links


def _demote(keys: set[str]) -> Op:
    return {"op": "demote", "event_keys": sorted(keys), "reason": "all_links_at_once"}
