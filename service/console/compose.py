"""Composing an email to a prospect: the lint first, then the instrumented email.

Candor never sends mail. The instrumented email is shown as HTML source to copy, as a
preview that loads nothing remote, and as a ``.eml`` draft for the person's own mail
client. Instrumenting records ``email_sent`` now, as ``POST /api/messages`` does.
**Discard and rewrite** takes it back within ``DISCARD_MINUTES`` of its preparation,
as ``DELETE /api/messages/{id}`` does, and answers with the form holding what was
written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import Response
from pydantic import ValidationError

from policies.coach import lint
from service.console.deps import ReaderForm, ReaderUser
from service.console.drafts import (
    PREVIEW_CSP,
    draft_eml,
    preview_html,
    text_without_footer,
    visible_text,
)
from service.console.forms import field_errors
from service.console.templating import Flash, render, see_other
from service.db import SessionDep
from service.ids import PathId
from service.messages import rewrite
from service.messages import service as message_service
from service.messages.schemas import MessageCreate, MessageInstrumented
from service.models import Message, Prospect, User
from service.people import service as people
from service.prospects.access import get_sendable as _get_sendable
from service.runtime import RuntimeDep

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def get_sendable(session: SessionDep, *, user: Any, prospect_id: int) -> Prospect:
    """``prospects.access.get_sendable``, its 403 said in the console's words."""
    try:
        return _get_sendable(session, user=user, prospect_id=prospect_id)
    except HTTPException as refused:
        if refused.status_code != status.HTTP_403_FORBIDDEN:
            raise
        more = (
            " As their rep's manager, you can give the prospect to yourself with "
            f"“Reassign” on the prospect's page (/console/prospects/{prospect_id}), "
            "then write to them."
            if user.role == "manager"
            else ""
        )
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "Only the prospect's owner writes to them." + more
        ) from None


def _findings(message: MessageInstrumented, public_url: str) -> list[Any]:
    """The lint of the rep's own words: subject and body, never Candor's footer.

    The flash after composing and the message page both come from here, so they can
    never disagree.
    """
    if message.html is None:
        body = text_without_footer(message.text or "", public_url)
    else:
        body = visible_text(message.html, footer=False)
    return lint(f"{message.subject}\n{body}".strip())


@router.get("/console/prospects/{prospect_id}/compose")
def read_compose(
    request: Request, session: SessionDep, user: ReaderUser, prospect_id: PathId
) -> Response:
    """The form: subject and body, in HTML or plain text."""
    prospect = get_sendable(session, user=user, prospect_id=prospect_id)
    return render(
        request,
        "compose.html",
        {
            "prospect": prospect,
            "form": {"format": "html"},
            "errors": {},
            "findings": None,
            "untracked": _untracked(session, prospect),
        },
    )


def _untracked(session: SessionDep, prospect: Prospect) -> str | None:
    """Why nothing sent to this person will be tracked (None: it will be)."""
    return people.why_untracked(people.consent_of(session, prospect.person_id).suppressed)


@router.post("/console/prospects/{prospect_id}/compose")
def compose(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    user: ReaderForm,
    prospect_id: PathId,
    subject: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
    body_format: Annotated[Literal["html", "text"], Form(alias="format")] = "html",
) -> Response:
    """Instrument the email (recording it as sent) and show it, lint findings first.

    The limits are ``MessageCreate``'s, as for ``POST /api/messages`` (a subject of 500
    characters, a body of 2,000,000): a refused form comes back with what was typed.
    """
    prospect = get_sendable(session, user=user, prospect_id=prospect_id)
    body = body.replace("\r\n", "\n")
    form = {"subject": subject, "body": body, "format": body_format}
    errors: dict[str, str] = {}
    if "\n" in subject or "\r" in subject:
        errors["subject"] = "The subject must be on one line."
    if not errors:
        try:
            data = MessageCreate(
                prospect_id=prospect_id,
                subject=subject.strip(),
                html=body if body_format == "html" else None,
                text=body if body_format == "text" else None,
            )
        except ValidationError as error:
            errors = field_errors(error, fields={"html": "body", "text": "body"})
    if errors:
        return render(
            request,
            "compose.html",
            {
                "prospect": prospect,
                "form": form,
                "errors": errors,
                "findings": None,
                "untracked": _untracked(session, prospect),
            },
            status_code=422,
        )
    message = message_service.create(session, runtime=runtime, user=user, data=data)
    findings = _findings(message, runtime.settings.public_url)
    carried = message_service.content_notes(session, message.id)
    flash = (
        "The email is ready. The check found nothing to reconsider."
        if not findings
        else f"The email is ready, but the check found {len(findings)} thing"
        f"{'' if len(findings) == 1 else 's'} to reconsider: read them first."
    )
    if carried:
        flash = (
            "The email is ready, but "
            + (f"the check found {len(findings)} thing{'' if len(findings) == 1 else 's'} "
               "to reconsider, and " if findings else "")
            + "its HTML carries what Candor's footer and opt-out do not cover: read the "
            "notes first."
        )  # fmt: skip
    return see_other(
        request,
        f"/console/prospects/{prospect.id}/messages/{message.id}",
        flash=flash,
        kind="error" if findings or carried else "ok",
    )


