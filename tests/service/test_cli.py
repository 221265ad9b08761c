"""The candor command."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app
from service.config import get_settings


@pytest.fixture
def sqlite_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CANDOR_DATABASE_URL", f"sqlite:///{tmp_path}/candor.db")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


class TestCli:
    def test_migrate_prepares_a_fresh_database(self, sqlite_env: Path) -> None:
        result = CliRunner().invoke(app, ["migrate"])
        assert result.exit_code == 0, result.output
        assert (sqlite_env / "candor.db").exists()
        assert (sqlite_env / "candor.db.keys").exists()

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

    def test_apply_without_activating_stores_a_version_and_says_so(self, sqlite_env: Path) -> None:
        path = sqlite_env / "quiet.yaml"
        path.write_text(GOOD)
        result = CliRunner().invoke(app, ["policy", "apply", "--no-activate", str(path)])
        assert result.exit_code == 0, result.output
        assert "stored quiet version 1" in result.output
        assert "activated" not in result.output

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
        assert "line 3: email: must be an email address" in result.output
        again = CliRunner().invoke(
            app, ["prospects", "import", str(path), "--owner", "1", "--json"]
        )
        assert again.exit_code == 0, again.output
        report = json.loads(again.stdout[again.stdout.index("{") :])
        assert (report["created"], report["unchanged"]) == (0, 2)

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

    def test_a_wrong_header_imports_nothing_and_exits_1(self, sqlite_env: Path) -> None:
        CliRunner().invoke(app, ["users", "create", "Rita", "--role", "rep"])
        path = sqlite_env / "leads.csv"
        path.write_text("mail,name\na@example.com,A\n")
        result = CliRunner().invoke(app, ["prospects", "import", str(path), "--owner", "Rita"])
        assert result.exit_code == 1
        assert "nothing imported: header" in result.output
