"""The ``candor`` command: serve, migrate, demo, lint, users, prospects, policy, retention."""

from __future__ import annotations

import os
import secrets
import socket
import sys
from pathlib import Path
from typing import Annotated

import sqlalchemy as sa
import typer
import uvicorn
from sqlalchemy.engine import make_url
from sqlmodel import Session

from policies import PolicyError, load_policy
from service.auth import service as auth_service
from service.auth.cli import users
from service.cli_context import cli_actor, open_database, unreachable
from service.compliance import audit
from service.config import (
    CONTROLLER_SETTINGS,
    DEFAULT_DATABASE_URL,
    ConfigError,
    Settings,
    get_settings,
    missing_controller_settings,
    weak_keys,
)
from service.db import create_db_engine
from service.logs import log_config
from service.prospects.cli import prospects
from service.runtime import build_runtime, prepare_database
from service.startup import defer_preparation
from service.textfiles import UnreadableFile, read_text_file

app = typer.Typer(
    help="Candor: engagement tracking with a disclosure policy.", no_args_is_help=True
)
policy = typer.Typer(help="Validate and apply policy documents.", no_args_is_help=True)
retention = typer.Typer(help="Data retention.", no_args_is_help=True)
app.add_typer(users, name="users")
app.add_typer(policy, name="policy")
app.add_typer(retention, name="retention")
app.add_typer(prospects, name="prospects")

_GRACEFUL_SHUTDOWN_SECONDS = 10
# The controller `candor demo` names when none is configured.
DEMO_CONTROLLER = {
    "company_name": "Example Corp (Candor demo)",
    "contact_email": "privacy@example.com",
    "privacy_url": "https://example.com/privacy",
}
# uvicorn's httptools protocol with a bounded head (service.request_head), answering the
# pixel and tracked links itself (service.tracking.protocol).
_PROTOCOL = "service.tracking.protocol:CollectorProtocol"


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    collector_only: Annotated[
        bool, typer.Option(help="Serve only the public collector routes.")
    ] = False,
) -> None:
    """Migrate the database, then serve the API and collector (or the collector alone).

    If the database cannot be reached, serve anyway: the collector spools and redirects
    known links, and the database is prepared once it answers (service.startup).
    """
    followed = "public_url" not in get_settings().model_fields_set
    settings = _public_url_follows(get_settings(), host=host, port=port)
    try:
        prepare_database(settings)
    except (sa.exc.OperationalError, sa.exc.InterfaceError) as error:
        typer.echo(
            f"database unreachable ({type(error.orig).__name__}): serving the collector from "
            "the spool and the link snapshot; the database is prepared once it answers",
            err=True,
        )
        defer_preparation()
    else:
        _hint_without_an_admin(settings)
    typer.echo(f"Candor writes {settings.public_url} into tracked emails", err=True)
    default_url = Settings.model_fields["public_url"].default
    if followed and settings.public_url != default_url:
        # Another terminal's `candor users invite` cannot know this server's --port.
        typer.echo(
            "The links other candor commands print (users invite, users reset-password) "
            f"use CANDOR_PUBLIC_URL, {default_url} when it is unset: in their terminal, `export CANDOR_PUBLIC_URL={settings.public_url}` "
            "first.",
            err=True,
        )
    _warn_of_missing_controller(settings)
    for sentence in weak_keys(settings):
        typer.echo(f"warning: {sentence}", err=True)
    factory = "service.app:create_collector_app" if collector_only else "service.app:create_app"
    uvicorn.run(
        factory,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # The app reads X-Forwarded-For itself (CandorApp), with the same trusted list.
        proxy_headers=False,
        log_level=settings.log_level,
        # The protocol (service.request_head) keeps the collector routes' access lines as
        # CANDOR_ACCESS_LOG says before uvicorn builds them; the logger keeps what it gets.
        log_config=log_config(settings.log_level, access_log="all"),
        server_header=False,
        # The request head is bounded in size and time (service.request_head); pixels and
        # links are answered without an ASGI cycle (service.tracking.protocol).
        http=_PROTOCOL,
        # SIGTERM: requests in flight get this long, then the writer flushes and it exits.
        timeout_graceful_shutdown=_GRACEFUL_SHUTDOWN_SECONDS,
    )


def _public_url_follows(settings: Settings, *, host: str, port: int) -> Settings:
    """Without CANDOR_PUBLIC_URL, emails point at the address this server listens on.

    Workers are separate processes that read the environment, so it is set there too.
    """
    if "public_url" in settings.model_fields_set:
        return settings
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    url = f"http://{shown}:{port}"
    os.environ["CANDOR_PUBLIC_URL"] = url
    get_settings.cache_clear()
    return get_settings()


