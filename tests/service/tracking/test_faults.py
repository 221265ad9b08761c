"""The collector when things break: the database goes away, the server is killed, the
spool's disk is full. Runs against a throwaway PostgreSQL cluster on its own port,
never the shared server."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from pixel.gif import TRANSPARENT_GIF
from service.app import create_app
from service.config import Settings
from service.db import create_db_engine
from service.runtime import build_runtime, prepare_database
from tests.conftest import ADMIN_KEY
from tests.factories import BROWSER_UA, EMAIL_HTML, make_prospect, make_user, path_of, send_message
from tests.servers import CandorProcess, free_port

BIN = (
    Path("/usr/lib/postgresql")
    / (
        sorted(os.listdir("/usr/lib/postgresql"))[-1]
        if Path("/usr/lib/postgresql").is_dir()
        else "none"
    )
    / "bin"
)
pytestmark = pytest.mark.skipif(
    not (BIN / "initdb").exists() or shutil.which("runuser") is None or os.geteuid() != 0,
    reason="needs PostgreSQL's server binaries and root to run a throwaway cluster",
)


class Cluster:
    """A PostgreSQL cluster in a temporary directory, on its own port."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="candor-pg-"))
        self.port = free_port()
        shutil.chown(self.root, "postgres")
        self._pg(
            "initdb", "-D", str(self.root / "data"), "-A", "trust", "-U", "postgres", "--no-sync"
        )

    def _pg(self, tool: str, *args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(BIN / tool), *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg(
            "pg_ctl",
            "-D",
            str(self.root / "data"),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._pg("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self, name: str) -> str:
        engine = sa.create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return self.url(name)

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    cluster = Cluster()
    cluster.start()
    yield cluster
    cluster.remove()


@pytest.fixture
def restarted(cluster: Cluster) -> Iterator[Cluster]:
    """The cluster, guaranteed running again after the test."""
    yield cluster
    with contextlib.suppress(subprocess.CalledProcessError):  # already running
        cluster.start()


def count(url: str, kind: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        value = connection.execute(
            sa.text("SELECT count(*) FROM event WHERE kind = :k"), {"k": kind}
        ).scalar_one()
    engine.dispose()
    return int(value)


def eventually(check: Callable[[], bool], seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except sa.exc.SQLAlchemyError:
            pass
        time.sleep(0.2)
    return False


def headers(n: int) -> dict[str, str]:
    return {"User-Agent": BROWSER_UA, "X-Forwarded-For": f"203.0.113.{n}"}


def collector_settings(url: str, spool_dir: Path) -> Settings:
    return Settings(
        database_url=url,
        public_url="http://collector.test",
        secret_keys=["faults-signing-key"],
        admin_key=ADMIN_KEY,
        spool_dir=spool_dir,
        retention_interval_hours=0,
    )


class TestDatabaseOutage:
    def test_hits_during_an_outage_are_answered_spooled_and_stored_once_when_it_returns(
        self, restarted: Cluster, tmp_path: Path
    ) -> None:
        url = restarted.new_database("outage")
        settings = collector_settings(url, tmp_path / "spool")
        engine = create_db_engine(url)
        prepare_database(settings, engine)
        runtime = build_runtime(settings, engine)
        with TestClient(
            create_app(settings, runtime), client=("127.0.0.1", 5000), follow_redirects=False
        ) as client:
            rep = make_user(client)
            prospect = make_prospect(client, rep)
            warm = send_message(client, rep, prospect["id"], sent_at="2026-01-01T00:00:00Z")
            cold = send_message(
                client, rep, prospect["id"], sent_at="2026-01-01T00:00:00Z", html="<p>cold</p>"
            )
            client.get(path_of(warm["pixel_url"]), headers=headers(1))
            client.get(path_of(warm["links"][0]["tracked_url"]), headers=headers(1))

            restarted.stop()
            for n in range(2, 12):
                assert (
                    client.get(path_of(warm["pixel_url"]), headers=headers(n)).content
                    == TRANSPARENT_GIF
                )
            click = client.get(path_of(warm["links"][1]["tracked_url"]), headers=headers(50))
            assert click.status_code == 302 and click.headers["location"].startswith(
                "https://example.com/security"
            )
            assert (
                client.get(path_of(cold["pixel_url"]), headers=headers(60)).content
                == TRANSPARENT_GIF
            )
            assert client.get("/readyz").status_code == 503
            assert client.get("/healthz").status_code == 200
            assert any((tmp_path / "spool").glob("spool-*.jsonl"))

            restarted.start()
            assert eventually(lambda: count(url, "open") == 12 and count(url, "click") == 2)
            assert eventually(lambda: not any((tmp_path / "spool").glob("*.jsonl")))
            assert client.get("/readyz").status_code == 200
        assert count(url, "open") == 12  # nothing doubled after the drain and the shutdown flush
        engine.dispose()


class TestKilledServer:
    def test_a_kill_9_loses_no_acknowledged_hit(self, restarted: Cluster, tmp_path: Path) -> None:
        url = restarted.new_database("killed")
        candor = CandorProcess(
            database_url=url,
            workdir=tmp_path,
            CANDOR_SECRET_KEYS="faults-signing-key",
            CANDOR_SPOOL_DIR=str(tmp_path / "spool"),
        )
        candor.start()
        try:
            admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
            base = candor.base
            rep = httpx.post(
                f"{base}/api/users", json={"name": "r", "role": "rep"}, headers=admin
            ).json()
            auth = {"Authorization": f"Bearer {rep['api_key']}"}
            prospect = httpx.post(
                f"{base}/api/prospects", json={"email": "a@example.com"}, headers=auth
            ).json()
            message = httpx.post(
                f"{base}/api/messages",
                json={
                    "prospect_id": prospect["id"],
                    "subject": "s",
                    "html": EMAIL_HTML,
                    "sent_at": "2026-01-01T00:00:00Z",
                },
                headers=auth,
            ).json()
            httpx.get(message["pixel_url"], headers=headers(1))

            restarted.stop()
            for n in range(2, 7):
                assert httpx.get(message["pixel_url"], headers=headers(n)).status_code == 200
            candor.kill()

            restarted.start()
            candor.start()
            assert eventually(lambda: count(url, "open") == 6)
        finally:
            candor.stop()


class TestSpoolDiskFull:
    def test_pixels_still_answer_and_drops_are_counted(
        self, restarted: Cluster, tmp_path: Path
    ) -> None:
        url = restarted.new_database("diskfull")
        blocker = tmp_path / "not-a-directory"
        blocker.write_text("a file where the spool directory should be")
        settings = collector_settings(url, blocker / "spool")
        engine = create_db_engine(url)
        prepare_database(settings, engine)
        runtime = build_runtime(settings, engine)
        with TestClient(
            create_app(settings, runtime), client=("127.0.0.1", 5000), follow_redirects=False
        ) as client:
            rep = make_user(client)
            message = send_message(client, rep, make_prospect(client, rep)["id"])
            client.get(path_of(message["pixel_url"]), headers=headers(1))  # cache the target
            before = _dropped(client)
            restarted.stop()
            for n in range(2, 5):
                assert (
                    client.get(path_of(message["pixel_url"]), headers=headers(n)).content
                    == TRANSPARENT_GIF
                )
            assert _dropped(client) == before + 3
            restarted.start()
        engine.dispose()


def _dropped(client: TestClient) -> float:
    for line in client.get("/metrics").text.splitlines():
        if line.startswith('candor_writer_operations_dropped_total{reason="spool_unwritable"}'):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def client_headers(n: int) -> dict[str, str]:
    """A browser at a distinct address for each ``n`` (one hit each, no replay)."""
    return {"User-Agent": BROWSER_UA, "X-Forwarded-For": f"198.18.{n // 250}.{n % 250 + 1}"}


def metric(http: httpx.Client, name: str) -> float:
    """A sample's value from /metrics, by its name with labels (0 when absent)."""
    for line in http.get("/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


_SPOOL_FULL_DROPS = 'candor_writer_operations_dropped_total{reason="spool_full"}'
_SPOOL_UNWRITABLE_DROPS = 'candor_writer_operations_dropped_total{reason="spool_unwritable"}'
_SPOOLED = "candor_writer_operations_spooled_total"


@pytest.fixture(params=["size cap", "tmpfs"])
def small_spool(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a server whose spool fills after a few dozen hits: a spool
    capped by CANDOR_SPOOL_MAX_BYTES, or on a 64 KiB tmpfs (the disk itself is full)."""
    directory = tmp_path / "spool"
    directory.mkdir()
    if request.param == "size cap":
        yield {"CANDOR_SPOOL_DIR": str(directory), "CANDOR_SPOOL_MAX_BYTES": "8192"}
        return
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(directory)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here; the size-capped spool covers the same fault")
    try:
        yield {"CANDOR_SPOOL_DIR": str(directory)}
    finally:
        subprocess.run(["umount", "-l", str(directory)], capture_output=True)


def tracked_email(http: httpx.Client, **fields: str) -> tuple[str, str]:
    """A message sent through the API: its pixel's and first link's paths."""
    rep = make_user(http)  # type: ignore[arg-type]
    prospect = make_prospect(http, rep)  # type: ignore[arg-type]
    message = send_message(http, rep, prospect["id"], **fields)  # type: ignore[arg-type]
    return path_of(message["pixel_url"]), path_of(message["links"][0]["tracked_url"])


def fill_the_spool(http: httpx.Client, pixel: str) -> int:
    """Open the pixel from new addresses until the spool drops one; the next address."""
    n = 2
    while metric(http, _SPOOL_FULL_DROPS) + metric(http, _SPOOL_UNWRITABLE_DROPS) == 0:
        assert n < 1000, "the spool never filled"
        assert http.get(pixel, headers=client_headers(n)).content == TRANSPARENT_GIF
        n += 1
    return n


class TestFullSpoolDuringAnOutage:
    def test_hits_are_answered_and_dropped_and_the_spool_drains_when_the_database_returns(
        self, restarted: Cluster, tmp_path: Path, small_spool: dict[str, str]
    ) -> None:
        url = restarted.new_database("spoolfull")
        candor = CandorProcess(
            database_url=url,
            workdir=tmp_path,
            CANDOR_SECRET_KEYS="faults-signing-key",
            **small_spool,
        )
        candor.start()
        try:
            with httpx.Client(base_url=candor.base, timeout=8) as http:
                pixel, link = tracked_email(http, sent_at="2026-01-01T00:00:00Z")
                http.get(pixel, headers=client_headers(1))  # stored, and its targets cached
                assert http.get(link, headers=client_headers(1)).status_code == 302
                restarted.stop()
                n = fill_the_spool(http, pixel)
                for m in range(n, n + 20):  # full: every hit is still answered
                    assert http.get(pixel, headers=client_headers(m)).content == TRANSPARENT_GIF
                    click = http.get(link, headers=client_headers(m))
                    assert click.status_code == 302
                    assert click.headers["location"].startswith("https://example.com/pricing")
                spooled = metric(http, _SPOOLED)
                assert metric(http, "candor_spool_depth") == spooled > 0
                assert metric(http, _SPOOL_FULL_DROPS) >= 41
                ready = http.get("/readyz")
                assert ready.status_code == 503 and "spool full" in ready.json()["status"]
                assert http.get("/healthz").status_code == 200

                restarted.start()
                assert eventually(lambda: metric(http, "candor_spool_depth") == 0)
                assert eventually(lambda: http.get("/readyz").status_code == 200)
                assert count(url, "open") == 1 + spooled  # what was spooled, and no more
                assert http.get(pixel, headers=client_headers(n + 20)).status_code == 200
                assert count(url, "open") == 2 + spooled  # the writer goes on
        finally:
            candor.stop()  # SIGTERM: exits within the wait, or this raises

    def test_sigterm_stops_a_server_whose_database_is_down_and_spool_full(
        self, restarted: Cluster, tmp_path: Path
    ) -> None:
        url = restarted.new_database("spoolfull_sigterm")
        candor = CandorProcess(
            database_url=url,
            workdir=tmp_path,
            CANDOR_SECRET_KEYS="faults-signing-key",
            CANDOR_SPOOL_DIR=str(tmp_path / "spool"),
            CANDOR_SPOOL_MAX_BYTES="4096",
        )
        candor.start()
        with httpx.Client(base_url=candor.base, timeout=8) as http:
            pixel, _ = tracked_email(http)
            http.get(pixel, headers=client_headers(1))
            restarted.stop()
            fill_the_spool(http, pixel)
        assert candor.process is not None
        candor.process.terminate()
        # uvicorn shuts down, then re-raises the signal it caught: exit status -15.
        assert candor.process.wait(timeout=15) in (0, -signal.SIGTERM)


def snapshot_holds(spool: Path, url: str) -> bool:
    """Whether the server's snapshot beside the spool lists a link to ``url``."""
    try:
        links = json.loads((spool / "snapshot.json").read_text())["links"]
    except (OSError, ValueError):
        return False
    return any(link[2] == url for link in links)


class TestStartWithTheDatabaseDown:
    def test_the_collector_starts_answers_from_its_snapshot_and_catches_up(
        self, restarted: Cluster, tmp_path: Path
    ) -> None:
        url = restarted.new_database("startdown")
        spool = tmp_path / "spool"
        env = {"CANDOR_SPOOL_DIR": str(spool), "CANDOR_SNAPSHOT_INTERVAL_SECONDS": "0.5"}
        first = CandorProcess(database_url=url, workdir=tmp_path, **env)  # keys in the database
        first.start()
        try:
            with httpx.Client(base_url=first.base, timeout=8) as http:
                pixel, link = tracked_email(http)
                _, old_link = tracked_email(http, sent_at="2025-01-01T00:00:00Z")  # too old
            assert eventually(
                lambda: snapshot_holds(spool, "https://example.com/pricing?plan=team&seats=5")
            )
        finally:
            first.stop()
        restarted.stop()

        candor = CandorProcess(database_url=url, workdir=tmp_path, **env)
        candor.start()  # before the fix: exits in the migration step
        try:
            with httpx.Client(base_url=candor.base, timeout=8) as http:
                assert http.get(pixel, headers=client_headers(1)).content == TRANSPARENT_GIF
                click = http.get(link, headers=client_headers(1))
                assert click.status_code == 302
                assert click.headers["location"].startswith("https://example.com/pricing")
                unknown = http.get(old_link, headers=client_headers(1))
                assert unknown.status_code == 503 and "try this link again" in unknown.text
                api = http.get("/api/users", headers={"Authorization": f"Bearer {ADMIN_KEY}"})
                assert api.status_code == 503 and "database" in api.json()["detail"]
                ready = http.get("/readyz")
                assert ready.status_code == 503 and "spooled" in ready.json()["status"]
                assert http.get("/healthz").status_code == 200

                restarted.start()
                assert eventually(lambda: http.get("/readyz").status_code == 200)
                assert eventually(lambda: count(url, "open") == 1 and count(url, "click") == 1)
                api = http.get("/api/users", headers={"Authorization": f"Bearer {ADMIN_KEY}"})
                assert api.status_code == 200
                assert http.get(old_link, headers=client_headers(2)).status_code == 302
        finally:
            candor.stop()

    def test_a_fresh_install_started_before_its_database_is_migrated_once_it_answers(
        self, restarted: Cluster, tmp_path: Path
    ) -> None:
        url = restarted.new_database("startdown_fresh")
        restarted.stop()
        candor = CandorProcess(
            database_url=url, workdir=tmp_path, CANDOR_SPOOL_DIR=str(tmp_path / "spool")
        )
        candor.start()
        try:
            with httpx.Client(base_url=candor.base, timeout=8) as http:
                # No key is known yet: a pixel still answers, a link asks to be retried.
                assert http.get("/o/anything.gif").content == TRANSPARENT_GIF
                assert http.get("/c/anything").status_code == 503
                restarted.start()
                assert eventually(lambda: http.get("/readyz").status_code == 200)
                _, link = tracked_email(http)  # migrated, admin bootstrapped, key made
                assert http.get(link, headers=client_headers(1)).status_code == 302
                assert eventually(lambda: count(url, "click") == 1)
        finally:
            candor.stop()
