"""Where the token signing keys come from: the environment, a file, or the database."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, col, select

from pixel.tokens import Purpose, TokenSigner, generate_key
from service.config import Settings, sqlite_path
from service.models import SigningKey

__all__ = ["UnknownKeys", "keys_file", "load_signing_keys"]


def keys_file(database_url: str) -> Path | None:
    """The key file kept beside a SQLite database (``candor.db`` → ``candor.db.keys``)."""
    path = sqlite_path(database_url)
    return None if path is None else path.with_name(path.name + ".keys")


def load_signing_keys(settings: Settings, engine: sa.Engine) -> list[str]:
    """Keys newest first. Configured keys win; otherwise one is generated once and kept.

    Beside a SQLite file the key lives in a 0600 file; on a server database it lives in
    the ``signing_key`` table so that every collector replica signs and verifies alike.
    """
    if settings.secret_keys:
        return list(settings.secret_keys)
    if settings.database_url.startswith("sqlite"):
        path = keys_file(settings.database_url)
        return _file_keys(path) if path is not None else [generate_key()]
    return _database_keys(engine)


def _file_keys(path: Path) -> list[str]:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(generate_key() + "\n")
    keys = [line.strip() for line in path.read_text().splitlines() if line.strip()]
    if not keys:
        raise RuntimeError(f"{path} holds no signing key; delete it to generate one.")
    return keys


def _database_keys(engine: sa.Engine) -> list[str]:
    with Session(engine) as session:
        rows = session.exec(select(SigningKey).order_by(col(SigningKey.id).desc())).all()
        if not rows:
            session.add(SigningKey(key=generate_key()))
            session.commit()
            rows = session.exec(select(SigningKey).order_by(col(SigningKey.id).desc())).all()
        # Concurrent first starts may both insert; the newest row then signs for all.
        return [row.key for row in rows]


class UnknownKeys(TokenSigner):
    """The signer of a process that started without the database, a key or a snapshot:
    no token can be checked, so pixels answer unrecorded and links show the retry page."""

    def __init__(self) -> None:
        pass

    def __repr__(self) -> str:
        return "UnknownKeys()"

    def sign(self, purpose: Purpose, ref: str) -> str:
        raise RuntimeError("the signing keys are not known until the database answers")

    def verify(self, purpose: Purpose, token: str) -> str:
        raise RuntimeError("the signing keys are not known until the database answers")
