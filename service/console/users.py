"""The people page (admin): users, roles and managers; invitations, keys, deactivation.

Every change goes through the account functions the API and the CLI use
(``service.auth.service`` and ``service.auth.invitations``), which check the fields,
audit the act and commit; this module only reads the form and words their answers
against its fields. Secrets (an invitation link, a new API key) are shown once, in the
answer to the POST that made them, with ``Cache-Control: no-store``: never in a URL, a
cookie or a message kept for the next page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, Response

from service.auth import invitations
from service.auth import service as accounts
from service.auth.schemas import ROLES
from service.console.deps import AdminForm, AdminUser
from service.console.templating import render, see_other
from service.db import SessionDep
from service.ids import MAX_ID, PathId
from service.models import User
from service.prospects import handover
from service.runtime import RuntimeDep

T = TypeVar("T")

__all__ = ["person_page", "router"]

router = APIRouter(prefix="/console/users", include_in_schema=False)

Admin = AdminUser

NO_MANAGER = "Choose a manager from the list (someone whose role is manager), or no manager."
ONLY_REPS = "Only a rep has a manager: choose “No manager” for this role."
_FIELDS = {"name": "name", "role": "role", "manager_id": "manager"}
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class _Unreadable(Exception):
    """A manager choice that is not a number from the list."""


def _manager_id(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID:
        return int(text)
    raise _Unreadable


def _attempt(act: Callable[[], T]) -> tuple[T | None, dict[str, str]]:
    """Run a form's act: its result, or the errors to show beside the fields.

    Only what the person can correct on the form (an unreadable manager, a 422) becomes a
    field error; anything else propagates to the console's error pages.
    """
    try:
        return act(), {}
    except _Unreadable:
        return None, {"manager": NO_MANAGER}
    except HTTPException as error:
        if error.status_code != status.HTTP_422_UNPROCESSABLE_CONTENT:
            raise
        return None, _field_errors(error)


def _field_errors(error: HTTPException) -> dict[str, str]:
    """An account function's 422 as one sentence per field of this page's forms."""
    errors: dict[str, str] = {}
    detail: list[dict[str, Any]] = error.detail if isinstance(error.detail, list) else []
    for item in detail:
        loc = [str(part) for part in item.get("loc", [])]
        field = next((_FIELDS[part] for part in reversed(loc) if part in _FIELDS), "name")
        message = str(item.get("msg", "is not valid"))
        if field == "manager":
            message = ONLY_REPS if message.startswith("Only a rep has a manager") else NO_MANAGER
        errors.setdefault(field, message)
    return errors or {"name": str(error.detail)}


def _status(person: User) -> str:
    if not person.active:
        return "Deactivated"
    if person.password_hash is not None:
        return "Active"
    if person.api_key_hash is not None:
        return "Active (API key only, no password)"
    return "Invited (no password yet)"


def _sole_admin(person: User, people: list[User]) -> bool:
    """Whether ``person`` is the one active admin, whom the account functions keep as one."""
    return (
        person.role == "admin"
        and person.active
        and not any(p.role == "admin" and p.active and p.id != person.id for p in people)
    )


def _context(session: SessionDep) -> dict[str, Any]:
    people = accounts.list_users(session)
    return {
        "people": people,
        "names": {p.id: p.name for p in people},
        "managers": [p for p in people if p.role == "manager" and p.active],
        "roles": ROLES,
        "status_of": _status,
    }


def _list_page(
    request: Request,
    session: SessionDep,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = status.HTTP_200_OK,
) -> Response:
    return render(
        request,
        "users_list.html",
        {
            **_context(session),
            "form": form or {"name": "", "role": "rep", "manager": ""},
            "errors": errors or {},
        },
        status_code=status_code,
    )


def _secret_page(request: Request, *, person: User, what: str, secret: str, note: str) -> Response:
    return render(
        request,
        "users_secret.html",
        {"person": person, "what": what, "secret": secret, "note": note},
        headers=_NO_STORE,
    )


@router.get("", response_class=HTMLResponse)
def list_people(request: Request, session: SessionDep, _admin: Admin) -> Response:
    """Everyone with an account, their role, manager and status; a form to invite someone."""
    return _list_page(request, session)


@router.post("/invite", response_class=HTMLResponse)
def invite_person(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    admin: AdminForm,
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "rep",
    manager: Annotated[str, Form()] = "",
) -> Response:
    """Create the account and show, once, the link where they choose their password."""
    form = {"name": name.strip(), "role": role, "manager": manager}
    invited, errors = _attempt(
        lambda: invitations.invite(
            session, actor=admin, name=name, role=role, manager_id=_manager_id(manager)
        )
    )
    if invited is not None:
        person, token = invited
        return _secret_page(
            request,
            person=person,
            what="invitation link",
            secret=invitations.invitation_url(runtime.settings, token),
            note="Send it to them yourself. It works once, for 72 hours: there they choose "
            "their own password, then sign in with their name.",
        )
    return _list_page(
        request,
        session,
        form=form,
        errors=errors,
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


def person_page(
    request: Request,
    session: SessionDep,
    person: User,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = status.HTTP_200_OK,
) -> Response:
    """A person's page: their role, manager, prospects and access; a refused form's errors.

    The hand-over's pages (``service.console.handover``) answer a refused choice with it.
    """
    context = _context(session)
    context["managers"] = [m for m in context["managers"] if m.id != person.id]
    context["sole_admin"] = _sole_admin(person, context["people"])
    assert person.id is not None
    context["owned"] = accounts.prospects_owned(session, user_ids=[person.id]).get(person.id, 0)
    context["owners"] = (
        handover.eligible_owners(session, actor=request.state.console_user, giver=person)
        if context["owned"]
        else []
    )
    return render(
        request,
        "users_read.html",
        {
            **context,
            "person": person,
            "form": form or {"role": person.role, "manager": str(person.manager_id or "")},
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/{user_id}", response_class=HTMLResponse)
def read_person(request: Request, user_id: PathId, session: SessionDep, _admin: Admin) -> Response:
    """One person: their role and manager, and the acts on their access."""
    person = accounts.get_user(session, user_id=user_id)
    return person_page(request, session, person)


@router.post("/{user_id}/role", response_class=HTMLResponse)
def change_role(
    request: Request,
    user_id: PathId,
    session: SessionDep,
    admin: AdminForm,
    role: Annotated[str, Form()] = "",
    manager: Annotated[str, Form()] = "",
) -> Response:
    """Change their role and manager together; an invalid choice changes neither."""
    person = accounts.get_user(session, user_id=user_id)
    form = {"role": role, "manager": manager}
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    try:
        updated, errors = _attempt(
            lambda: accounts.update_user(
                session, actor=admin, user_id=user_id, role=role, manager_id=_manager_id(manager)
            )
        )
    except HTTPException as refused:
        # A role that may not own prospects, for someone who owns some: said beside Role.
        if refused.status_code != status.HTTP_409_CONFLICT:
            raise
        session.rollback()
        updated, errors, status_code = None, {"role": str(refused.detail)}, refused.status_code
    if errors.get("role") == accounts.LAST_ADMIN_ROLE:  # the console's way, not the CLI's
        errors["role"] = (
            "This is the only active admin, and the workspace needs one: make another "
            "person an admin first (Role and manager, on their page), then change this role."
        )
    if updated is not None:
        return see_other(
            request, f"/console/users/{user_id}", flash=f"Saved {person.name}'s role and manager."
        )
    session.refresh(person)  # the failed change was never applied
    return person_page(request, session, person, form=form, errors=errors, status_code=status_code)


@router.post("/{user_id}/name", response_class=HTMLResponse)
def rename(
    request: Request,
    user_id: PathId,
    session: SessionDep,
    admin: AdminForm,
    name: Annotated[str, Form()] = "",
) -> Response:
    """Rename them: the name they sign in with, and the one every page shows."""
    person = accounts.get_user(session, user_id=user_id)
    was = person.name
    updated, errors = _attempt(
        lambda: accounts.update_user(session, actor=admin, user_id=user_id, name=name)
    )
    if updated is not None:
        said = (
            f"Renamed {was} to {updated.name}: they sign in with that name now."
            if updated.name != was
            else f"{was} keeps that name."
        )
        return see_other(request, f"/console/users/{user_id}", flash=said)
    session.refresh(person)  # the failed change was never applied
    return person_page(
        request,
        session,
        person,
        form={"role": person.role, "manager": str(person.manager_id or ""), "name": name},
        errors=errors,
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


@router.post("/{user_id}/reset", response_class=HTMLResponse)
def reset_password(
    request: Request,
    user_id: PathId,
    session: SessionDep,
    runtime: RuntimeDep,
    admin: AdminForm,
) -> Response:
    """A new one-time link where they choose a new password (earlier links stop)."""
    person = accounts.get_user(session, user_id=user_id)
    token = invitations.reset_invitation(session, actor=admin, user_id=user_id)
    return _secret_page(
        request,
        person=person,
        what="password reset link",
        secret=invitations.invitation_url(runtime.settings, token),
        note="Send it to them yourself. It works once, for 72 hours. Their current "
        "password keeps working until they choose the new one.",
    )


# The acts that need a page of their own: (question, consequence, button, danger).
_CONFIRM = {
    "key": (
        "Issue a new API key for {name}?",
        "Their current API key stops working at once; any integration using it must be "
        "given the new one, which is shown only once.",
        "Issue a new API key",
        False,
    ),
    "key/revoke": (
        "Revoke {name}'s API key?",
        "Their API key stops working at once and no new one is issued: any integration "
        "using it is refused from now. Their password, if they have one, and their console "
        "sessions stay.",
        "Revoke the API key",
        True,
    ),
    "deactivate": (
        "Deactivate {name}?",
        "They are signed out everywhere, their API key and unused links stop working, and "
        "they cannot sign in. Their prospects and the audit log stay.{note}",
        "Deactivate {name}",
        True,
    ),
    "reactivate": (
        "Reactivate {name}?",
        "They can sign in with their password again, and get a new API key (shown once); "
        "their old key stays dead.",
        "Reactivate {name}",
        False,
    ),
}


def key_state(person: User) -> str:
    """A short fingerprint of the key a person holds now (none, or its stored digest).

    The confirmation form carries it, so posting that form again (the browser's reload of
    the page that showed a new key) is told apart from a new decision: by then the key
    has changed, and nothing is issued twice."""
    return hashlib.sha256((person.api_key_hash or "none").encode()).hexdigest()[:16]


def _confirm_page(
    request: Request,
    person: User,
    act: str,
    *,
    note: str | None = None,
    owned: int = 0,
    owners: list[User] | None = None,
) -> Response:
    question, consequence, button, danger = _CONFIRM[act]
    return render(
        request,
        "users_confirm.html",
        {
            "owned": owned,
            "owners": owners or [],
            "person": person,
            "question": question.format(name=person.name),
            "consequence": consequence.format(note=f" {note}" if note else ""),
            "button": button.format(name=person.name),
            "danger": danger,
            "action": f"/console/users/{person.id}/{act}",
            "state": key_state(person) if act == "key" else "",
        },
    )


@router.get("/{user_id}/key", response_class=HTMLResponse)
def confirm_new_key(
    request: Request, user_id: PathId, session: SessionDep, _admin: Admin
) -> Response:
    """The one decision: replace their API key."""
    return _confirm_page(request, accounts.get_user(session, user_id=user_id), "key")


@router.post("/{user_id}/key", response_class=HTMLResponse)
def issue_key(
    request: Request,
    user_id: PathId,
    session: SessionDep,
    admin: AdminForm,
    state: Annotated[str, Form()] = "",
) -> Response:
    """Replace their API key and show the new one once; the old one is refused from now.

    A form whose key state is stale (the same confirmation posted again, as a reload of
    the page showing the key does) issues nothing: a 409 page says the key was replaced
    already and leads back to the person."""
    person = accounts.get_user(session, user_id=user_id)
    if state and state != key_state(person):
        return render(
            request,
            "error.html",
            {
                "title": "This key was issued already",
                "detail": f"{person.name}'s key changed after this page was opened, so nothing "
                "was issued now. The key shown before is the one that works; if it is lost, "
                "issue a new one from their page.",
                "back": (f"/console/users/{user_id}", f"Back to {person.name}"),
            },
            status_code=status.HTTP_409_CONFLICT,
        )
    person, key = accounts.issue_key(session, actor=admin, user_id=user_id)
    return _secret_page(
        request,
        person=person,
        what="API key",
        secret=key,
        note="Give it to them or to the integration that acts for them. Their previous key "
        "no longer works.",
    )


@router.get("/{user_id}/key/revoke", response_class=HTMLResponse)
def confirm_key_revocation(
    request: Request, user_id: PathId, session: SessionDep, _admin: Admin
) -> Response:
    """The one decision: stop their API key and issue none."""
    return _confirm_page(request, accounts.get_user(session, user_id=user_id), "key/revoke")


@router.post("/{user_id}/key/revoke")
def revoke_key(
    request: Request, user_id: PathId, session: SessionDep, admin: AdminForm
) -> Response:
    """Stop their API key; back on their page, say so (or that they held none). (The
    service keeps the key of an only admin with no password; an admin signed in here has
    one and is another admin, so that refusal never reaches this page.)"""
    person, revoked = accounts.revoke_key(session, actor=admin, user_id=user_id)
    said = (
        f"{person.name}'s API key is revoked: it is refused from now."
        if revoked
        else f"{person.name} held no API key."
    )
    return see_other(request, f"/console/users/{user_id}", flash=said)


@router.get("/{user_id}/deactivate", response_class=HTMLResponse)
def confirm_deactivation(
    request: Request, user_id: PathId, session: SessionDep, admin: Admin
) -> Response:
    """The one decision: stop this person's access (never one's own, nor the only admin's)."""
    person = accounts.get_user(session, user_id=user_id)
    refused = _cannot_deactivate(request, session, person, admin)
    if refused is not None:
        return refused
    note = accounts.leaver_note(session, user=person)
    assert person.id is not None
    owned = accounts.prospects_owned(session, user_ids=[person.id]).get(person.id, 0)
    owners = handover.eligible_owners(session, actor=admin, giver=person) if owned else []
    return _confirm_page(request, person, "deactivate", note=note, owned=owned, owners=owners)


