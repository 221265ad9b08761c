"""``candor users …``: people, keys, invitations and sessions from the server's shell.

They work on an existing database (``open_database`` names it, or refuses) and call the
same service functions as the API. Each change is audited with the OS account that ran
it, and with the user named by ``--as`` as the actor.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn

import typer
from fastapi import HTTPException
from sqlmodel import Session

from service.auth import invitations, service, sessions
from service.auth.schemas import ROLES
from service.cli_context import cli_actor, open_database
from service.config import Settings, get_settings
from service.ids import MAX_INT
from service.prospects import handover

__all__ = ["users"]

users = typer.Typer(
    help="Manage people: users, API keys, invitations, sessions.", no_args_is_help=True
)

RoleOption = Annotated[str, typer.Option(help=f"One of {', '.join(ROLES)}.")]
ManagerOption = Annotated[
    int | None, typer.Option(help="The manager's user id.", min=1, max=MAX_INT)
]
AsOption = Annotated[str | None, typer.Option("--as", help="Audit the change as this user's act.")]
UserId = Annotated[
    int, typer.Argument(help="The user's id (see `candor users list`).", min=1, max=MAX_INT)
]


@contextmanager
def _database() -> Iterator[tuple[Session, Settings]]:
    settings = get_settings()
    engine = open_database(settings)
    try:
        with Session(engine) as session:
            yield session, settings
    finally:
        engine.dispose()


def _print_link(settings: Settings, url: str, *, user_id: int | None) -> None:
    """Print a link, and say which address it uses when nothing configured one.

    The command line cannot know where ``candor serve`` listens (its ``--port``), so
    without CANDOR_PUBLIC_URL (or CANDOR_CONSOLE_URL) a link points at the default
    address; said on stderr, so that the link stays the only line a script reads.
    """
    typer.echo(url)
    if "public_url" in settings.model_fields_set or settings.console_url != settings.public_url:
        return
    typer.echo(
        f"note: this link uses {settings.console_url}, the default address, since "
        "CANDOR_PUBLIC_URL is not set and the command line cannot know where "
        "`candor serve` listens. If the server listens elsewhere (another --port or "
        "host), set CANDOR_PUBLIC_URL to its address (or CANDOR_CONSOLE_URL for the "
        f"console alone); then `candor users reset-password {user_id}` prints a new link.",
        err=True,
    )


def _fail(error: HTTPException) -> NoReturn:
    """Say what the service refused, naming the option the way the API names the field."""
    detail: Any = error.detail
    if isinstance(detail, list) and detail:
        field = str(detail[0]["loc"][-1])
        hint = "NAME" if field == "name" else f"--{field.replace('_', '-')}"
        raise typer.BadParameter(detail[0]["msg"], param_hint=hint)
    typer.echo(f"error: {detail}", err=True)
    raise typer.Exit(1)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise typer.BadParameter(f"role must be one of {', '.join(ROLES)}", param_hint="--role")


@users.command("create")
def create_user(
    name: str,
    role: RoleOption = "rep",
    manager_id: ManagerOption = None,
    as_name: AsOption = None,
    key_only: Annotated[
        bool, typer.Option("--key-only", help="Print the key alone (for scripts).")
    ] = False,
) -> None:
    """Create a user and print its API key (shown once)."""
    _check_role(role)
    with _database() as (session, _settings):
        actor, origin = cli_actor(session, as_name=as_name)
        try:
            user, key = service.create(
                session, name=name, role=role, manager_id=manager_id, actor=actor, origin=origin
            )
        except HTTPException as error:
            _fail(error)
    typer.echo(key if key_only else f"user {user.id} ({role}) api key: {key}")


@users.command("invite")
def invite_user(
    name: str, role: RoleOption = "rep", manager_id: ManagerOption = None, as_name: AsOption = None
) -> None:
    """Create a person and print their one-time link (72 hours) to set a password."""
    _check_role(role)
    with _database() as (session, settings):
        actor, origin = cli_actor(session, as_name=as_name)
        try:
            user, token = invitations.invite(
                session, actor=actor, origin=origin, name=name, role=role, manager_id=manager_id
            )
        except HTTPException as error:
            _fail(error)
        typer.echo(f"user {user.id} ({role}) invited; send them this link (valid 72 hours):")
        _print_link(settings, invitations.invitation_url(settings, token), user_id=user.id)


@users.command("list")
def list_users() -> None:
    """Every user: id, name, role, manager, and whether they are active, have a password, a key."""
    with _database() as (session, _settings):
        rows = service.list_users(session)
        typer.echo("id\tname\trole\tmanager\tactive\tpassword\tapi key")
        for user in rows:
            typer.echo(
                f"{user.id}\t{user.name}\t{user.role}\t{user.manager_id or '-'}\t"
                f"{'yes' if user.active else 'no'}\t{'yes' if user.password_hash else 'no'}\t"
                f"{'yes' if user.api_key_hash else 'no'}"
                + ("\t(bootstrap admin)" if user.bootstrap else "")
            )


@users.command("update")
def update_user(
    user_id: UserId,
    name: Annotated[str | None, typer.Option(help="A new name (people sign in by it).")] = None,
    role: Annotated[str | None, typer.Option(help=f"One of {', '.join(ROLES)}.")] = None,
    manager_id: ManagerOption = None,
    no_manager: Annotated[bool, typer.Option("--no-manager", help="Remove the manager.")] = False,
    as_name: AsOption = None,
) -> None:
    """Change a user's name, role or manager.

    Only a rep has a manager: another role drops it. Someone who owns prospects stays a
    rep or manager until their prospects belong to someone else.
    """
    if role is not None:
        _check_role(role)
    if no_manager and manager_id is not None:
        raise typer.BadParameter("give --manager-id or --no-manager, not both")
    with _database() as (session, _settings):
        actor, origin = cli_actor(session, as_name=as_name)
        try:
            user = service.update_user(
                session,
                actor=actor,
                origin=origin,
                user_id=user_id,
                name=name if name is not None else service.KEEP,
                role=role if role is not None else service.KEEP,
                manager_id=None if no_manager else manager_id or service.KEEP,
            )
        except HTTPException as error:
            _fail(error)
        typer.echo(f"user {user.id}: {user.name} ({user.role}), manager {user.manager_id or '-'}")


@users.command("reset-password")
def reset_password(user_id: UserId, as_name: AsOption = None) -> None:
    """Print a new one-time link where the user sets a new password (earlier links die)."""
    with _database() as (session, settings):
        actor, origin = cli_actor(session, as_name=as_name)
        try:
            token = invitations.reset_invitation(
                session, actor=actor, origin=origin, user_id=user_id
            )
        except HTTPException as error:
            _fail(error)
        typer.echo(f"send user {user_id} this link (valid 72 hours):")
        _print_link(settings, invitations.invitation_url(settings, token), user_id=user_id)


@users.command("new-key")
def new_key(user_id: UserId, as_name: AsOption = None) -> None:
    """Issue a new API key (printed once); the user's previous key stops working."""
    with _database() as (session, _settings):
        actor, origin = cli_actor(session, as_name=as_name)
        try:
            _user, key = service.issue_key(session, actor=actor, origin=origin, user_id=user_id)
        except HTTPException as error:
            _fail(error)
    typer.echo(f"user {user_id} api key: {key}")


