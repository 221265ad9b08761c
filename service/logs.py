"""Structured JSON logs that never hold a full IP address.

Every record, Candor's and uvicorn's (access log included), goes through one filter
that truncates IPv4 addresses to /24 and IPv6 addresses to /48, the same minimisation
as the stored events.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from pixel.classify import truncate_ip

__all__ = ["JsonFormatter", "TruncateAddresses", "log_config", "mask_addresses"]

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


def log_config(level: str) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for uvicorn and Candor: JSON to stderr, addresses masked."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "filters": ["addresses"]}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"addresses": {"()": TruncateAddresses}},
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"default": handler},
        "loggers": {
            name: {"handlers": ["default"], "level": level.upper(), "propagate": False}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "candor")
        },
    }
