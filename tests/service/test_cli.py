"""The candor command."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from service.cli import _public_url_follows, _where_the_cli_works, app
from service.config import DEFAULT_DATABASE_URL, Settings, get_settings
from service.db import create_db_engine
from service.models import AuditEntry
from service.people.service import hash_of, suppress


@pytest.fixture
def empty_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder whose CANDOR_DATABASE_URL names a SQLite file that does not exist yet."""
    monkeypatch.setenv("CANDOR_DATABASE_URL", f"sqlite:///{tmp_path}/candor.db")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


@pytest.fixture
def sqlite_env(empty_env: Path) -> Path:
    """A folder holding a migrated Candor database, as `candor serve` leaves it."""
    result = CliRunner().invoke(app, ["migrate"])
    assert result.exit_code == 0, result.output
    return empty_env


class TestCli:
    def test_migrate_prepares_a_fresh_database(self, empty_env: Path) -> None:
        result = CliRunner().invoke(app, ["migrate"])
        assert result.exit_code == 0, result.output
        assert (empty_env / "candor.db").exists()
        assert (empty_env / "candor.db.keys").exists()

    @pytest.mark.parametrize(
        "command",
        [["users", "create", "Ada", "--role", "admin"], ["retention", "run"]],
        ids=["users create", "retention run"],
    )
    def test_a_command_run_where_there_is_no_database_refuses_and_creates_none(
        self, empty_env: Path, command: list[str]
    ) -> None:
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2
        assert "no Candor database at" in result.output
        assert str(empty_env / "candor.db") in result.output
        assert not (empty_env / "candor.db").exists()
        assert not (empty_env / "candor.db.keys").exists()

    def test_a_database_with_no_schema_is_named_and_refused(self, empty_env: Path) -> None:
        (empty_env / "candor.db").write_bytes(b"")  # SQLite reads an empty file as empty
        result = CliRunner().invoke(app, ["retention", "run"])
        assert result.exit_code == 2
        assert "holds no Candor schema" in result.output

    def test_users_create_prints_a_working_key(self, sqlite_env: Path) -> None:
        result = CliRunner().invoke(app, ["users", "create", "Ada", "--role", "admin"])
        assert result.exit_code == 0, result.output
        assert "api key: cnd_" in result.output

    def test_an_unknown_role_is_refused(self, sqlite_env: Path) -> None:
        result = CliRunner().invoke(app, ["users", "create", "Ada", "--role", "king"])
        assert result.exit_code != 0


GOOD = """
name: quiet
rules:
  - name: reps
    roles: [rep]
    show: {email_opened: {detail: exists}}
"""


