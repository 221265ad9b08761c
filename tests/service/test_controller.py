"""The controller's identity in settings: validated at start-up, warned about when unset."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from service import cli, demo
from service.config import ConfigError, get_settings, missing_controller_settings
from service.demo import DemoKeys

NAMES = ("CANDOR_COMPANY_NAME", "CANDOR_CONTACT_EMAIL", "CANDOR_PRIVACY_URL")


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder for a SQLite database, and no controller settings."""
    monkeypatch.setenv("CANDOR_DATABASE_URL", f"sqlite:///{tmp_path}/candor.db")
    monkeypatch.setenv("CANDOR_RETENTION_INTERVAL_HOURS", "0")
    # `candor serve` and `candor demo` write these for their workers: undone after the test.
    for name in ("CANDOR_PUBLIC_URL", *NAMES):
        monkeypatch.setenv(name, "")  # so that monkeypatch restores it, even if unset now
        monkeypatch.delenv(name)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """`candor serve` up to the point where it would start uvicorn (not started)."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(cli.uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    return calls


class TestValidation:
    @pytest.mark.parametrize(
        ("name", "value", "says"),
        [
            ("CANDOR_CONTACT_EMAIL", "privacy at acme", "must be an email address"),
            ("CANDOR_CONTACT_EMAIL", "a@b", "must be an email address"),
            ("CANDOR_PRIVACY_URL", "acme.example/privacy", "must be an absolute http(s) URL"),
            ("CANDOR_PRIVACY_URL", "javascript:alert(1)", "must be an absolute http(s) URL"),
            ("CANDOR_PRIVACY_URL", "https:///privacy", "must be an absolute http(s) URL"),
            ("CANDOR_COMPANY_NAME", "Acme\nBcc: x@y.z", "must be one line of text"),
        ],
    )
    def test_a_bad_value_is_an_error_naming_the_variable(
        self, env: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str, says: str
    ) -> None:
        monkeypatch.setenv(name, value)
        with pytest.raises(ConfigError, match=f"^{name}: {re.escape(says)}"):
            get_settings()

    def test_good_values_are_kept_trimmed(self, env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("CANDOR_COMPANY_NAME", "  Acme GmbH ")
        monkeypatch.setenv("CANDOR_CONTACT_EMAIL", "privacy@acme.example")
        monkeypatch.setenv("CANDOR_PRIVACY_URL", "https://acme.example/privacy")
        settings = get_settings()
        assert settings.company_name == "Acme GmbH"
        assert missing_controller_settings(settings) == []

    def test_candor_refuses_to_start_with_one_line_naming_the_variable(self, env: Path) -> None:
        result = subprocess.run(
            [sys.executable, "-c", "from service.cli import main; main()", "serve"],
            env={
                "PATH": "/usr/bin:/bin",
                "CANDOR_DATABASE_URL": f"sqlite:///{env}/candor.db",
                "CANDOR_PRIVACY_URL": "ftp://acme.example/privacy",
            },
            cwd=Path(__file__).resolve().parents[2],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2
        assert result.stderr.strip() == (
            "candor: cannot start: CANDOR_PRIVACY_URL: must be an absolute http(s) URL "
            "such as https://example.com/privacy"
        )
        assert not (env / "candor.db").exists()


class TestStartUpWarning:
    def test_serve_names_each_missing_setting_once_and_what_it_is_for(
        self, env: Path, served: list[dict[str, Any]]
    ) -> None:
        result = CliRunner().invoke(cli.app, ["serve", "--port", "8123"])
        assert result.exit_code == 0, result.output
        assert served, "uvicorn was not started"
        warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
        assert [line.split()[1] for line in warnings] == list(NAMES)
        assert "privacy notice" in warnings[2] and "questions" in warnings[1]

    def test_only_the_missing_ones_are_named(
        self, env: Path, served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("CANDOR_COMPANY_NAME", "Acme")
        monkeypatch.setenv("CANDOR_PRIVACY_URL", "https://acme.example/privacy")
        get_settings.cache_clear()
        result = CliRunner().invoke(cli.app, ["serve", "--port", "8123"])
        warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
        assert [line.split()[1] for line in warnings] == ["CANDOR_CONTACT_EMAIL"]

    def test_nothing_is_said_when_all_are_set(
        self, env: Path, served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for name, value in zip(NAMES, cli.DEMO_CONTROLLER.values(), strict=True):
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        result = CliRunner().invoke(cli.app, ["serve", "--port", "8123"])
        assert "warning:" not in result.output


class TestDemo:
    def test_the_demo_names_a_made_up_controller(
        self, env: Path, served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(env)
        monkeypatch.setattr(cli, "_port_is_free", lambda host, port: True)
        keys = DemoKeys("a", "m", "r", "c", prospect_ids={"anna": 1}, password="pw")
        monkeypatch.setattr(demo, "seed", lambda *args, **kwargs: keys)  # no Argon2 here
        result = CliRunner().invoke(cli.app, ["demo", "--port", "8124"])
        assert result.exit_code == 0, result.output
        settings = get_settings()  # what the demo's app reads
        assert missing_controller_settings(settings) == []
        assert settings.contact_email == cli.DEMO_CONTROLLER["contact_email"]
