"""Message routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status

from service.auth.deps import require_roles
from service.db import SessionDep
from service.errors import ErrorMessage
from service.messages import service
from service.messages.schemas import MessageCreate, MessageInstrumented
from service.models import User
from service.runtime import RuntimeDep

router = APIRouter(prefix="/api", tags=["messages"])

Sender = Annotated[User, Depends(require_roles("rep", "manager"))]


@router.post(
    "/messages",
    status_code=status.HTTP_201_CREATED,
    responses={404: {"description": "No prospect of yours with that id.", "model": ErrorMessage}},
)
def create_message(
    body: MessageCreate, session: SessionDep, runtime: RuntimeDep, user: Sender
) -> MessageInstrumented:
    """Instrument an email for one of your prospects: open pixel, tracked links, footer."""
    return service.create(session, runtime=runtime, user=user, data=body)