class TestPolicyCommands:
    def test_validate_accepts_a_good_file(self, sqlite_env: Path) -> None:
        path = sqlite_env / "quiet.yaml"
        path.write_text(GOOD)
        result = CliRunner().invoke(app, ["policy", "validate", str(path)])
        assert result.exit_code == 0, result.output
        assert "valid policy 'quiet'" in result.output

    def test_validate_names_the_bad_field_and_exits_1(self, sqlite_env: Path) -> None:
        path = sqlite_env / "bad.yaml"
        path.write_text(GOOD.replace("exists", "sometimes"))
        result = CliRunner().invoke(app, ["policy", "validate", str(path)])
        assert result.exit_code == 1
        assert "detail" in result.output and "sometimes" in result.output

    def test_apply_stores_and_activates_a_new_version(self, sqlite_env: Path) -> None:
        path = sqlite_env / "quiet.yaml"
        path.write_text(GOOD)
        result = CliRunner().invoke(app, ["policy", "apply", str(path)])
        assert result.exit_code == 0, result.output
        assert "stored quiet version 1 and activated it" in result.output

    def test_apply_in_a_folder_without_a_database_refuses(self, empty_env: Path) -> None:
        path = empty_env / "quiet.yaml"
        path.write_text(GOOD)
        result = CliRunner().invoke(app, ["policy", "apply", str(path)])
        assert result.exit_code == 2
        assert "stored" not in result.output
        assert not (empty_env / "candor.db").exists()

    def test_apply_is_audited_with_the_os_user_or_the_named_user(self, sqlite_env: Path) -> None:
        path = sqlite_env / "quiet.yaml"
        path.write_text(GOOD)
        runner = CliRunner()
        assert (
            runner.invoke(app, ["users", "create", "Cora", "--role", "compliance"]).exit_code == 0
        )
        assert runner.invoke(app, ["policy", "apply", str(path)]).exit_code == 0
        path.write_text(GOOD.replace("exists", "count"))
        named = runner.invoke(app, ["policy", "apply", "--as", "Cora", str(path)])
        assert named.exit_code == 0, named.output
        engine = create_db_engine(get_settings().database_url)
        with Session(engine) as session:
            rows = session.exec(
                select(AuditEntry).where(col(AuditEntry.action) == "policy.activate")
            ).all()
        engine.dispose()
        by_os, by_cora = (json.loads(row.detail) for row in rows[-2:])
        assert rows[-2].actor_id is None and by_os["via"] == "cli" and by_os["os_user"]
        assert rows[-1].actor_role == "compliance" and by_cora["via"] == "cli"

    def test_apply_as_an_unknown_user_is_refused(self, sqlite_env: Path) -> None:
        path = sqlite_env / "quiet.yaml"
        path.write_text(GOOD)
        result = CliRunner().invoke(app, ["policy", "apply", "--as", "Nobody", str(path)])
        assert result.exit_code == 2
        assert "no user has that name" in result.output

    def test_apply_without_activating_stores_a_version_and_says_so(self, sqlite_env: Path) -> None:
        path = sqlite_env / "quiet.yaml"
        path.write_text(GOOD)
        result = CliRunner().invoke(app, ["policy", "apply", "--no-activate", str(path)])
        assert result.exit_code == 0, result.output
        assert "stored quiet version 1" in result.output
        assert "activated" not in result.output

    def test_applying_the_same_file_again_stores_nothing_and_says_so(
        self, sqlite_env: Path
    ) -> None:
        path = sqlite_env / "quiet.yaml"
        path.write_text(GOOD)
        runner = CliRunner()
        assert runner.invoke(app, ["policy", "apply", str(path)]).exit_code == 0
        path.write_text(GOOD.replace("show: {", "show:  {"))  # other spacing, same policy
        again = runner.invoke(app, ["policy", "apply", str(path)])
        assert again.exit_code == 0, again.output
        assert "unchanged: quiet version 1 already holds this policy and is active" in again.output
        path.write_text(GOOD.replace("exists", "count"))
        changed = runner.invoke(app, ["policy", "apply", str(path)])
        assert "stored quiet version 2 and activated it" in changed.output

    def test_applying_a_stored_but_inactive_version_activates_it_without_a_copy(
        self, sqlite_env: Path
    ) -> None:
        path = sqlite_env / "quiet.yaml"
        path.write_text(GOOD)
        runner = CliRunner()
        assert runner.invoke(app, ["policy", "apply", "--no-activate", str(path)]).exit_code == 0
        again = runner.invoke(app, ["policy", "apply", str(path)])
        assert "unchanged: quiet version 1 already holds this policy; activated it" in again.output

    def test_validate_gives_each_error_its_line_as_the_editor_does(self, sqlite_env: Path) -> None:
        path = sqlite_env / "bad.yaml"
        path.write_text(GOOD.replace("exists", "sometimes"))
        result = CliRunner().invoke(app, ["policy", "validate", str(path)])
        assert result.exit_code == 1
        assert "  line 6: " in result.output  # "show:" of the first rule, as the editor says
        path.write_text("name: quiet\nrules: [\n")
        broken = CliRunner().invoke(app, ["policy", "apply", str(path)])
        assert broken.exit_code == 1 and "line " in broken.output

    @pytest.mark.parametrize("command", ["validate", "apply"])
    def test_a_missing_or_non_utf8_file_is_one_line_saying_so(
        self, sqlite_env: Path, command: str
    ) -> None:
        latin1 = sqlite_env / "latin1.yaml"
        latin1.write_bytes(GOOD.replace("quiet", "café").encode("latin-1"))
        missing = sqlite_env / "missing.yaml"
        for path, says in (
            (missing, f"candor: {missing} does not exist"),
            (latin1, f"candor: {latin1} is not UTF-8 text (byte 0xe9 at offset "),
        ):
            result = CliRunner().invoke(app, ["policy", command, str(path)])
            assert result.exit_code == 1
            [line] = result.stderr.splitlines()
            assert line.startswith(says), line
        assert "it must be UTF-8" in line

    def test_retention_run_reports_what_it_deleted(self, sqlite_env: Path) -> None:
        result = CliRunner().invoke(app, ["retention", "run"])
        assert result.exit_code == 0, result.output
        assert "events deleted" in result.output