@users.command("revoke-key")
def revoke_key(user_id: UserId, as_name: AsOption = None) -> None:
    """Stop the user's API key without issuing another; their password still signs in."""
    with _database() as (session, _settings):
        actor, origin = cli_actor(session, as_name=as_name)
        try:
            _user, revoked = service.revoke_key(
                session, actor=actor, origin=origin, user_id=user_id
            )
        except HTTPException as error:
            _fail(error)
    typer.echo(
        f"user {user_id}'s api key is revoked" if revoked else f"user {user_id} holds no api key"
    )


@users.command("deactivate")
def deactivate_user(user_id: UserId, as_name: AsOption = None) -> None:
    """Stop a user at once: key, sessions and links. Their prospects stay theirs."""
    with _database() as (session, _settings):
        actor, origin = cli_actor(session, as_name=as_name)
        try:
            was_active = service.get_user(session, user_id=user_id).active
            user = service.deactivate(session, actor=actor, origin=origin, user_id=user_id)
        except HTTPException as error:
            _fail(error)
        note = service.leaver_note(session, user=user)
    if not was_active:
        typer.echo(f"user {user_id} was already deactivated: nothing changed")
        return
    typer.echo(f"user {user_id} deactivated: their key and sessions no longer work")
    if note:
        typer.echo(note)


@users.command("handover")
def hand_over_prospects(
    user_id: UserId,
    to_user_id: Annotated[
        int,
        typer.Option(
            "--to-user-id", help="The new owner's id: an active rep or manager.", min=1, max=MAX_INT
        ),
    ],
    as_name: AsOption = None,
) -> None:
    """Give every prospect of a user (a leaver) to one active rep or manager, as the API does.

    Without --as, an admin's rules; with --as, that user's (a manager: their team).
    """
    with _database() as (session, _settings):
        actor, origin = cli_actor(session, as_name=as_name)
        try:
            done = handover.hand_over(
                session, actor=actor, origin=origin, user_id=user_id, to_user_id=to_user_id
            )
        except HTTPException as error:
            _fail(error)
        moved = len(done.moved)
        typer.echo(
            f"user {user_id} ({done.giver.name}): {moved} prospect{'' if moved == 1 else 's'} "
            f"moved to user {to_user_id} ({done.receiver.name})"
        )
        if done.kept:
            typer.echo(f"{len(done.kept)} stayed with user {user_id}:")
        for kept in done.kept:
            typer.echo(f"  prospect {kept.prospect_id} ({kept.email}): {kept.reason}")


@users.command("reactivate")
def reactivate_user(user_id: UserId, as_name: AsOption = None) -> None:
    """Let a deactivated user back in and print their new API key (shown once)."""
    with _database() as (session, _settings):
        actor, origin = cli_actor(session, as_name=as_name)
        try:
            _user, key = service.reactivate(session, actor=actor, origin=origin, user_id=user_id)
        except HTTPException as error:
            _fail(error)
    typer.echo(f"user {user_id} reactivated; api key: {key}")


@users.command("sign-out")
def sign_out_everywhere(user_id: UserId, as_name: AsOption = None) -> None:
    """End every session of a user (their API key keeps working)."""
    with _database() as (session, _settings):
        actor, origin = cli_actor(session, as_name=as_name)
        try:
            service.get_user(session, user_id=user_id)
        except HTTPException as error:
            _fail(error)
        count = sessions.revoke_sessions(session, user_id=user_id, actor=actor, origin=origin)
    typer.echo(f"user {user_id}: {count} session{'s' if count != 1 else ''} ended")
