"""Settings from the environment: a value Candor cannot use stops it with one line that
names the variable and says what is wrong, never a traceback.

The controller's settings (CANDOR_COMPANY_NAME and the others) are specified the same
way in tests/service/test_controller.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.config import ConfigError, Settings, get_settings, weak_keys

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder for a SQLite database; the settings read afresh."""
    monkeypatch.setenv("CANDOR_DATABASE_URL", f"sqlite:///{tmp_path}/candor.db")
    for name in ("CANDOR_POLICY", "CANDOR_LOG_LEVEL", "CANDOR_ADMIN_KEY", "CANDOR_SECRET_KEYS"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def refusal(name: str, value: str, env: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The one-line message get_settings() refuses ``name=value`` with."""
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as refused:
        get_settings()
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith(f"{name}: "), message
    return message.removeprefix(f"{name}: ")


class TestDatabaseUrl:
    @pytest.mark.parametrize(
        ("given", "used"),
        [
            ("postgres://u:p%40ss@db.example.com:5432/candor", "postgresql+psycopg://u:p%40ss@db.example.com:5432/candor"),
            ("postgresql://u@db/candor?sslmode=require", "postgresql+psycopg://u@db/candor?sslmode=require"),
            ("postgresql+psycopg://u@db/candor", "postgresql+psycopg://u@db/candor"),
            ("sqlite:///./candor.db", "sqlite:///./candor.db"),
            ("sqlite:////var/lib/candor/candor.db", "sqlite:////var/lib/candor/candor.db"),
        ],
    )  # fmt: skip
    def test_postgres_and_postgresql_urls_mean_the_psycopg_driver(
        self, given: str, used: str
    ) -> None:
        assert Settings(database_url=given).database_url == used

    @pytest.mark.parametrize(
        ("value", "says"),
        [
            ("mysql://u:secret@db/candor", "mysql is not supported: Candor runs on SQLite"),
            ("garbage", "is not a database URL: Candor runs on SQLite"),
            ("postgresql+psycopg2://u:secret@db/candor", "postgresql+psycopg2 is not supported"),
        ],
    )
    def test_another_database_or_no_url_names_the_supported_ones(
        self, env: Path, monkeypatch: pytest.MonkeyPatch, value: str, says: str
    ) -> None:
        message = refusal("CANDOR_DATABASE_URL", value, env, monkeypatch)
        assert message.startswith(says)
        assert "PostgreSQL (postgresql+psycopg://" in message or "psycopg" in message
        assert "secret" not in message


class TestPolicy:
    def test_a_missing_file_is_named(self, env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        message = refusal("CANDOR_POLICY", "/nonexistent.yaml", env, monkeypatch)
        assert message.startswith("/nonexistent.yaml does not exist (it must be default, ")

    def test_an_unknown_name_lists_the_built_in_ones(
        self, env: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        message = refusal("CANDOR_POLICY", "quiet", env, monkeypatch)
        assert re.match(r"must be default, strict, .*or the path of a policy YAML file", message)

    def test_an_invalid_or_non_utf8_file_says_so(
        self, env: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        (env / "invalid.yaml").write_text("name: quiet\n")
        message = refusal("CANDOR_POLICY", str(env / "invalid.yaml"), env, monkeypatch)
        assert message.endswith("is not a valid policy: `candor policy validate "
                                f"{env / 'invalid.yaml'}` lists its errors")  # fmt: skip
        (env / "latin1.yaml").write_bytes("name: café\n".encode("latin-1"))
        message = refusal("CANDOR_POLICY", str(env / "latin1.yaml"), env, monkeypatch)
        assert "is not UTF-8 text" in message and "it must be UTF-8" in message

    def test_a_built_in_name_or_a_valid_file_is_kept(
        self, env: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = ROOT / "policies" / "tryout.yaml"
        for value in ("strict", str(path)):
            monkeypatch.setenv("CANDOR_POLICY", value)
            get_settings.cache_clear()
            assert get_settings().policy == value


class TestLogLevel:
    def test_an_unknown_level_lists_the_accepted_ones(
        self, env: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        message = refusal("CANDOR_LOG_LEVEL", "loud", env, monkeypatch)
        assert message == "must be one of critical, error, warning, info, debug, trace"

    def test_a_level_is_read_in_any_case(self, env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("CANDOR_LOG_LEVEL", " WARNING ")
        assert get_settings().log_level == "warning"


class TestKeys:
    @pytest.mark.parametrize(
        ("name", "value", "says"),
        [
            ("CANDOR_ADMIN_KEY", "x", "CANDOR_ADMIN_KEY is shorter than 16 characters"),
            ("CANDOR_ADMIN_KEY", "change-me", "CANDOR_ADMIN_KEY is shorter than 16"),
            ("CANDOR_SECRET_KEYS", "sk-q7", "CANDOR_SECRET_KEYS: the key is shorter than 16"),
            ("CANDOR_SECRET_KEYS", "a-long-enough-signing-key,sk-q7", "CANDOR_SECRET_KEYS: key 2 of 2"),
        ],
    )  # fmt: skip
    def test_a_key_shorter_than_16_characters_is_kept_and_named_in_a_warning(
        self, env: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str, says: str
    ) -> None:
        monkeypatch.setenv(name, value)
        settings = get_settings()  # an older short key must keep verifying sent emails
        [warning] = weak_keys(settings)
        assert warning.startswith(says)
        assert "q7" not in warning and "change-me" not in warning  # nor is the key itself

    def test_keys_of_16_characters_or_more_are_kept(
        self, env: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("CANDOR_ADMIN_KEY", "0123456789abcdef")
        monkeypatch.setenv("CANDOR_SECRET_KEYS", "newest-signing-key, older-signing-key")
        settings = get_settings()
        assert settings.admin_key == "0123456789abcdef"
        assert settings.secret_keys == ["newest-signing-key", "older-signing-key"]
        assert weak_keys(settings) == []

    def test_an_empty_admin_key_is_no_admin_key(
        self, env: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("CANDOR_ADMIN_KEY", "")
        assert get_settings().admin_key is None


class TestTheCommand:
    @pytest.mark.parametrize(
        ("name", "value", "line"),
        [
            ("CANDOR_DATABASE_URL", "mysql://u@db/candor", "CANDOR_DATABASE_URL: mysql is not supported: "),
            ("CANDOR_POLICY", "/nonexistent.yaml", "CANDOR_POLICY: /nonexistent.yaml does not exist"),
            ("CANDOR_LOG_LEVEL", "loud", "CANDOR_LOG_LEVEL: must be one of critical, error, "),
        ],
    )  # fmt: skip
    def test_serve_refuses_to_start_with_one_line_and_no_traceback(
        self, tmp_path: Path, name: str, value: str, line: str
    ) -> None:
        result = subprocess.run(
            [sys.executable, "-c", "from service.cli import main; main()", "serve"],
            env={
                "PATH": "/usr/bin:/bin",
                "CANDOR_DATABASE_URL": f"sqlite:///{tmp_path}/candor.db",
                name: value,
            },
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2
        [said] = result.stderr.splitlines()
        assert said.startswith(f"candor: cannot start: {line}"), said
        assert not (tmp_path / "candor.db").exists()