class TestLintCommand:
    def test_a_trap_question_is_printed_and_exits_1(self) -> None:
        result = CliRunner().invoke(app, ["lint", "Did you read my email?"])
        assert result.exit_code == 1
        assert "trap" in result.output and "try:" in result.output

    def test_an_empty_text_is_an_error_not_a_pass(self) -> None:
        assert CliRunner().invoke(app, ["lint", "  "]).exit_code == 2

    def test_a_dash_reads_the_text_from_standard_input(self) -> None:
        result = CliRunner().invoke(
            app, ["lint", "-"], input="I saw you opened my email three times yesterday."
        )
        assert result.exit_code == 1
        assert "surveillance" in result.output

    def test_a_file_is_read_with_the_file_option(self, tmp_path: Path) -> None:
        path = tmp_path / "opener.txt"
        path.write_text("Did you read my email?", encoding="utf-8")
        result = CliRunner().invoke(app, ["lint", "--file", str(path)])
        assert result.exit_code == 1
        assert "trap" in result.output

    def test_a_missing_file_is_a_clear_error(self, tmp_path: Path) -> None:
        result = CliRunner().invoke(app, ["lint", "--file", str(tmp_path / "nope.txt")])
        assert result.exit_code == 2
        assert "cannot read it" in result.output

    def test_an_honest_opener_exits_0(self) -> None:
        result = CliRunner().invoke(app, ["lint", "What did you think of the proposal?"])
        assert result.exit_code == 0, result.output


CSV = "email,name,company,industry,region\na@example.com,A,,,\nnope,B,,,\nb@example.com,B,,,\n"


