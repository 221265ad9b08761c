"""What a rep's own HTML carries that Candor's footer, policy and opt-out do not cover.

The footer tells the prospect what *this email* records, and the transparency page and
opt-out act on Candor's pixel and links only. Whatever else the rep pasted in records,
runs or loads beyond Candor's reach, so it is either removed or named, by class, as
listmonk and Mautic sanitise and Gmail strips scripts:

Removed (mail clients would not run or show them; they could only harm), each with a
note saying so:

- ``<script>`` elements, with their content;
- event-handler attributes (``onclick``, ``onerror``, every ``on…``);
- ``javascript:`` and ``vbscript:`` addresses in any address attribute (the attribute
  goes; a link keeps its words);
- ``<iframe>``, ``<frame>``, ``<frameset>``, ``<object>``, ``<applet>`` and ``<embed>``,
  with their content;
- ``<meta http-equiv="refresh">``, which would send the reader elsewhere by itself.

Kept, with a note naming the host as text (an image may be the rep's logo, a link the
rep's own page; the rep decides):

- images that load from another host when the email is opened: ``<img src>`` and
  ``srcset``, ``<source>``, ``<input type=image>``, ``poster``, ``background``
  attributes, SVG ``<image href>``, CSS ``url()`` and ``@import`` in ``style``
  attributes and ``<style>``, and ``<link>`` that loads (``stylesheet``, ``icon``,
  ``preload``…). A hidden or 1-by-1 image, or one whose address is named like a tracker
  (``/track.gif``, ``/pixel``, ``/open``), is called what it most likely is: a
  tracking pixel;
- links through another service's click tracker or redirect: a known link shortener
  (``SHORTENERS``), a known mail service's click-tracking host or path, a host whose
  first label is ``click``/``track``…, or a query that carries an absolute address on
  another host (``https://r.example/?url=https%3A%2F%2Fexample.com``). An address on the
  link's own host (``?next=https://example.com/account`` on example.com) is an ordinary
  link, and so are UTM tags, searches and everything else;
- forms, which send what is typed into them to their ``action``'s host.

Only what is removed changes: the HTML is read with the standard library's parser, as
``pixel.instrument`` reads it, and cut at the exact character spans the parser found, so
every other byte stays as written. What the parser never reports as markup (comments
and the text of raw-text elements) is never cut; only the images that Outlook loads from
inside its conditional comments (``<!--[if mso]><v:image src=…>``) are named.
"""

from __future__ import annotations

import html.parser as _html_parser
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import unescape
from typing import Final, Literal
from urllib.parse import parse_qsl, urlsplit

from pixel.instrument import _ATTRIBUTE, _TAG_NAME, _TEXT_URL, _line_starts
from pixel.urls import trackable_url

__all__ = [
    "SHORTENERS",
    "Foreign",
    "ForeignCheck",
    "Kind",
    "check_email",
    "check_html",
    "foreign_link",
    "notes_for",
]

Kind = Literal[
    # removed
    "script",
    "handler",
    "javascript_url",
    "frame",
    "meta_refresh",
    # kept and named
    "pixel",
    "image",
    "stylesheet",
    "tracked_link",
    "form",
]
REMOVED_KINDS: Final = frozenset({"script", "handler", "javascript_url", "frame", "meta_refresh"})

# Link shorteners: every click goes through them first, and the link hides where it leads.
SHORTENERS: Final = frozenset(
    {
        "bit.ly", "bitly.com", "buff.ly", "cutt.ly", "goo.gl", "is.gd", "lnkd.in", "ow.ly",
        "rb.gy", "rebrand.ly", "shorturl.at", "t.co", "t.ly", "tiny.cc", "tinyurl.com",
        "v.gd", "bl.ink", "short.io", "s.id", "soo.gd", "clck.ru", "qr.ae",
    }
)  # fmt: skip
# Mail services whose click tracking lives on hosts of their own.
_TRACKER_DOMAINS: Final = (
    "list-manage.com", "hubspotlinks.com", "sendgrid.net", "mandrillapp.com", "rs6.net",
    "exct.net", "mailgun.org", "mlsend.com", "sendibt3.com", "mjt.lu", "klclick.com",
)  # fmt: skip
# ``track.`` is left out: it is as often a parcel's tracking page, an ordinary link.
_TRACKER_LABELS: Final = frozenset({"click", "clicks", "clicktrack", "trk", "ctrk"})
_TRACKER_PATHS = re.compile(r"^/(?:ls/click|wf/click|track/click|ss/c/)", re.IGNORECASE)

