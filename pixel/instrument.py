"""Email instrumentation: tracked links, the open pixel, the honeypot and the footer.

The HTML part is read with the standard library's HTML parser, which knows where tags,
comments, scripts and styles begin and end. Only the ``href`` value of ``<a>`` and
``<area>`` start tags is replaced, at the exact character span the parser found; every
other character (attribute order, quoting, entities, case, white space, line endings)
is kept as written. Links inside comments (Outlook's conditional comments included),
``<script>``, ``<style>``, ``<title>``, ``<textarea>`` and other raw-text elements are
never touched, because a browser never makes them links and the parser never reports
them as tags.

How a span is found: the parser reports each start tag with its line and column and
its raw text. A table of line starts over the original string turns (line, column)
into an offset (the parser counts lines by ``\\n`` only, so ``\\r\\n`` and a lone ``\\r``
stay inside a line's columns, and the table counts the same way). The raw tag is then
walked with the parser's own attribute pattern, and the walk must yield exactly the
attributes the parser reported, or the tag is left alone. The first ``href`` wins, as
in browsers.

The value decides: it is entity-decoded (as the parser and a browser decode it),
checked with ``pixel.urls.trackable_url``, and the tracked URL is written back
HTML-escaped in the original quote style (an unquoted value comes back double-quoted).
"""

from __future__ import annotations

import html.parser as _html_parser
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape
from typing import Final

from pixel.urls import trackable_url

__all__ = [
    "Footer",
    "InstrumentedEmail",
    "InstrumentedText",
    "footer_only",
    "honeypot_tag",
    "instrument_email",
    "instrument_text",
    "pixel_tag",
    "schemeless_addresses",
]

# The parser's own patterns, so that the walk over a raw tag reads it exactly as the
# parser did; the copies are the Python 3.11 patterns, used only if a future version
# renames them (the attribute cross-check still guards every rewrite).
_TAG_NAME: Final[re.Pattern[str]] = getattr(
    _html_parser,
    "tagfind_tolerant",
    re.compile(r"([a-zA-Z][^\t\n\r\f />\x00]*)(?:\s|/(?!>))*"),
)
_ATTRIBUTE: Final[re.Pattern[str]] = getattr(
    _html_parser,
    "attrfind_tolerant",
    re.compile(
        r"((?<=[\'\"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*"
        r"(\'[^\']*\'|\"[^\"]*\"|(?![\'\"])[^>\s]*))?(?:\s|/(?!>))*"
    ),
)
_LINK_TAGS = frozenset({"a", "area"})
# Elements whose content browsers read as text, not markup (beyond script and style,
# which the parser already knows). ``noscript`` is not among them: mail clients run no
# scripts, so its content is markup there.
_RAW_TEXT = frozenset({"title", "textarea", "xmp", "iframe", "noembed", "noframes"})

# A bare URL in the text part: not glued to a preceding word or scheme (``git+https``),
# ending at white space, angle brackets or a double quote.
_TEXT_URL = re.compile(r"(?<![\w+.-])https?://[^\s<>\"]+", re.IGNORECASE)
_TRAILING = ".,;:!?'*"
_CLOSERS = {")": "(", "]": "[", "}": "{"}


@dataclass(frozen=True)
class InstrumentedEmail:
    """The rewritten parts and the distinct tracked destinations, in order of appearance.

    ``text`` is None when the message had no text part. ``destinations`` holds each
    normalised destination once; the honeypot and the footer's links are not in it.
    """

    html: str
    text: str | None
    destinations: list[str]


@dataclass(frozen=True)
class InstrumentedText:
    """A plain-text email with its tracked links, and the distinct destinations in order.

    There is no pixel: plain text cannot carry an image, so opens of it are never seen.
    """

    text: str
    destinations: list[str]


# A footer as written, or made from the tracked destinations once they are known.
Footer = str | Callable[[list[str]], str] | None


def _footer(footer: Footer, destinations: list[str]) -> str:
    if callable(footer):
        return footer(destinations)
    return footer or ""


def pixel_tag(pixel_url: str) -> str:
    """The open pixel as an ``<img>`` that takes no room in any mail client."""
    src = escape(pixel_url, quote=True)
    return (
        f'<img src="{src}" width="1" height="1" alt="" '
        'style="display:block;border:0;width:1px;height:1px" />'
    )


def honeypot_tag(honeypot_url: str) -> str:
    """A link no person sees or reaches by keyboard or screen reader; only machines follow it."""
    href = escape(honeypot_url, quote=True)
    return (
        f'<a href="{href}" style="display:none!important;mso-hide:all" '
        'aria-hidden="true" tabindex="-1"></a>'
    )


