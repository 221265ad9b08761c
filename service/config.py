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

from service.logs import parse_access_log

__all__ = [
    "CONTROLLER_SETTINGS",
    "ConfigError",
    "Controller",
    "Settings",
    "controller_of",
    "get_settings",
    "missing_controller_settings",
    "spool_directory",
    "sqlite_path",
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

    database_url: str = "sqlite:///./candor.db"
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
