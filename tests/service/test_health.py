"""Health and readiness say what a hit meets now."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from service.app import create_app, create_collector_app
from service.config import Settings
from service.db import create_db_engine
from service.runtime import Runtime, build_runtime
from tests.conftest import ADMIN_KEY


@pytest.fixture
def down(settings: Settings, tmp_path: Path) -> Iterator[tuple[Settings, Runtime]]:
    """A server started while its database cannot be opened (SQLite in a missing folder)."""
    settings = settings.model_copy(
        update={"database_url": f"sqlite:///{tmp_path / 'missing' / 'candor.db'}"}
    )
    engine = create_db_engine(settings.database_url)
    runtime = build_runtime(settings, engine, prepared=False)
    yield settings, runtime
    runtime.close()
    engine.dispose()


class TestReadiness:
    def test_the_collector_alone_stays_ready_while_it_spools(
        self, down: tuple[Settings, Runtime]
    ) -> None:
        with TestClient(create_collector_app(*down)) as client:
            ready = client.get("/readyz")
            assert client.get("/o/anything.gif").status_code == 200
        assert ready.status_code == 200 and "spooled" in ready.json()["status"]

    def test_the_full_app_is_not_ready_and_its_api_answers_503_with_a_sentence(
        self, down: tuple[Settings, Runtime]
    ) -> None:
        with TestClient(create_app(*down)) as client:
            ready = client.get("/readyz")
            api = client.get("/api/users", headers={"Authorization": f"Bearer {ADMIN_KEY}"})
            assert client.get("/healthz").status_code == 200
        assert ready.status_code == 503 and "not prepared" in ready.json()["status"]
        assert api.status_code == 503
        assert api.json()["detail"] == "The database is not reachable yet; try again in a moment."

    @pytest.mark.parametrize("path", ["/console/prospects", "/login", "/p/some-page-token"])
    def test_a_page_a_person_reads_answers_503_as_a_page_with_the_same_sentence(
        self, down: tuple[Settings, Runtime], path: str
    ) -> None:
        with TestClient(create_app(*down), follow_redirects=False) as client:
            page = client.get(path)
            export = client.get("/p/some-page-token.json")
        assert page.status_code == 503 and page.headers["content-type"].startswith("text/html")
        assert "The database is not reachable yet; try again in a moment." in page.text
        assert page.headers["retry-after"] == "5"
        assert export.status_code == 503 and export.headers["content-type"] == "application/json"


class TestLiveness:
    @pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
    def test_a_stopped_writer_makes_the_process_unhealthy(
        self, settings: Settings, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def crash() -> None:
            raise RuntimeError("the writer thread has died")

        monkeypatch.setattr(runtime.writer, "_run", crash)
        with TestClient(create_app(settings, runtime)) as client:
            while runtime.writer.alive:
                time.sleep(0.01)
            health, ready = client.get("/healthz"), client.get("/readyz")
        assert health.status_code == 503 and "stopped" in health.json()["status"]
        assert ready.status_code == 503