def _warn_of_missing_controller(settings: Settings) -> None:
    """Once per `candor serve` (not per worker): each unset setting naming the controller.

    Candor still serves: the footer and the transparency page then leave that part out,
    which is what privacy law asks an operator not to do.
    """
    for name in missing_controller_settings(settings):
        typer.echo(
            f"warning: {name} is not set: it names {CONTROLLER_SETTINGS[name]}; "
            "emails and transparency pages go out without it",
            err=True,
        )


def _hint_without_an_admin(settings: Settings) -> None:
    """A fresh install nobody can sign in to says how to make its first admin."""
    engine = create_db_engine(settings.database_url)
    try:
        with Session(engine) as session:
            admins = [u for u in auth_service.list_users(session) if u.role == "admin" and u.active]
    finally:
        engine.dispose()
    if not admins:
        typer.echo(f"No admin yet. {_where_the_cli_works(settings)}", err=True)


def _where_the_cli_works(settings: Settings) -> str:
    """How to make the first admin from another terminal, on this server's database.

    The command reads CANDOR_DATABASE_URL as the server does: run without it, it would
    make the admin in ./candor.db, which this server does not read. The URL is shown with
    its password hidden.
    """
    commands = (
        "`.venv/bin/candor users invite NAME --role admin` prints a sign-in link, "
        "or `.venv/bin/candor users create NAME --role admin` an API key"
    )
    if settings.database_url == DEFAULT_DATABASE_URL:
        return f"In another terminal: {commands}."
    url = make_url(settings.database_url)
    shown = url.render_as_string(hide_password=True)
    password = " (with its password where *** is)" if url.password else ""
    return (
        f"In another terminal, set CANDOR_DATABASE_URL as this server has it{password}: "
        f"`export CANDOR_DATABASE_URL='{shown}'`; then {commands}."
    )


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


@app.command()
def migrate() -> None:
    """Create or upgrade the schema and activate the configured policy on a fresh install."""
    settings = get_settings()
    engine = create_db_engine(settings.database_url)
    try:
        prepare_database(settings, engine)
    except (sa.exc.OperationalError, sa.exc.InterfaceError) as error:
        typer.echo(f"candor: {unreachable(settings.database_url, error)}", err=True)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()  # on PostgreSQL, the pool's connections close here, not at exit
    typer.echo("database ready")


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    database: Annotated[
        str, typer.Option(help="The demo's own SQLite file (recreated).")
    ] = "candor-demo.db",
) -> None:
    """Serve a fresh demo workspace (its own SQLite file): sign-in link, password, keys."""

    from service.demo import seed

    if not _port_is_free("127.0.0.1", port):
        typer.echo(
            f"candor demo: port {port} is already in use (another Candor?). Stop it, "
            f"or pick a free port: candor demo --port {port + 1}",
            err=True,
        )
        raise typer.Exit(2)
    for suffix in ("", "-wal", "-shm", ".keys"):
        Path(database + suffix).unlink(missing_ok=True)
    configured = get_settings()
    # The demo names a made-up controller, so its footers and pages show where the
    # company's name, contact and privacy notice go (settings given win).
    controller = {
        field: getattr(configured, field) or value for field, value in DEMO_CONTROLLER.items()
    }
    settings = configured.model_copy(
        update={
            "database_url": f"sqlite:///{database}",
            "public_url": f"http://127.0.0.1:{port}",
            "console_url": f"http://127.0.0.1:{port}",
            **controller,
        }
    )
    engine = create_db_engine(settings.database_url)
    prepare_database(settings, engine)
    with Session(engine) as session:
        keys = seed(
            session,
            runtime=build_runtime(settings, engine),
            admin_key=settings.admin_key or f"cnd_{secrets.token_urlsafe(24)}",
            password=secrets.token_urlsafe(12),
        )
    engine.dispose()
    names = keys.names
    typer.echo(
        f"Candor demo: open {settings.public_url}/login?name={names['rep']} and sign in\n"
        f"with the password {keys.password} (the same for every demo person, this run only):\n"
        f"  {names['rep']} (rep), {names['manager']} (manager), "
        f"{names['compliance']} (compliance), {names['admin']} (admin).\n"
        f"API at {settings.public_url}/docs, with these keys:\n"
        f"  admin       {keys.admin}\n  manager     {keys.manager}\n"
        f"  rep         {keys.rep}\n  compliance  {keys.compliance}\n"
        f"Try: curl -s {settings.public_url}/api/prospects/{keys.prospect_ids['anna']}/timeline "
        f"-H 'Authorization: Bearer {keys.rep}'"
    )
    os.environ["CANDOR_DATABASE_URL"] = settings.database_url
    os.environ["CANDOR_PUBLIC_URL"] = settings.public_url
    for field, value in controller.items():
        os.environ[f"CANDOR_{field.upper()}"] = value
    get_settings.cache_clear()
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        proxy_headers=False,  # the app reads X-Forwarded-For itself
        http=_PROTOCOL,
    )


