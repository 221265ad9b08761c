"""Bulk import of prospects from CSV or a JSON array, idempotent by email for one owner.

A request that is not what it claims (not UTF-8, not CSV with the right header, not a
JSON array) is a 422 naming the field and imports nothing. Within a well-formed
request each row stands alone: a row that fails validation is refused with its line
and the reason, and the others are imported. A second row with the same email as an
earlier one in the same request is refused ("duplicate of line N"), never merged: the
first one wins, so the report says exactly which row made the prospect.

An email the owner already has updates that prospect with the row's non-empty fields
(an empty CSV cell or a missing/null JSON key leaves a field as it was: a spreadsheet
cannot tell "unknown" from "clear"); a new email creates one. An address on the
suppression list is imported too (the rep needs the record), and the report lists its
row under ``suppressed``: nothing sent to that person is tracked. All writes go in one
transaction with one query for the owner's existing emails and executemany inserts and
updates, so ten thousand rows take one round trip per thousand, not one per row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from fastapi import HTTPException, status
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from pixel.tokens import new_ref
from service.compliance import audit
from service.errors import invalid, invalid_query
from service.models import Prospect, User, utcnow
from service.people import service as people
from service.prospects.schemas import ImportReport, ProspectFields, RefusedRow, SuppressedRow
from service.prospects.service import owner_for

__all__ = ["COLUMNS", "ImportRow", "import_for", "import_rows", "parse_csv", "parse_json"]

COLUMNS = ("email", "name", "company", "industry", "region", "language")
_FIELDS = COLUMNS[1:]
# Rows per executemany batch, and per progress report.
_BATCH = 1000
_HEADER = ",".join(COLUMNS)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportRow:
    """One row as sent: CSV line number (or 1-based JSON position) and its values."""

    line: int
    values: Any


def parse_csv(text: str) -> list[ImportRow]:
    """The data rows of a CSV document whose first line is its header.

    The header names columns of ``COLUMNS`` (any order, any case, ``email`` required);
    a missing or unknown column is a 422 naming ``body.header``, and broken quoting (an
    unclosed quote, text after a closing one) a 422 naming ``body``. Blank lines are
    skipped; a row with more cells than the header is kept so that it is refused with
    its line. Line numbers count physical lines, the header being line 1. A header with
    no row under it is a 422 naming ``body``: there is nothing to import.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise invalid((), f"The CSV is empty; its first line must be the header {_HEADER}.")
        names = [cell.strip().lower() for cell in header]
        unknown = [name for name in names if name not in COLUMNS]
        if unknown or "email" not in names or len(set(names)) != len(names):
            raise invalid(
                "header",
                f"The first line must be the header {_HEADER} (columns in any order); "
                f"it was {','.join(header)[:200]!r}.",
                ",".join(header)[:200],
            )
        rows: list[ImportRow] = []
        line = reader.line_num
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not cells or not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(names):
                rows.append(ImportRow(start, None))
                continue
            rows.append(ImportRow(start, dict(zip(names, cells, strict=False))))
    except csv.Error as error:
        raise invalid((), f"This is not valid CSV at line {reader.line_num}: {error}.") from None
    if not rows:
        raise invalid((), "The CSV has its header but no rows; add at least one prospect.")
    return rows


def parse_json(value: Any) -> list[ImportRow]:
    """The items of a JSON array of prospect objects, numbered from 1.

    Anything but an array, or an empty one, is a 422 naming ``body``; an item that is
    not an object is refused on its own, when the rows are imported.
    """
    if not isinstance(value, list):
        raise invalid((), "The body must be a JSON array of prospect objects.")
    if not value:
        raise invalid((), "The array is empty; it needs at least one prospect object.")
    return [ImportRow(index, item) for index, item in enumerate(value, start=1)]


def _validate(row: ImportRow) -> ProspectFields | RefusedRow:
    values = row.values
    if values is None:
        return RefusedRow(
            line=row.line,
            field=None,
            reason=f"This row has more cells than the header ({len(COLUMNS)} at most).",
            email=None,
        )
    if not isinstance(values, Mapping):
        return RefusedRow(
            line=row.line, field=None, reason="Each item must be a JSON object.", email=None
        )
    sent_email = values.get("email")
    email = sent_email if isinstance(sent_email, str) else None
    if "owner_id" in values:
        return RefusedRow(
            line=row.line,
            field="owner_id",
            reason="The owner is chosen for the whole import (?owner_id=), not per row.",
            email=email,
        )
    if sent_email is None or (isinstance(sent_email, str) and not sent_email.strip()):
        # A blank cell (or a missing key, or null) is no address at all, not a bad one.
        return RefusedRow(line=row.line, field="email", reason="email is required", email=None)
    try:
        return ProspectFields.model_validate(dict(values))
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or None
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "missing":
            return RefusedRow(
                line=row.line, field=field, reason=f"{field} is required", email=email
            )
        if first["type"] == "extra_forbidden":
            message = f"is not a column; the columns are {', '.join(COLUMNS)}"
        return RefusedRow(line=row.line, field=field, reason=f"{field}: {message}", email=email)