_REMOVED_ELEMENTS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "applet", "embed"}
)
# Elements whose content the parser must read as text, as browsers do (see pixel.instrument).
_RAW_TEXT = frozenset({"title", "textarea", "xmp", "iframe", "noembed", "noframes"})
_VOID = frozenset({"embed", "frame"})
# Attributes that hold an address, where a javascript: one would run on a click or a load.
_URL_ATTRIBUTES = frozenset(
    {
        "href", "src", "action", "formaction", "xlink:href", "background", "poster",
        "lowsrc", "dynsrc", "srcset", "data", "cite", "longdesc", "ping",
    }
)  # fmt: skip
_SCRIPT_SCHEME = re.compile(r"(?:java|vb)script:", re.IGNORECASE)
_LOADING_RELS = frozenset(
    {
        "stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "prefetch",
        "preconnect", "dns-prefetch", "modulepreload", "prerender", "manifest",
    }
)  # fmt: skip
_TINY = re.compile(r"\s*0*[01](?:\.0*)?\s*(?:px)?\s*", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(
    r"(?:^|[;\s])(?:display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(?:\.0*)?\s*(?:;|!|$)"
    r"|(?:max-)?(?:width|height)\s*:\s*0*[01](?:\.0*)?\s*(?:px)?\s*(?:;|!|$))",
    re.IGNORECASE,
)
_TRACKER_NAME = re.compile(
    r"(?:^|[/._-])(?:pixel|beacon|track(?:ing)?|open|spacer|1x1)(?:\.(?:gif|png|jpe?g|webp)|/|$)",
    re.IGNORECASE,
)
# An address that Outlook loads from inside a conditional comment (<v:image src=…>).
_CONDITIONAL_SRC = re.compile(
    r"""\b(?:src|background)\s*=\s*["']?((?:https?:)?//[^"'\s>]{1,2048})""", re.IGNORECASE
)
# Browsers drop these anywhere in an address before reading its scheme.
_URL_NOISE = re.compile(r"[\t\n\r]")


@dataclass(frozen=True)
class Foreign:
    """One thing found: its class, the host it reaches (None when it reaches none), and
    the tag or attribute that carried it (``script``, ``onerror``, ``img``)."""

    kind: Kind
    host: str | None
    detail: str

    @property
    def removed(self) -> bool:
        return self.kind in REMOVED_KINDS


@dataclass(frozen=True)
class ForeignCheck:
    """The HTML with what can only harm cut out (every other byte as written) and what
    was found, removed or kept, in order of appearance."""

    html: str
    found: tuple[Foreign, ...]

    def notes(self, *, untracked: bool = False) -> list[str]:
        """Plain sentences for the rep, one for each class found (see ``notes_for``)."""
        return notes_for(self.found, untracked=untracked)


def _host(raw: str | None) -> str | None:
    """The host a browser would reach for an address in an email, or None when it
    reaches none (relative, ``cid:``, ``data:``, a fragment)."""
    if raw is None:
        return None
    value = _URL_NOISE.sub("", raw).strip(" \t\n\f\r\x00")
    if value.startswith("//"):
        value = "https:" + value  # mail clients load protocol-relative addresses over https
    if not re.match(r"https?://", value, re.IGNORECASE):
        return None
    normal = trackable_url(value)
    try:
        host = urlsplit(normal or value).hostname
    except ValueError:
        return None
    return host or None


def _srcset_hosts(value: str) -> list[str | None]:
    return [_host(part.split()[0]) for part in value.split(",") if part.split()]


def _without_comments(css: str) -> str:
    """CSS without its ``/* … */`` comments, in one pass (an unclosed one runs to the end,
    as in browsers; a lazy pattern would rescan the rest for every ``/*``)."""
    pieces, cursor = [], 0
    while (start := css.find("/*", cursor)) >= 0:
        pieces.append(css[cursor:start])
        end = css.find("*/", start + 2)
        if end < 0:
            return "".join(pieces)
        cursor = end + 2
    pieces.append(css[cursor:])
    return "".join(pieces)


_LONGEST = 2048


def _css_addresses(css: str) -> list[str]:
    """The addresses of ``url(…)`` and ``@import "…"`` in CSS, in one pass: each search
    for a closing character starts where the last one ended (a regular expression
    would rescan the rest of the text for every unclosed ``url(``)."""
    lowered = css.lower()
    found: list[tuple[int, str]] = []
    close = -1
    position = 0
    while (start := lowered.find("url(", position)) >= 0:
        position = start + 4
        if close < position:
            close = css.find(")", position)
            if close < 0:
                break
        # The host is at the start: a longer address is cut, so memory stays linear.
        found.append((start, css[position : min(close, position + _LONGEST)].strip().strip("'\"")))
    closes: dict[str, int] = {}
    position = 0
    while (start := lowered.find("@import", position)) >= 0:
        position = start + 7
        rest = css[position : position + 64].lstrip()
        quote = rest[:1]
        if quote not in ("'", '"'):
            continue  # @import url(…) is found above
        opened = css.index(quote, position) + 1
        if closes.get(quote, -1) < opened:
            closes[quote] = css.find(quote, opened)
            if closes[quote] < 0:
                closes[quote] = len(css) + 1  # none further on: never search again
        if closes[quote] > len(css):
            continue
        found.append((start, css[opened : min(closes[quote], opened + _LONGEST)]))
    return [address for _, address in sorted(found)]


def _css_hosts(css: str) -> list[str]:
    hosts = []
    for address in _css_addresses(_without_comments(css)):
        if not address.lstrip()[:5].lower().startswith(("http", "//", "&", "\\")):
            continue  # relative, data: or cid: (entities and escapes are decoded below)
        host = _host(unescape(address.replace("\\", "")))
        if host is not None:
            hosts.append(host)
    return hosts


def _same_site(a: str, b: str) -> bool:
    def bare(host: str) -> str:
        return host[4:] if host.startswith("www.") else host

    return bare(a) == bare(b)


def foreign_link(url: str) -> str | None:
    """The host of another service that sees a click on ``url`` before its reader
    arrives (a click tracker, a redirect, a link shortener), or None for an ordinary link.

    ``url`` is a link's address as a browser reads it (entities decoded).
    """
    normal = trackable_url(url)
    if normal is None:
        return None
    try:
        parts = urlsplit(normal)
    except ValueError:
        return None
    host = parts.hostname or ""
    if host in SHORTENERS or any(host == d or host.endswith("." + d) for d in _TRACKER_DOMAINS):
        return host
    if host.split(".", 1)[0] in _TRACKER_LABELS and "." in host:
        return host
    if _TRACKER_PATHS.match(parts.path):
        return host
    for _name, value in parse_qsl(parts.query, keep_blank_values=True):
        carried = _host(value)
        if carried is not None and not _same_site(carried, host):
            return host
    return None


def _hidden(attrs: dict[str, str | None]) -> bool:
    width, height = attrs.get("width"), attrs.get("height")
    if (width is not None and _TINY.fullmatch(width)) or (
        height is not None and _TINY.fullmatch(height)
    ):
        return True
    if attrs.get("hidden") is not None or "hidden" in attrs:
        return True
    return bool(_HIDDEN_STYLE.search(attrs.get("style") or ""))


def _looks_like_pixel(src: str, attrs: dict[str, str | None]) -> bool:
    if _hidden(attrs):
        return True
    try:
        path = urlsplit(_URL_NOISE.sub("", src).strip()).path
    except ValueError:
        return False
    return bool(_TRACKER_NAME.search(path))


class _Checker(_html_parser.HTMLParser):
    """Finds what to cut (character spans) and what to name, in one pass."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.cuts: list[tuple[int, int]] = []
        self.found: list[Foreign] = []
        self._line_starts = _line_starts(source)
        # Open removed elements with content: (tag, where its start tag begins).
        self._open: list[tuple[str, int]] = []
        self._in_style = False

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _note(self, kind: Kind, host: str | None, detail: str) -> None:
        if not self._open:  # inside a removed element, nothing else counts
            self.found.append(Foreign(kind, host, detail))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, closed=False)
        if tag in _RAW_TEXT:
            self.set_cdata_mode(tag)
        if tag == "style":
            self._in_style = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        if self._open and self._open[-1][0] == tag:
            _, start = self._open.pop()
            if not self._open:
                here = self._offset()
                close = self.source.find(">", here)
                self.cuts.append((start, len(self.source) if close < 0 else close + 1))

    def handle_comment(self, data: str) -> None:
        # Outlook reads the markup inside its conditional comments (VML backgrounds,
        # images): what that loads is named too, and left in place with the comment.
        if self._open or data.lstrip()[:3].lower() != "[if":
            return
        for match in _CONDITIONAL_SRC.finditer(data):
            host = _host(unescape(match.group(1)))
            if host:
                self._note("image", host, "comment")

    def handle_data(self, data: str) -> None:
        if self._in_style and not self._open:
            for host in _css_hosts(data):
                self._note("stylesheet", host, "style")

    def close(self) -> None:
        super().close()
        # An element never closed: a script or frame swallows the rest of the document
        # in a browser too; an object's start tag alone goes (its fallback stays).
        if self._open and self._open[0][0] in ("script", "iframe"):
            self.cuts.append((self._open[0][1], len(self.source)))
        else:  # every unclosed start tag of the same name (what was inside: the next pass)
            for _tag, start in self._open:
                raw_end = self.source.find(">", start)
                self.cuts.append((start, len(self.source) if raw_end < 0 else raw_end + 1))
        self._open = []

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], *, closed: bool) -> None:
        raw = self.get_starttag_text() or ""
        start = self._offset()
        located = bool(raw) and self.source.startswith(raw, start)
        if tag in _REMOVED_ELEMENTS or (tag == "meta" and _refresh(attrs)):
            if self._open:  # inside a removed element: it goes with it
                if not closed and tag not in _VOID and tag == self._open[0][0]:
                    self._open.append((tag, start))  # nested: its end tag is not ours
                return
            if not located:
                return  # positions disagree: no cut, so no note saying there was one
            kind: Kind = (
                "script" if tag == "script" else "meta_refresh" if tag == "meta" else "frame"
            )
            self._note(kind, None, tag)
            if closed or tag in _VOID or tag == "meta":
                self.cuts.append((start, start + len(raw)))
            else:
                self._open.append((tag, start))
            return
        if self._open:
            return
        values = _first_of(attrs)
        harmful = {
            index
            for index, (name, value) in enumerate(attrs)
            if name.startswith("on")
            or (name in _URL_ATTRIBUTES and value and _SCRIPT_SCHEME.match(_clean_url(value)))
        }
        if harmful:
            if not located:
                return  # positions disagree: no cut, so no note saying there was one
            for index in sorted(harmful):
                name = attrs[index][0]
                self._note("handler" if name.startswith("on") else "javascript_url", None, name)
            spans = _attribute_spans(raw, attrs, harmful)
            if spans is None:  # cannot cut the attributes exactly: the whole start tag goes
                self.cuts.append((start, start + len(raw)))
                return
            self.cuts += [(start + a, start + b) for a, b in spans]
            values = _first_of([a for index, a in enumerate(attrs) if index not in harmful])
        self._loads(tag, values)

    def _loads(self, tag: str, attrs: dict[str, str | None]) -> None:
        """Name what this (kept) tag loads, sends or links to elsewhere."""
        for styled in _css_hosts(attrs.get("style") or ""):
            self._note("image", styled, "style")
        background = _host(attrs.get("background"))
        if background:
            self._note("image", background, "background")
        if tag in ("img", "source", "input", "image", "video"):
            if tag == "input" and (attrs.get("type") or "").lower() != "image":
                return
            for name in ("src", "href", "xlink:href", "poster"):
                src = attrs.get(name)
                host = _host(src)
                if host and src is not None:
                    pixel = tag == "img" and _looks_like_pixel(src, attrs)
                    self._note("pixel" if pixel else "image", host, tag)
            for host_or_none in _srcset_hosts(attrs.get("srcset") or ""):
                if host_or_none:
                    self._note("image", host_or_none, tag)
        elif tag == "link":
            rels = set((attrs.get("rel") or "").lower().split())
            host = _host(attrs.get("href"))
            if host and rels & _LOADING_RELS:
                self._note("stylesheet", host, "link")
        elif tag in ("a", "area"):
            href = attrs.get("href")
            tracker = foreign_link(href) if href else None
            if tracker:
                self._note("tracked_link", tracker, tag)
        elif tag == "form":
            self._note("form", _host(attrs.get("action")), "form")
        if attrs.get("formaction"):
            self._note("form", _host(attrs.get("formaction")), tag)


def _first_of(attrs: list[tuple[str, str | None]]) -> dict[str, str | None]:
    """Each attribute's value; the first of a name counts, as in browsers."""
    values: dict[str, str | None] = {}
    for name, value in attrs:
        values.setdefault(name, value)
    return values


def _clean_url(value: str) -> str:
    return _URL_NOISE.sub("", value).lstrip(" \t\n\f\r\x00-\x1f")


def _refresh(attrs: list[tuple[str, str | None]]) -> bool:
    return any(
        name == "http-equiv" and (value or "").strip().lower() == "refresh" for name, value in attrs
    )


def _attribute_spans(
    raw: str, attrs: list[tuple[str, str | None]], indexes: set[int]
) -> list[tuple[int, int]] | None:
    """The spans of the attributes at ``indexes`` (of ``attrs``) in a raw start tag, each with the blank before
    it (so ``<a href="javascript:x">`` becomes ``<a>``), or None when walking the tag
    does not give exactly the attributes the parser reported."""
    name_match = _TAG_NAME.match(raw, 1)
    if name_match is None:
        return None
    previous_end = name_match.end(1)
    position = name_match.end()
    seen: list[tuple[str, str | None]] = []
    spans: list[tuple[int, int]] = []
    while position < len(raw):
        match = _ATTRIBUTE.match(raw, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        attr_name, rest, value = match.group(1, 2, 3)
        decoded: str | None = None
        if rest:
            quoted = len(value) >= 2 and value[0] in "'\"" and value[-1] == value[0]
            decoded = unescape(value[1:-1] if quoted else value)
        core_end = match.end(3) if rest else match.end(1)
        seen.append((attr_name.lower(), decoded))
        if len(seen) - 1 in indexes:
            spans.append((previous_end, core_end))
        previous_end = core_end
    if seen != attrs:
        return None
    return spans


def _cut(source: str, cuts: Iterable[tuple[int, int]]) -> str:
    pieces: list[str] = []
    cursor = 0
    for start, end in sorted(cuts):
        if end <= cursor:
            continue
        pieces.append(source[cursor : max(start, cursor)])
        cursor = end
    pieces.append(source[cursor:])
    return "".join(pieces)


# A cut can join what was around it into something new (``<<script></script>script>``
# becomes ``<script>``): the check runs again on its own answer until nothing is cut. Each
# pass shortens the document; a document that needs more passes than this loses every
# tag, which is the only answer left that cannot run.
_MAX_PASSES = 8


def _one_pass(html: str) -> tuple[str, list[Foreign]]:
    checker = _Checker(html)
    try:
        checker.feed(html)
        checker.close()
    except Exception:  # the parser is tolerant; if it ever gives up, cut nothing
        return html, [item for item in checker.found if not item.removed]
    return _cut(html, checker.cuts), checker.found


def check_html(html: str) -> ForeignCheck:
    """Remove what can only harm from ``html`` and name what reaches beyond Candor.

    ``found`` lists every removal and what the kept HTML loads, sends or links to. Never
    raises.
    """
    removed: list[Foreign] = []
    current = html
    for _ in range(_MAX_PASSES):
        cleaned, found = _one_pass(current)
        removed += [item for item in found if item.removed]
        if cleaned == current:
            return ForeignCheck(
                html=current, found=(*removed, *(f for f in found if not f.removed))
            )
        current = cleaned
    stripped = re.sub(r"<", "&lt;", current)
    return ForeignCheck(html=stripped, found=tuple(removed))


def check_email(html: str | None, text: str | None) -> ForeignCheck:
    """``check_html`` of the HTML part (empty when there is none) plus the foreign
    trackers among the bare links of the text part. The text part is never changed."""
    result = check_html(html) if html is not None else ForeignCheck(html="", found=())
    in_text = [
        Foreign("tracked_link", host, "text")
        for match in _TEXT_URL.finditer(text or "")
        if (host := foreign_link(match.group(0).rstrip(".,;:!?'*)]}"))) is not None
    ]
    return ForeignCheck(html=result.html, found=(*result.found, *in_text))


def _hosts(found: Iterable[Foreign]) -> list[str]:
    hosts: list[str] = []
    for item in found:
        if item.host and item.host not in hosts:
            hosts.append(item.host)
    return hosts


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _details(found: list[Foreign]) -> str:
    return _listed(list(dict.fromkeys(item.detail for item in found)))


NOT_COVERED = "that Candor's footer and opt-out do not cover"


def notes_for(found: Iterable[Foreign], *, untracked: bool = False) -> list[str]:
    """One plain sentence for each class found, hosts named as text.

    ``untracked``: the email goes to a person on the suppression list, whose footer says
    nothing in it records; a last sentence says that is not true while a tracker the rep
    added stays in.
    """
    items = list(found)
    by_kind: dict[str, list[Foreign]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    notes: list[str] = []

    def removed(kind: str, one: str, many: str, why: str, *, named: bool = False) -> None:
        if kind not in by_kind:
            return
        count = len(by_kind[kind])
        what = one if count == 1 else many.format(count)
        if named:
            what += f" ({_details(by_kind[kind])})"
        it = ("it", "it") if count == 1 else ("them", "they")
        notes.append(f"Candor removed {what} from this email: {why.format(*it)}")

    never_run = "mail clients would not run {}, and {} could only do harm."
    removed("script", "a script", "{} scripts", never_run)
    removed(
        "handler", "an event-handler attribute", "{} event-handler attributes", never_run,
        named=True,
    )  # fmt: skip
    removed(
        "javascript_url",
        "a javascript: address (the link keeps its words)",
        "{} javascript: addresses (the links keep their words)",
        never_run,
    )
    removed(
        "frame",
        "an embedded frame or object",
        "{} embedded frames and objects",
        "mail clients would not show {}, and {} would load another page when it is opened.",
        named=True,
    )
    removed(
        "meta_refresh",
        "a meta refresh",
        "{} meta refreshes",
        "{} would send the reader to another page unasked.",
    )
    pixel_hosts = _hosts(by_kind.get("pixel", []))
    loads = [
        ("pixel", pixel_hosts, "An image from {} that looks like a tracking pixel loads",
         "Images from {} that look like tracking pixels load"),
        ("image", [h for h in _hosts(by_kind.get("image", [])) if h not in pixel_hosts],
         "An image from {} loads", "Images from {} load"),
        ("stylesheet", _hosts(by_kind.get("stylesheet", [])),
         "A style sheet or file from {} loads", "Style sheets or files from {} load"),
    ]  # fmt: skip
    for _kind, hosts, one, many in loads:
        if hosts:
            sites = "that site" if len(hosts) == 1 else "those sites"
            notes.append(
                (one if len(hosts) == 1 else many).format(_listed(hosts))
                + f" when the email is opened: {sites} can see opens {NOT_COVERED}."
            )
    trackers = _hosts(by_kind.get("tracked_link", []))
    if trackers:
        notes.append(
            f"{'A link goes' if len(trackers) == 1 else 'Links go'} through "
            f"{_listed(trackers)} (another service's click tracker, redirect or link "
            f"shortener): {'it sees' if len(trackers) == 1 else 'they see'} clicks "
            f"{NOT_COVERED}."
        )
    if "form" in by_kind:
        hosts = _hosts(by_kind["form"])
        where = f" to {_listed(hosts)}" if hosts else ""
        notes.append(
            f"A form in this email sends what is typed into it{where}: "
            "Candor's footer and opt-out do not cover that."
        )
    if untracked and any(
        kind in by_kind for kind in ("pixel", "image", "stylesheet", "tracked_link", "form")
    ):
        notes.append(
            "The footer tells this person that nothing in this email records them: take out "
            "the images, links and forms named above before you send it, or that is not true."
        )
    return notes
