"""The rep and manager pages: prospects, a prospect's timeline, the lint, composing.

Every read goes through the service functions the API uses (``prospects.service``,
``timeline.service``, ``messages.service``, ``policies.coach.lint``): the policy applies
where the data is read, and a page shows nothing the API's timeline would not.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile, status
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import col, select

from policies.coach import lint
from service.auth import service as auth_service
from service.console.deps import ConsoleUser, ReaderForm, ReaderUser, check_csrf
from service.console.forms import field_errors
from service.console.templating import render, see_other
from service.console.wording import (
    Evidence,
    evidence_of,
    owner_label,
    sent_by,
    sentence,
    suppression_badge,
)
from service.db import SessionDep
from service.i18n import language_names
from service.ids import PathId, form_id
from service.messages import service as message_service
from service.models import User
from service.people import service as people
from service.prospects import importing
from service.prospects import service as prospect_service
from service.prospects.schemas import ProspectCreate, ProspectUpdate
from service.timeline import service as timeline_service

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 25
MAX_Q = 200
MAX_PAGE = 10_000_000  # a bound on the offset asked of the database, past any list's end
MAX_SAY = 20_000
MAX_CSV_BYTES = 5 * 1024 * 1024
FIELDS = ("email", "name", "company", "industry", "region", "language")


def _team(session: SessionDep, user: User) -> list[User]:
    """The active reps a manager may give a new prospect to (nobody for a rep)."""
    if user.role != "manager":
        return []
    return [
        member
        for member in auth_service.list_users(session)
        if member.manager_id == user.id and member.role == "rep" and member.active
    ]


def _owner_names(session: SessionDep, user: User, owner_ids: set[int]) -> dict[int, str]:
    """Each owner's name as ``user`` reads it (``wording.owner_label``), deactivated
    owners included: the team's reps, active or not, and the reader ("You")."""
    if not owner_ids:
        return {}
    owners = session.exec(select(User).where(col(User.id).in_(owner_ids)))
    return {
        owner.id: owner_label(owner.name, active=owner.active, yours=owner.id == user.id)
        for owner in owners
        if owner.id is not None
    }


