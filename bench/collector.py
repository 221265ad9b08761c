"""Collector throughput and latency, as ratios against baselines measured in the same run.

    python bench/collector.py [--seconds 10] [--connections 64] [--database-url URL]

Each server runs alone on CPU 0 (uvicorn, one worker); the load generator runs on CPU 1:
wrk when installed (a Lua script spreads hits over many tokens and client addresses so
replay suppression does not turn them into no-ops), otherwise a small asyncio client.
Measured: the bare ASGI GIF, the FastAPI no-op GIF route, and Candor's recorded opens
and clicks (group commit into SQLite by default), served with the bounded request head
`candor serve` uses; opens once more with uvicorn's own protocol, to show what the
bound costs. After each Candor run the stored
events are counted against the answered requests: every 200/302 must be stored.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local n = 0
request = function()
  n = n + 1
  local path = paths[math.random(#paths)]
  local ip = "10." .. math.random(0, 255) .. "." .. math.random(0, 255) .. "." .. math.random(1, 254)
  return wrk.format("GET", path, {["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", ["X-Forwarded-For"] = ip})
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pinned(cpu: int, command: list[str]) -> list[str]:
    return (
        ["taskset", "-c", str(cpu), *command]
        if shutil.which("taskset") and (os.cpu_count() or 1) > 1
        else command
    )


# The protocol `candor serve` runs: uvicorn's httptools one with a bounded request head.
BOUNDED = "service.request_head:BoundedHttpToolsProtocol"


def start(
    target: str, port: int, env: dict[str, str], factory: bool = False, http: str = "auto"
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        target,
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
        "--http",
        http,
    ]
    if factory:
        command.append("--factory")
    # As `candor serve` runs it: Candor reads X-Forwarded-For itself (CANDOR_FORWARDED_ALLOW_IPS).
    command.append("--no-proxy-headers")
    process = subprocess.Popen(pinned(0, command), env=env, cwd=ROOT)
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5)
            return process
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"{target} did not start")


def wrk(url: str, paths: Path, seconds: int, connections: int) -> dict[str, float]:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(LUA % paths)
    output = subprocess.run(
        pinned(
            1,
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                "-s",
                str(script),
                url,
            ],
        ),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    script.unlink()
    return parse_wrk(output)


def parse_wrk(output: str) -> dict[str, float]:
    def ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}  # type: ignore[union-attr]
    for pct in ("50", "99"):
        result[f"p{pct}"] = ms(re.search(rf"\s{pct}%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    result["requests"] = float(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["bad"] = float(errors.group(1)) if errors else 0.0
    return result


async def _python_load(
    url_base: str, paths: list[str], seconds: int, connections: int
) -> dict[str, float]:
    latencies: list[float] = []
    stop = time.monotonic() + seconds
    host, port = url_base.split("//")[1].split(":")
    count = 0

    async def worker(index: int) -> None:
        nonlocal count
        reader, writer = await asyncio.open_connection(host, int(port))
        n = index
        while time.monotonic() < stop:
            n += connections
            path = paths[n % len(paths)]
            request = (
                f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0\r\n"
                f"X-Forwarded-For: 10.{n % 250}.{(n // 250) % 250}.{n % 200 + 1}\r\n\r\n"
            )
            began = time.perf_counter()
            writer.write(request.encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"content-length: (\d+)", head, re.I).group(1))  # type: ignore[union-attr]
            await reader.readexactly(length)
            latencies.append((time.perf_counter() - began) * 1000)
            count += 1
        writer.close()

    began = time.monotonic()
    await asyncio.gather(*(worker(i) for i in range(connections)))
    elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "rps": count / elapsed,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[int(len(latencies) * 0.99)],
        "requests": float(count),
        "bad": 0.0,
    }


def load(url: str, paths_file: Path, seconds: int, connections: int) -> dict[str, float]:
    if shutil.which("wrk"):
        return wrk(url, paths_file, seconds, connections)
    paths = paths_file.read_text().split()
    return asyncio.run(_python_load(url, paths, seconds, connections))


def prepare_candor(database_url: str, tokens: int) -> tuple[list[str], list[str]]:
    """A database with ``tokens`` sent messages; their pixel and first-link paths."""
    from sqlmodel import Session

    from service.auth import service as users
    from service.config import Settings
    from service.db import create_db_engine
    from service.messages import service as messages
    from service.messages.schemas import MessageCreate
    from service.prospects import service as prospects
    from service.prospects.schemas import ProspectCreate
    from service.runtime import build_runtime, prepare_database

    settings = Settings(
        database_url=database_url, secret_keys=["bench-key"], public_url="http://bench"
    )
    engine = create_db_engine(database_url)
    prepare_database(settings, engine)
    runtime = build_runtime(settings, engine)
    opens, clicks = [], []
    sent = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    html = '<html><body><a href="https://example.com/pricing">p</a><a href="https://example.com/a">a</a></body></html>'
    with Session(engine) as session:
        rep, _ = users.create(session, name="bench", role="rep")
        for n in range(tokens):
            prospect = prospects.create(
                session, user=rep, data=ProspectCreate(email=f"p{n}@example.com")
            )
            assert prospect.id is not None
            message = messages.create(
                session,
                runtime=runtime,
                user=rep,
                data=MessageCreate(prospect_id=prospect.id, subject="s", html=html, sent_at=sent),
            )
            assert message.pixel_url is not None
            opens.append(message.pixel_url.removeprefix("http://bench"))
            clicks.append(message.links[0].tracked_url.removeprefix("http://bench"))
    engine.dispose()
    return opens, clicks


def reset_hits(database_url: str) -> None:
    """Back to the prepared store, so that each Candor run starts from the same one.

    An open run leaves ~100k events behind; a click run measured after it would pay for
    the larger indexes (p99 +6 ms in this environment) and the two could not be compared.
    """
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM event WHERE kind IN ('open', 'click')"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("VACUUM"))
    engine.dispose()


def count_events(database_url: str, kind: str) -> int:
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        value = connection.execute(
            sa.text("SELECT count(*) FROM event WHERE kind = :k"), {"k": kind}
        ).scalar_one()
    engine.dispose()
    return int(value)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--tokens", type=int, default=500)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="candor-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir}/bench.db"
    opens, clicks = prepare_candor(database_url, args.tokens)
    files = {}
    for name, paths in (("baseline", ["/o/x.gif"]), ("open", opens), ("click", clicks)):
        files[name] = workdir / f"{name}.txt"
        files[name].write_text("\n".join(paths) + "\n")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CANDOR_DATABASE_URL": database_url,
        "CANDOR_SECRET_KEYS": "bench-key",
        "CANDOR_PUBLIC_URL": "http://bench",
        "CANDOR_SPOOL_DIR": str(workdir / "spool"),
        "CANDOR_RETENTION_INTERVAL_HOURS": "0",
    }
    rows = []
    collector = "service.app:create_collector_app"
    for label, target, factory, paths, http in (
        ("bare ASGI GIF", "bench.baselines:bare", False, files["baseline"], "auto"),
        ("FastAPI no-op GIF route", "bench.baselines:noop", False, files["baseline"], "auto"),
        ("Candor open, recorded", collector, True, files["open"], BOUNDED),
        ("Candor open, recorded, head unbounded", collector, True, files["open"], "auto"),
        ("Candor click, recorded", collector, True, files["click"], BOUNDED),
    ):
        port = free_port()
        if factory:
            reset_hits(database_url)
        before = {kind: count_events(database_url, kind) for kind in ("open", "click")}
        process = start(target, port, env, factory, http)
        try:
            if factory:  # warm the target cache as a running collector would be
                for path in paths.read_text().split():
                    httpx.get(
                        f"http://127.0.0.1:{port}{path}", headers={"X-Forwarded-For": "192.0.2.1"}
                    )
            result = load(f"http://127.0.0.1:{port}", paths, args.seconds, args.connections)
        finally:
            process.terminate()
            process.wait(timeout=30)
        stored = ""
        if factory:
            kind = "open" if "open" in label else "click"
            added = count_events(database_url, kind) - before[kind] - len(paths.read_text().split())
            answered = int(result["requests"] - result["bad"])
            stored = f"{added} of {answered} answered"
        rows.append((label, result, stored))

    noop = rows[1][1]["rps"]
    print(
        f"# Collector benchmark, {dt.date.today()}, {platform.platform()}, {os.cpu_count()} CPUs, "
        f"{'wrk' if shutil.which('wrk') else 'python load generator'}, {args.connections} connections, {args.seconds}s each\n"
    )
    print("| configuration | req/s | vs FastAPI no-op | p50 ms | p99 ms | stored |")
    print("|---|---|---|---|---|---|")
    for label, result, stored in rows:
        print(
            f"| {label} | {result['rps']:.0f} | {result['rps'] / noop:.2f}x | {result['p50']:.1f} | {result['p99']:.1f} | {stored} |"
        )
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