class TestProspectsImport:
    def test_it_imports_for_an_owner_named_by_name_and_prints_the_report(
        self, sqlite_env: Path
    ) -> None:
        CliRunner().invoke(app, ["users", "create", "Rita", "--role", "rep"])
        path = sqlite_env / "leads.csv"
        path.write_text(CSV)
        result = CliRunner().invoke(app, ["prospects", "import", str(path), "--owner", "Rita"])
        assert result.exit_code == 0, result.output
        assert "3 rows for owner 1: 2 created, 0 updated, 0 unchanged, 1 refused" in result.output
        assert "line 3 (nope): email: must be an email address" in result.output
        again = CliRunner().invoke(
            app, ["prospects", "import", str(path), "--owner", "1", "--json"]
        )
        assert again.exit_code == 0, again.output
        report = json.loads(again.stdout[again.stdout.index("{") :])
        assert (report["created"], report["unchanged"]) == (0, 2)

    def test_a_suppressed_address_is_imported_and_listed_as_not_tracked(
        self, sqlite_env: Path
    ) -> None:
        CliRunner().invoke(app, ["users", "create", "Rita", "--role", "rep"])
        engine = create_db_engine(f"sqlite:///{sqlite_env}/candor.db")
        with Session(engine) as session:
            suppress(session, digest=hash_of(session, "B@example.com"), reason="added")
            session.commit()
        engine.dispose()
        path = sqlite_env / "leads.csv"
        path.write_text(CSV)
        result = CliRunner().invoke(app, ["prospects", "import", str(path), "--owner", "Rita"])
        assert result.exit_code == 0, result.output
        assert "2 created" in result.output
        assert "1 imported but not tracked (on the suppression list):" in result.output
        assert "line 4: Compliance put this address on the suppression list" in result.output

    def test_a_json_array_file_is_read_as_json(self, sqlite_env: Path) -> None:
        CliRunner().invoke(app, ["users", "create", "Rita", "--role", "rep"])
        path = sqlite_env / "leads.json"
        path.write_text(json.dumps([{"email": "a@example.com"}]))
        result = CliRunner().invoke(app, ["prospects", "import", str(path), "--owner", "Rita"])
        assert result.exit_code == 0, result.output
        assert "1 created" in result.output

    def test_an_unknown_owner_or_a_compliance_officer_is_refused(self, sqlite_env: Path) -> None:
        CliRunner().invoke(app, ["users", "create", "Olga", "--role", "compliance"])
        path = sqlite_env / "leads.csv"
        path.write_text(CSV)
        for owner in ("Nobody", "Olga", "99"):
            result = CliRunner().invoke(app, ["prospects", "import", str(path), "--owner", owner])
            assert result.exit_code == 2, result.output

    def test_a_missing_or_non_utf8_file_imports_nothing_and_says_why(
        self, sqlite_env: Path
    ) -> None:
        CliRunner().invoke(app, ["users", "create", "Rita", "--role", "rep"])
        latin1 = sqlite_env / "latin1.csv"
        latin1.write_bytes("email,name\na@example.com,Zoë\n".encode("latin-1"))
        missing = sqlite_env / "missing.csv"
        for path, says in (
            (missing, f"nothing imported: {missing} does not exist"),
            (latin1, f"nothing imported: {latin1} is not UTF-8 text (byte 0xeb at offset 27): "
                     "it must be UTF-8"),
        ):  # fmt: skip
            result = CliRunner().invoke(app, ["prospects", "import", str(path), "--owner", "Rita"])
            assert result.exit_code == 1
            [line] = result.stderr.splitlines()
            assert line.startswith(says), line

    def test_a_wrong_header_imports_nothing_and_exits_1(self, sqlite_env: Path) -> None:
        CliRunner().invoke(app, ["users", "create", "Rita", "--role", "rep"])
        path = sqlite_env / "leads.csv"
        path.write_text("mail,name\na@example.com,A\n")
        result = CliRunner().invoke(app, ["prospects", "import", str(path), "--owner", "Rita"])
        assert result.exit_code == 1
        assert "nothing imported: header" in result.output

    @pytest.mark.parametrize(
        ("name", "text", "says"),
        [
            ("leads.json", "[]", "nothing imported: file: The array is empty"),
            ("leads.csv", "email,name\n", "nothing imported: file: The CSV has its header but no"),
            ("leads.csv", "", "nothing imported: file: The CSV is empty"),
        ],
    )
    def test_an_empty_list_or_file_imports_nothing_and_exits_1(
        self, sqlite_env: Path, name: str, text: str, says: str
    ) -> None:
        CliRunner().invoke(app, ["users", "create", "Rita", "--role", "rep"])
        path = sqlite_env / name
        path.write_text(text)
        result = CliRunner().invoke(app, ["prospects", "import", str(path), "--owner", "Rita"])
        assert result.exit_code == 1
        assert any(line.startswith(says) for line in result.stderr.splitlines()), result.stderr


ROOT = Path(__file__).resolve().parents[2]


