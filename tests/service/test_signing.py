"""Signing keys are generated once and kept, unless configured."""

from __future__ import annotations

import stat
from pathlib import Path

from service.config import Settings
from service.db import create_db_engine
from service.runtime import prepare_database
from service.signing import keys_file, load_signing_keys


class TestSigningKeys:
    def test_a_sqlite_install_keeps_one_generated_key_beside_the_database(
        self, tmp_path: Path
    ) -> None:
        settings = Settings(database_url=f"sqlite:///{tmp_path}/candor.db")
        engine = create_db_engine(settings.database_url)
        prepare_database(settings, engine)
        first = load_signing_keys(settings, engine)
        assert load_signing_keys(settings, engine) == first
        path = keys_file(settings.database_url)
        assert path == tmp_path / "candor.db.keys"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

    def test_configured_keys_win_newest_first(self, tmp_path: Path) -> None:
        settings = Settings(
            database_url=f"sqlite:///{tmp_path}/c.db",
            secret_keys="signing-key-newest,signing-key-oldest",
        )  # type: ignore[arg-type]
        assert load_signing_keys(settings, create_db_engine(settings.database_url)) == [
            "signing-key-newest",
            "signing-key-oldest",
        ]
        assert not (tmp_path / "c.db.keys").exists()
