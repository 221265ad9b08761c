"""``candor users …`` against a real SQLite database, as an operator runs it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from service.auth import invitations, service
from service.auth.sessions import sign_in, user_for_session
from service.cli import app
from service.config import get_settings
from service.db import create_db_engine
from service.models import AuditEntry, Prospect, User
from service.prospects import service as prospect_service
from service.prospects.schemas import ProspectCreate
from tests.factories import client_at

PASSWORD = "a long enough passphrase"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path}/candor.db"
    monkeypatch.setenv("CANDOR_DATABASE_URL", url)
    monkeypatch.setenv("CANDOR_PUBLIC_URL", "https://t.example.com")
    monkeypatch.setenv("CANDOR_CONSOLE_URL", "https://candor.example.com")
    get_settings.cache_clear()
    migrated = CliRunner().invoke(app, ["migrate"])
    assert migrated.exit_code == 0, migrated.output
    yield url
    get_settings.cache_clear()


def run(*args: str) -> str:
    result = CliRunner().invoke(app, ["users", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _key(output: str) -> str:
    match = re.search(r"cnd_\S+", output)
    assert match is not None, output
    return match.group(0)


class TestLinksWithoutAPublicUrl:
    """The command line cannot know where `candor serve` listens: it says so by a link."""

    @pytest.fixture
    def unset(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        monkeypatch.setenv("CANDOR_DATABASE_URL", f"sqlite:///{tmp_path}/candor.db")
        monkeypatch.delenv("CANDOR_PUBLIC_URL", raising=False)
        monkeypatch.delenv("CANDOR_CONSOLE_URL", raising=False)
        get_settings.cache_clear()
        assert CliRunner().invoke(app, ["migrate"]).exit_code == 0
        yield
        get_settings.cache_clear()

    @pytest.mark.parametrize("command", [["invite", "Nina"], ["reset-password", "1"]])
    def test_the_link_says_which_address_it_uses_and_how_to_change_it(
        self, unset: None, command: list[str]
    ) -> None:
        if command[0] == "reset-password":
            run("invite", "Nina")
        result = CliRunner().invoke(app, ["users", *command])
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[-1].startswith("http://127.0.0.1:8000/invite/")
        [note] = [line for line in result.stderr.splitlines() if line.startswith("note:")]
        assert note.startswith("note: this link uses http://127.0.0.1:8000, the default address")
        assert "set CANDOR_PUBLIC_URL to its address" in note
        assert "`candor users reset-password 1` prints a new link" in note

    def test_a_configured_address_needs_no_note(
        self, unset: None, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("CANDOR_PUBLIC_URL", "http://127.0.0.1:8100")
        get_settings.cache_clear()
        result = CliRunner().invoke(app, ["users", "invite", "Nina"])
        assert result.stdout.splitlines()[-1].startswith("http://127.0.0.1:8100/invite/")
        assert "note:" not in result.stderr


class TestInviting:
    def test_invite_prints_a_link_on_the_console_url_that_sets_a_password(
        self, database: str
    ) -> None:
        output = run("invite", "Nina", "--role", "manager")
        link = re.search(r"https://candor\.example\.com/invite/(\S+)", output)
        assert link is not None, output
        engine = create_db_engine(database)
        with Session(engine) as session:
            invitations.accept_invitation(session, token=link.group(1), password=PASSWORD)
            user, _token = sign_in(session, name="Nina", password=PASSWORD, client=client_at())
            assert user.role == "manager"
        engine.dispose()

    def test_an_unknown_role_is_refused(self, database: str) -> None:
        result = CliRunner().invoke(app, ["users", "invite", "Nina", "--role", "king"])
        assert result.exit_code == 2
        assert "role must be one of" in result.output

    def test_a_manager_id_that_is_no_manager_is_refused_naming_the_option(
        self, database: str
    ) -> None:
        run("create", "Rita")
        result = CliRunner().invoke(app, ["users", "invite", "Nina", "--manager-id", "1"])
        assert result.exit_code == 2
        assert "--manager-id" in result.output

    def test_reset_password_prints_a_new_link(self, database: str) -> None:
        run("invite", "Nina")
        assert "https://candor.example.com/invite/" in run("reset-password", "1")


class TestKeysAndDeactivation:
    def test_new_key_replaces_the_old_one(self, database: str) -> None:
        old = _key(run("create", "Rita"))
        new = _key(run("new-key", "1"))
        engine = create_db_engine(database)
        with Session(engine) as session:
            assert service.authenticate(session, api_key=old) is None
            assert service.authenticate(session, api_key=new) is not None
        engine.dispose()

    def test_revoke_key_stops_the_key_and_says_so_again_when_none_is_left(
        self, database: str
    ) -> None:
        key = _key(run("create", "Rita"))
        assert "user 1's api key is revoked" in run("revoke-key", "1")
        assert "user 1 holds no api key" in run("revoke-key", "1")
        engine = create_db_engine(database)
        with Session(engine) as session:
            assert service.authenticate(session, api_key=key) is None
            assert service.get_user(session, user_id=1).active
        engine.dispose()

    def test_deactivate_stops_the_key_and_sessions_and_reactivate_prints_a_new_key(
        self, database: str
    ) -> None:
        run("create", "Rita")
        engine = create_db_engine(database)
        with Session(engine) as session:
            user, _api_key = service.create(session, name="Max", role="rep", password=PASSWORD)
            _user, token = sign_in(session, name="Max", password=PASSWORD, client=client_at())
        assert "deactivated" in run("deactivate", str(user.id))
        with Session(engine) as session:
            assert user_for_session(session, token=token) is None
        new = _key(run("reactivate", str(user.id)))
        with Session(engine) as session:
            assert service.authenticate(session, api_key=new) is not None
        engine.dispose()

    def test_deactivating_a_deactivated_user_says_it_already_was(self, database: str) -> None:
        run("create", "Rita")
        run("create", "Max")
        assert "user 2 deactivated: their key" in run("deactivate", "2")
        again = run("deactivate", "2")
        assert again.strip().splitlines()[-1] == "user 2 was already deactivated: nothing changed"
        engine = create_db_engine(database)
        with Session(engine) as session:
            actions = [entry.action for entry in session.exec(select(AuditEntry))]
        engine.dispose()
        assert actions.count("user.deactivated") == 1

    def test_an_unknown_user_is_an_error_that_says_so(self, database: str) -> None:
        result = CliRunner().invoke(app, ["users", "new-key", "42"])
        assert result.exit_code == 1
        assert "No such user" in result.output


class TestWhereAndAsWhom:
    def test_a_folder_without_a_database_is_refused_and_none_is_created(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("CANDOR_DATABASE_URL", f"sqlite:///{tmp_path}/none.db")
        get_settings.cache_clear()
        result = CliRunner().invoke(app, ["users", "invite", "Nina"])
        get_settings.cache_clear()
        assert result.exit_code == 2
        assert "no Candor database at" in result.output
        assert not (tmp_path / "none.db").exists()

    def test_changes_are_audited_with_the_os_account_and_the_user_named_by_as(
        self, database: str
    ) -> None:
        run("create", "Ada", "--role", "admin")
        run("invite", "Nina")
        run("deactivate", "2", "--as", "Ada")
        engine = create_db_engine(database)
        with Session(engine) as session:
            entries = {e.action: e for e in session.exec(select(AuditEntry))}
        engine.dispose()
        invited = json.loads(entries["user.invited"].detail)
        assert invited["via"] == "cli" and invited["os_user"]
        assert entries["user.invited"].actor_id is None
        assert entries["user.deactivated"].actor_id == 1


class TestListingAndChanging:
    def test_list_shows_state(self, database: str) -> None:
        run("create", "Rita")
        run("invite", "Nina")
        output = run("list")
        assert re.search(r"1\tRita\trep\t-\tyes\tno\tyes", output), output
        assert re.search(r"2\tNina\trep\t-\tyes\tno\tno", output), output

    def test_update_changes_role_and_manager(self, database: str) -> None:
        run("create", "Maya", "--role", "manager")
        run("create", "Rita")
        assert "manager 1" in run("update", "2", "--manager-id", "1")
        assert "manager -" in run("update", "2", "--no-manager", "--role", "compliance")
        assert "(compliance)" in run("update", "2", "--name", "Rita K.")

    def test_update_refuses_to_demote_the_only_admin_and_says_how_to_recover(
        self, database: str
    ) -> None:
        run("create", "Ada", "--role", "admin")
        result = CliRunner().invoke(app, ["users", "update", "1", "--role", "rep"])
        assert result.exit_code == 2
        assert "only active admin" in result.output
        said = " ".join(result.output.replace("│", " ").split())
        assert "make another user an admin first (candor users update ID --role admin)" in said
        run("create", "Bea", "--role", "admin")
        assert "(rep)" in run("update", "1", "--role", "rep")

    def test_deactivate_refuses_the_only_admin(self, database: str) -> None:
        run("create", "Ada", "--role", "admin")
        result = CliRunner().invoke(app, ["users", "deactivate", "1"])
        assert result.exit_code == 1
        assert "only active admin" in result.output

    def test_sign_out_ends_every_session(self, database: str) -> None:
        engine = create_db_engine(database)
        run("create", "Rita")
        with Session(engine) as session:
            user, _api_key = service.create(session, name="Max", role="rep", password=PASSWORD)
            sign_in(session, name="Max", password=PASSWORD, client=client_at())
            sign_in(session, name="Max", password=PASSWORD, client=client_at())
        assert "2 sessions ended" in run("sign-out", str(user.id))
        engine.dispose()


@pytest.fixture
def any_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A migrated database on each backend, named to ``candor`` by the environment."""
    monkeypatch.setenv("CANDOR_DATABASE_URL", database_url)
    monkeypatch.setenv("CANDOR_PUBLIC_URL", "https://t.example.com")
    get_settings.cache_clear()
    migrated = CliRunner().invoke(app, ["migrate"])
    assert migrated.exit_code == 0, migrated.output
    yield database_url
    get_settings.cache_clear()


