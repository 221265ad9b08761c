"""Instrumenting a message and recording that it was sent."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from fastapi import HTTPException, status
from sqlmodel import Session, col, delete, select

from pixel.foreign import check_email
from pixel.instrument import (
    footer_only,
    instrument_email,
    instrument_text,
    schemeless_addresses,
)
from pixel.tokens import new_ref
from service.compliance import audit
from service.config import Controller, controller_of
from service.errors import forbidden, invalid, not_found
from service.i18n import N_, Language, language_for
from service.messages.schemas import (
    LinkPublic,
    MessageCreate,
    MessageInstrumented,
    MessagePublic,
)
from service.models import Event, Link, Message, Prospect, User, utcnow
from service.people import service as people
from service.prospects.access import READ_TIMELINE_ROLES, get_readable, get_sendable
from service.runtime import Runtime
from service.tracking.addresses import click_url, page_url, pixel_url

__all__ = [
    "DISCARD_MINUTES",
    "FOOTER_MARK",
    "NO_PIXEL_NOTE",
    "TOO_LATE_TO_DISCARD",
    "Discarded",
    "Written",
    "as_written",
    "content_notes",
    "controller_words",
    "create",
    "discard",
    "discardable_until",
    "footer_html",
    "footer_text",
    "get_instrumented",
    "list_for_prospect",
    "may_discard",
    "not_the_sender",
    "senders_by_subject",
]

# Marks the footer's paragraph in the HTML part, so that what reads the rep's words (the
# console's lint) can leave Candor's own sentences out. Mail clients ignore it.
FOOTER_MARK = 'data-candor="footer"'

NO_PIXEL_NOTE = (
    "A text-only email carries no open pixel: opens of it are never recorded; "
    "its links are tracked."
)


def schemeless_note(address: str) -> str:
    """What the rep reads when the text part writes an address without its scheme."""
    return (
        f"{address} in the text part has no https:// in front, so it is left as written "
        f"and its clicks are not recorded; write https://{address} to track it."
    )


def _schemeless_notes(text: str | None) -> list[str]:
    """One note per address the text part writes without its scheme (read again from
    the stored text, which keeps them as written)."""
    return [schemeless_note(address) for address in schemeless_addresses(text or "")]


# What the collector may record for this person from this email: opens (only when it
# carries the pixel), clicks of its tracked links, and the visits a click's visitor id
# ties to them. The footer says exactly that, no more and no less.
NOTICE = N_(
    "This email records when it is opened, when its links are clicked, and which pages of "
    "our website you visit after a click."
)
# HTML with no trackable link: the pixel records opens; nothing records a click.
OPENS_NOTICE = N_("This email records when it is opened. None of its links records a click.")
# Plain text with links: no pixel, so opens are never recorded.
CLICKS_NOTICE = N_(
    "This email does not record when it is opened. It records when its links are clicked, "
    "and which pages of our website you visit after a click."
)
# Plain text with no trackable link: nothing in it records.
NOTHING_NOTICE = N_(
    "Nothing in this email records whether it is opened, and none of its links records a click."
)
SEE = N_("See what is recorded, or opt out")
# For a person on the suppression list: the email carries nothing that records.
UNTRACKED_NOTICE = N_(
    "As you asked, nothing in this email records whether it is opened or its links clicked."
)
SEE_UNTRACKED = N_("See what is held about you")


def controller_words(controller: Controller | None, language: Language, *, html: bool) -> list[str]:
    """ "Sent by …." "Questions: …." "Privacy notice: …", each only when it is configured.

    In HTML every configured value is escaped, the contact is a mailto link and the
    privacy notice a link that is only ever http(s) (the setting is validated so).
    """
    if controller is None:
        return []
    sentences: list[str] = []

    def say(message: str, **values: str) -> None:
        text = language.gettext(message)
        if html:
            text = html_lib.escape(text, quote=False)
        sentences.append(text % values)

    def link(href: str, shown: str) -> str:
        return (
            f'<a href="{html_lib.escape(href, quote=True)}" style="color:#6b7280">'
            f"{html_lib.escape(shown, quote=False)}</a>"
        )

    if controller.company_name:
        company = controller.company_name
        say(N_("Sent by %(company)s."), company=html_lib.escape(company) if html else company)
    if controller.contact_email:
        contact = controller.contact_email
        say(
            N_("Questions: %(contact)s."),
            contact=link(f"mailto:{contact}", contact) if html else contact,
        )
    privacy = controller.privacy_url
    if privacy and privacy.startswith(("https://", "http://")):
        say(N_("Privacy notice: %(url)s"), url=link(privacy, privacy) if html else privacy)
    return sentences


def _notice(*, tracked: bool, opens: bool, clicks: bool) -> tuple[str, str]:
    """The footer's notice and its link text, for what this one email records."""
    if not tracked:
        return UNTRACKED_NOTICE, SEE_UNTRACKED
    if opens:
        return (NOTICE if clicks else OPENS_NOTICE), SEE
    return (CLICKS_NOTICE if clicks else NOTHING_NOTICE), SEE


