"""The JavaScript served at ``/t.js`` for the company website."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files

__all__ = ["render_snippet"]


@lru_cache(maxsize=8)
def render_snippet(collector_url: str) -> str:
    """The snippet with the collector's base URL written in as a safe JS string literal.

    ``<``, ``>`` and ``&`` are escaped so that no URL can close the surrounding
    ``<script>`` when the snippet is inlined into a page.
    """
    literal = (
        json.dumps(collector_url.rstrip("/"))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    source = files("pixel").joinpath("snippet.js").read_text(encoding="utf-8")
    return source.replace("__CANDOR_COLLECTOR__", literal)
