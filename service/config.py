"""Settings read from the environment (prefix ``CANDOR_``), one object for the process."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from policies import PolicyError, builtin_names, load_policy
from service.logs import parse_access_log
from service.textfiles import UnreadableFile, read_text_file

__all__ = [
    "CONTROLLER_SETTINGS",
    "DEFAULT_DATABASE_URL",
    "LOG_LEVELS",
    "MIN_KEY_LENGTH",
    "ConfigError",
    "Controller",
    "Settings",
    "controller_of",
    "get_settings",
    "missing_controller_settings",
    "spool_directory",
    "sqlite_path",
    "weak_keys",
]

# A contact address: no blanks, one @, a dotted domain. Only an operator types it, and it
# is shown (escaped) in footers and on the transparency page, so this is a typo check.
_CONTACT_EMAIL = re.compile(r"^[^@\s<>\"]{1,64}@[^@\s<>\"]+\.[^@\s<>\".]{2,63}$")
# What each setting naming the controller is for, in the start-up warning when it is unset.
CONTROLLER_SETTINGS = {
    "CANDOR_COMPANY_NAME": "the company that sends the emails, named in every email's "
    "footer and on the transparency page as who sends",
    "CANDOR_CONTACT_EMAIL": "the address a prospect writes to with questions about their "
    "data (privacy law asks that it be given)",
    "CANDOR_PRIVACY_URL": "the company's privacy notice, linked from the footer and the "
    "transparency page",
}

DEFAULT_DATABASE_URL = "sqlite:///./candor.db"
# The databases Candor runs on, as CANDOR_DATABASE_URL writes them (in error messages).
_SUPPORTED_DATABASES = (
    "Candor runs on SQLite (sqlite:///PATH, the default sqlite:///./candor.db) "
    "or PostgreSQL (postgresql+psycopg://user:password@host:5432/db)"
)
# What users write for PostgreSQL (Heroku and others hand out postgres://): psycopg is
# the driver Candor ships with, so both mean postgresql+psycopg://.
_POSTGRES_SCHEMES = ("postgres", "postgresql")
# uvicorn's levels (uvicorn.config.LOG_LEVELS), which CANDOR_LOG_LEVEL is handed to.
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
# Below this length an admin API key or signing key is a warning at `candor serve`: a
# guessable one lets anyone in as the admin, or sign tracked links. Only a warning: a
# deployment's older keys must keep verifying the links of emails already sent.
MIN_KEY_LENGTH = 16
_KEY_EXAMPLE = "e.g. the output of `openssl rand -hex 24`"


class ConfigError(ValueError):
    """A setting with a value Candor cannot use; the message names each variable."""


@dataclass(frozen=True)
class Controller:
    """Who is responsible for the data (the controller): named to every prospect."""

    company_name: str | None
    contact_email: str | None
    privacy_url: str | None


class Settings(BaseSettings):
    """Everything an operator can tune; see the README's Configuration table."""

    model_config = SettingsConfigDict(env_prefix="CANDOR_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    public_url: str = "http://127.0.0.1:8000"
    # Where people open the console (invitation links point here); default: public_url.
    console_url: str = ""
    secret_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)
    admin_key: str | None = None
    forwarded_allow_ips: str = "127.0.0.1"
    policy: str = "default"
    # Hits from the same client on the same token within this window are one event.
    replay_window_seconds: float = 10.0
    # Redis shared by every collector process: replay window and burst rule hold across
    # workers and replicas (unset: each process keeps its own, right for one process only).
    redis_url: str | None = None
    # Prefix of the keys Candor writes in Redis (several installs may share one).
    redis_prefix: str = "candor:"
    # A click followed by a visit with its visitor id within this window is confirmed.
    confirm_window_seconds: float = 1800.0
    log_level: str = "info"
    # The collector routes' access log: off, all, or sample:N (one line in N hits).
    # Other routes are always logged (at log level info).
    access_log: str = "off"
    # Where the collector spools hits while the database is unreachable (default: beside
    # the SQLite file, or ./candor-spool).
    spool_dir: Path | None = None
    # The most the spool files may hold together, in bytes (0: as much as the disk takes).
    # When it is reached new hits are still answered but dropped, and counted.
    spool_max_bytes: int = Field(default=0, ge=0)
    # How often a running server rewrites its snapshot of link targets and signing keys
    # (beside the spool), from which it redirects if it must start while the database is down.
    snapshot_interval_seconds: float = Field(default=600.0, gt=0)
    # The collector's writer connections on PostgreSQL (unset: 2): one batch is inserted
    # while the one before it commits. SQLite writes on one connection whatever this says.
    writer_connections: int | None = Field(default=None, ge=1, le=16)
    # `candor serve` served directly: the largest request head (request line and headers)
    # it reads (431 beyond), and how long a client may take to send it (then closed).
    max_request_head_bytes: int = Field(default=32768, ge=1024)
    request_head_timeout_seconds: float = Field(default=5.0, gt=0)
    # How long a token's target (destination, consent flags) is cached in a process.
    target_cache_seconds: float = 30.0
    # How often `candor serve` purges data past the active policy's retention (0: never).
    retention_interval_hours: float = 6.0
    # Freeze the objects alive after start-up (gc.freeze) so full collections skip them:
    # cuts the occasional 50-70 ms pause off a timeline read's p95 (bench/timeline.py).
    gc_freeze: bool = True
    # When set, /metrics answers only `Authorization: Bearer <metrics_token>` (a scraper).
    metrics_token: str | None = None
    # The controller, named in every email footer and on the transparency page.
    company_name: str | None = Field(default=None, max_length=200)
    contact_email: str | None = Field(default=None, max_length=320)
    privacy_url: str | None = Field(default=None, max_length=2000)

    @field_validator("company_name")
    @classmethod
    def _company_name(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if any(ord(char) < 32 or ord(char) == 127 for char in value):
            raise ValueError("must be one line of text, without control characters")
        return value or None

    @field_validator("contact_email")
    @classmethod
    def _contact_email(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if value and not _CONTACT_EMAIL.match(value):
            raise ValueError("must be an email address such as privacy@example.com")
        return value or None

    @field_validator("privacy_url")
    @classmethod
    def _privacy_url(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        parts = urlsplit(value)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or any(char.isspace() or ord(char) < 32 for char in value)
        ):
            raise ValueError("must be an absolute http(s) URL such as https://example.com/privacy")
        return value

    @field_validator("secret_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: object) -> object:
        if isinstance(value, str):
            return [key.strip() for key in value.split(",") if key.strip()]
        return value

    @field_validator("admin_key")
    @classmethod
    def _no_empty_admin_key(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        value = value.strip()
        scheme, separator, rest = value.partition("://")
        if scheme.lower() in _POSTGRES_SCHEMES and separator:
            value = f"postgresql+psycopg://{rest}"
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(f"is not a database URL: {_SUPPORTED_DATABASES}") from None
        if url.drivername in ("sqlite", "postgresql+psycopg"):
            return value
        if url.get_backend_name() == "postgresql":
            raise ValueError(
                f"{url.drivername} is not supported: the PostgreSQL driver is psycopg "
                "(postgresql+psycopg://, postgresql:// or postgres://)"
            )
        raise ValueError(f"{url.get_backend_name()} is not supported: {_SUPPORTED_DATABASES}")

    @field_validator("policy")
    @classmethod
    def _policy(cls, value: str) -> str:
        # As policies.resolve_policy reads it: a built-in name first, then a file.
        value = value.strip()
        names = builtin_names()
        if value in names:
            return value
        allowed = f"{', '.join(sorted(names))}, or the path of a policy YAML file"
        path = Path(value)
        if not (path.suffix in (".yaml", ".yml") or "/" in value or "\\" in value or path.exists()):
            raise ValueError(f"must be {allowed}; {value!r} is neither")
        try:
            load_policy(read_text_file(path))
        except UnreadableFile as error:
            raise ValueError(f"{error} (it must be {allowed})") from None
        except PolicyError:
            raise ValueError(
                f"{value} is not a valid policy: `candor policy validate {value}` lists its errors"
            ) from None
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.strip().lower()
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a Redis URL: redis://host:6379/0, rediss://… or unix://…")
        return value or None

    @field_validator("access_log")
    @classmethod
    def _access_log(cls, value: str) -> str:
        parse_access_log(value)  # raises with the sentence naming what is accepted
        return value.strip().lower()

    @field_validator("public_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an absolute http(s) URL")
        return value

    @field_validator("console_url")
    @classmethod
    def _console_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must be an absolute http(s) URL")
        return value

    @model_validator(mode="after")
    def _console_defaults_to_public(self) -> Settings:
        if not self.console_url:
            self.console_url = self.public_url
        return self


def spool_directory(settings: Settings) -> Path:
    """The configured spool directory, or one beside the SQLite file, or ./candor-spool."""
    if settings.spool_dir is not None:
        return settings.spool_dir
    path = sqlite_path(settings.database_url)
    return path.with_name(path.name + ".spool") if path is not None else Path("candor-spool")


def sqlite_path(database_url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    prefix = "sqlite:///"
    if not database_url.startswith(prefix):
        return None
    path = database_url[len(prefix) :].split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return Path(path)


def controller_of(settings: Settings) -> Controller:
    """The controller's identity as the settings name it (None where unset)."""
    return Controller(settings.company_name, settings.contact_email, settings.privacy_url)


def weak_keys(settings: Settings) -> list[str]:
    """A sentence for each key shorter than ``MIN_KEY_LENGTH``, naming it, never quoting it."""
    found = []
    if settings.admin_key and len(settings.admin_key) < MIN_KEY_LENGTH:
        found.append(
            f"CANDOR_ADMIN_KEY is shorter than {MIN_KEY_LENGTH} characters: whoever guesses "
            f"it is the admin ({_KEY_EXAMPLE})"
        )
    keys = settings.secret_keys
    for number, key in enumerate(keys, start=1):
        if len(key) < MIN_KEY_LENGTH:
            which = f"key {number} of {len(keys)}" if len(keys) > 1 else "the key"
            found.append(
                f"CANDOR_SECRET_KEYS: {which} is shorter than {MIN_KEY_LENGTH} characters: "
                f"whoever guesses it can sign tracking links ({_KEY_EXAMPLE})"
            )
    return found


def missing_controller_settings(settings: Settings) -> list[str]:
    """The ``CANDOR_*`` variables naming the controller that are unset, in table order."""
    values = {
        "CANDOR_COMPANY_NAME": settings.company_name,
        "CANDOR_CONTACT_EMAIL": settings.contact_email,
        "CANDOR_PRIVACY_URL": settings.privacy_url,
    }
    return [name for name in CONTROLLER_SETTINGS if not values[name]]


def _config_error(error: ValidationError) -> ConfigError:
    """Pydantic's errors as one line per environment variable, e.g.
    ``CANDOR_PRIVACY_URL: must be an absolute http(s) URL ...``."""
    lines = []
    for item in error.errors(include_url=False):
        field = str(item["loc"][0]) if item.get("loc") else ""
        name = f"CANDOR_{field.upper()}" if field else "settings"
        lines.append(f"{name}: {str(item['msg']).removeprefix('Value error, ')}")
    return ConfigError("; ".join(lines))


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once.

    Raises:
        ConfigError: a variable holds a value Candor cannot use (the message names it).
    """
    try:
        return Settings()
    except ValidationError as error:
        raise _config_error(error) from None