def _prospects_for(url: str, owner_id: int, count: int) -> None:
    engine = create_db_engine(url)
    try:
        with Session(engine) as session:
            owner = session.get(User, owner_id)
            assert owner is not None
            for n in range(count):
                data = ProspectCreate(email=f"p{n}@example.com")
                prospect_service.create(session, user=owner, data=data)
    finally:
        engine.dispose()


def _said(output: str) -> str:
    """Typer's boxed error as one line of words."""
    return " ".join(output.replace("│", " ").split())


class TestRolesAndOwnersFromTheShell:
    def test_an_owner_keeps_a_role_that_owns_prospects_and_is_told_how(
        self, any_database: str
    ) -> None:
        run("create", "Ana")
        _prospects_for(any_database, 1, 12)
        result = CliRunner().invoke(app, ["users", "update", "1", "--role", "compliance"])
        assert result.exit_code == 1
        assert "Ana owns 12 prospects; give them to a rep or manager first" in _said(result.output)
        assert "(manager)" in run("update", "1", "--role", "manager")

    def test_only_a_rep_is_given_a_manager(self, any_database: str) -> None:
        run("create", "Mia", "--role", "manager")
        for command in ("create", "invite"):
            result = CliRunner().invoke(
                app, ["users", command, "Cora", "--role", "compliance", "--manager-id", "1"]
            )
            assert result.exit_code == 2
            said = _said(result.output)
            assert "--manager-id" in said and "Only a rep has a manager" in said
        assert "(rep)" in run("create", "Rita", "--manager-id", "1")
        assert "rep\t1\t" in run("list")
        assert "(compliance), manager -" in run("update", "2", "--role", "compliance")

    def test_a_manager_is_held_back_only_by_their_reps(self, any_database: str) -> None:
        run("create", "Mia", "--role", "manager")
        run("create", "Rita", "--manager-id", "1")
        run("create", "Cora", "--role", "compliance")
        engine = create_db_engine(any_database)
        with Session(engine) as session:  # as an earlier version could leave it
            cora = session.get(User, 3)
            assert cora is not None
            cora.manager_id = 1
            session.add(cora)
            session.commit()
        engine.dispose()
        result = CliRunner().invoke(app, ["users", "update", "1", "--role", "rep"])
        assert result.exit_code == 2
        assert "This manager still manages users 2;" in _said(result.output)
        run("update", "2", "--no-manager")
        assert "(rep)" in run("update", "1", "--role", "rep")

    def test_deactivating_an_owner_says_where_their_prospects_stand(
        self, any_database: str
    ) -> None:
        run("create", "Mia", "--role", "manager")
        run("create", "Ana", "--manager-id", "1")
        _prospects_for(any_database, 2, 2)
        output = run("deactivate", "2")
        assert "Ana still owns 2 prospects, which stay theirs: Mia, their manager" in _said(output)
        assert "still owns" not in run("deactivate", "1")  # Mia owns none


