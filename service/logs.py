"""Structured JSON logs that never hold a full IP address.

Every record, Candor's and uvicorn's (access log included), goes through one filter
that truncates IPv4 addresses to /24 and IPv6 addresses to /48, the same minimisation
as the stored events.

The access log of the collector routes (pixel, click, beacon, snippet) is off by
default: one masked JSON line per hit cost more than recording the hit itself
(docs/collector.md). ``CANDOR_ACCESS_LOG`` turns it back on (``all``) or keeps one
line in N (``sample:N``); every other route is always logged.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from pixel.classify import truncate_ip

__all__ = [
    "CollectorAccessLog",
    "JsonFormatter",
    "TruncateAddresses",
    "log_config",
    "mask_addresses",
    "parse_access_log",
]

_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}(?![\w:])")


def _truncate(match: re.Match[str]) -> str:
    text = match.group(0)
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return text
    if address.is_loopback or address.is_unspecified:  # the server's own, not a person's
        return text
    return truncate_ip(text) or text


def mask_addresses(text: str) -> str:
    """``text`` with every IP address replaced by its network part."""
    return _IPV6.sub(_truncate, _IPV4.sub(_truncate, text))


class TruncateAddresses(logging.Filter):
    """Rewrites the message and its arguments so no full address reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_addresses(record.getMessage())
        record.args = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and exception)."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            data["exception"] = mask_addresses(self.formatException(record.exc_info))
        return json.dumps(data, ensure_ascii=False)


# The public collector's paths: /o/<token>.gif, /c/<token>, /v, /v.gif, /t.js.
_COLLECTOR_PATH = re.compile(r"/(?:o/|c/|v(?:\.gif)?(?:\?|$)|t\.js(?:\?|$))")
_ACCESS_LOG = re.compile(r"off|all|sample:([1-9]\d*)")


def parse_access_log(value: str) -> int:
    """One line in how many collector hits is logged: 0 for ``off``, 1 for ``all``,
    N for ``sample:N``; ValueError with a sentence for anything else."""
    match = _ACCESS_LOG.fullmatch(value.strip().lower())
    if match is None:
        raise ValueError(f"must be off, all or sample:N (N a positive whole number), not {value!r}")
    if match[0] == "off":
        return 0
    return 1 if match[0] == "all" else int(match[1])


class CollectorAccessLog(logging.Filter):
    """Keeps one access-log line in ``every`` for the collector routes (none for 0).

    A logger filter, so a dropped line is never formatted or masked. uvicorn's access
    record carries (client, method, path, HTTP version, status) as its arguments.
    ``candor serve`` decides earlier still, before uvicorn builds the record
    (``keeps``, called by ``service.request_head``), and configures this filter to keep
    everything it is handed.
    """

    def __init__(self, every: int = 0) -> None:
        super().__init__()
        self.every = every
        self._seen = 0

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if not (isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str)):
            return True
        return self.keeps(args[2])

    def keeps(self, path: str) -> bool:
        """Whether the access line of a request for ``path`` is to be written."""
        if self.every == 1 or _COLLECTOR_PATH.match(path) is None:
            return True
        if self.every == 0:
            return False
        self._seen += 1  # a lost update under threads only shifts which line is kept
        return self._seen % self.every == 0


def log_config(level: str, *, access_log: str = "off") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for uvicorn and Candor: JSON to stderr, addresses
    masked, the collector routes' access lines kept as ``access_log`` says."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "filters": ["addresses"]}
    loggers: dict[str, Any] = {
        name: {"handlers": ["default"], "level": level.upper(), "propagate": False}
        for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "candor")
    }
    loggers["uvicorn.access"]["filters"] = ["collector_access"]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "addresses": {"()": TruncateAddresses},
            "collector_access": {
                "()": CollectorAccessLog,
                "every": parse_access_log(access_log),
            },
        },
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"default": handler},
        "loggers": loggers,
    }
