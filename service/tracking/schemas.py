"""What a collector request carries, validated once at the edge."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["CLIENT_HEADERS", "ClientInfo", "VisitIn"]

_VID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_HEADERS = ("purpose", "sec-purpose", "x-moz", "x-purpose", "sec-gpc", "dnt", "sec-fetch-mode")
# Every header ClientInfo keeps something of, lower-cased.
CLIENT_HEADERS = (*_HEADERS, "user-agent")
USER_AGENT_CAP = 512


@dataclass(frozen=True)
class ClientInfo:
    """The requesting client, as far as classification needs it; never stored whole."""

    method: str
    ip: str
    user_agent: str
    headers: Mapping[str, str]

    @classmethod
    def from_parts(cls, method: str, ip: str | None, headers: Mapping[str, str]) -> ClientInfo:
        """Keep only the headers the classifier and consent checks read."""
        kept = {name: headers[name] for name in _HEADERS if name in headers}
        agent = headers.get("user-agent", "")[:USER_AGENT_CAP]
        return cls(method=method.upper(), ip=ip or "", user_agent=agent, headers=kept)

    @property
    def refuses_tracking(self) -> bool:
        """Global Privacy Control or Do Not Track."""
        return (
            self.headers.get("sec-gpc", "").strip() == "1"
            or self.headers.get("dnt", "").strip() == "1"
        )

    @property
    def is_probe(self) -> bool:
        """HEAD and prefetch requests: never a person's act, never a state change."""
        if self.method == "HEAD":
            return True
        get = self.headers.get
        purpose = f"{get('purpose', '')} {get('sec-purpose', '')} {get('x-moz', '')}"
        return "prefetch" in purpose.lower()


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an absolute http(s) URL")
    if any(ch in value for ch in "\r\n\t\\ "):
        raise ValueError("must not contain whitespace or backslashes")
    return value


class VisitIn(BaseModel):
    """A page view from the site snippet (or the <noscript> image)."""

    model_config = ConfigDict(
        extra="ignore",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "site": "example.com",
                    "url": "https://example.com/pricing",
                    "title": "Pricing",
                    "referrer": "https://www.example.org/",
                    "vid": "6745a3c1Xk2vQ9mZr8TnBw4y",
                }
            ]
        },
    )

    site: str = Field(min_length=1, max_length=255)
    url: str = Field(min_length=1, max_length=2048)
    title: str | None = Field(default=None, max_length=2000)
    referrer: str | None = Field(default=None, max_length=4096)
    vid: str | None = Field(default=None, max_length=64)

    @field_validator("site", "url", "title", "referrer", mode="before")
    @classmethod
    def _storable(cls, value: object) -> object:
        # The beacons bypass the app's input guard (service/input_guard.py).
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _http_url(value)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        return value[:300] if value else None

    @field_validator("referrer")
    @classmethod
    def _referrer(cls, value: str | None) -> str | None:
        # Referrers are informative only: keep a valid http(s) one, drop anything else.
        if not value:
            return None
        try:
            return _http_url(value)[:2048]
        except ValueError:
            return None

    @field_validator("vid")
    @classmethod
    def _vid(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not _VID.match(value):
            raise ValueError("must be 8 to 64 characters of A-Z, a-z, 0-9, _ or -")
        return value
