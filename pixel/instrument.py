"""Email instrumentation: tracked links, the open pixel, the honeypot and the footer.

The HTML is read with the standard library's HTML parser, which knows where tags,
comments, scripts and styles begin and end. Only the ``href`` value of ``<a>`` and
``<area>`` start tags is replaced, at the exact character span the parser found; every
other byte (attribute order, quoting, entities, white space) is kept as written. Links
inside comments, ``<script>`` or ``<style>`` are never touched because the parser never
reports them as tags.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from pixel.urls import trackable_url

__all__ = ["InstrumentedEmail", "honeypot_tag", "instrument_email", "pixel_tag"]

_TAG_NAME = re.compile(r"<[a-zA-Z][^\t\n\r\f />\x00]*(?:\s|/(?!>))*")
# The shape of one attribute inside a start tag, as the HTML parser reads it.
_ATTRIBUTE = re.compile(
    r"((?<=['\"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|\"[^\"]*\"|(?!['\"])[^>\s]*))?(?:\s|/(?!>))*"
)
_TEXT_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_TRAILING = ".,;:!?'\"]>}"


@dataclass(frozen=True)
class InstrumentedEmail:
    """The rewritten parts and the distinct tracked destinations, in order of appearance."""

    html: str
    text: str | None
    destinations: list[str]


def pixel_tag(pixel_url: str) -> str:
    """The open pixel as an ``<img>`` that takes no room in any mail client."""
    src = html.escape(pixel_url, quote=True)
    return (
        f'<img src="{src}" width="1" height="1" alt="" '
        'style="display:block;border:0;width:1px;height:1px" />'
    )


def honeypot_tag(honeypot_url: str) -> str:
    """A link no person sees or can reach by keyboard; only machines follow it."""
    href = html.escape(honeypot_url, quote=True)
    return f'<a href="{href}" style="display:none!important;mso-hide:all" aria-hidden="true" tabindex="-1"></a>'


@dataclass
class _Scan(HTMLParser):
    """Collects href value spans of link tags and where the last ``</body>`` starts."""

    source: str
    hrefs: list[tuple[int, int, str, str]] = field(default_factory=list)  # start, end, quote, value
    body_end: int | None = None

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)
        starts = [0]
        for index, char in enumerate(self.source):
            if char == "\n":
                starts.append(index + 1)
        self._line_starts = starts

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("a", "area"):
            return
        raw = self.get_starttag_text() or ""
        start = self._offset()
        if self.source[start : start + len(raw)] != raw:
            return  # positions disagree (should not happen): leave this tag alone
        span = _first_href(raw)
        if span is not None:
            value_start, value_end, quote = span
            self.hrefs.append(
                (start + value_start, start + value_end, quote, raw[value_start:value_end])
            )

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "body":
            self.body_end = self._offset()


def _first_href(raw: str) -> tuple[int, int, str] | None:
    """(start, end, quote) of the first href value inside a raw start tag, quotes excluded."""
    name = _TAG_NAME.match(raw)
    if name is None:
        return None
    position = name.end()
    while position < len(raw):
        match = _ATTRIBUTE.match(raw, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        if match.group(1).lower() != "href" or match.group(3) is None:
            continue
        start, end = match.span(3)
        value = match.group(3)
        if value[:1] in ("'", '"'):
            return start + 1, end - 1, value[0]
        return start, end, ""
    return None


def _rewrite_html(source: str, track: Callable[[str], str | None]) -> tuple[str, int | None]:
    """The document with tracked hrefs, and where its last ``</body>`` now starts."""
    scan = _Scan(source)
    try:
        scan.feed(source)
        scan.close()
    except Exception:  # the parser is tolerant; if it ever gives up, change nothing
        return source, None
    pieces: list[str] = []
    cursor = 0
    body_end = scan.body_end
    for start, end, quote, value in scan.hrefs:
        tracked = track(html.unescape(value))
        if tracked is None:
            continue
        escaped = html.escape(tracked, quote=True)
        replacement = escaped if quote else f'"{escaped}"'
        pieces += [source[cursor:start], replacement]
        cursor = end
        if body_end is not None and start < scan.body_end:  # type: ignore[operator]
            body_end += len(replacement) - (end - start)
    pieces.append(source[cursor:])
    return "".join(pieces), body_end


def _rewrite_text(text: str, track: Callable[[str], str | None]) -> str:
    def replace(match: re.Match[str]) -> str:
        url = match.group(0)
        tail = ""
        while url and url[-1] in _TRAILING + ")":
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            tail = url[-1] + tail
            url = url[:-1]
        tracked = track(url)
        return (tracked if tracked is not None else url) + tail

    return _TEXT_URL.sub(replace, text)


def instrument_email(
    html_part: str,
    text: str | None,
    *,
    track: Callable[[str], str],
    pixel_url: str,
    honeypot_url: str | None = None,
    footer_html: str | None = None,
    footer_text: str | None = None,
) -> InstrumentedEmail:
    """Rewrite the trackable links of both parts and add footer, honeypot and pixel.

    ``track(destination)`` is called once per distinct trackable destination and returns
    its tracked URL. The footer, honeypot and pixel go right before the last
    ``</body>``, or at the end of a document without one; their own links are not
    tracked. Never raises for malformed HTML.
    """
    cache: dict[str, str] = {}
    destinations: list[str] = []

    def tracked_for(raw: str) -> str | None:
        destination = trackable_url(raw)
        if destination is None:
            return None
        if destination not in cache:
            cache[destination] = track(destination)
            destinations.append(destination)
        return cache[destination]

    rewritten, body_end = _rewrite_html(html_part, tracked_for)
    addition = (
        (footer_html or "")
        + (honeypot_tag(honeypot_url) if honeypot_url else "")
        + pixel_tag(pixel_url)
    )
    if body_end is None:
        rewritten += addition
    else:
        rewritten = rewritten[:body_end] + addition + rewritten[body_end:]
    new_text = None
    if text is not None:
        new_text = _rewrite_text(text, tracked_for)
        if footer_text:
            new_text = new_text.rstrip("\n") + "\n\n" + footer_text + "\n"
    return InstrumentedEmail(html=rewritten, text=new_text, destinations=destinations)
