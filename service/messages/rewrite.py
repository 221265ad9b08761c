"""What **Discard and rewrite** needs around the discard itself: the words before it, and
its trace after it.

The discard's answer (the compose page holding the words) is the only place the words
exist once the email is gone, and a browser asks to post again to show it again (a
reload, or Back). So the message page puts the words as written in the discard form
itself (``written_of``): a post sent again carries them, from the person's own browser,
and Candor keeps nothing. The email already gone, ``discarded_at`` reads when this
person discarded it from the audit log's ``message.discarded`` entry, which names the
message and the prospect but no word of the email.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session, col, select

from service.messages.service import Written, as_written
from service.models import AuditEntry, Link, Message, Prospect

__all__ = ["discarded_at", "written_of"]


def written_of(session: Session, *, message_id: int, prospect: Prospect) -> Written | None:
    """The email ``message_id`` to ``prospect`` as its sender wrote it (None: no such email).

    The caller has checked that the reader may write to ``prospect``.
    """
    message = session.get(Message, message_id)
    if message is None or message.prospect_id != prospect.id:
        return None
    links = list(session.exec(select(Link).where(col(Link.message_id) == message_id)))
    return as_written(message, links, prospect.ref)


def discarded_at(
    session: Session, *, actor_id: int, prospect_id: int, message_id: int
) -> datetime | None:
    """When ``actor_id`` discarded ``message_id`` to ``prospect_id``; None if they did not.

    Message ids are never reused, so the entry names this email and no other. Someone
    else's discard is None: it is theirs to know about, as the audit log is compliance's.
    """
    entries = session.exec(
        select(AuditEntry)
        .where(
            col(AuditEntry.action) == "message.discarded",
            col(AuditEntry.actor_id) == actor_id,
            col(AuditEntry.prospect_id) == prospect_id,
        )
        .order_by(col(AuditEntry.id).desc())
    )
    for entry in entries:
        try:
            detail = json.loads(entry.detail or "{}")
        except ValueError:
            continue
        if isinstance(detail, dict) and detail.get("message_id") == message_id:
            return entry.at
    return None
