"""Instrumenting a message and recording that it was sent."""

from __future__ import annotations

import html as html_lib

from sqlmodel import Session

from pixel.instrument import instrument_email
from pixel.tokens import new_ref
from service.messages.schemas import LinkPublic, MessageCreate, MessageInstrumented
from service.models import Event, Link, Message, User, utcnow
from service.prospects.access import get_writable
from service.runtime import Runtime
from service.tracking.addresses import click_url, page_url, pixel_url

__all__ = ["create", "footer_html", "footer_text"]


# Everything the collector may record for this person: opens, clicks, and the visits a
# click's visitor id ties to them.
NOTICE = (
    "This email records when it is opened, when its links are clicked, and which pages of "
    "our website you visit after a click."
)


def footer_html(transparency_url: str) -> str:
    """The disclosure footer: a plain notice and a link to the transparency page."""
    url = html_lib.escape(transparency_url, quote=True)
    return (
        '<p style="font-size:11px;line-height:1.4;color:#6b7280;margin-top:24px">'
        f"{NOTICE} "
        f'<a href="{url}" style="color:#6b7280">See what is recorded, or opt out</a>.</p>'
    )


def footer_text(transparency_url: str) -> str:
    """The disclosure footer of the plain-text part."""
    return f"{NOTICE} See what is recorded, or opt out: {transparency_url}"


def create(
    session: Session, *, runtime: Runtime, user: User, data: MessageCreate
) -> MessageInstrumented:
    """Store the message, instrument it, and record ``email_sent`` at its ``sent_at``."""
    prospect = get_writable(session, user=user, prospect_id=data.prospect_id)
    assert prospect.id is not None and user.id is not None
    sent_at = data.sent_at or utcnow()
    message = Message(
        ref=new_ref(),
        prospect_id=prospect.id,
        sender_id=user.id,
        subject=data.subject,
        html=data.html,
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
    if prospect.opted_out_at is None:

        def track(destination: str) -> str:
            link = Link(ref=new_ref(), message_id=message_id, url=destination)
            links.append(link)
            return click_url(signer, public_url, link.ref)

        honeypot = Link(ref=new_ref(), message_id=message.id, url=public_url + "/", honeypot=True)
        pixel = pixel_url(signer, public_url, message.ref)
        policy = runtime.policies.get().policy
        page = page_url(signer, public_url, prospect.ref)
        result = instrument_email(
            data.html,
            data.text,
            track=track,
            pixel_url=pixel,
            honeypot_url=click_url(signer, public_url, honeypot.ref),
            footer_html=footer_html(page) if policy.disclosure_footer else None,
            footer_text=footer_text(page) if policy.disclosure_footer else None,
        )
        message.html, message.text = result.html, result.text
        session.add_all([*links, honeypot])

    message.link_count = len(links)
    session.add(
        Event(
            kind="email_sent",
            prospect_id=prospect.id,
            message_id=message.id,
            occurred_at=sent_at,
            evidence="confirmed",
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
        html=message.html,
        text=message.text,
        pixel_url=pixel,
        links=public_links,
    )