def footer_html(
    transparency_url: str,
    *,
    controller: Controller | None = None,
    language: Language | None = None,
    tracked: bool = True,
    opens: bool = True,
    clicks: bool = True,
) -> str:
    """The disclosure footer: a plain notice, a link to the transparency page, and who
    sends (the controller), in the prospect's ``language`` (default English).

    The notice names what this email records: opens only when it carries the pixel
    (``opens``), clicks only when it has tracked links (``clicks``). ``tracked`` False
    (a suppressed person) says that nothing records instead."""
    words = language or language_for(None)
    url = html_lib.escape(transparency_url, quote=True)
    notice, see = _notice(tracked=tracked, opens=opens, clicks=clicks)
    parts = [
        html_lib.escape(words.gettext(notice), quote=False),
        f'<a href="{url}" style="color:#6b7280">'
        f"{html_lib.escape(words.gettext(see), quote=False)}</a>.",
        *controller_words(controller, words, html=True),
    ]
    return (
        f'<p {FOOTER_MARK} style="font-size:11px;line-height:1.4;color:#6b7280;margin-top:24px">'
        f"{' '.join(parts)}</p>"
    )


def footer_text(
    transparency_url: str,
    *,
    controller: Controller | None = None,
    language: Language | None = None,
    tracked: bool = True,
    opens: bool = True,
    clicks: bool = True,
) -> str:
    """The disclosure footer of the plain-text part (who sends on a line of its own),
    naming what this email records as ``footer_html`` does."""
    words = language or language_for(None)
    notice, see = _notice(tracked=tracked, opens=opens, clicks=clicks)
    lines = [f"{words.gettext(notice)} {words.gettext(see)}: {transparency_url}"]
    sentences = controller_words(controller, words, html=False)
    if sentences:
        lines.append(" ".join(sentences))
    return "\n".join(lines)