def _cannot_deactivate(
    request: Request, session: SessionDep, person: User, admin: User
) -> Response | None:
    """The 409 page when this admin may not deactivate ``person``, in the console's terms.

    Nobody deactivates themselves, and the one active admin stays: the page says why and
    what to do here, on the Users page, not on the command line.
    """
    sole = _sole_admin(person, accounts.list_users(session))
    if person.id == admin.id:
        title = "You cannot deactivate yourself"
        detail = "Another admin deactivates your account, so that nobody locks themselves out."
        if sole:
            detail += (
                " You are the only active admin: first make another person an admin "
                "(Users, their name, then Role and manager), and they can deactivate you."
            )
    elif sole:
        title = f"{person.name} is the only active admin"
        detail = (
            "The workspace needs one: first make another person an admin (Users, their "
            f"name, then Role and manager), then deactivate {person.name}."
        )
    else:
        return None
    return render(
        request,
        "error.html",
        {"title": title, "detail": detail, "back": ("/console/users", "Go to Users")},
        status_code=409,
    )


@router.post("/{user_id}/deactivate")
def deactivate(
    request: Request, user_id: PathId, session: SessionDep, admin: AdminForm
) -> Response:
    """Stop their sessions, key and links at once; say where their prospects stand."""
    refused = _cannot_deactivate(
        request, session, accounts.get_user(session, user_id=user_id), admin
    )
    if refused is not None:
        return refused
    person = accounts.deactivate(session, actor=admin, user_id=user_id)
    note = accounts.leaver_note(session, user=person)
    flash = f"{person.name} is deactivated." + (f" {note}" if note else "")
    return see_other(request, f"/console/users/{user_id}", flash=flash)


@router.get("/{user_id}/reactivate", response_class=HTMLResponse)
def confirm_reactivation(
    request: Request, user_id: PathId, session: SessionDep, _admin: Admin
) -> Response:
    """The one decision: let a deactivated person back in."""
    return _confirm_page(request, accounts.get_user(session, user_id=user_id), "reactivate")


@router.post("/{user_id}/reactivate", response_class=HTMLResponse)
def reactivate(
    request: Request, user_id: PathId, session: SessionDep, admin: AdminForm
) -> Response:
    """Let them back in, with a new API key shown once."""
    person, key = accounts.reactivate(session, actor=admin, user_id=user_id)
    return _secret_page(
        request,
        person=person,
        what="API key",
        secret=key,
        note=f"{person.name} can sign in again. This is their new API key; the old one stays dead.",
    )
