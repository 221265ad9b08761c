"""Facts of a timeline in plain words, and what each evidence class means to a reader.

Only the fields of a fact the API returns are used: a sentence never says more than the
fact does (no subject at ``exists``, no count unless the policy gives one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "EVIDENCE",
    "SENT",
    "Evidence",
    "evidence_of",
    "owner_label",
    "sent_by",
    "sentence",
    "suppression_badge",
    "when_words",
]


@dataclass(frozen=True)
class Evidence:
    """A badge: a short label, its CSS class, and a sentence for the reader."""

    label: str
    css: str
    note: str | None


EVIDENCE: dict[str, Evidence] = {
    "confirmed": Evidence("confirmed", "badge-confirmed", None),
    "human": Evidence("human", "badge-human", None),
    "machine": Evidence(
        "machine — not a person reading",
        "badge-machine",
        "A mail server or privacy proxy fetched this automatically (for example Apple Mail "
        "Privacy Protection on delivery). It is not a person reading.",
    ),
    "bot": Evidence(
        "bot — not a person reading",
        "badge-bot",
        "A link scanner or crawler made this request (for example a security gateway "
        "checking links on delivery). It is not a person reading or clicking.",
    ),
}
SENT = Evidence("sent by you", "badge-sent", None)


def sent_by(reader_id: int | None, senders: Mapping[int, str]) -> Evidence:
    """The badge of a sent email as ``reader_id`` reads it: only its sender sees "by you".

    ``senders`` are the people who sent this prospect's emails (id -> name); a fact
    does not say which of them sent which email, so several are all named.
    """
    others = [name for sender, name in senders.items() if sender != reader_id]
    if not others:
        return SENT if senders else Evidence("sent", "badge-sent", None)
    named = " or ".join(others) if len(others) <= 2 else "their reps"
    if reader_id in senders:
        named = f"you or {named}"
    return Evidence(f"sent by {named}", "badge-sent", None)


def owner_label(name: str, *, active: bool, yours: bool = False) -> str:
    """Who owns a prospect, as the reader reads it: "You", "Rita", "Rita (deactivated)".

    A deactivated rep's prospects stay theirs until someone reassigns them, so the name
    stays too, marked, and is never mistaken for the reader's own.
    """
    if yours:
        return "You"
    return name if active else f"{name} (deactivated)"


# The badge of a person on the suppression list, by the suppression's reason: a record
# added again after an erasure is not someone who opted out.
SUPPRESSION_BADGES = {
    "opted_out": "opted out",
    "erased": "erased before: not tracked",
    "added": "suppressed by compliance",
}


def suppression_badge(reason: str | None) -> str | None:
    """The list's badge for a suppressed person (None: not suppressed)."""
    if reason is None:
        return None
    return SUPPRESSION_BADGES.get(reason, SUPPRESSION_BADGES["added"])


def evidence_of(fact: Mapping[str, Any], *, sent: Evidence = SENT) -> Evidence:
    """The badge of a fact; anything unknown is treated as machine, never as a read.

    ``sent`` is the badge of a sent email (``sent_by``); "sent by you" by default.
    """
    if fact.get("kind") == "email_sent":
        return sent
    return EVIDENCE.get(str(fact.get("evidence")), EVIDENCE["machine"])


def when_words(when: str | None) -> str | None:
    """``day: 2026-11-30``, ``week: 2026-W48`` or ``at 2026-11-30 09:15:00 UTC``."""
    if not when:
        return None
    if "T" in when:
        return "at " + when.replace("T", " ").removesuffix("Z") + " UTC"
    if "-W" in when:
        return f"week: {when}"
    return f"day: {when}"


def _times(count: Any) -> str:
    if not isinstance(count, int):
        return ""
    return " (once)" if count == 1 else f" ({count} times)"


def _quoted(subject: Any) -> str:
    return f"'{subject}'"


def sentence(fact: Mapping[str, Any]) -> str:
    """One fact as a sentence, e.g. "Opened the email 'Our proposal' (2 times) — day: 2026-11-30"."""
    kind = fact.get("kind")
    subject = fact.get("subject")
    detail = fact.get("detail")
    count = _times(fact.get("count"))
    if kind == "email_sent":
        text = f"Sent the email {_quoted(subject)}" if subject else "Sent an email"
    elif kind == "email_opened":
        text = (f"Opened the email {_quoted(subject)}" if subject else "Opened an email") + count
    elif kind == "link_clicked":
        if subject and detail == "full":
            text = f"Clicked the link to {subject}"
        elif subject:
            text = f"Clicked a link about {subject}"
        else:
            text = "Clicked a link"
        text += count
    elif kind == "page_visited":
        if subject and detail == "full":
            text = f"Visited the page {subject}"
        elif subject:
            text = (
                f"Visited {subject}"
                if subject == "other pages"
                else f"Visited pages about {subject}"
            )
        else:
            text = "Visited your website"
        text += count
    else:
        text = str(kind)
    when = when_words(fact.get("when"))
    return f"{text} — {when}" if when else text
