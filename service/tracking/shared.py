"""The replay window and the "every link at once" rule, shared by every collector process.

Each process keeps its own windows (``service.runtime.ExpiringSet``) and decides on them
in the request path, as one process always did. With ``CANDOR_REDIS_URL`` set, the
writer thread then checks each batch against Redis, in one pipelined round trip per
batch (never one per hit: one Lua script call), before the batch is committed:

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
from typing import Any

import redis

from service.metrics import SHARED_WINDOW
from service.tracking.spool import Op

__all__ = ["SharedWindows"]

log = logging.getLogger("candor.shared")
BURST_SECONDS = 2.0  # the local burst window's, service.runtime.Runtime.bursts


# One script call per batch: packing and parsing one command instead of three or four
# per hit is what keeps the writer thread's share of the GIL small (the hot path).
# KEYS: the replay keys, then the burst keys. ARGV: the replay count, the two expiries
# in ms, a claim per replay key, then (event key, link id, the message's links) per
# burst key. Returns per replay key nil (claimed) or the first claim, then per burst key
# the number of links hit so far, or the event keys of a burst that covers the message.
_JUDGE = """
local n = tonumber(ARGV[1])
local out = {}
for i = 1, n do
  if redis.call('SET', KEYS[i], ARGV[3 + i], 'NX', 'PX', ARGV[2]) then
    out[i] = false
  else
    out[i] = redis.call('GET', KEYS[i])
  end
end
local base = 3 + n
for j = 1, #KEYS - n do
  local key = KEYS[n + j]
  local at = base + 3 * (j - 1)
  redis.call('HSET', key, ARGV[at + 1], ARGV[at + 2])
  redis.call('PEXPIRE', key, ARGV[3])
  local clicks = redis.call('HGETALL', key)
  local seen, links = {}, 0
  for k = 2, #clicks, 2 do
    if not seen[clicks[k]] then seen[clicks[k]] = true; links = links + 1 end
  end
  if links >= 2 and links >= tonumber(ARGV[at + 3]) then
    out[n + j] = redis.call('HKEYS', key)
  else
    out[n + j] = links
  end
end
return out
"""
# After the commit: per burst key (ARGV: the message's links) 0, or the event keys of a
# burst that covers the message by now.
_RECHECK = """
local out = {}
for j = 1, #KEYS do
  local clicks = redis.call('HGETALL', KEYS[j])
  local seen, links = {}, 0
  for k = 2, #clicks, 2 do
    if not seen[clicks[k]] then seen[clicks[k]] = true; links = links + 1 end
  end
  if links >= 2 and links >= tonumber(ARGV[j]) then
    out[j] = redis.call('HKEYS', KEYS[j])
  else
    out[j] = 0
  end
end
return out
"""
Burst = tuple[str, int]  # (Redis key, the message's links): still short of the rule


class SharedWindows:
    """Redis-backed windows, consulted by the writer thread once per batch.

    The scripts touch several keys: on a Redis Cluster they need one slot (use one
    Redis, or a ``CANDOR_REDIS_PREFIX`` in braces, a hash tag).
    """

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
        self._judge = self._redis.register_script(_JUDGE)
        self._recheck = self._redis.register_script(_RECHECK)
        self._replay_ms = max(1, int(replay_seconds * 1000))
        self._burst_ms = int(BURST_SECONDS * 1000)
        self._prefix = prefix
        self._retry_seconds = retry_seconds
        self._down_until = 0.0
        self.available = True

    def judge(self, ops: list[Op]) -> list[Burst]:
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
        prefix = self._prefix
        keys = [prefix + "r:" + key for _, key in replays]
        keys += [prefix + "b:" + burst[0] for _, burst in bursts]
        args: list[Any] = [len(replays), self._replay_ms, self._burst_ms]
        args += [_claim(op) for op, _ in replays]
        for op, (_, link_id, message_links) in bursts:
            args += (op["row"]["event_key"], link_id, message_links)
        try:
            results = self._judge(keys=keys, args=args)
        except redis.RedisError as error:
            self._fell_back(error, len(replays) + len(bursts))
            return []
        self.available = True
        for (op, _), first in zip(replays, results, strict=False):
            if first is not None:
                _as_replay_of(op, first)
                SHARED_WINDOW.labels("replay").inc()
        short: list[Burst] = []
        for (_, (key, _, message_links)), outcome in zip(
            bursts, results[len(replays) :], strict=True
        ):
            if isinstance(outcome, list):
                ops.append(_demote(outcome))
                SHARED_WINDOW.labels("burst").inc()
            else:
                short.append((prefix + "b:" + key, message_links))
        return short

    def recheck(self, short: list[Burst], store: Callable[[Op], None]) -> None:
        """After the commit: the bursts another replica completed meanwhile, demoted."""
        if not short:
            return
        try:
            results = self._recheck(
                keys=[key for key, _ in short], args=[links for _, links in short]
            )
        except redis.RedisError as error:
            self._fell_back(error, len(short))
            return
        for outcome in results:
            if isinstance(outcome, list):
                store(_demote(outcome))
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


def _demote(keys: list[bytes]) -> Op:
    """The rule of ``pixel.classify`` held across processes: every link of the message,
    two or more, hit together; the clicks of the burst judged a person's are a bot's."""
    return {
        "op": "demote",
        "event_keys": sorted(key.decode() for key in keys),
        "reason": "all_links_at_once",
    }
