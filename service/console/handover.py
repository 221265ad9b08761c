"""Handing every prospect of a person to someone else (admin): a choice, a confirmation, a result.

The choice is a GET form on the person's page (and on the deactivation confirmation);
the confirmation page shows, from ``handover.plan``, what would move, what would stay
(the new owner already has that email) and what the new owner may then read; its one
button posts to ``handover.hand_over``, the function behind
``POST /api/users/{id}/prospects/handover``, which checks, moves, audits and commits.
A refused choice is the person's page again (422) with the reason beside the field.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, Response

from service.auth import service as accounts
from service.console.deps import AdminForm, AdminUser
from service.console.templating import render, see_other
from service.console.users import person_page
from service.db import SessionDep
from service.ids import MAX_ID, PathId
from service.models import User
from service.prospects import handover

__all__ = ["router"]

router = APIRouter(prefix="/console/users", include_in_schema=False)

CHOOSE = "Choose who the prospects go to."
LISTED = "Choose an active rep or manager from the list; nothing changed."
DEACTIVATED = "That person's account is deactivated; choose someone else. Nothing changed."
SAME = "They own these prospects already; choose someone else. Nothing changed."
SHOWN_IN_FLASH = 5  # prospects that stayed, named in the message after the hand-over


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _target(text: str) -> int:
    text = text.strip()
    if not text:
        raise _Refused(CHOOSE)
    if not (text.isascii() and text.isdigit() and len(text) <= 19 and 1 <= int(text) <= MAX_ID):
        raise _Refused(LISTED)
    return int(text)


def _refusal(error: HTTPException) -> str:
    """The service's 422 on ``to_user_id`` in the console's words."""
    detail: list[Any] = error.detail if isinstance(error.detail, list) else []
    said = " ".join(str(item.get("msg", "")) for item in detail if isinstance(item, dict))
    if "deactivated" in said:
        return DEACTIVATED
    if "owns them now" in said:
        return SAME
    return LISTED


def _planned(session: SessionDep, admin: User, user_id: int, to: str) -> handover.Handover:
    try:
        return handover.plan(session, actor=admin, user_id=user_id, to_user_id=_target(to))
    except HTTPException as error:
        if error.status_code != status.HTTP_422_UNPROCESSABLE_CONTENT:
            raise
        raise _Refused(_refusal(error)) from None


def _refused_page(
    request: Request, session: SessionDep, user_id: int, to: str, message: str
) -> Response:
    session.rollback()
    person = accounts.get_user(session, user_id=user_id)
    return person_page(
        request,
        session,
        person,
        form={"role": person.role, "manager": str(person.manager_id or ""), "to": to},
        errors={"to": message},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


def _readers(session: SessionDep, plan: handover.Handover) -> list[str]:
    """Who reads the prospects afterwards beside their owner, and who no longer does."""
    said = []
    giver, receiver = plan.giver, plan.receiver
    before = giver.manager_id if giver.role == "rep" else None
    after = receiver.manager_id if receiver.role == "rep" else None
    if after is not None and after != before:
        manager = session.get(User, after)
        if manager is not None:
            said.append(f"{manager.name}, {receiver.name}'s manager, reads them too from then on.")
    if before is not None and before != after and before != receiver.id:
        manager = session.get(User, before)
        if manager is not None:
            said.append(f"{manager.name}, {giver.name}'s manager, no longer reads them.")
    return said


@router.get("/{user_id}/handover", response_class=HTMLResponse)
def confirm_handover(
    request: Request,
    user_id: PathId,
    session: SessionDep,
    admin: AdminUser,
    to: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """The one decision: what moves to whom, what stays and why, what they may then read."""
    try:
        plan = _planned(session, admin, user_id, to)
    except _Refused as refused:
        return _refused_page(request, session, user_id, to, refused.message)
    return render(
        request,
        "users_handover.html",
        {"plan": plan, "readers": _readers(session, plan), "to": to.strip()},
    )


@router.post("/{user_id}/handover")
def hand_over(
    request: Request,
    user_id: PathId,
    session: SessionDep,
    admin: AdminForm,
    to: Annotated[str, Form()] = "",
) -> Response:
    """Move them (one transaction, each move audited) and say what moved and what stayed."""
    try:
        done = handover.hand_over(session, actor=admin, user_id=user_id, to_user_id=_target(to))
    except _Refused as refused:
        return _refused_page(request, session, user_id, to, refused.message)
    except HTTPException as error:
        if error.status_code != status.HTTP_422_UNPROCESSABLE_CONTENT:
            raise
        return _refused_page(request, session, user_id, to, _refusal(error))
    giver, receiver = done.giver.name, done.receiver.name
    moved = len(done.moved)
    if done.kept:
        said = f"Gave {moved} of {giver}'s prospects to {receiver}."
    else:
        said = f"Gave {giver}'s {moved} prospect{'' if moved == 1 else 's'} to {receiver}."
    if done.kept:
        named = ", ".join(
            f"{kept.email} (#{kept.prospect_id})" for kept in done.kept[:SHOWN_IN_FLASH]
        )
        more = len(done.kept) - SHOWN_IN_FLASH
        said += (
            f" {len(done.kept)} stay{'s' if len(done.kept) == 1 else ''} with {giver}, because "
            f"{receiver} already has a prospect with the same email: {named}"
            + (f" and {more} more (the audit entry lists their numbers)." if more > 0 else ".")
        )
    return see_other(
        request, f"/console/users/{user_id}", flash=said, kind="error" if done.kept else "ok"
    )