def create(
    session: Session, *, runtime: Runtime, user: User, data: MessageCreate
) -> MessageInstrumented:
    """Store the message, instrument it, and record ``email_sent`` at its ``sent_at``.

    An email with only a ``text`` part gets its bare http(s) links tracked and the
    footer as text, but no pixel (plain text cannot carry one) and no honeypot (it
    cannot hide one); ``notes`` says so. It is stored with an empty HTML part. Only the
    prospect's owner sends (a manager reading a report's prospect gets a 403).

    A person on the suppression list gets the email as written plus the footer, and
    nothing that records; ``tracked`` is False and ``untracked_reason`` says why.

    Either way the email first goes through ``pixel.foreign.check_email``: what can only
    harm (scripts, event handlers, ``javascript:`` addresses, frames and objects, a meta
    refresh) is cut out, and ``notes`` says so; what the footer and opt-out do not cover
    but the rep may mean (a remote image, another service's tracked link, a form) stays,
    and ``notes`` names its host. Those sentences are stored with the message
    (``content_notes``) for ``get_instrumented``.
    """
    if data.html is None and data.text is None:
        raise invalid("html", "An email needs an html part, a text part, or both.")
    prospect = get_sendable(session, user=user, prospect_id=data.prospect_id)
    assert prospect.id is not None and user.id is not None
    sent_at = data.sent_at or utcnow()
    message = Message(
        ref=new_ref(),
        prospect_id=prospect.id,
        sender_id=user.id,
        subject=data.subject,
        html=data.html or "",  # the column is NOT NULL: "" marks a text-only email
        text=data.text,
        sent_at=sent_at,
    )
    session.add(message)
    session.flush()
    assert message.id is not None
    links: list[Link] = []
    public_url, signer = runtime.settings.public_url, runtime.signer
    pixel = None

    message_id = message.id

    def track(destination: str) -> str:
        link = Link(ref=new_ref(), message_id=message_id, url=destination)
        links.append(link)
        return click_url(signer, public_url, link.ref)

    # The footer speaks the prospect's language and names who sends.
    controller, language = controller_of(runtime.settings), language_for(prospect.language)
    notes: list[str] = []
    policy = runtime.policies.get().policy
    page = page_url(signer, public_url, prospect.ref)
    why_not = people.why_untracked(people.consent_of(session, prospect.person_id).suppressed)
    # What the rep's own HTML carries beyond Candor's footer and opt-out (pixel.foreign):
    # scripts, event handlers, javascript: addresses and frames go; remote images and
    # other services' trackers stay, named in the notes. Tracked or not, the same check.
    foreign = check_email(data.html, data.text)
    if data.html is not None:
        data = data.model_copy(update={"html": foreign.html})
    if why_not is not None:
        # Stored and sent as written, with the footer (its page is where the person opts
        # back in), and nothing that records: no pixel, no tracked link, no honeypot.
        notes.append(why_not)
        shown = policy.disclosure_footer
        html, message.text = footer_only(
            data.html,
            data.text,
            footer_html=footer_html(page, controller=controller, language=language, tracked=False)
            if shown
            else None,
            footer_text=footer_text(page, controller=controller, language=language, tracked=False)
            if shown
            else None,
        )
        message.html = html or ""
    elif data.html is None:
        assert data.text is not None
        # No pixel: the footer says opens are not recorded, and clicks only if a link is.
        text_result = instrument_text(
            data.text,
            track=track,
            footer_text=(
                lambda found: footer_text(
                    page, controller=controller, language=language, opens=False, clicks=bool(found)
                )
            )
            if policy.disclosure_footer
            else None,
        )
        message.text = text_result.text
        session.add_all(links)
        notes.append(NO_PIXEL_NOTE)
    else:
        # Only machines follow the hidden link; a person who does (a screen reader, a
        # stray tab) lands on what is recorded about them, not on the staff sign-in.
        honeypot = Link(ref=new_ref(), message_id=message.id, url=page, honeypot=True)
        pixel = pixel_url(signer, public_url, message.ref)
        # The footers say whether clicks are recorded, once the links are known.
        result = instrument_email(
            data.html,
            data.text,
            track=track,
            pixel_url=pixel,
            honeypot_url=click_url(signer, public_url, honeypot.ref),
            footer_html=(
                lambda found: footer_html(
                    page, controller=controller, language=language, clicks=bool(found)
                )
            )
            if policy.disclosure_footer
            else None,
            footer_text=(
                lambda found: footer_text(
                    page, controller=controller, language=language, clicks=bool(found)
                )
            )
            if policy.disclosure_footer
            else None,
        )
        message.html, message.text = result.html, result.text
        session.add_all([*links, honeypot])

    if why_not is None:
        notes += _schemeless_notes(data.text)
    content_notes = foreign.notes(untracked=why_not is not None)
    notes += content_notes
    message.content_notes = content_notes or None
    message.link_count = len(links)
    session.add(
        Event(
            kind="email_sent",
            prospect_id=prospect.id,
            message_id=message.id,
            occurred_at=sent_at,
            # The sender's own act: no evidence of anything the recipient did.
            evidence="sent",
            reasons="sent_by_candor",
        )
    )
    session.flush()
    public_links = [
        LinkPublic(id=link.id, url=link.url, tracked_url=click_url(signer, public_url, link.ref))
        for link in links
        if link.id is not None
    ]
    session.commit()
    return MessageInstrumented(
        id=message.id,
        prospect_id=prospect.id,
        subject=message.subject,
        sent_at=sent_at,
        html=message.html or None,
        text=message.text,
        pixel_url=pixel,
        links=public_links,
        notes=notes,
        tracked=why_not is None and (pixel is not None or bool(links)),
        untracked_reason=why_not,
    )