def _message(
    session: SessionDep, runtime: RuntimeDep, user: Any, prospect_id: int, message_id: int
) -> tuple[Any, MessageInstrumented]:
    prospect = get_sendable(session, user=user, prospect_id=prospect_id)
    message = message_service.get_instrumented(
        session, runtime=runtime, user=user, prospect_id=prospect_id, message_id=message_id
    )
    return prospect, message


@router.get("/console/prospects/{prospect_id}/messages/{message_id}")
def read_message(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    user: ReaderUser,
    prospect_id: PathId,
    message_id: PathId,
) -> Response:
    """The lint's findings, then the instrumented email: source, preview, draft.

    An email this person discarded (Back after **Discard and rewrite**) is a page that
    says so and when (410), leading to a new email; anyone else's, or none, is a 404.
    """
    try:
        prospect, message = _message(session, runtime, user, prospect_id, message_id)
    except HTTPException as missing:
        if missing.status_code != status.HTTP_404_NOT_FOUND or user.id is None:
            raise
        when = rewrite.discarded_at(
            session, actor_id=user.id, prospect_id=prospect_id, message_id=message_id
        )
        if when is None:
            raise
        return _discarded_page(request, prospect_id, when)
    # Its sender only, and time alone decides: never whether anything was recorded
    # (docs/console.md).
    discard_until = message_service.may_discard(session, user=user, message_id=message.id)
    return render(
        request,
        "message.html",
        {
            "prospect": prospect,
            "message": message,
            "findings": _findings(message, runtime.settings.public_url),
            "discard_until": discard_until,
            "prepared_by": _prepared_by(session, user, message.id),
            # In the discard form, so that a post sent again still has them (rewrite.py).
            "written": (
                rewrite.written_of(session, message_id=message.id, prospect=prospect)
                if discard_until
                else None
            ),
            "content_notes": message_service.content_notes(session, message.id),
        },
    )


def _discarded_page(request: Request, prospect_id: int, when: datetime) -> Response:
    """What the address of an email this person discarded shows now (410 Gone)."""
    at = when.strftime("%Y-%m-%d %H:%M UTC")
    return render(
        request,
        "error.html",
        {
            "title": "This email was discarded",
            "detail": (
                f"You discarded it at {at}, and Candor keeps none of it: nothing was sent "
                "or recorded for it. If the page with your rewrite is still open (another "
                "tab, or Forward in your browser), continue there; otherwise write a new "
                "email."
            ),
            "back": (f"/console/prospects/{prospect_id}/compose", "Write a new email"),
        },
        status_code=status.HTTP_410_GONE,
    )


def _prepared_by(session: SessionDep, user: Any, message_id: int) -> str | None:
    """Who prepared the email, when it was someone else (a prospect handed over keeps
    its emails): the page names them, and offers no discard."""
    message = session.get(Message, message_id)
    if message is None or message.sender_id == user.id:
        return None
    sender = session.get(User, message.sender_id)
    return sender.name if sender is not None else "someone else"


