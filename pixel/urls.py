"""Which addresses Candor may track and redirect to.

Only absolute ``http``/``https`` URLs with a plain host are ever tracked; anything else
is left exactly as written in the email. The same rules are checked again right before
a redirect, so a stored destination can never become an open redirect to another scheme.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit, urlunsplit

__all__ = ["safe_redirect_target", "trackable_url"]

# Browsers strip these from both ends of an href (the WHATWG URL parser's C0 space).
_EDGE_SPACE = " \t\n\f\r"
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f\\]")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_SCHEME = re.compile(r"^(https?)://", re.IGNORECASE)


def _host(netloc: str) -> tuple[str, str] | None:
    """(host as it must be written, port suffix), or None when the host is unacceptable."""
    if "@" in netloc or not netloc:
        return None
    if netloc.startswith("["):
        end = netloc.find("]")
        if end < 0:
            return None
        literal, rest = netloc[1:end], netloc[end + 1 :]
        try:
            ipaddress.IPv6Address(literal)
        except ValueError:
            return None
        host = f"[{literal.lower()}]"
    else:
        literal, colon, port = netloc.partition(":")
        rest = f":{port}" if colon else ""
        name = _dns_name(literal)
        if name is None:
            return None
        host = name
    if rest:
        port = rest[1:]
        if not port.isdigit() or not 0 < int(port) < 65536 or not rest.startswith(":"):
            return None
    return host, rest


def _dns_name(name: str) -> str | None:
    name = name.rstrip(".").lower()
    if not name:
        return None
    try:
        ipaddress.IPv4Address(name)
        return name
    except ValueError:
        pass
    try:
        ascii_name = name.encode("idna").decode("ascii") if not name.isascii() else name
    except UnicodeError:
        return None
    labels = ascii_name.split(".")
    if not all(_LABEL.match(label) for label in labels):
        return None
    if labels[-1].isdigit():  # 1.2.3 or 999.1.1.1: not a valid address, not a name
        return None
    return ascii_name


def trackable_url(raw: str) -> str | None:
    """The normalised URL to track for an href value, or None to leave it untouched.

    Leading and trailing blanks are stripped as a browser would; then anything but an
    absolute http(s) URL with a valid host (DNS name, IDN in punycode, or IP literal),
    no user info, no control characters, whitespace or backslashes, is refused.
    """
    value = raw.strip(_EDGE_SPACE)
    match = _SCHEME.match(value)
    if match is None or _FORBIDDEN.search(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    host = _host(parts.netloc)
    if host is None:
        return None
    return urlunsplit(
        (match.group(1).lower(), host[0] + host[1], parts.path, parts.query, parts.fragment)
    )


def safe_redirect_target(url: str) -> bool:
    """Whether ``url`` is exactly a URL ``trackable_url`` would have produced."""
    return trackable_url(url) == url
