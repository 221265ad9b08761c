"""The installed package (a wheel, as the Docker image installs it) carries its data files.

Editable installs read files from the checkout, so a file missing from the package data
only breaks the image: every timeline once failed there for want of the coach templates.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pixel", "policies", "service")


def package_data() -> dict[str, list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]["package-data"]


def data_files() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    )


def packaged(path: Path, patterns: dict[str, list[str]]) -> bool:
    relative = path.relative_to(ROOT)
    for package, globs in patterns.items():
        base = Path(*package.split("."))
        if relative.is_relative_to(base):
            inside = relative.relative_to(base).as_posix()
            if any(
                fnmatch(inside, pattern) and inside.count("/") == pattern.count("/")
                for pattern in globs
            ):
                return True
    return False


class TestPackageData:
    def test_every_data_file_of_the_packages_is_in_the_wheel(self) -> None:
        patterns = package_data()
        files = data_files()
        assert any(path.name == "templates.yaml" for path in files)
        missing = [str(path.relative_to(ROOT)) for path in files if not packaged(path, patterns)]
        assert missing == []

    def test_migrations_ship_with_the_package(self) -> None:
        patterns = package_data()
        for version in (ROOT / "service/migrations/versions").glob("*.py"):
            assert packaged(version, patterns), version


class TestWheel:
    def test_the_catalogues_ship_in_the_wheel_and_are_read_from_it(self, tmp_path: Path) -> None:
        """The .po files are read at start-up (no compile step): from a wheel as from the
        checkout."""
        source = tmp_path / "source"  # a copy, so the build writes nothing in the checkout
        for package in PACKAGES:
            caches = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(ROOT / package, source / package, ignore=caches)
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(ROOT / name, source / name)
        built = subprocess.run(
            [
                *(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"),
                *("--no-index", "--quiet", "--wheel-dir", str(tmp_path), str(source)),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert built.returncode == 0, built.stderr
        wheel = next(tmp_path.glob("candor-*.whl"))
        site = tmp_path / "site"
        with zipfile.ZipFile(wheel) as archive:
            assert "service/locale/de/LC_MESSAGES/messages.po" in archive.namelist()
            assert "service/locale/en/LC_MESSAGES/messages.po" in archive.namelist()
            archive.extractall(site)
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                "import service, service.i18n as i18n; print(service.__file__); "
                "print(i18n.languages()); print(i18n.language_for('de').gettext('Opt out'))",
            ],
            env={**os.environ, "PYTHONPATH": str(site)},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert probe.returncode == 0, probe.stderr
        where, languages, words = probe.stdout.splitlines()
        assert where.startswith(str(site))  # the wheel's copy, not the checkout
        assert languages == "('en', 'de')"
        assert words == "Widersprechen"