def list_for_prospect(
    session: Session, *, runtime: Runtime, user: User, prospect_id: int
) -> list[MessagePublic]:
    """The messages sent to a prospect ``user`` may read, newest first, with tracked links.

    Reps and managers only (compliance reads them in the data-subject export); another
    rep's prospect is a 404. The honeypot link is never listed: it is not the sender's.
    """
    if user.role not in READ_TIMELINE_ROLES:
        raise forbidden(
            "Reps and managers list messages; compliance finds them in "
            "GET /api/prospects/{id}/export."
        )
    prospect = get_readable(session, user=user, prospect_id=prospect_id)
    messages = list(
        session.exec(
            select(Message)
            .where(col(Message.prospect_id) == prospect.id)
            .order_by(col(Message.sent_at).desc(), col(Message.id).desc())
        )
    )
    ids = [message.id for message in messages]
    links: dict[int, list[Link]] = {}
    if ids:
        for link in session.exec(
            select(Link)
            .where(col(Link.message_id).in_(ids), col(Link.honeypot).is_(False))
            .order_by(col(Link.id))
        ):
            links.setdefault(link.message_id, []).append(link)
    signer, public_url = runtime.signer, runtime.settings.public_url
    listed = []
    for message in messages:
        assert message.id is not None
        pixel = pixel_url(signer, public_url, message.ref)
        listed.append(
            MessagePublic(
                id=message.id,
                prospect_id=message.prospect_id,
                sender_id=message.sender_id,
                subject=message.subject,
                sent_at=message.sent_at,
                # The pixel is in the stored HTML exactly when the email carried one.
                pixel_url=pixel if message.html and pixel in message.html else None,
                links=[
                    LinkPublic(
                        id=link.id,
                        url=link.url,
                        tracked_url=click_url(signer, public_url, link.ref),
                    )
                    for link in links.get(message.id, [])
                    if link.id is not None
                ],
            )
        )
    return listed


def get_instrumented(
    session: Session, *, runtime: Runtime, user: User, prospect_id: int, message_id: int
) -> MessageInstrumented:
    """One message sent to a prospect ``user`` may write to, as it was instrumented.

    The console shows it again after the POST that made it (POST -> 303 -> GET), to
    copy or download as a draft. Only the prospect's owner (its sender) gets it; a
    message of another prospect is a 404.
    """
    prospect = get_sendable(session, user=user, prospect_id=prospect_id)
    message = session.exec(
        select(Message).where(
            col(Message.id) == message_id, col(Message.prospect_id) == prospect.id
        )
    ).first()
    if message is None or message.id is None:
        raise not_found("message")
    listed = [
        LinkPublic(
            id=link.id,
            url=link.url,
            tracked_url=click_url(runtime.signer, runtime.settings.public_url, link.ref),
        )
        for link in session.exec(
            select(Link)
            .where(col(Link.message_id) == message.id, col(Link.honeypot).is_(False))
            .order_by(col(Link.id))
        )
        if link.id is not None
    ]
    pixel = pixel_url(runtime.signer, runtime.settings.public_url, message.ref)
    has_pixel = bool(message.html) and pixel in message.html
    notes = []
    # Whether this message was instrumented shows in what it carries; a suppression
    # stops it recording anything now, and the sentence says why.
    tracked = has_pixel or bool(listed)
    why_not = people.why_untracked(people.consent_of(session, prospect.person_id).suppressed)
    if why_not is not None:
        notes.append(why_not)
    elif not message.html:
        notes.append(NO_PIXEL_NOTE)
    if why_not is None:
        notes += _schemeless_notes(message.text)
    notes += message.content_notes or []
    return MessageInstrumented(
        id=message.id,
        prospect_id=prospect.id or 0,
        subject=message.subject,
        sent_at=message.sent_at,
        html=message.html or None,
        text=message.text,
        pixel_url=pixel if has_pixel else None,
        links=listed,
        notes=notes,
        tracked=tracked and why_not is None,
        untracked_reason=why_not,
    )


def content_notes(session: Session, message_id: int) -> list[str]:
    """What ``pixel.foreign`` found in the rep's HTML when the message was instrumented:
    the tail of its ``notes``, for the console to show beside the lint's findings."""
    message = session.get(Message, message_id)
    return list(message.content_notes or []) if message is not None else []


def senders_by_subject(
    session: Session, *, prospect_ids: list[int]
) -> dict[int, dict[str, dict[int, str]]]:
    """Who sent each subject of each prospect's emails: prospect id -> {subject: {sender
    id: name}}.

    For the console's "sent by …" badge: a manager did not send his rep's emails, and a
    prospect handed to another rep keeps the emails its first owner sent, so a sent fact
    that names its email names its own sender. Call it only for prospects the reader may
    read.
    """
    if not prospect_ids:
        return {}
    rows = session.exec(
        select(Message.prospect_id, Message.subject, User.id, User.name)
        .join(User, col(User.id) == col(Message.sender_id))
        .where(col(Message.prospect_id).in_(prospect_ids))
        .distinct()
    )
    senders: dict[int, dict[str, dict[int, str]]] = {}
    for prospect_id, subject, sender_id, name in rows:
        if sender_id is not None:
            senders.setdefault(prospect_id, {}).setdefault(subject, {})[sender_id] = name
    return senders


