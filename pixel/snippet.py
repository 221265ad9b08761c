"""The JavaScript served at ``/t.js`` for the company website.

The script (``snippet.js``, ES5, wrapped in a function so it defines no globals and
never breaks the host page) does, in order:

1. nothing at all when the browser sends Global Privacy Control or Do Not Track: no
   cookie, no beacon;
2. reads ``data-site`` from its own ``<script>`` tag (default: the page's host name);
3. keeps a valid ``cnd_vid`` (8 to 64 URL-safe characters) from the landing URL in a
   first-party cookie (``path=/``, 90 days, ``SameSite=Lax``, ``Secure`` on https), and
   removes it from the address bar with ``history.replaceState``;
4. sends one beacon per page view to ``{collector}/v``: ``navigator.sendBeacon`` with a
   ``text/plain`` body (a CORS "simple" request, so no preflight reaches the collector),
   or ``fetch`` with ``keepalive`` and ``no-cors`` when sendBeacon is missing or
   refuses; the body is JSON ``{"site", "url", "title", "referrer", "vid"}``, the URL
   without ``cnd_vid``;
5. sends another beacon when a single-page app changes the URL (``pushState``,
   ``popstate``).

The collector must therefore accept ``POST /v`` with ``Content-Type: text/plain`` and a
JSON body.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from importlib.resources import files

__all__ = ["render_snippet"]

_PLACEHOLDER = "__CANDOR_COLLECTOR__"


@cache
def _source() -> str:
    return files("pixel").joinpath("snippet.js").read_text(encoding="utf-8")


def _js_string(value: str) -> str:
    """``value`` as a JavaScript string literal that is safe inside any HTML context."""
    return (
        json.dumps(value, ensure_ascii=True)  # also escapes U+2028/U+2029
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


@lru_cache(maxsize=8)
def render_snippet(collector_url: str) -> str:
    """The snippet with the collector's base URL written in as a safe JS string literal.

    ``collector_url`` is the public base URL of the collector (``CANDOR_PUBLIC_URL``); a
    trailing slash is dropped. The URL is JSON-encoded with ``<``, ``>`` and ``&``
    escaped, so no value can end the string or close a surrounding ``<script>`` when
    the snippet is inlined into a page. The result is cached per URL.

    Raises OSError if ``snippet.js`` is missing from the installed package.
    """
    return _source().replace(_PLACEHOLDER, _js_string(collector_url.rstrip("/")))
