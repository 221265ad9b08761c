"""Prometheus metrics, one registry per process (served at /metrics)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

__all__ = [
    "BATCH_SIZE",
    "COLLECTOR_ERRORS",
    "DROPPED",
    "EVENTS_WRITTEN",
    "HITS",
    "REJECTED_TOKENS",
    "SHARED_WINDOW",
    "SPOOLED",
    "SPOOL_DEPTH",
    "STORED",
    "UNRECORDED",
]

HITS = Counter("candor_collector_hits_total", "Collector requests by route.", ["route"])
EVENTS_WRITTEN = Counter(
    "candor_events_written_total",
    "Events stored, by kind and evidence class.",
    ["kind", "evidence"],
)
REJECTED_TOKENS = Counter(
    "candor_rejected_tokens_total", "Bad, tampered or unknown tokens, by purpose.", ["purpose"]
)
# Not DROPPED: nothing failed. These hits were answered and, by design, not stored.
UNRECORDED = Counter(
    "candor_collector_unrecorded_total",
    "Hits answered and deliberately not stored, by reason (anonymous: a page view with no "
    "known visitor while the policy's anonymous_visits is off).",
    ["reason"],
)
COLLECTOR_ERRORS = Counter(
    "candor_collector_errors_total", "Hits answered but not stored because of an error.", ["route"]
)
BATCH_SIZE = Histogram(
    "candor_writer_batch_requests",
    "Requests committed together by one group commit.",
    buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024),
)
STORED = Counter(
    "candor_writer_operations_stored_total", "Collector operations committed to the database."
)
SPOOLED = Counter(
    "candor_writer_operations_spooled_total", "Operations written to the local spool."
)
DROPPED = Counter(
    "candor_writer_operations_dropped_total",
    "Operations that could not be kept, by reason.",
    ["reason"],
)
SPOOL_DEPTH = Gauge("candor_spool_depth", "Operations in this process's spool, not yet drained.")
SHARED_WINDOW = Counter(
    "candor_shared_window_total",
    "Hits the shared (Redis) windows judged: replay (another process stored it first), "
    "burst (a spread burst demoted), fallback (Redis did not answer: local window only).",
    ["outcome"],
)
