"""Prometheus metrics, one registry per process (served at /metrics)."""

from __future__ import annotations

from prometheus_client import Counter

__all__ = ["COLLECTOR_ERRORS", "EVENTS_WRITTEN", "HITS", "REJECTED_TOKENS"]

HITS = Counter("candor_collector_hits_total", "Collector requests by route.", ["route"])
EVENTS_WRITTEN = Counter(
    "candor_events_written_total",
    "Events stored, by kind and evidence class.",
    ["kind", "evidence"],
)
REJECTED_TOKENS = Counter(
    "candor_rejected_tokens_total", "Bad, tampered or unknown tokens, by purpose.", ["purpose"]
)
COLLECTOR_ERRORS = Counter(
    "candor_collector_errors_total", "Hits answered but not stored because of an error.", ["route"]
)
