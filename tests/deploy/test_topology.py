"""The compose topology on loopback: the API, three collector replicas behind Debian's
nginx running deploy/nginx.conf, one PostgreSQL and one Redis.

The nginx configuration is the repository's own, with only the addresses rewritten
(``render_nginx_conf``): the upstreams point at local ports instead of compose's DNS.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
import sqlalchemy as sa
from sqlmodel import SQLModel

from service.models import utcnow
from tests.conftest import POSTGRES_URL
from tests.factories import BROWSER_UA, make_prospect, make_user, path_of, send_message
from tests.servers import CandorProcess, free_port

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or next(
    (path for path in ("/usr/sbin/nginx",) if Path(path).exists()), None
)
REDIS_URL = "redis://127.0.0.1:6379/0"
REPLICAS = 3
LOAD = 240  # hits of the kill-mid-load scenario, each from a client of its own


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.topology,
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx)"),
    pytest.mark.skipif(POSTGRES_URL is None, reason="needs CANDOR_TEST_DATABASE_URL (PostgreSQL)"),
    pytest.mark.skipif(not _redis_answers(), reason="no Redis at 127.0.0.1:6379"),
]


def render_nginx_conf(*, listen: int, api: int, collectors: list[int], prefix: Path) -> str:
    """deploy/nginx.conf with compose's names replaced by loopback ports, nothing else.

    Each rewritten line must appear exactly once, so a change to the deployed file that
    this rendering no longer matches fails here instead of testing something else.
    """
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = " ".join(f"server 127.0.0.1:{port};" for port in collectors)
    rewrites = {
        "resolver 127.0.0.11 valid=10s;": "",
        "upstream api { server api:8000; }": (
            f"upstream api {{ server 127.0.0.1:{api}; }}\n"
            f"    upstream collector {{ {servers} }}\n"
            f"    access_log {prefix}/access.log;\n"
            f"    client_body_temp_path {prefix}/body;\n"
            f"    proxy_temp_path {prefix}/proxy;"
        ),
        "set $collector collector:8000;": "set $collector collector;",
        "listen 8080;": f"listen 127.0.0.1:{listen};",
    }
    for old, new in rewrites.items():
        assert text.count(old) == 1, f"deploy/nginx.conf no longer has {old!r} once"
        text = text.replace(old, new)
    return text


@dataclass
class Topology:
    api: CandorProcess
    collectors: list[CandorProcess]
    entry: httpx.Client
    engine: sa.Engine

    def hits(self, replica: CandorProcess, route: str) -> float:
        """The replica's own count of hits on ``route``, from its /metrics."""
        text = httpx.get(f"{replica.base}/metrics", timeout=5).text
        line = f'candor_collector_hits_total{{route="{route}"}} '
        return sum(float(row[len(line) :]) for row in text.splitlines() if row.startswith(line))

    def stored(self, sql: str, **params: Any) -> list[Any]:
        with self.engine.connect() as connection:
            return list(connection.execute(sa.text(sql), params))