class TestServeAddress:
    @pytest.mark.skipif(shutil.which("make") is None, reason="no make")
    @pytest.mark.parametrize(("given", "port"), [([], "8000"), (["PORT=8100"], "8100")])
    def test_make_serve_takes_a_port(self, given: list[str], port: str) -> None:
        planned = subprocess.run(
            ["make", "--no-print-directory", "-n", "-o", ".venv/bin/candor", "serve", *given],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        assert planned.stdout.strip().endswith(f"candor serve --port {port}")

    def test_without_a_public_url_emails_point_at_the_port_served(
        self, empty_env: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("CANDOR_PUBLIC_URL", raising=False)
        settings = _public_url_follows(get_settings(), host="127.0.0.1", port=8002)
        assert settings.public_url == "http://127.0.0.1:8002"
        assert os.environ["CANDOR_PUBLIC_URL"] == "http://127.0.0.1:8002"  # for workers

    def test_a_wildcard_host_is_written_as_loopback(
        self, empty_env: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("CANDOR_PUBLIC_URL", raising=False)
        settings = _public_url_follows(get_settings(), host="0.0.0.0", port=9000)
        assert settings.public_url == "http://127.0.0.1:9000"

    def test_serve_on_another_port_says_how_the_command_lines_links_follow_it(
        self, empty_env: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("CANDOR_PUBLIC_URL", raising=False)  # restored after serve sets it
        monkeypatch.setattr("service.cli.uvicorn.run", lambda *args, **kwargs: None)
        result = CliRunner().invoke(app, ["serve", "--port", "8124"])
        assert result.exit_code == 0, result.output
        assert "Candor writes http://127.0.0.1:8124 into tracked emails" in result.stderr
        assert "`export CANDOR_PUBLIC_URL=http://127.0.0.1:8124` first" in result.stderr

    def test_a_configured_public_url_is_kept(
        self, empty_env: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("CANDOR_PUBLIC_URL", "https://t.example.com")
        get_settings.cache_clear()
        settings = _public_url_follows(get_settings(), host="127.0.0.1", port=8002)
        assert settings.public_url == "https://t.example.com"


class TestFirstAdminHint:
    def test_serve_on_another_database_says_to_set_the_variable_in_the_other_terminal(
        self, empty_env: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr("service.cli.uvicorn.run", lambda *args, **kwargs: None)
        result = CliRunner().invoke(app, ["serve", "--port", "8123"])
        assert result.exit_code == 0, result.output
        [hint] = [line for line in result.stderr.splitlines() if line.startswith("No admin yet")]
        assert f"`export CANDOR_DATABASE_URL='sqlite:///{empty_env}/candor.db'`" in hint
        assert "candor users invite NAME --role admin" in hint

    def test_the_database_url_is_shown_without_its_password(self) -> None:
        settings = Settings(database_url="postgres://candor:s3cret@db.example.com/candor")
        hint = _where_the_cli_works(settings)
        assert "'postgresql+psycopg://candor:***@db.example.com/candor'" in hint
        assert "with its password where *** is" in hint and "s3cret" not in hint

    def test_on_the_default_store_the_commands_alone_are_named(self) -> None:
        hint = _where_the_cli_works(Settings(database_url=DEFAULT_DATABASE_URL))
        assert hint.startswith("In another terminal: `.venv/bin/candor users invite NAME")
        assert "CANDOR_DATABASE_URL" not in hint


class TestDemo:
    def test_a_busy_port_is_refused_before_anything_is_printed_or_created(
        self, empty_env: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(empty_env)
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            port = busy.getsockname()[1]
            result = CliRunner().invoke(app, ["demo", "--port", str(port)])
        assert result.exit_code == 2
        assert f"port {port} is already in use" in result.output
        assert f"--port {port + 1}" in result.output
        assert "cnd_" not in result.output
        assert not (empty_env / "candor-demo.db").exists()
