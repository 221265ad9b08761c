"""The policies pages: documents and versions, the editor, preview, and activation.

Every read and write goes through ``service.compliance.policy_service``, the functions
the API calls, so the console validates, versions, audits and activates exactly as
``/api/policies`` does. Activation is a decision of its own: a page that shows what the
version would reveal, withdraw, or show more or less precisely across all prospects,
what changed in the document, and one button.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, Response

from policies import DelayChange, Policy, delay_changes, load_policy, policy_to_yaml
from service.compliance import policy_service
from service.compliance.policy_store import get_active_policy
from service.compliance.schemas import Impact, PolicyVersionOut, Precision, Preview
from service.console.deps import ComplianceForm, ComplianceUser
from service.console.policy_errors import DocumentError, document_errors, line_of
from service.console.templating import render, see_other
from service.console.wording import Evidence, evidence_of, sentence
from service.db import SessionDep
from service.errors import not_found
from service.ids import MAX_ID
from service.models import User
from service.prospects import service as prospects
from service.runtime import RuntimeDep

router = APIRouter(prefix="/console/policies", include_in_schema=False)

Officer = ComplianceUser
OfficerForm = ComplianceForm

PREVIEW_ROLES = ("rep", "manager", "compliance", "admin")
IMPACT_ROLES = ["rep", "manager"]
PROSPECT_CHOICES = 500
FOUND_CHOICES = 50  # prospects a search lists; more matches ask for a narrower search
MAX_FIND = 200  # as GET /api/prospects?q=
# A policy name is a slug (lower-case letters, digits, '-' and '_', not first): no
# policy can be called "_new", so the editor of a new one never hides a policy's page.
NEW = "/_new"
DOCUMENT_PROBLEMS = "The policy document has a problem: see each line listed."


@dataclass
class Editor:
    """The editor form as typed, and what checking it found."""

    document: str = ""
    prospect: str = ""
    role: str = "rep"
    find: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    document_errors: list[DocumentError] = field(default_factory=list)


def _yaml(version: PolicyVersionOut) -> str:
    return policy_to_yaml(load_policy(version.document))


def _versions(session: SessionDep) -> list[tuple[Any, list[PolicyVersionOut]]]:
    return [
        (summary, policy_service.list_versions(session, name=summary.name))
        for summary in policy_service.list_policies(session)
    ]


@router.get("", response_class=HTMLResponse)
def list_policies(request: Request, session: SessionDep, user: Officer) -> Response:
    """Every policy document, its versions, and which one is in force."""
    active = get_active_policy(session)
    return render(
        request,
        "policies_list.html",
        {"user": user, "policies": _versions(session), "active": active},
    )


def _version_or_404(
    session: SessionDep, name: str, version: str | None, *, in_query: bool = False
) -> PolicyVersionOut:
    """A version named in a URL; a number no stored version has is a 404 page.

    Something that is not a number at all is a 404 in the path, like any
    malformed id there, and a 400 page naming ``version`` in the query (``?version=abc``),
    like any query parameter the page cannot read.
    """
    number = None
    if version is not None:
        digits = version.isascii() and version.isdigit()
        if digits and not (len(version) <= 19 and 1 <= int(version) <= MAX_ID):
            raise not_found("policy version")
        if not digits:
            if not in_query:
                raise not_found("policy version")
            shown = version[:20] + ("…" if len(version) > 20 else "")
            raise HTTPException(
                status.HTTP_400_BAD_REQUEST,
                detail=f"The query parameter “version” must be a version number, like 2; "
                f"“{shown}” is not one, so nothing was shown.",
            )
        number = int(version)
    return policy_service.get_version(session, name=name, version=number)


@router.get(NEW, response_class=HTMLResponse)
def new_policy(request: Request, session: SessionDep, user: Officer) -> Response:
    """The editor for a new policy, starting from the active document."""
    active = get_active_policy(session)
    editor = Editor(document=policy_to_yaml(active.policy))
    return _editor_page(request, session, user, editor, policy_name=None)


@router.get("/{name}", response_class=HTMLResponse)
def read_policy(
    request: Request, name: str, session: SessionDep, user: Officer, version: str | None = None
) -> Response:
    """One policy: its versions, and the text of one of them (the latest by default)."""
    versions = policy_service.list_versions(session, name=name)
    shown = _version_or_404(session, name, version, in_query=True)
    return render(
        request,
        "policies_read.html",
        {"user": user, "name": name, "versions": versions, "shown": shown, "text": _yaml(shown)},
    )


@router.get("/{name}/edit", response_class=HTMLResponse)
def edit_policy(
    request: Request, name: str, session: SessionDep, user: Officer, version: str | None = None
) -> Response:
    """The editor, holding a version's text; saving stores a new version."""
    shown = _version_or_404(session, name, version, in_query=True)
    editor = Editor(document=_yaml(shown))
    return _editor_page(request, session, user, editor, policy_name=name)


