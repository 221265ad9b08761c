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

__all__ = ["PREVIEW_CSP", "draft_eml", "preview_html", "visible_text"]

# The preview document runs nothing, loads nothing remote (no pixel, no images, no
# fonts) and can only be framed by the console itself.
PREVIEW_CSP = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'self'; form-action 'none'; base-uri 'none'"
)
_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The words a reader of ``html`` sees, one block per line (for the lint)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


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
    """An unsent draft (``X-Unsent: 1``) with a text part and, when there is one, HTML."""
    message = EmailMessage()
    try:
        message["To"] = Address(display_name=_one_line(to_name or ""), addr_spec=to_email)
    except (ValueError, IndexError):
        message["To"] = _one_line(to_email)
    message["Subject"] = _one_line(subject)
    message["X-Unsent"] = "1"
    body_text = text if text else visible_text(html or "")
    message.set_content(body_text or " ")
    if html:
        message.add_alternative(html, subtype="html")
    return message.as_bytes(policy=SMTP)