# How long after an email was prepared its sender may still take it back. The rule
# depends on time alone: whether anything was recorded for the email must not change
# the answer, or the answer would tell the rep, at once, what the disclosure policy
# shows him only late and coarsely (that something fetched it).
DISCARD_MINUTES = 30
DISCARD_WINDOW = timedelta(minutes=DISCARD_MINUTES)

TOO_LATE_TO_DISCARD = (
    f"This email was prepared more than {DISCARD_MINUTES} minutes ago, so it may have "
    "been sent: it stays on record. Write a new version instead."
)


@dataclass(frozen=True)
class Written:
    """An email as its sender wrote it, before Candor instrumented it."""

    subject: str
    body: str
    format: Literal["html", "text"]


@dataclass(frozen=True)
class Discarded:
    """A message taken back: what it was, and the words its sender wrote."""

    message_id: int
    prospect_id: int
    message_ref: str
    link_refs: list[str]
    visitor_ids: list[str]  # handed out on its clicks
    written: Written


def discardable_until(
    session: Session, message_id: int, *, now: datetime | None = None
) -> datetime | None:
    """Until when the message may still be discarded (``DISCARD_MINUTES`` after it was
    prepared: its ``created_at``, never the client-given ``sent_at``), None once past."""
    created_at = session.exec(
        select(col(Message.created_at)).where(col(Message.id) == message_id)
    ).first()
    if created_at is None:
        return None
    until = created_at + DISCARD_WINDOW
    return until if (now or utcnow()) < until else None


def not_the_sender(sender: str) -> str:
    """The refusal for someone who may read the email but did not prepare it."""
    return (
        f"Only {sender}, who prepared this email, can discard it: only they know whether "
        "they sent it. It stays on record."
    )


def _discardable_by(session: Session, *, user: User, message: Message) -> Prospect:
    """The message's prospect, if ``user`` prepared the message (``sender_id``),
    whoever owns the prospect now.

    Only the sender knows whether they sent it, so a new owner (after a reassignment),
    the owner's manager, compliance and admins, who may read the message, get a 403
    naming who may; anyone who may not read it gets the 404 of a message that does not
    exist.
    """
    prospect = session.get(Prospect, message.prospect_id)
    if prospect is None:
        raise not_found("message")
    if message.sender_id == user.id:
        return prospect
    try:
        get_readable(session, user=user, prospect_id=message.prospect_id)
    except HTTPException as refused:
        if refused.status_code == status.HTTP_404_NOT_FOUND:
            raise not_found("message") from None
        raise
    sender = session.get(User, message.sender_id)
    raise forbidden(not_the_sender(sender.name if sender is not None else "its sender"))


def may_discard(session: Session, *, user: User, message_id: int) -> datetime | None:
    """Until when ``user`` may discard the message: its sender only, within the
    window (``discardable_until``); None for anyone else, or once past."""
    sender_id = session.exec(
        select(col(Message.sender_id)).where(col(Message.id) == message_id)
    ).first()
    if sender_id is None or sender_id != user.id:
        return None
    return discardable_until(session, message_id)


def _token(ref: str) -> str:
    """A pattern for the tracking address of ``ref`` (its token starts with the ref),
    whatever the public URL and key were when it was signed."""
    return r"https?://[^\s\"'<>]*/[oc]/" + re.escape(ref) + r"[A-Za-z0-9_-]{24}(?:\.gif)?"


def _put_back(ref: str, destination: str, written: str) -> str:
    """``written`` with every tracking address of ``ref`` replaced by ``destination``."""
    return re.compile(_token(ref)).sub(lambda _match: destination, written)