@pytest.fixture
def topology(postgres_engine: sa.Engine, tmp_path: Path) -> Iterator[Topology]:
    assert POSTGRES_URL is not None and NGINX is not None
    tables = ", ".join(f'"{table.name}"' for table in SQLModel.metadata.sorted_tables)
    with postgres_engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    listen = free_port()
    env = {
        "CANDOR_PUBLIC_URL": f"http://127.0.0.1:{listen}",
        "CANDOR_FORWARDED_ALLOW_IPS": "127.0.0.1",
        "CANDOR_REDIS_URL": REDIS_URL,
        "CANDOR_REDIS_PREFIX": f"candor-test:{secrets.token_hex(6)}:",
    }
    processes = []

    def process(name: str, *args: str) -> CandorProcess:
        workdir = tmp_path / name  # each its own spool, as each container has
        workdir.mkdir()
        started = CandorProcess(database_url=POSTGRES_URL, workdir=workdir, args=args, **env)
        processes.append(started)
        started.start()
        return started

    nginx: subprocess.Popen[bytes] | None = None
    try:
        api = process("api")  # migrates, as compose starts it first
        collectors = [process(f"collector-{n}", "--collector-only") for n in range(REPLICAS)]
        prefix = tmp_path / "nginx"
        prefix.mkdir()
        conf = prefix / "nginx.conf"
        conf.write_text(
            render_nginx_conf(
                listen=listen, api=api.port, collectors=[c.port for c in collectors], prefix=prefix
            )
        )
        nginx = subprocess.Popen(
            [NGINX, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf),
             "-g", f"daemon off; pid {prefix}/nginx.pid;"]
        )  # fmt: skip
        entry = httpx.Client(base_url=f"http://127.0.0.1:{listen}", timeout=15)
        deadline = time.monotonic() + 20
        while True:
            try:
                if entry.get("/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "nginx did not answer"
            time.sleep(0.1)
        yield Topology(api=api, collectors=collectors, entry=entry, engine=postgres_engine)
        entry.close()
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(timeout=10)
        for started in processes:
            started.stop()


def _message(topology: Topology, links: int = 3) -> dict[str, Any]:
    client: Any = topology.entry  # an httpx client, as the factories' TestClient is
    rep = make_user(client)
    prospect = make_prospect(client, rep)
    html = "".join(f'<a href="https://example.com/{n}">{n}</a>' for n in range(links))
    sent_at = (utcnow() - timedelta(hours=2)).isoformat()
    return send_message(client, rep, prospect["id"], sent_at=sent_at, html=html)


def _agent(name: str) -> dict[str, str]:
    """A person's browser, told apart by a suffix: nginx forwards every hit from 127.0.0.1."""
    return {"User-Agent": f"{BROWSER_UA} {name}"}


class TestTheComposeTopology:
    def test_hits_spread_replays_are_stored_once_and_a_spread_burst_is_a_bot(
        self, topology: Topology
    ) -> None:
        message = _message(topology)
        pixel = path_of(message["pixel_url"])
        for n in range(3 * REPLICAS):
            assert topology.entry.get(pixel, headers=_agent(f"reader-{n}")).status_code == 200
        assert all(topology.hits(replica, "open") >= 1 for replica in topology.collectors)

        for _ in range(2 * REPLICAS):  # the same client again and again, on every replica
            topology.entry.get(pixel, headers=_agent("replayer"))
        [[replays]] = topology.stored(
            "SELECT count(*) FROM event WHERE kind = 'open' AND user_agent = :ua",
            ua=_agent("replayer")["User-Agent"],
        )
        assert replays == 1

        for link in message["links"]:  # one link per replica, round robin
            answer = topology.entry.get(path_of(link["tracked_url"]), headers=_agent("scanner"))
            assert answer.status_code == 302
        clicks = topology.stored(
            "SELECT evidence, reasons FROM event WHERE kind = 'click' AND user_agent = :ua",
            ua=_agent("scanner")["User-Agent"],
        )
        assert len(clicks) == len(message["links"]) == REPLICAS
        assert all(
            evidence == "bot" and "all_links_at_once" in reasons for evidence, reasons in clicks
        )

    def test_a_replica_killed_mid_load_loses_nothing_it_acknowledged(
        self, topology: Topology
    ) -> None:
        message = _message(topology, links=1)
        pixel, link = path_of(message["pixel_url"]), path_of(message["links"][0]["tracked_url"])
        victim = topology.collectors[1]

        def hit(n: int) -> tuple[str, str, int]:
            kind, path = ("open", pixel) if n % 2 else ("click", link)
            headers = _agent(f"load-{n}")
            if n == LOAD // 3:
                victim.kill()  # SIGKILL, with hits in flight on it
            try:
                status = topology.entry.get(path, headers=headers).status_code
            except httpx.TransportError:
                status = 0
            return kind, headers["User-Agent"], status

        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(hit, range(LOAD)))
        victim.start()  # the same port and spool: it drains what it kept

        acknowledged = {(kind, ua) for kind, ua, status in answers if status in (200, 302)}
        assert len(acknowledged) > LOAD // 2
        rows = Counter(
            (kind, ua)
            for kind, ua in topology.stored(
                "SELECT kind, user_agent FROM event WHERE user_agent LIKE :pattern",
                pattern="% load-%",
            )
        )
        assert {key for key in acknowledged if rows[key] != 1} == set()
        assert max(rows.values()) == 1
