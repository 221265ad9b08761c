"""Message routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from service.auth.deps import CurrentUser, require_roles
from service.db import SessionDep
from service.errors import ErrorMessage
from service.ids import PathId
from service.messages import service
from service.messages.schemas import MessageCreate, MessageInstrumented, MessagePublic
from service.models import User
from service.responses import errors
from service.runtime import RuntimeDep

router = APIRouter(prefix="/api", tags=["messages"])

Sender = Annotated[User, Depends(require_roles("rep", "manager"))]


@router.post(
    "/messages",
    summary="Instrument an email (HTML, plain text, or both) for one of your prospects",
    status_code=status.HTTP_201_CREATED,
    responses=errors(401, 403, 404, 422),
)
def create_message(
    body: MessageCreate, session: SessionDep, runtime: RuntimeDep, user: Sender
) -> MessageInstrumented:
    """Tracked links, the footer, and for HTML the open pixel; text-only has no pixel."""
    return service.create(session, runtime=runtime, user=user, data=body)


@router.delete(
    "/messages/{message_id}",
    summary=f"Take back an email within {service.DISCARD_MINUTES} minutes of preparing it",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={
        **errors(401, 403, 422),
        404: {
            "model": ErrorMessage,
            "description": "No such message, or one you may not read (the same answer).",
            "content": {"application/json": {"example": {"detail": "No such message."}}},
        },
        409: {
            "model": ErrorMessage,
            "description": f"Prepared more than {service.DISCARD_MINUTES} minutes ago (it "
            "may have been sent): nothing was changed.",
            "content": {"application/json": {"example": {"detail": service.TOO_LATE_TO_DISCARD}}},
        },
    },
)
def delete_message(
    message_id: PathId, session: SessionDep, runtime: RuntimeDep, user: Sender
) -> Response:
    """Within ``DISCARD_MINUTES`` of its preparation (its ``created_at``, not
    ``sent_at``), delete the message with everything recorded for it: its links, its
    ``email_sent``, its opens and clicks and the visits after those clicks. The answer is
    the same whatever was recorded. Its pixel and links then answer as unknown tokens.
    Only its sender may (``sender_id``), whoever owns the prospect now: anyone else who
    may read it gets a 403 naming the sender. Audited (``message.discarded``, with the
    number of links and of events that went)."""
    discarded = service.discard(session, user=user, message_id=message_id)
    runtime.targets.forget_message(
        discarded.message_ref, discarded.link_refs, discarded.visitor_ids
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/prospects/{prospect_id}/messages",
    summary="List the messages sent to a prospect",
    responses=errors(401, 403, 404, 422),
)
def list_messages(
    prospect_id: PathId, session: SessionDep, runtime: RuntimeDep, user: CurrentUser
) -> list[MessagePublic]:
    """Subject, time, pixel and tracked links of each message, newest first."""
    return service.list_for_prospect(session, runtime=runtime, user=user, prospect_id=prospect_id)
