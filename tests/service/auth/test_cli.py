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
from service.models import AuditEntry

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
            user, _token = sign_in(session, name="Nina", password=PASSWORD)
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

    def test_deactivate_stops_the_key_and_sessions_and_reactivate_prints_a_new_key(
        self, database: str
    ) -> None:
        run("create", "Rita")
        engine = create_db_engine(database)
        with Session(engine) as session:
            user, _api_key = service.create(session, name="Max", role="rep", password=PASSWORD)
            _user, token = sign_in(session, name="Max", password=PASSWORD)
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
            sign_in(session, name="Max", password=PASSWORD)
            sign_in(session, name="Max", password=PASSWORD)
        assert "2 sessions ended" in run("sign-out", str(user.id))
        engine.dispose()