def _audited(url: str, action: str) -> list[AuditEntry]:
    engine = create_db_engine(url)
    try:
        with Session(engine) as session:
            return list(session.exec(select(AuditEntry).where(AuditEntry.action == action)))
    finally:
        engine.dispose()


def _owners(url: str) -> dict[str, int]:
    engine = create_db_engine(url)
    try:
        with Session(engine) as session:
            return {p.email: p.owner_id for p in session.exec(select(Prospect))}
    finally:
        engine.dispose()


class TestHandingOverFromTheShell:
    def test_every_prospect_of_a_leaver_moves_and_each_move_is_audited_via_cli(
        self, any_database: str
    ) -> None:
        run("create", "Ana")
        run("create", "Raj")
        _prospects_for(any_database, 1, 2)
        run("deactivate", "1")
        output = run("handover", "1", "--to-user-id", "2")
        assert "user 1 (Ana): 2 prospects moved to user 2 (Raj)" in output
        assert set(_owners(any_database).values()) == {2}
        [whole] = _audited(any_database, "prospects.handed_over")
        detail = json.loads(whole.detail)
        assert (whole.actor_id, detail["via"], detail["moved"]) == (None, "cli", 2)
        assert detail["os_user"]
        moves = [json.loads(e.detail) for e in _audited(any_database, "prospect.owner_changed")]
        assert [(m["from"], m["to"], m["handover"], m["via"]) for m in moves] == [
            (1, 2, True, "cli")
        ] * 2

    def test_a_prospect_the_new_owner_has_already_stays_and_is_named(
        self, any_database: str
    ) -> None:
        run("create", "Ana")
        run("create", "Raj")
        _prospects_for(any_database, 1, 2)
        _prospects_for(any_database, 2, 1)  # Raj has p0@example.com too
        output = run("handover", "1", "--to-user-id", "2")
        assert "1 prospect moved to user 2 (Raj)" in output
        assert "1 stayed with user 1:" in output
        assert "(p0@example.com): The new owner already has a prospect with this email" in output

    def test_a_refused_new_owner_is_refused_as_the_api_does_naming_the_option(
        self, any_database: str
    ) -> None:
        run("create", "Ana")
        run("create", "Ada", "--role", "admin")
        _prospects_for(any_database, 1, 1)
        result = CliRunner().invoke(app, ["users", "handover", "1", "--to-user-id", "2"])
        assert result.exit_code == 2
        said = _said(result.output)
        assert "--to-user-id" in said and "to_user_id must be an active rep or manager." in said
        assert set(_owners(any_database).values()) == {1}
        assert _audited(any_database, "prospects.handed_over") == []

    def test_as_a_manager_it_is_their_act_and_holds_to_their_team(self, any_database: str) -> None:
        run("create", "Mia", "--role", "manager")
        run("create", "Ana", "--manager-id", "1")
        run("create", "Raj", "--manager-id", "1")
        run("create", "Sam")  # no manager: outside Mia's team
        _prospects_for(any_database, 2, 1)
        outside = CliRunner().invoke(
            app, ["users", "handover", "2", "--to-user-id", "4", "--as", "Mia"]
        )
        assert outside.exit_code == 2
        assert "to_user_id must be you or one of your reps." in _said(outside.output)
        assert "1 prospect moved" in run("handover", "2", "--to-user-id", "3", "--as", "Mia")
        [whole] = _audited(any_database, "prospects.handed_over")
        assert whole.actor_id == 1