@router.post("/console/prospects/{prospect_id}/messages/{message_id}/discard")
def discard_message(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    user: ReaderForm,
    prospect_id: PathId,
    message_id: PathId,
    subject: Annotated[str, Form()] = "",
    body: Annotated[str, Form()] = "",
    format: Annotated[str, Form()] = "",
) -> Response:
    """Delete an email prepared less than ``DISCARD_MINUTES`` ago, and give back the form
    as it was written; the answer is the same whatever was recorded for it.

    The words are in this answer only (the message and its links are gone), so the
    compose page is the answer itself, not a redirect: its form posts to the compose
    address as usual. The same post sent again (a reload, or Back to this page) finds
    the email gone: the page then says when this person discarded it, and holds the
    words the form sent again (``subject``, ``body``, ``format``: the message page
    writes them into the discard form), since Candor kept none.
    """
    prospect = get_sendable(session, user=user, prospect_id=prospect_id)
    try:
        discarded = message_service.discard(
            session, user=user, message_id=message_id, prospect_id=prospect_id
        )
    except HTTPException as refused:
        if refused.status_code == status.HTTP_404_NOT_FOUND and user.id is not None:
            when = rewrite.discarded_at(
                session, actor_id=user.id, prospect_id=prospect_id, message_id=message_id
            )
            if when is not None:
                sent_again = {"subject": subject, "body": body, "format": format}
                return _discarded_before(request, session, prospect, when, sent_again)
        if refused.status_code not in (status.HTTP_403_FORBIDDEN, status.HTTP_409_CONFLICT):
            raise
        return render(
            request,
            "error.html",
            {
                "title": "This email stays on record",
                "detail": refused.detail,
                "back": (
                    f"/console/prospects/{prospect_id}/messages/{message_id}",
                    "Back to the email",
                ),
            },
            status_code=refused.status_code,
        )
    runtime.targets.forget_message(
        discarded.message_ref, discarded.link_refs, discarded.visitor_ids
    )
    written = discarded.written
    name = prospect.name or prospect.email
    return render(
        request,
        "compose.html",
        {
            "prospect": prospect,
            "form": {"subject": written.subject, "body": written.body, "format": written.format},
            "errors": {},
            "findings": None,
            "untracked": _untracked(session, prospect),
            "flashes": [
                Flash(
                    f"The email was discarded: nothing of it remains on {name}'s "
                    "transparency page. Rewrite it below; checking it again prepares a "
                    "new one."
                )
            ],
        },
    )


def _discarded_before(
    request: Request,
    session: SessionDep,
    prospect: Prospect,
    when: datetime,
    sent_again: dict[str, str],
) -> Response:
    """The compose page for an email this person already discarded, saying when.

    What the post carried is put back in the form as it came (the person's own words,
    from their own browser); a post without them says where else they may still be.
    """
    at = when.strftime("%Y-%m-%d %H:%M UTC")
    kept = bool(sent_again["subject"] or sent_again["body"])
    if kept:
        said = (
            f"This email was already discarded, at {at}: you loaded its answer again. "
            "Here is what you wrote, as your browser sent it again; checking it prepares "
            "a new email."
        )
    else:
        said = (
            f"This email was already discarded, at {at}, and Candor keeps none of its "
            "words. If the page that showed them is still open (another tab or window), "
            "copy them from there; otherwise write the email again below."
        )
    return render(
        request,
        "compose.html",
        {
            "prospect": prospect,
            "form": {
                "subject": sent_again["subject"],
                "body": sent_again["body"].replace("\r\n", "\n"),
                "format": "text" if sent_again["format"] == "text" else "html",
            },
            "errors": {},
            "findings": None,
            "untracked": _untracked(session, prospect),
            "flashes": [Flash(said, "ok" if kept else "error")],
        },
    )


@router.get("/console/prospects/{prospect_id}/messages/{message_id}/preview")
def preview_message(
    session: SessionDep,
    runtime: RuntimeDep,
    user: ReaderUser,
    prospect_id: PathId,
    message_id: PathId,
) -> Response:
    """The email's HTML in a sandbox of its own: no script, nothing remote, no tracking."""
    _, message = _message(session, runtime, user, prospect_id, message_id)
    if message.html is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND)
    return Response(
        preview_html(message.html, runtime.settings.public_url),
        media_type="text/html",
        headers={"Content-Security-Policy": PREVIEW_CSP, "X-Frame-Options": "SAMEORIGIN"},
    )


@router.get("/console/prospects/{prospect_id}/messages/{message_id}/draft.eml")
def download_draft(
    session: SessionDep,
    runtime: RuntimeDep,
    user: ReaderUser,
    prospect_id: PathId,
    message_id: PathId,
) -> Response:
    """The email as an unsent draft (RFC 5322, X-Unsent: 1) for the person's mail client."""
    prospect, message = _message(session, runtime, user, prospect_id, message_id)
    return Response(
        draft_eml(
            subject=message.subject,
            to_name=prospect.name,
            to_email=prospect.email,
            html=message.html,
            text=message.text,
        ),
        media_type="message/rfc822",
        headers={"Content-Disposition": f'attachment; filename="candor-draft-{message.id}.eml"'},
    )
