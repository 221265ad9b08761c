"""docker-compose.yml, read as Docker would read it: no Docker daemon needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
CANDOR = [name for name, service in SERVICES.items() if service.get("build") == "."]


def _probe(service: dict[str, Any]) -> str:
    return " ".join(service["healthcheck"]["test"])


class TestEveryService:
    @pytest.mark.parametrize("name", SERVICES)
    def test_restarts_when_its_process_exits(self, name: str) -> None:
        assert SERVICES[name].get("restart") in {"always", "unless-stopped", "on-failure"}

    @pytest.mark.parametrize("name", SERVICES)
    def test_has_a_health_check_with_a_bounded_probe(self, name: str) -> None:
        check = SERVICES[name]["healthcheck"]
        assert check["test"][0] in {"CMD", "CMD-SHELL"} and len(check["test"]) > 1
        assert check["timeout"] and check["interval"] and check["retries"] > 0

    @pytest.mark.parametrize("name", SERVICES)
    def test_waits_for_what_it_needs_to_be_healthy(self, name: str) -> None:
        needs = SERVICES[name].get("depends_on", {})
        assert isinstance(needs, dict), "depends_on must name a condition per service"
        for other, condition in needs.items():
            assert other in SERVICES and "healthcheck" in SERVICES[other]
            assert condition == {"condition": "service_healthy"}


class TestTheTopology:
    def test_starts_in_an_order_without_cycles(self) -> None:
        started: list[str] = []
        while len(started) < len(SERVICES):
            ready = [
                name
                for name, service in SERVICES.items()
                if name not in started and set(service.get("depends_on", {})) <= set(started)
            ]
            assert ready, f"a dependency cycle among {set(SERVICES) - set(started)}"
            started += sorted(ready)
        assert started.index("db") < started.index("api") < started.index("collector")
        assert started.index("collector") < started.index("proxy")

    def test_the_database_is_checked_with_pg_isready(self) -> None:
        assert "pg_isready" in _probe(SERVICES["db"])

    @pytest.mark.parametrize("name", CANDOR)
    def test_candor_services_are_checked_on_their_readiness_route(self, name: str) -> None:
        assert "127.0.0.1:8000/readyz" in _probe(SERVICES[name])

    def test_the_proxy_is_checked_through_nginx_on_the_liveness_route(self) -> None:
        assert "127.0.0.1:8080/healthz" in _probe(SERVICES["proxy"])

    @pytest.mark.parametrize("name", CANDOR)
    def test_every_candor_process_shares_the_windows_in_the_compose_redis(self, name: str) -> None:
        service = SERVICES[name]
        assert service["environment"]["CANDOR_REDIS_URL"] == "redis://redis:6379/0"
        assert "redis" in service["depends_on"]
        assert "redis-cli ping" in _probe(SERVICES["redis"])

    def test_the_proxy_mounts_the_nginx_configuration_in_the_repository(self) -> None:
        [volume] = SERVICES["proxy"]["volumes"]
        source, target = volume.split(":")[:2]
        assert (ROOT / source).is_file() and target == "/etc/nginx/nginx.conf"
