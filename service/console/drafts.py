"""An instrumented email as a person handles it: its words to lint, a safe preview, a draft.

``draft_eml`` builds an RFC 5322 message with ``X-Unsent: 1``, which Outlook and
Thunderbird open as an unsent draft ready to send from the person's own mailbox (Candor
never sends email). ``preview_html`` is the HTML with every tracking address replaced,
so that looking at the preview never records an open or a click.
"""

from __future__ import annotations

import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from html.parser import HTMLParser

__all__ = [
    "PREVIEW_CSP",
    "draft_eml",
    "plain_text",
    "preview_html",
    "text_without_footer",
    "visible_text",
]

# The preview document runs nothing, loads nothing remote (no pixel, no images, no
# fonts) and can only be framed by the console itself.
PREVIEW_CSP = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'self'; form-action 'none'; base-uri 'none'"
)
_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"}


# The style of the footer's paragraph, for emails stored before it carried its mark.
_FOOTER_STYLE = "font-size:11px;line-height:1.4;color:#6b7280;margin-top:24px"


def _is_footer(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    found = dict(attrs)
    return tag == "p" and (
        found.get("data-candor") == "footer" or found.get("style") == _FOOTER_STYLE
    )


class _Text(HTMLParser):
    def __init__(self, *, footer: bool, links: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._footer = footer  # keep the words of Candor's footer paragraph
        self._in_footer = False
        self._links = links  # write each link's address after its words
        self._hrefs: list[
            tuple[str | None, int]
        ] = []  # open <a>: its address, where its words start

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
            if tag in ("p", "div"):  # a new block closes an open footer paragraph
                self._in_footer = not self._footer and _is_footer(tag, attrs)
        if self._links and tag == "a":
            self._hrefs.append((_address(attrs), len(self.parts)))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")
            if tag == "p":
                self._in_footer = False
        if self._links and tag == "a" and self._hrefs:
            href, start = self._hrefs.pop()
            words = " ".join("".join(self.parts[start:]).split())
            if href and words and href not in (words, f"mailto:{words}"):
                self.parts.append(f" <{href}>")

    def handle_data(self, data: str) -> None:
        if not self._skip and not self._in_footer:
            self.parts.append(data)


def _address(attrs: list[tuple[str, str | None]]) -> str | None:
    """The address of a link a person can follow (http(s) or mailto), else None.

    The honeypot (hidden from people) and anchors within the email have none.
    """
    found = dict(attrs)
    href = (found.get("href") or "").strip()
    if found.get("aria-hidden") == "true" or not href.lower().startswith(
        ("https://", "http://", "mailto:")
    ):
        return None
    return href


def plain_text(html: str) -> str:
    """``html`` as a plain-text part: its words, each link's address after its words.

    For a draft whose HTML has no text part written beside it: a reader of the plain
    part can still follow every (tracked) link and reach the transparency page of the
    footer, whose sentences stay.
    """
    parser = _Text(footer=True, links=True)
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def visible_text(html: str, *, footer: bool = True) -> str:
    """The words a reader of ``html`` sees, one block per line.

    ``footer`` False leaves out the paragraph of Candor's disclosure footer: the lint
    judges the rep's own words, and the footer's "this email records when it is
    opened" is Candor's disclosure, not a surveillance reveal the rep wrote.
    """
    parser = _Text(footer=footer)
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def text_without_footer(text: str, public_url: str) -> str:
    """A text part without the disclosure footer Candor appended to it.

    The footer is the last paragraph (after a blank line, or the whole text when the
    rep wrote nothing) and its first line links the transparency page
    (``{public_url}/p/…``); a last paragraph that does not is the rep's and stays.
    """
    body = text.replace("\r\n", "\n").rstrip("\n")
    cut = body.rfind("\n\n")
    last = body[cut + 2 :] if cut >= 0 else body
    if f"{public_url}/p/" not in last.split("\n", 1)[0]:
        return text
    return body[:cut] if cut >= 0 else ""


def preview_html(html: str, public_url: str) -> str:
    """``html`` with its pixel emptied and its tracked links pointing nowhere."""
    base = re.escape(public_url)
    html = re.sub(base + r"/o/[A-Za-z0-9._~%-]+", "data:,", html)
    return re.sub(base + r"/c/[A-Za-z0-9._~%-]+", "#", html)


def _one_line(value: str) -> str:
    return " ".join(value.split())


def draft_eml(
    *, subject: str, to_name: str | None, to_email: str, html: str | None, text: str | None
) -> bytes:
    """An unsent draft (``X-Unsent: 1``) with a text part and, when there is one, HTML.

    Without a ``text`` part the plain alternative is made from the HTML, with each
    link's address written after its words (``plain_text``).
    """
    message = EmailMessage()
    try:
        message["To"] = Address(display_name=_one_line(to_name or ""), addr_spec=to_email)
    except (ValueError, IndexError):
        message["To"] = _one_line(to_email)
    message["Subject"] = _one_line(subject)
    message["X-Unsent"] = "1"
    body_text = text if text else plain_text(html or "")
    message.set_content(body_text or " ")
    if html:
        message.add_alternative(html, subtype="html")
    return message.as_bytes(policy=SMTP)