def import_rows(
    session: Session,
    *,
    owner: User,
    rows: Sequence[ImportRow],
    actor: User | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Create or update ``owner``'s prospects from ``rows``; commits once, at the end.

    Who may import for whom is the caller's to check (``service.owner_for`` for the
    API; the CLI is an operator's tool). ``progress(done, total)`` is called after each
    batch of rows written. The import is audited (``prospects.imported``) with its
    counts, as ``actor`` (None for the CLI). Two imports racing for one owner may
    collide on the same new email: the later one is a 409 that changed nothing.
    """
    assert owner.id is not None
    refused: list[RefusedRow] = []
    first_line: dict[str, int] = {}
    valid: list[tuple[int, ProspectFields]] = []
    for row in rows:
        checked = _validate(row)
        if isinstance(checked, RefusedRow):
            refused.append(checked)
            continue
        if checked.email in first_line:
            refused.append(
                RefusedRow(
                    line=row.line,
                    field="email",
                    reason=f"email: duplicate of line {first_line[checked.email]}, "
                    "which is the one imported.",
                    email=checked.email,
                )
            )
            continue
        first_line[checked.email] = row.line
        valid.append((row.line, checked))

    # Every row's person, made where new, and which of them are suppressed: such rows are
    # imported all the same, and the report lists them.
    person_ids = people.people_for(session, [fields.email for _line, fields in valid])
    consent = people.consents(session, person_ids.values())
    suppressed = [
        SuppressedRow(line=line, email=fields.email, reason=why)
        for line, fields in valid
        if (why := people.why_untracked(consent[person_ids[fields.email]].suppressed))
    ]

    table = Prospect.__table__  # type: ignore[attr-defined]
    connection = session.connection()
    existing = {
        email: (prospect_id, dict(zip(_FIELDS, values, strict=True)))
        for prospect_id, email, *values in connection.execute(
            sa.select(
                col(Prospect.id),
                col(Prospect.email),
                *(col(getattr(Prospect, name)) for name in _FIELDS),
            ).where(col(Prospect.owner_id) == owner.id)
        )
    }
    now = utcnow()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    unchanged = 0
    for _line, fields in valid:
        sent = {name: getattr(fields, name) for name in _FIELDS}
        known = existing.get(fields.email)
        if known is None:
            inserts.append(
                {
                    "ref": new_ref(),
                    "owner_id": owner.id,
                    "person_id": person_ids[fields.email],
                    "email": fields.email,
                    "created_at": now,
                    **sent,
                }
            )
            continue
        prospect_id, current = known
        merged = {name: sent[name] if sent[name] is not None else current[name] for name in _FIELDS}
        if merged == current:
            unchanged += 1
        else:
            updates.append({"b_id": prospect_id, **{f"b_{name}": merged[name] for name in _FIELDS}})

    total = len(inserts) + len(updates)
    done = 0
    update_statement = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("b_id"))
        .values({name: sa.bindparam(f"b_{name}") for name in _FIELDS})
    )
    try:
        for start in range(0, len(inserts), _BATCH):
            batch = inserts[start : start + _BATCH]
            connection.execute(sa.insert(table), batch)
            done += len(batch)
            if progress:
                progress(done, total)
        for start in range(0, len(updates), _BATCH):
            batch = updates[start : start + _BATCH]
            connection.execute(update_statement, batch)
            done += len(batch)
            if progress:
                progress(done, total)
        report = ImportReport(
            owner_id=owner.id,
            rows=len(rows),
            created=len(inserts),
            updated=len(updates),
            unchanged=unchanged,
            refused=refused,
            suppressed=suppressed,
        )
        audit.record(
            session,
            actor=actor,
            action="prospects.imported",
            detail={
                "owner_id": owner.id,
                "rows": report.rows,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "refused": len(refused),
                "suppressed": len(suppressed),
            },
        )
        session.commit()
    except IntegrityError:
        session.rollback()
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail="Another import for this owner added some of these emails meanwhile; "
            "nothing was imported: send it again.",
        ) from None
    if progress and total == 0:
        progress(0, 0)
    return report


def import_for(
    session: Session,
    *,
    user: User,
    owner_id: int | None,
    rows: Sequence[ImportRow],
    progress: Progress | None = None,
) -> ImportReport:
    """Import ``rows`` as ``user`` for ``owner_id`` (default: themselves); commits.

    The owner follows the rule of a single create: the caller, or for a manager one of
    their reps. Anyone else, an unknown id included, is a 422 naming the ``owner_id``
    query parameter, and nothing is imported.
    """
    try:
        chosen = owner_for(session, user=user, owner_id=owner_id)
    except HTTPException as error:
        raise invalid_query(
            "owner_id", "owner_id must be you or, for a manager, one of your reps.", owner_id
        ) from error
    owner = user if chosen == user.id else session.get(User, chosen)
    assert owner is not None
    return import_rows(session, owner=owner, rows=rows, actor=user, progress=progress)