# The rep's badge for a sent email says "sent by you"; the officer is not the sender.
SENT_BY_REP = Evidence("sent by their rep", "badge-sent", None)


def _worded(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Facts as the rep's timeline words them, with their evidence badge."""
    return [
        {
            "text": sentence(fact),
            "evidence": SENT_BY_REP if fact.get("kind") == "email_sent" else evidence_of(fact),
        }
        for fact in facts
    ]


KIND_NAMES = {
    "email_opened": "email opens",
    "link_clicked": "link clicks",
    "page_visited": "page visits",
}


def _hours(value: float) -> str:
    return "no delay" if value == 0 else f"{value:g} hour{'' if value == 1 else 's'}"


def _aspects(change: Precision, aspects: list[str]) -> str:
    """The aspects that changed, with today's value and the draft's: "detail count → full"."""
    words = []
    for aspect in aspects:
        was, now = change.current[aspect], change.draft[aspect]
        if aspect == "delay":
            words.append(f"delay {_hours(float(was))} → {_hours(float(now))}")
        else:
            words.append(f"{aspect} {was} → {now}")
    return ", ".join(words)


def _preview_view(preview: Preview | None) -> dict[str, Any] | None:
    """The preview as the page words it: what the draft reveals or withdraws (a kind of
    fact gained or lost), and what it shows more or less precisely (a kind kept whose
    detail, time or delay changes), so a tightening never reads as a reveal."""
    if preview is None:
        return None
    today = {fact["kind"] for fact in preview.current.facts}
    drafted = {fact["kind"] for fact in preview.draft.facts}
    changed = {change.kind for change in preview.precision}

    def of_kind(facts: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
        return _worded([fact for fact in facts if fact["kind"] == kind])

    def precise(side: str) -> list[dict[str, Any]]:
        return [
            {
                "kind": KIND_NAMES.get(change.kind, change.kind).capitalize(),
                "aspects": _aspects(change, list(getattr(change, side))),
                "facts": of_kind(preview.draft.facts, change.kind),
            }
            for change in preview.precision
            if getattr(change, side)
        ]

    both = today & drafted
    return {
        "prospect": preview.prospect,
        "role": preview.role,
        "current": {**preview.current.model_dump(), "facts": _worded(preview.current.facts)},
        "draft": {**preview.draft.model_dump(), "facts": _worded(preview.draft.facts)},
        "revealed": _worded([f for f in preview.revealed if f["kind"] not in today]),
        "withdrawn": _worded([f for f in preview.withdrawn if f["kind"] not in drafted]),
        "more": precise("more"),
        "less": precise("less"),
        # Kinds kept at the same detail, time and delay whose facts still differ (another
        # evidence bar, other topics): neither more nor less precise, but not the same.
        "other_now": _worded(
            [f for f in preview.revealed if f["kind"] in both and f["kind"] not in changed]
        ),
        "other_gone": _worded(
            [f for f in preview.withdrawn if f["kind"] in both and f["kind"] not in changed]
        ),
    }


def _editor_page(
    request: Request,
    session: SessionDep,
    user: User,
    editor: Editor,
    *,
    policy_name: str | None,
    preview: Preview | None = None,
    impact: Impact | None = None,
    status_code: int = status.HTTP_200_OK,
) -> Response:
    found = _found(session, user, editor)
    if found is not None:
        choices, many = [row.prospect for row in found.rows], False
        if len(choices) == 1 and not editor.prospect.strip():
            editor.prospect = str(choices[0].id)
    else:
        choices = prospects.list_prospects(session, user=user, limit=PROSPECT_CHOICES + 1, offset=0)
        # Beyond a list a person can scroll, the prospect is given by its number instead.
        many = len(choices) > PROSPECT_CHOICES
    if "find" in editor.errors:
        status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    return render(
        request,
        "policies_edit.html",
        {
            "user": user,
            "editor": editor,
            "policy_name": policy_name,
            "prospects": [] if many else choices,
            "prospect_by_number": many,
            "found": found,
            "roles": PREVIEW_ROLES,
            "preview": _preview_view(preview),
            "impact": impact,
            "lines": editor.document.splitlines(),
            "error_lines": {e.line for e in editor.document_errors if e.line},
        },
        status_code=status_code,
    )


def _found(session: SessionDep, user: User, editor: Editor) -> prospects.ProspectPage | None:
    """The prospects whose name, email or company holds the search, as GET /api/prospects?q=
    finds them (``prospects.list_page``, by name); None without a search."""
    needle = editor.find.strip()
    if not needle:
        return None
    if len(needle) > MAX_FIND:
        editor.errors["find"] = (
            f"The search is at most {MAX_FIND} characters; you typed {len(needle):,}."
        )
        return None
    return prospects.list_page(session, user=user, q=needle, limit=FOUND_CHOICES, order="name")


def _check_document(editor: Editor) -> Policy | None:
    """Validate the text as the API would, recording errors against their lines."""
    if not editor.document.strip():
        editor.errors["document"] = "Enter the policy document (YAML)."
        return None
    try:
        return policy_service.parse_document(editor.document)
    except HTTPException as error:
        if error.status_code != status.HTTP_422_UNPROCESSABLE_CONTENT:
            raise
        editor.document_errors = document_errors(editor.document, error.detail)
        editor.errors["document"] = DOCUMENT_PROBLEMS
        return None


def _prospect_id(editor: Editor) -> int | None:
    text = editor.prospect.strip()
    if not text:
        editor.errors["prospect"] = "Choose the prospect to preview."
        return None
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_ID:
        editor.errors["prospect"] = "That is not a prospect: choose one from the list."
        return None
    return int(text)


def _handle_editor(
    request: Request,
    session: SessionDep,
    user: User,
    editor: Editor,
    *,
    action: str,
    policy_name: str | None,
) -> Response:
    if editor.role not in PREVIEW_ROLES:
        editor.errors["role"] = "Choose a role from the list."
        editor.role = "rep"
    if action == "preview":
        return _preview(request, session, user, editor, policy_name=policy_name)
    if action == "find":
        # Nothing is checked or stored: the draft comes back as typed, with the matches.
        return _editor_page(request, session, user, editor, policy_name=policy_name)
    if action != "save":
        editor.errors["action"] = "Choose Preview or Save."
    policy = _check_document(editor)
    if editor.errors or policy is None:
        return _editor_page(
            request,
            session,
            user,
            editor,
            policy_name=policy_name,
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    try:
        if policy_name is None:
            saved = policy_service.create(
                session, user=user, name=policy.name, document=editor.document
            )
        else:
            saved = policy_service.update(
                session, user=user, name=policy_name, document=editor.document
            )
    except HTTPException as error:
        if error.status_code == status.HTTP_409_CONFLICT:
            editor.document_errors = [
                DocumentError(
                    message=f"name: a policy called {policy.name!r} exists; give this one "
                    "another name, or edit that policy to add a version",
                    line=line_of(editor.document, ["name"]),
                )
            ]
            editor.errors["document"] = DOCUMENT_PROBLEMS
        elif error.status_code == status.HTTP_422_UNPROCESSABLE_CONTENT:
            editor.document_errors = document_errors(editor.document, error.detail)
            editor.errors["document"] = DOCUMENT_PROBLEMS
        else:
            raise
        return _editor_page(
            request,
            session,
            user,
            editor,
            policy_name=policy_name,
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    return see_other(
        request,
        f"/console/policies/{saved.name}?version={saved.version}",
        flash=f"Saved version {saved.version} of {saved.name}. "
        "It is not active until you activate it.",
    )


def _preview(
    request: Request, session: SessionDep, user: User, editor: Editor, *, policy_name: str | None
) -> Response:
    prospect_id = _prospect_id(editor)
    _check_document(editor)
    preview = impact = None
    if not editor.errors:
        assert prospect_id is not None
        try:
            preview = policy_service.preview(
                session,
                user=user,
                document=editor.document,
                prospect_id=prospect_id,
                role=editor.role,
            )
        except HTTPException as error:
            if error.status_code != status.HTTP_404_NOT_FOUND:
                raise
            editor.errors["prospect"] = "That prospect no longer exists; choose another."
        else:
            impact = policy_service.impact(
                session, user=user, document=editor.document, roles=IMPACT_ROLES
            )
    return _editor_page(
        request,
        session,
        user,
        editor,
        policy_name=policy_name,
        preview=preview,
        impact=impact,
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT if editor.errors else status.HTTP_200_OK,
    )


@router.post(NEW, response_class=HTMLResponse)
def save_new_policy(
    request: Request,
    session: SessionDep,
    user: OfficerForm,
    document: Annotated[str, Form()] = "",
    prospect: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "rep",
    action: Annotated[str, Form()] = "",
    find: Annotated[str, Form()] = "",
) -> Response:
    """Preview the draft, or store it as version 1 of a new policy."""
    editor = Editor(document=document, prospect=prospect, role=role, find=find)
    return _handle_editor(request, session, user, editor, action=action, policy_name=None)


@router.post("/{name}/edit", response_class=HTMLResponse)
def save_policy_version(
    request: Request,
    name: str,
    session: SessionDep,
    user: OfficerForm,
    document: Annotated[str, Form()] = "",
    prospect: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "rep",
    action: Annotated[str, Form()] = "",
    find: Annotated[str, Form()] = "",
) -> Response:
    """Preview the draft, or store it as the next version of this policy."""
    policy_service.list_versions(session, name=name)  # 404 for an unknown policy
    editor = Editor(document=document, prospect=prospect, role=role, find=find)
    return _handle_editor(request, session, user, editor, action=action, policy_name=name)


def _active_label(session: SessionDep) -> str:
    active = get_active_policy(session)
    return f"{active.name} version {active.version}"


def _prospects(count: int) -> str:
    return f"{count} prospect" if count == 1 else f"{count} prospects"


def _reveals_more(impact: Impact) -> list[str]:
    """Per role, the kinds the version would reveal, or show more precisely or sooner,
    and for how many prospects: empty when it reveals nothing more."""
    parts = []
    for role, summary in impact.roles.items():
        shown = []
        for kind, counts in summary.kinds.items():
            name = KIND_NAMES.get(kind, kind)
            if counts.revealed:
                shown.append(f"{name} revealed for {_prospects(counts.revealed)}")
            if counts.more_precise_or_sooner:
                shown.append(
                    f"{name} shown more precisely or sooner for "
                    f"{_prospects(counts.more_precise_or_sooner)}"
                )
        if shown:
            parts.append(f"for a {role}, {', '.join(shown)}")
    return parts


@dataclass(frozen=True)
class DiffLine:
    """One line of the unified diff, with how it changed: add, remove, hunk or context."""

    text: str
    change: str


def _document_diff(active: str, candidate: str, *, before: str, after: str) -> list[DiffLine]:
    """The unified diff of the active version's YAML against the candidate's."""
    lines = difflib.unified_diff(
        active.splitlines(), candidate.splitlines(), fromfile=before, tofile=after, lineterm=""
    )
    marks = {"+++": "file", "---": "file", "@@": "hunk", "+": "add", "-": "remove"}
    return [
        DiffLine(line, next((m for p, m in marks.items() if line.startswith(p)), "context"))
        for line in lines
    ]


@router.get("/{name}/versions/{version}/activate", response_class=HTMLResponse)
def confirm_activation(
    request: Request, name: str, version: str, session: SessionDep, user: Officer
) -> Response:
    """The one decision: what this version would reveal or withdraw, and a button."""
    chosen = _version_or_404(session, name, version)
    impact = None
    diff: list[DiffLine] = []
    delays: list[DelayChange] = []
    if not chosen.active:
        impact = policy_service.impact(
            session, user=user, document=chosen.document, roles=IMPACT_ROLES
        )
        active = get_active_policy(session)
        candidate = load_policy(chosen.document)
        diff = _document_diff(
            policy_to_yaml(active.policy),
            policy_to_yaml(candidate),
            before=f"{active.name} version {active.version} (active)",
            after=f"{chosen.name} version {chosen.version}",
        )
        delays = delay_changes(active.policy, candidate)
    return render(
        request,
        "policies_activate.html",
        {
            "user": user,
            "chosen": chosen,
            "impact": impact,
            "current": _active_label(session),
            "reveals_more": _reveals_more(impact) if impact else [],
            "diff": diff,
            "delays": delays,
            "hours": _hours,
        },
    )


@router.post("/{name}/versions/{version}/activate")
def activate_policy(
    request: Request,
    name: str,
    version: str,
    session: SessionDep,
    runtime: RuntimeDep,
    user: OfficerForm,
    replaces: Annotated[str, Form()] = "",
) -> Response:
    """Activate the version confirmed on the page before, unless the active one moved."""
    chosen = _version_or_404(session, name, version)
    if chosen.active:
        return see_other(
            request,
            "/console/policies",
            flash=f"{chosen.name} version {chosen.version} is already the active policy.",
        )
    if replaces != _active_label(session):
        # The summary the officer confirmed compared against another policy than the one
        # in force now: they must see the summary again before deciding.
        return see_other(
            request,
            f"/console/policies/{chosen.name}/versions/{chosen.version}/activate",
            flash="The active policy changed since that summary was drawn: nothing was "
            "activated. Check the new summary.",
            kind="error",
        )
    policy_service.activate(session, user=user, name=chosen.name, version=chosen.version)
    runtime.policies.invalidate()
    return see_other(
        request,
        "/console/policies",
        flash=f"{chosen.name} version {chosen.version} is now the active policy.",
    )
