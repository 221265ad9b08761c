"""Which addresses Candor may track and redirect to.

Only absolute ``http``/``https`` URLs with a plain host are ever tracked; anything else
is left exactly as written in the email (``mailto:``, ``tel:``, anchors, relative
links, ``javascript:`` and friends). The same rules are checked again right before a
redirect, so a stored destination can never become a redirect to another scheme or a
header injection.

The rules, and why:

- Leading and trailing ASCII blanks (tab, LF, FF, CR, space) are stripped, as browsers
  strip them from ``href`` values; anything that remains and is a control character,
  white space, an invisible format character (bidi overrides, zero-width characters)
  or a backslash refuses the URL. Leading blanks hid schemes from Python's own parser
  (CVE-2023-24329), CR/LF split response headers, backslashes are slashes to browsers
  (``https:\\\\evil.example``).
- The scheme is ``http`` or ``https`` (any case) followed by ``//`` and a host:
  ``https:evil.example``, ``//host`` and ``http:///x`` are refused.
- No user info: ``https://bank.example@evil.example/`` shows one host and visits another.
- The host is a DNS name (letters, digits, hyphens per label), an IDN converted to
  punycode (Python's ``idna`` codec, IDNA 2003) so homographs show as ``xn--``, a
  dotted-quad IPv4 address, or a bracketed IPv6 address without a zone. A name whose
  last label is a number (``1.2.3``, ``0x7f000001``) is an address to a browser and is
  refused unless it is a canonical dotted quad.
- The port, when present, is 1 to 65535 in ASCII digits.

Normal form: scheme and host lower-cased, the host in punycode (one trailing dot
dropped), the port without leading zeros; path, query and fragment are kept exactly as
written, never re-encoded (an HTML parser has already decoded their entities).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

__all__ = ["safe_redirect_target", "trackable_url"]

# Browsers strip these from both ends of an href (the WHATWG "ASCII whitespace").
_EDGE_SPACE = " \t\n\f\r"
_SCHEME = re.compile(r"(https?)://", re.IGNORECASE)
_ASCII_FORBIDDEN = re.compile(r"[\x00-\x20\x7f\\]")
# Unicode categories refused anywhere: controls, format characters (bidi overrides, zero
# width), lone surrogates (not encodable) and every kind of space or line separator.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"})
_AUTHORITY_END = re.compile(r"[/?#]")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_NUMBER = re.compile(r"[0-9]+|0[xX][0-9a-fA-F]*")
_PORT = re.compile(r"[0-9]{1,5}")
_MAX_HOST = 253


def _clean(value: str) -> bool:
    """Whether ``value`` has no control, white space, invisible or backslash character."""
    if _ASCII_FORBIDDEN.search(value):
        return False
    if value.isascii():
        return True
    return not any(
        ch.isspace() or unicodedata.category(ch) in _FORBIDDEN_CATEGORIES
        for ch in value
        if not ch.isascii()
    )


def _ipv6(literal: str) -> str | None:
    if "%" in literal:  # zone ids name an interface of the reader's machine
        return None
    try:
        return f"[{ipaddress.IPv6Address(literal).compressed}]"
    except ValueError:
        return None


def _dns_name(name: str) -> str | None:
    """The host in lower-case ASCII (punycode for IDN), or None when it is not a host."""
    if name.endswith("."):
        name = name[:-1]
    if not name:
        return None
    try:
        ascii_name = name.lower() if name.isascii() else name.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    ascii_name = ascii_name.lower()
    if len(ascii_name) > _MAX_HOST:
        return None
    labels = ascii_name.split(".")
    if _NUMBER.fullmatch(labels[-1]):
        # Browsers read such a host as an IPv4 address (1.2.3, 0x7f.1, 017.0.0.1, ...):
        # only the canonical dotted quad is accepted.
        try:
            return str(ipaddress.IPv4Address(ascii_name))
        except ValueError:
            return None
    if not all(_LABEL.fullmatch(label) for label in labels):
        return None
    return ascii_name


def _authority(authority: str) -> str | None:
    """The host (and port) in normal form, or None when unacceptable."""
    if not authority or "@" in authority:
        return None
    if authority.startswith("["):
        end = authority.find("]")
        if end < 0:
            return None
        host = _ipv6(authority[1:end])
        rest = authority[end + 1 :]
    else:
        name, colon, port = authority.partition(":")
        host = _dns_name(name)
        rest = colon + port
    if host is None:
        return None
    if not rest:
        return host
    port = rest[1:]
    if not rest.startswith(":") or not _PORT.fullmatch(port) or not 0 < int(port) < 65536:
        return None
    return f"{host}:{int(port)}"


def trackable_url(raw: str) -> str | None:
    """The normalised URL to track for an href value, or None to leave the href untouched.

    ``raw`` is the href as a browser would see it (entities already decoded). Leading
    and trailing ASCII blanks are stripped; then anything but an absolute http(s) URL
    with an acceptable host is refused (see the module docstring for each rule).
    Never raises, whatever the input.
    """
    if not isinstance(raw, str):
        return None
    value = raw.strip(_EDGE_SPACE)
    match = _SCHEME.match(value)
    if match is None or not _clean(value):
        return None
    rest = value[match.end() :]
    end = _AUTHORITY_END.search(rest)
    split = end.start() if end else len(rest)
    authority = _authority(rest[:split])
    if authority is None:
        return None
    return f"{match.group(1).lower()}://{authority}{rest[split:]}"


def safe_redirect_target(url: str) -> bool:
    """Whether ``url`` may be sent as a redirect's ``Location``: exactly a normal form
    that ``trackable_url`` produces (and so passes every rule above).

    The last check before redirecting, so that a destination stored by any path (an old
    row, a manual edit) can never redirect to another scheme or inject a header. Never
    raises.
    """
    return isinstance(url, str) and trackable_url(url) == url