@app.command("lint")
def lint_opener(
    text: Annotated[
        str | None, typer.Argument(help="The opener to check; - reads standard input.")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the text from this file.")
    ] = None,
) -> None:
    """Check an opener before you send or say it; exits 1 when something is flagged
    (2 when there is nothing to check)."""
    from policies.coach import lint

    if file is not None and text is not None:
        raise typer.BadParameter("give the text or --file, not both", param_hint="TEXT")
    if file is not None:
        try:
            text = read_text_file(file)
        except UnreadableFile as error:
            raise typer.BadParameter(f"cannot read it: {error}", param_hint="--file") from None
    elif text is None or text == "-":
        text = sys.stdin.read()
    if not text.strip():
        typer.echo("nothing to check: the text is empty", err=True)
        raise typer.Exit(2)
    findings = lint(text)
    if not findings:
        typer.echo("ok: no trap question or surveillance reveal found")
        return
    for finding in findings:
        typer.echo(f"{finding.kind} [{finding.start}:{finding.end}] {finding.excerpt!r}")
        typer.echo(f"  why: {finding.why}")
        typer.echo(f"  try: {finding.suggestion}")
    raise typer.Exit(1)


@policy.command("validate")
def validate_policy(path: Path) -> None:
    """Check a policy document and print its errors (exit 1 if any)."""
    text = _policy_text(path)
    try:
        document = load_policy(text)
    except PolicyError as error:
        typer.echo(f"{path}: invalid", err=True)
        for line in _error_lines(error, text):
            typer.echo(f"  {line}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{path}: valid policy {document.name!r} with {len(document.rules)} rules")


@policy.command("apply")
def apply_policy(
    path: Path,
    activate: Annotated[bool, typer.Option(help="Also make the new version active.")] = True,
    as_name: Annotated[
        str | None, typer.Option("--as", help="The user to audit this as (default: the OS user).")
    ] = None,
) -> None:
    """Store a policy file as a new version (and activate it): policies kept in git.

    A file identical to the policy's latest version stores nothing (running the same
    deploy twice must not grow the history); it is still activated if asked and not active.
    """
    from service.compliance import policy_service
    from service.compliance.policy_store import latest_version, store_version

    text = _policy_text(path)
    try:
        document = load_policy(text)
    except PolicyError as error:
        for line in _error_lines(error, text):
            typer.echo(line, err=True)
        raise typer.Exit(1) from None
    engine = open_database(get_settings())
    with Session(engine) as session:
        actor, origin = cli_actor(session, as_name=as_name)
        same = latest_version(session, policy=document)
        if same is not None:
            name, version = same.name, same.version
            current = policy_service.get_version(session, name=name, version=version)
            if activate and not current.active:
                policy_service.activate(
                    session, user=actor, name=name, version=version, origin=origin
                )
                typer.echo(
                    f"unchanged: {name} version {version} already holds this policy; activated it"
                )
            else:
                state = "and is active" if current.active else "(not active)"
                typer.echo(
                    f"unchanged: {name} version {version} already holds this policy {state}; "
                    "nothing stored"
                )
            return
        row = store_version(session, policy=document, created_by=actor.id if actor else None)
        audit.record(
            session,
            actor=actor,
            action="policy.version",
            policy_name=row.name,
            policy_version=row.version,
            detail={"source": str(path), **origin},
        )
        name, version = row.name, row.version
        session.commit()
        if activate:
            policy_service.activate(session, user=actor, name=name, version=version, origin=origin)
    typer.echo(f"stored {name} version {version}{' and activated it' if activate else ''}")


@retention.command("run")
def run_retention_now() -> None:
    """Delete engagement data older than the active policy's retention_days."""
    from service.compliance.retention import run_retention

    settings = get_settings()
    engine = open_database(settings)
    counts = run_retention(build_runtime(settings, engine))
    typer.echo(", ".join(f"{count} {what} deleted" for what, count in counts.items()))


def _policy_text(path: Path) -> str:
    """The policy file's text; one line saying why it cannot be read (exit 1) otherwise."""
    try:
        return read_text_file(path)
    except UnreadableFile as error:
        typer.echo(f"candor: {error}", err=True)
        raise typer.Exit(1) from None


def _error_lines(error: PolicyError, text: str = "") -> list[str]:
    """Each problem as a sentence, after its line in ``text`` as the console editor says it."""
    from service.console.policy_errors import document_errors

    found = document_errors(text, [{"loc": list(e["loc"]), "msg": e["msg"]} for e in error.errors])
    return [f"line {e.line}: {e.message}" if e.line else e.message for e in found]


def main() -> None:
    """Console-script entry point; a bad setting is one clear line and exit code 2."""
    try:
        app()
    except ConfigError as error:
        typer.echo(f"candor: cannot start: {error}", err=True)
        raise SystemExit(2) from None