def as_written(message: Message, links: list[Link], prospect_ref: str) -> Written:
    """The email before instrumentation: each tracked address back to its destination
    (in its normal form, ``pixel.urls``), and the footer, honeypot and pixel gone.

    A console email has one part (HTML, or plain text). Only what Candor added is taken
    out: the footer only when it links this prospect's transparency page.
    """
    page = f"/p/{prospect_ref}"
    tracked = [link for link in links if not link.honeypot]
    if message.html:
        html = message.html
        # The pixel and the honeypot, exactly as pixel.instrument writes them.
        html = re.sub(r'<img src="' + _token(message.ref) + r'"[^>]*/>', "", html)
        for link in links:
            if link.honeypot:
                html = re.sub(r'<a href="' + _token(link.ref) + r'"[^>]*></a>', "", html)
        start = html.rfind(f"<p {FOOTER_MARK}")
        end = html.find("</p>", start) if start >= 0 else -1
        if end >= 0 and page in html[start:end]:
            html = html[:start] + html[end + len("</p>") :]
        for link in tracked:
            html = _put_back(link.ref, html_lib.escape(link.url, quote=True), html)
        return Written(subject=message.subject, body=html, format="html")
    text = (message.text or "").replace("\r\n", "\n")
    body = text.rstrip("\n")
    cut = body.rfind("\n\n")
    last = body[cut + 2 :] if cut >= 0 else body
    if page in last.split("\n", 1)[0]:
        text = body[:cut] if cut >= 0 else ""
    for link in tracked:
        text = _put_back(link.ref, link.url, text)
    return Written(subject=message.subject, body=text, format="text")


def discard(
    session: Session, *, user: User, message_id: int, prospect_id: int | None = None
) -> Discarded:
    """Take back a message within ``DISCARD_MINUTES`` of its preparation: it goes with
    everything recorded for it, and the act is audited (``message.discarded``).

    Everything means its links, its ``email_sent``, its opens and clicks, and the page
    visits of the visitor ids those clicks handed out, so nothing of it is left on the
    timeline or the transparency page. The answer is the same whatever was recorded:
    only the audit entry counts what went (compliance and admins read it).

    Only its sender may (``Message.sender_id``), whoever owns the prospect now: only
    they know whether they sent it. Anyone else who may read the message gets a 403
    that names the sender; a message they may not read is a 404, the same as one that
    does not exist. Later than ``DISCARD_MINUTES`` after it was
    prepared it may have been sent: 409, nothing changed.

    One transaction; children (visits, events, links) go before the message. On
    PostgreSQL the message row is locked first: a collector transaction inserting an
    event for it holds a key-share lock on the row until it commits, so the lock waits
    for it and the deletes then take its event too; a later insert waits for this
    transaction, finds the row gone, and the collector's writer drops that row alone.
    SQLite has one writer at a time: the first delete takes the write lock, and the
    reads after it see every committed event.
    """
    message = session.get(Message, message_id)
    if message is None or (prospect_id is not None and message.prospect_id != prospect_id):
        raise not_found("message")
    prospect = _discardable_by(session, user=user, message=message)
    assert message.id is not None and prospect.id is not None and prospect.ref is not None
    if utcnow() >= message.created_at + DISCARD_WINDOW:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=TOO_LATE_TO_DISCARD)
    links = list(session.exec(select(Link).where(col(Link.message_id) == message.id)))
    written = as_written(message, links, prospect.ref)
    of_message = col(Event.message_id) == message.id
    clicks = select(col(Event.visitor_id)).where(
        of_message, col(Event.kind) == "click", col(Event.visitor_id).is_not(None)
    )
    try:
        locked = session.exec(
            select(col(Message.id)).where(col(Message.id) == message.id).with_for_update()
        ).first()
        if locked is None:
            raise not_found("message")  # erased or discarded meanwhile
        visits = _count(
            session.exec(
                delete(Event).where(
                    col(Event.kind) == "visit", col(Event.visitor_id).in_(clicks.scalar_subquery())
                )
            )
        )
        visitor_ids = [vid for vid in session.exec(clicks) if vid is not None]
        hits = _count(
            session.exec(delete(Event).where(of_message, col(Event.kind) != "email_sent"))
        )
        session.exec(delete(Event).where(of_message))  # its email_sent
        session.exec(delete(Link).where(col(Link.message_id) == message.id))
        if not _count(session.exec(delete(Message).where(col(Message.id) == message.id))):
            raise not_found("message")
        audit.record(
            session,
            actor=user,
            action="message.discarded",
            prospect_id=prospect.id,
            detail={"message_id": message.id, "links": len(links), "events": visits + hits},
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return Discarded(
        message_id=message.id,
        prospect_id=prospect.id,
        message_ref=message.ref,
        link_refs=[link.ref for link in links],
        visitor_ids=visitor_ids,
        written=written,
    )


def _count(result: Any) -> int:
    return int(result.rowcount or 0)