def _list_context(session: SessionDep, user: User, *, q: str, page: int) -> dict[str, Any]:
    listing = prospect_service.list_page(
        session,
        user=user,
        q=q or None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        order="last_engagement",
    )
    senders = message_service.senders_by_subject(
        session,
        prospect_ids=[
            row.prospect.id
            for row in listing.rows
            if row.prospect.id is not None
            and row.last_activity
            and row.last_activity.get("kind") == "email_sent"
        ],
    )
    rows = [
        {
            "prospect": row.prospect,
            "suppressed": suppression_badge(row.consent.suppressed),
            "refused": _refusal(row.consent) is not None,
            "latest": (
                {
                    "text": sentence(row.last_activity),
                    "evidence": evidence_of(
                        row.last_activity,
                        sent=_sent_badge(
                            user, senders.get(row.prospect.id or 0, {}), row.last_activity
                        ),
                    ),
                }
                if row.last_activity
                else None
            ),
        }
        for row in listing.rows
    ]
    return {
        "prospects": rows,
        "total": listing.total,
        "q": q,
        "typed": q,
        "page": page,
        "has_next": listing.next_offset is not None,
        "search_error": None,
        "page_note": None,
        "last_page": max(1, -(-listing.total // PAGE_SIZE)),
        "past_end": not rows and bool(listing.total) and page > 1,
        "form": {},
        "errors": {},
        "report": None,
        "import_error": None,
        "team": _team(session, user),
        # A manager reads his reps' prospects too: the list says whose each one is.
        "show_owner": user.role == "manager",
        "owners": _owner_names(session, user, {row.prospect.owner_id for row in listing.rows}),
        "languages": language_names(),
    }


def _page_number(raw: str) -> tuple[int, str | None]:
    """The page an address asks for, and a note when it asked for none that can exist.

    An address is typed, pasted and edited by people: ``?page=abc`` or ``?page=-1`` is
    page 1 with a sentence, never a dead-end error page.
    """
    digits = raw.strip().lstrip("0")
    if digits.isascii() and digits.isdigit():
        # Beyond MAX_PAGE is as far past the end as MAX_PAGE: said so, below.
        return (int(digits) if len(digits) <= 7 else MAX_PAGE), None
    return 1, f"There is no page “{raw[:20]}”: pages are numbered from 1. This is page 1."


@router.get("/console/prospects")
def read_prospects(
    request: Request,
    session: SessionDep,
    user: ReaderUser,
    q: str = "",
    page: str = "1",
) -> Response:
    """The prospects this person may read, searchable and paged.

    A search too long to be one (over 200 characters) is the page again (422) with the
    sentence beside the search field and every prospect listed; a page past the end
    says so and links to the last one.
    """
    number, page_note = _page_number(page)
    search_error = None
    if len(q) > MAX_Q:
        search_error = f"A search is at most {MAX_Q} characters; you typed {len(q):,}."
    context = _list_context(session, user, q="" if search_error else q, page=number)
    if context["past_end"]:
        page_note = (
            f"Page {number:,} is past the end: the {context['total']:,} prospects fill "
            f"{context['last_page']:,} page{'' if context['last_page'] == 1 else 's'}."
        )
    context.update(typed=q, search_error=search_error, page_note=page_note)
    status_code = 422 if search_error else 200
    return render(request, "prospects.html", context, status_code=status_code)


@router.post("/console/prospects")
def add_prospect(
    request: Request,
    session: SessionDep,
    user: ReaderForm,
    email: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    company: Annotated[str, Form()] = "",
    industry: Annotated[str, Form()] = "",
    region: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "",
    owner_id: Annotated[str, Form()] = "",
) -> Response:
    """Add a prospect owned by this person (or, for a manager, one of their reps).

    A field's length is ``ProspectCreate``'s to check, so a refused form comes back
    with everything typed and the sentence beside the field (``forms.field_errors``).
    """
    form = {
        "email": email,
        "name": name,
        "company": company,
        "industry": industry,
        "region": region,
        "language": language,
    }
    try:
        data = ProspectCreate.model_validate(
            {key: value or None for key, value in form.items()}
            | {"email": email, "owner_id": form_id(owner_id)}
        )
        prospect = prospect_service.create(session, user=user, data=data)
    except ValidationError as error:
        errors = field_errors(error)
    except HTTPException as refused:
        if refused.status_code != status.HTTP_422_UNPROCESSABLE_CONTENT:
            raise
        field = "owner_id" if "owner_id" in str(refused.detail) else "email"
        errors = {field: _duplicate_in_words(session, user, data.owner_id, refused)}
    else:
        return see_other(
            request,
            f"/console/prospects/{prospect.id}",
            flash=f"Added {prospect.name or prospect.email}.",
        )
    context = _list_context(session, user, q="", page=1)
    context.update(form=form | {"owner_id": owner_id}, errors=errors)
    return render(request, "prospects.html", context, status_code=422)


def _delay_hours(read: timeline_service.TimelineRead) -> float | None:
    rule = read.view.decision.rule
    for candidate in read.active.policy.rules:
        if candidate.name == rule:
            return float(candidate.delay_hours)
    return None


def _sent_badge(
    user: User, by_subject: dict[str, dict[int, str]], fact: dict[str, Any]
) -> Evidence:
    """The "sent by …" badge of a sent fact: its own email's sender when the fact names
    the email (a subject only one person sent), else everyone who wrote to the prospect."""
    named = by_subject.get(fact.get("subject") or "")
    if not named:
        named = {sender: name for each in by_subject.values() for sender, name in each.items()}
    return sent_by(user.id, named)


def _timeline_context(
    session: SessionDep,
    user: User,
    read: timeline_service.TimelineRead,
    *,
    say: str = "",
    findings: list[Any] | None = None,
) -> dict[str, Any]:
    assert read.prospect.id is not None
    senders = message_service.senders_by_subject(session, prospect_ids=[read.prospect.id])
    by_subject = senders.get(read.prospect.id, {})
    facts = [
        {
            "fact": fact,
            "text": sentence(fact),
            "evidence": evidence_of(fact, sent=_sent_badge(user, by_subject, fact)),
        }
        for fact in read.view.facts
    ]
    # Nothing sent at all is its own sentence on the page, not "only what was sent".
    shown = read.view.facts
    only_sent = bool(shown) and all(fact["kind"] == "email_sent" for fact in shown)
    return {
        # Only the owner writes to a prospect (messages.service.create): nobody else is
        # offered a button that leads to a 403.
        "can_compose": read.prospect.owner_id == user.id,
        "new_owners": _new_owners(session, user, read.prospect.owner_id),
        "owner": _owner_names(session, user, {read.prospect.owner_id}).get(
            read.prospect.owner_id, f"user #{read.prospect.owner_id}"
        ),
        "prospect": read.prospect,
        # Why nothing is tracked, in the API's own sentence (its tracking_note), by the
        # suppression's reason: opted out, erased before, or added by compliance.
        "suppressed_note": people.why_untracked(read.consent.suppressed),
        "refused_note": _refusal(read.consent),
        "policy": read.active,
        "rule": read.view.decision.rule,
        "delay_hours": _delay_hours(read),
        "facts": facts,
        "only_sent": only_sent,
        "openers": read.view.openers,
        "say": say,
        "findings": findings,
        "marked": marked(say, findings) if findings else None,
        "languages": language_names(),
        "errors": {},
    }


def _new_owners(session: SessionDep, user: User, owner_id: int) -> list[tuple[int, str]]:
    """Whom a manager may hand a team prospect to: himself and his active reps.

    The same people ``PATCH /api/prospects/{id}`` accepts from a manager; the current
    owner is left out. A rep hands nothing away (an empty list: no form).
    """
    if user.role != "manager" or user.id is None:
        return []
    people = [(user.id, "You"), *((m.id, m.name) for m in _team(session, user) if m.id)]
    return [(person_id, name) for person_id, name in people if person_id != owner_id]


@router.post("/console/prospects/{prospect_id}/owner")
def reassign_prospect(
    request: Request,
    session: SessionDep,
    user: ReaderForm,
    prospect_id: PathId,
    owner_id: Annotated[str, Form()] = "",
) -> Response:
    """Hand a team prospect to its manager or another of his reps, audited as the API is.

    A refused choice is the prospect's page again (422) with the reason beside the field.
    """
    address = f"/console/prospects/{prospect_id}"
    try:
        data = ProspectUpdate.model_validate({"owner_id": form_id(owner_id)})
        if data.owner_id is None:
            errors = {"owner_id": "Choose who the prospect goes to."}
        else:
            prospect = prospect_service.update(
                session, user=user, prospect_id=prospect_id, data=data
            )
            errors = {}
    except ValidationError as error:
        errors = field_errors(error)
    except HTTPException as refused:
        if refused.status_code != status.HTTP_422_UNPROCESSABLE_CONTENT:
            raise
        errors = {"owner_id": _owner_refusal(refused)}
    if errors:
        return _refused_on_page(request, session, user, prospect_id, errors)
    if prospect.owner_id == user.id:
        flash = "The prospect is yours now: you can write to them."
    else:
        names = dict(_new_owners(session, user, user.id or 0))
        flash = f"The prospect now belongs to {names.get(prospect.owner_id, 'another rep')}."
    return see_other(request, address, flash=flash)


def _refused_on_page(
    request: Request,
    session: SessionDep,
    user: User,
    prospect_id: int,
    errors: dict[str, str],
    **kept: Any,
) -> Response:
    """The prospect's page again (422), each form's error beside its field."""
    read = timeline_service.read(session, user=user, prospect_id=prospect_id)
    context = _timeline_context(session, user, read, **kept)
    context["errors"] = errors
    return render(request, "prospect.html", context, status_code=422)


def _owner_refusal(refused: HTTPException) -> str:
    """The API's refusal of a new owner, in the console's words."""
    said = _sentence_of(refused)
    if "already has a prospect" in said:
        return "That person already has a prospect with this email; nothing changed."
    if "deactivated" in said:
        return "That person's account is deactivated; choose someone else."
    return "Choose yourself or one of your reps; nothing changed."


def marked(text: str, findings: list[Any]) -> list[tuple[str, Any]]:
    """``text`` cut into (piece, finding-or-None) spans, for highlighting without JS."""
    pieces: list[tuple[str, Any]] = []
    cursor = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < cursor:
            continue
        pieces.append((text[cursor : finding.start], None))
        pieces.append((text[finding.start : finding.end], finding))
        cursor = finding.end
    pieces.append((text[cursor:], None))
    return [(piece, finding) for piece, finding in pieces if piece]


@router.get("/console/prospects/{prospect_id}")
def read_prospect(
    request: Request, session: SessionDep, user: ReaderUser, prospect_id: PathId
) -> Response:
    """The policy-filtered timeline in plain words, the openers and the lint box."""
    read = timeline_service.read(session, user=user, prospect_id=prospect_id)
    return render(request, "prospect.html", _timeline_context(session, user, read))


@router.post("/console/prospects/{prospect_id}/language")
def set_language(
    request: Request,
    session: SessionDep,
    user: ReaderForm,
    prospect_id: PathId,
    language: Annotated[str, Form()] = "",
) -> Response:
    """Set (or clear) the language of a prospect's footer and transparency page."""
    try:
        data = ProspectUpdate.model_validate({"language": language or None})
        prospect = prospect_service.update(session, user=user, prospect_id=prospect_id, data=data)
    except ValidationError as error:
        return _refused_on_page(request, session, user, prospect_id, field_errors(error))
    shown = prospect.language or "not set"
    return see_other(
        request, f"/console/prospects/{prospect_id}", flash=f"Language saved: {shown}."
    )


@router.post("/console/prospects/{prospect_id}/lint")
def lint_on_page(
    request: Request,
    session: SessionDep,
    user: ReaderForm,
    prospect_id: PathId,
    say: Annotated[str, Form()] = "",
) -> Response:
    """The lint without JavaScript: the prospect's page with the text checked."""
    text = say.replace("\r\n", "\n")
    if not text.strip():  # as ``candor lint ""`` says: there is nothing to check
        empty = "Nothing to check: the box is empty. Type what you will say, then press Check."
        return _refused_on_page(request, session, user, prospect_id, {"say": empty}, say=text)
    if len(text) > MAX_SAY:
        too_long = f"The text to check is at most {MAX_SAY:,} characters; you typed {len(text):,}."
        return _refused_on_page(request, session, user, prospect_id, {"say": too_long}, say=text)
    read = timeline_service.read(session, user=user, prospect_id=prospect_id)
    return render(
        request,
        "prospect.html",
        _timeline_context(session, user, read, say=text, findings=lint(text)),
    )


@router.post("/console/prospects/import")
def import_prospects(
    request: Request,
    session: SessionDep,
    user: ReaderForm,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Import a CSV file (email,name,company,industry,region,language): each row on its own.

    A form sent with no file chosen (the browser's ``required`` bypassed, or a script's
    form) is the form again with the sentence beside **CSV file**.
    """
    chosen = file is not None and bool(file.filename or file.size)
    raw = file.file.read(MAX_CSV_BYTES + 1) if file is not None else b""
    import_error = None
    report = None
    if not chosen:
        import_error = "Choose a CSV file to import."
    elif len(raw) > MAX_CSV_BYTES:
        import_error = "The file is larger than 5 MB; split it and import each part."
    else:
        try:
            text = raw.decode("utf-8")
            if "\x00" in text:
                raise UnicodeDecodeError("utf-8", raw, 0, 1, "NUL in a text file")
            rows = importing.parse_csv(text)
            report = importing.import_rows(session, owner=user, rows=rows, actor=user)
        except UnicodeDecodeError:
            import_error = "The file is not UTF-8 text; save it as “CSV UTF-8” and try again."
        except HTTPException as refused:
            if refused.status_code not in (
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                status.HTTP_409_CONFLICT,
            ):
                raise
            import_error = _sentence_of(refused)
    context = _list_context(session, user, q="", page=1)
    context.update(report=report, import_error=import_error)
    return render(request, "prospects.html", context, status_code=200 if report else 422)


def _duplicate_in_words(
    session: SessionDep, user: User, owner_id: int | None, refused: HTTPException
) -> str:
    """The service's refusal, with "this owner" of a duplicate said as who it is."""
    said = _sentence_of(refused)
    if "already has a prospect with this email" not in said:
        return said
    owner = session.get(User, owner_id) if owner_id not in (None, user.id) else None
    if owner is None:
        return (
            "You already have a prospect with this email: search for it in the list "
            "above instead of adding it again."
        )
    return (
        f"{owner.name} already has a prospect with this email: it is in your team's list "
        "above; you do not need to add it again."
    )


def _sentence_of(refused: HTTPException) -> str:
    if isinstance(refused.detail, list):
        return " ".join(
            str(item.get("msg", "")) for item in refused.detail if isinstance(item, dict)
        )
    return str(refused.detail)


class LintRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=MAX_SAY)


@router.post("/console/api/lint")
async def lint_live(request: Request, user: ConsoleUser) -> JSONResponse:
    """The live lint of the prospect page: the session and its CSRF header, JSON out."""
    await check_csrf(request)
    try:
        body = LintRequest.model_validate_json(await request.body())
    except ValidationError:
        return JSONResponse(
            {"detail": 'Send JSON {"text": ...} of at most 20,000 characters.'}, status_code=422
        )
    findings = [finding.as_dict() for finding in lint(body.text)] if body.text.strip() else []
    return JSONResponse({"ok": not findings, "findings": findings})


def _refusal(consent: people.Consent) -> str | None:
    """The API's tracking_note when the person's browser refuses tracking, word for word,
    so the console and the API say one thing about it; None otherwise."""
    tracking, note = people.tracking_of(consent)
    return note if tracking == "refused" else None