@dataclass(frozen=True)
class _Href:
    start: int  # offset of the value in the document, quotes excluded
    end: int
    quote: str  # the quote character, or "" for an unquoted value
    value: str  # the decoded value


def _line_starts(source: str) -> list[int]:
    starts = [0]
    index = source.find("\n")
    while index >= 0:
        starts.append(index + 1)
        index = source.find("\n", index + 1)
    return starts


class _Scanner(_html_parser.HTMLParser):
    """Collects the href spans of link tags and where the last ``</body>`` starts."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.hrefs: list[_Href] = []
        self.body_end: int | None = None
        self._line_starts = _line_starts(source)

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _link(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _LINK_TAGS:
            return
        raw = self.get_starttag_text()
        if not raw:
            return
        start = self._offset()
        if not self.source.startswith(raw, start):
            return  # positions disagree: leave this tag alone rather than guess
        href = _first_href(raw, attrs)
        if href is not None:
            value_start, value_end, quote, value = href
            self.hrefs.append(_Href(start + value_start, start + value_end, quote, value))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._link(tag, attrs)
        if tag in _RAW_TEXT:
            self.set_cdata_mode(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._link(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "body":
            self.body_end = self._offset()


def _first_href(raw: str, attrs: list[tuple[str, str | None]]) -> tuple[int, int, str, str] | None:
    """(start, end, quote, decoded value) of the first href value in a raw start tag.

    Offsets exclude the quotes.

    None when the first href has no value, or when walking the tag does not give exactly
    the attributes the parser reported (then nobody can be sure which bytes to replace).
    """
    name = _TAG_NAME.match(raw, 1)
    if name is None:
        return None
    position = name.end()
    seen: list[tuple[str, str | None]] = []
    found: tuple[int, int, str, str] | None = None
    searching = True
    while position < len(raw):
        match = _ATTRIBUTE.match(raw, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        attr_name, rest, value = match.group(1, 2, 3)
        decoded: str | None = None
        span: tuple[int, int, str, str] | None = None
        if rest:  # as the parser reads a value: quotes stripped, entities decoded
            start, end = match.span(3)
            quoted = len(value) >= 2 and value[0] in "'\"" and value[-1] == value[0]
            quote = value[0] if quoted else ""
            if quote:
                start, end = start + 1, end - 1
            decoded = unescape(raw[start:end]) if end > start else ""
            span = (start, end, quote, decoded)
        seen.append((attr_name.lower(), decoded))
        if searching and attr_name.lower() == "href":
            searching = False  # browsers keep the first href and drop the others
            found = span
    if seen != attrs:
        return None
    return found


def _rewrite_html(source: str, tracked_for: Callable[[str], str | None]) -> tuple[str, int | None]:
    """The document with tracked hrefs, and where its last ``</body>`` now starts."""
    scanner = _Scanner(source)
    try:
        scanner.feed(source)
        scanner.close()
    except Exception:  # the parser is tolerant; if it ever gives up, change nothing
        return source, None
    pieces: list[str] = []
    cursor = 0
    body_end = scanner.body_end
    for href in scanner.hrefs:
        tracked = tracked_for(href.value)
        if tracked is None:
            continue
        escaped = escape(tracked, quote=True)
        replacement = escaped if href.quote else f'"{escaped}"'
        pieces += [source[cursor : href.start], replacement]
        cursor = href.end
        if body_end is not None and scanner.body_end is not None and href.start < scanner.body_end:
            body_end += len(replacement) - (href.end - href.start)
    pieces.append(source[cursor:])
    return "".join(pieces), body_end


# A web address written without its scheme (``www.example.com/pricing``): mail clients
# link it, but it is no absolute http(s) URL, so it is never tracked; the rep is told.
_SCHEMELESS = re.compile(r"(?<![\w+.:/@-])www\.[a-z0-9-]+\.[^\s<>\"]+", re.IGNORECASE)


def _without_trailing(url: str) -> tuple[str, str]:
    """The URL and the punctuation after it: trailing punctuation belongs to the
    sentence; a closing bracket belongs to the URL only when the URL opened one
    (https://en.wikipedia.org/wiki/A_(b))."""
    tail = ""
    while url:
        last = url[-1]
        if last in _CLOSERS:
            if url.count(_CLOSERS[last]) >= url.count(last):
                break
        elif last not in _TRAILING:
            break
        tail = last + tail
        url = url[:-1]
    return url, tail


def _rewrite_text(text: str, tracked_for: Callable[[str], str | None]) -> str:
    def replace(match: re.Match[str]) -> str:
        url, tail = _without_trailing(match.group(0))
        tracked = tracked_for(url)
        return (tracked if tracked is not None else url) + tail

    return _TEXT_URL.sub(replace, text)


def schemeless_addresses(text: str) -> list[str]:
    """The web addresses a plain text writes without ``https://`` (``www.example.com``),
    each once, in order: left as written and untracked, which the rep should know."""
    found = (_without_trailing(match.group(0))[0] for match in _SCHEMELESS.finditer(text))
    return list(dict.fromkeys(found))


def _with_footer(text: str, footer: str) -> str:
    newline = "\r\n" if "\r\n" in text else "\n"
    body = text.rstrip("\r\n")
    # A footer of several lines ends each with the email's own line break.
    footer = newline.join(footer.replace("\r\n", "\n").split("\n"))
    return f"{body}{newline}{newline}{footer}{newline}" if body else f"{footer}{newline}"


def instrument_email(
    html: str,
    text: str | None,
    *,
    track: Callable[[str], str],
    pixel_url: str,
    honeypot_url: str | None = None,
    footer_html: Footer = None,
    footer_text: Footer = None,
) -> InstrumentedEmail:
    """Rewrite the trackable links of both parts and add footer, honeypot and pixel.

    Each ``<a href>`` / ``<area href>`` of the HTML part, and each bare URL of the text
    part, whose destination ``pixel.urls.trackable_url`` accepts is replaced by
    ``track(destination)``; everything else stays byte for byte. ``track`` is called
    once per distinct normalised destination (both parts share it) and its answer is
    reused; ``destinations`` lists them in order of first appearance.

    Before the last ``</body>`` (or at the end of a document without one) go, in order:
    ``footer_html``, the hidden honeypot link (when ``honeypot_url`` is given) and the
    open pixel. ``footer_text`` is appended to the text part after a blank line. None of
    these added links is passed to ``track``. A footer may be a function of the tracked
    destinations, called once both parts are rewritten, so that it can say whether
    clicks are recorded without a second pass over the email.

    Never raises for malformed HTML (at worst the document is left as it was, plus the
    pixel). Exceptions raised by ``track`` propagate unchanged.
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

    rewritten, body_end = _rewrite_html(html, tracked_for)
    new_text = None if text is None else _rewrite_text(text, tracked_for)
    addition = (
        _footer(footer_html, destinations)
        + (honeypot_tag(honeypot_url) if honeypot_url else "")
        + pixel_tag(pixel_url)
    )
    if body_end is None:
        rewritten += addition
    else:
        rewritten = rewritten[:body_end] + addition + rewritten[body_end:]
    if new_text is not None and (footer := _footer(footer_text, destinations)):
        new_text = _with_footer(new_text, footer)
    return InstrumentedEmail(html=rewritten, text=new_text, destinations=destinations)


def instrument_text(
    text: str,
    *,
    track: Callable[[str], str],
    footer_text: Footer = None,
) -> InstrumentedText:
    """Rewrite the trackable bare URLs of a plain-text email and append the footer.

    The same rules as the text part of ``instrument_email``: a URL is a bare
    ``http(s)://`` run of characters not glued to a preceding word, trailing sentence
    punctuation stays outside it, and only destinations ``pixel.urls.trackable_url``
    accepts are replaced by ``track(destination)`` (called once per distinct normalised
    destination). ``footer_text`` is appended after a blank line and never tracked (a
    function of the tracked destinations, as for ``instrument_email``). Nothing else is added: no pixel and no honeypot, which plain text cannot hide.
    Exceptions raised by ``track`` propagate unchanged.
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

    new_text = _rewrite_text(text, tracked_for)
    if footer := _footer(footer_text, destinations):
        new_text = _with_footer(new_text, footer)
    return InstrumentedText(text=new_text, destinations=destinations)


def footer_only(
    html: str | None,
    text: str | None,
    *,
    footer_html: str | None = None,
    footer_text: str | None = None,
) -> tuple[str | None, str | None]:
    """Both parts as written, with only the footer added: nothing tracked, no pixel, no
    honeypot. For a recipient who must not be tracked but still reads the disclosure.

    ``footer_html`` goes before the last ``</body>`` (or at the end), ``footer_text``
    after a blank line of the text part; a part that is None stays None.
    """
    new_html = html
    if html is not None and footer_html:
        unchanged, body_end = _rewrite_html(html, lambda _raw: None)
        if body_end is None:
            new_html = unchanged + footer_html
        else:
            new_html = unchanged[:body_end] + footer_html + unchanged[body_end:]
    new_text = text
    if text is not None and footer_text:
        new_text = _with_footer(text, footer_text)
    return new_html, new_text
