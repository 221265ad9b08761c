"""``candor prospects``: bulk import from the command line, with a progress bar.

An operator's tool on the server's own database (``CANDOR_DATABASE_URL``): it imports
for the owner it is told, as the API would for that owner, and prints the same report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from fastapi import HTTPException
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlmodel import Session, col, select

from service.cli_context import cli_actor, open_database
from service.config import get_settings
from service.models import User
from service.prospects.importing import ImportRow, import_rows, parse_csv, parse_json
from service.prospects.schemas import ImportReport
from service.prospects.service import OWNER_ROLES
from service.textfiles import UnreadableFile, read_text_file

__all__ = ["prospects"]

prospects = typer.Typer(help="Manage prospects.", no_args_is_help=True)


def _owner(session: Session, owner: str) -> User:
    """The user named by id (digits) or by exact name; they must be a rep or a manager."""
    if owner.isdigit():
        found = session.get(User, int(owner))
        matches = [found] if found is not None else []
    else:
        matches = list(session.exec(select(User).where(col(User.name) == owner)))
    if not matches:
        raise typer.BadParameter(f"no user is named or numbered {owner!r}", param_hint="--owner")
    if len(matches) > 1:
        ids = ", ".join(str(user.id) for user in matches)
        raise typer.BadParameter(
            f"{len(matches)} users are named {owner!r} (ids {ids}); give the id",
            param_hint="--owner",
        )
    user = matches[0]
    if not user.active:
        raise typer.BadParameter(f"{owner!r} is deactivated", param_hint="--owner")
    if user.role not in OWNER_ROLES:
        raise typer.BadParameter(
            f"{owner!r} is a {user.role}; prospects belong to reps and managers",
            param_hint="--owner",
        )
    return user


def _rows(path: Path, text: str, format_: str | None) -> list[ImportRow]:
    kind = format_ or ("json" if path.suffix.lower() == ".json" else None)
    if kind is None:
        kind = "json" if text.lstrip().startswith("[") else "csv"
    if kind == "json":
        try:
            value: Any = json.loads(text)
        except ValueError as error:
            raise _refused(f"{path} is not valid JSON ({error})") from None
        return parse_json(value)
    return parse_csv(text)


def _refused(message: str) -> typer.Exit:
    typer.echo(f"nothing imported: {message}", err=True)
    return typer.Exit(1)


def _message(error: HTTPException) -> str:
    detail = error.detail
    if isinstance(detail, list) and detail:
        where = ".".join(str(part) for part in detail[0]["loc"][1:]) or "file"
        return f"{where}: {detail[0]['msg']}"
    return str(detail)


def _printable(text: str) -> str:
    """A cell as sent, with control characters escaped: a file cannot drive the terminal."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def print_report(report: ImportReport, console: Console) -> None:
    """The report as lines a person reads: the counts, each refused row, each suppressed one."""
    console.print(
        f"{report.rows} rows for owner {report.owner_id}: {report.created} created, "
        f"{report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.refused)} refused",
        markup=False,
        highlight=False,
    )
    for row in report.refused:
        where = f"line {row.line} ({_printable(row.email)})" if row.email else f"line {row.line}"
        console.print(f"  {where}: {row.reason}", markup=False, highlight=False)
    if report.suppressed:
        console.print(
            f"{len(report.suppressed)} imported but not tracked (on the suppression list):",
            markup=False,
            highlight=False,
        )
    for suppressed in report.suppressed:
        console.print(
            f"  line {suppressed.line}: {suppressed.reason}", markup=False, highlight=False
        )


@prospects.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="A CSV file (header first) or a JSON array.")],
    owner: Annotated[str, typer.Option(help="The owner: a user id or an exact user name.")],
    format_: Annotated[
        str | None,
        typer.Option("--format", help="csv or json; by default the suffix or content says."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as the API's JSON.")
    ] = False,
    as_name: Annotated[
        str | None, typer.Option("--as", help="The user to audit this as (default: none).")
    ] = None,
) -> None:
    """Create or update the owner's prospects by email; refused rows say line and reason."""
    if format_ not in (None, "csv", "json"):
        raise typer.BadParameter("must be csv or json", param_hint="--format")
    try:
        text = read_text_file(file)
    except UnreadableFile as error:
        raise _refused(str(error)) from None
    engine = open_database(get_settings())
    console = Console(stderr=True)
    with Session(engine) as session:
        actor, _origin = cli_actor(session, as_name=as_name)
        user = _owner(session, owner)
        try:
            rows = _rows(file, text, format_)
        except HTTPException as error:
            raise _refused(_message(error)) from None
        with Progress(
            TextColumn("importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("import", total=len(rows) or None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total or 1)

            try:
                report = import_rows(session, owner=user, rows=rows, actor=actor, progress=advance)
            except HTTPException as error:
                raise _refused(_message(error)) from None
    engine.dispose()
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        print_report(report, Console(highlight=False))
