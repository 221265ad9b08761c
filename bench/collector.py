"""Collector throughput and latency as users run it, against baselines of the same run.

    python bench/collector.py [--seconds 10] [--connections 64] [--rounds 3]
                              [--database-url URL] [--store-events 1000000]

Candor is started exactly as the README starts it: ``candor serve --port P`` with the
default log level and access log (CANDOR_ACCESS_LOG unset), plus the same with
``CANDOR_ACCESS_LOG=all`` and ``sample:100`` to show what access lines cost. The
baselines are an ``async def`` FastAPI no-op GIF route (the one the ratios divide by)
and the same route as a plain ``def`` (thread pool), both under uvicorn without an
access log. Each server is pinned to CPU 0 (taskset), the load generator to CPU 1:
wrk when installed, else a small asyncio client; every hit carries a random client
address in X-Forwarded-For (trusted from 127.0.0.1), so none is a replay.

The store is never reset: before the first run it already holds ``--store-events``
events (generated in SQL), and it keeps growing run after run as a real one does.
After each Candor run the stored rows are counted against the answered requests:
each 200/302 must be stored exactly once. ``--rounds`` repeats every configuration,
in the same order, and the table gives each round's figure (the machine is shared).
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


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(CPU seconds of the whole process, of its main thread: the event loop).

    The kernel's own accounting (utime + stime), so it holds on a loaded machine where
    wall-clock throughput does not: what a hit costs, not how long it waited for a core.
    """
    tick = os.sysconf("SC_CLK_TCK")

    def read(path: str) -> float:
        fields = Path(path).read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    # A server that runs its workers as child processes (granian) is counted whole.
    tree = [pid, *descendants(pid)]
    return sum(read(f"/proc/{p}/stat") for p in tree), read(f"/proc/{pid}/task/{pid}/stat")


def descendants(pid: int) -> list[int]:
    """The live child processes of ``pid``, and theirs."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in map(int, children):
            found += [child, *descendants(child)]
    return found


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


# The protocol `candor serve` runs: uvicorn's httptools one with a bounded request head,
# answering pixels and links itself.
BOUNDED = "service.tracking.protocol:CollectorProtocol"


def uvicorn_command(target: str, port: int) -> list[str]:
    """A baseline served by uvicorn, without access log (the cheapest it gets)."""
    return [sys.executable, "-m", "uvicorn", target, "--port", str(port),
            "--log-level", "warning", "--no-access-log", "--no-proxy-headers"]  # fmt: skip


def granian_command(target: str, port: int, *, factory: bool) -> list[str]:
    """A server under granian (one worker, its own event loop, no access log)."""
    return [sys.executable, "-m", "granian", "--interface", "asgi", "--host", "127.0.0.1",
            "--port", str(port), "--workers", "1", "--log-level", "warning",
            *(["--factory"] if factory else []), target]  # fmt: skip


def candor_env(database_url: str, workdir: Path, **extra: str) -> dict[str, str]:
    """The environment every benchmark starts Candor with: this checkout, its store, a
    fixed signing key (so tokens made before the run verify) and a spool of its own."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CANDOR_DATABASE_URL": database_url,
        "CANDOR_SECRET_KEYS": "bench-signing-key",
        "CANDOR_PUBLIC_URL": "http://bench",
        "CANDOR_SPOOL_DIR": str(workdir / "spool"),
        **extra,
    }


def warm(port: int, paths: list[str]) -> int:
    """Fetch each path once, as a running collector's target cache would already hold
    them; the number of hits this stored (one per path)."""
    for path in paths:
        httpx.get(f"http://127.0.0.1:{port}{path}", headers={"X-Forwarded-For": "192.0.2.1"})
    return len(paths)


def candor_command(port: int) -> list[str]:
    """``candor serve`` as the README starts it (only the port differs)."""
    return [str(Path(sys.executable).with_name("candor")), "serve", "--port", str(port)]


def start(command: list[str], port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:
        process = subprocess.Popen(
            pinned(0, command), env=env, cwd=ROOT, stdout=output, stderr=output
        )
    for _ in range(600):
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5)
            return process
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"{command} did not start")


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
        database_url=database_url, secret_keys=["bench-signing-key"], public_url="http://bench"
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
    runtime.close()
    engine.dispose()
    return opens, clicks


def fill_store(database_url: str, events: int) -> None:
    """Add ``events`` opens to the prepared messages, generated in SQL, over 30 days.

    As old hits they do not collide with the runs' (their keys are their own).
    """
    if events <= 0:  # a fresh store, to compare with
        return
    engine = sa.create_engine(database_url)
    select = (
        "SELECT substr('bench' || g || '-' || m.id, 1, 32), 'open', m.prospect_id, m.id, "
        "{at}, {at}, 'human', 'known_browser', 'Mozilla/5.0', '203.0.113.0' "
        "FROM {series} JOIN message m ON m.id = 1 + {modulo}"
    )
    columns = (
        "INSERT INTO event (event_key, kind, prospect_id, message_id, occurred_at, "
        "received_at, evidence, reasons, user_agent, ip_prefix) "
    )
    from service.tracking.partitions import ensure_partitions

    with engine.begin() as connection:
        # the months the store reaches back to, as a server running since would have made
        ensure_partitions(connection, since=dt.datetime.now(dt.UTC) - dt.timedelta(days=30))
        if engine.dialect.name == "postgresql":
            at = f"now() - interval '30 days' * (1 - g / {events}.0)"
            series, modulo = (
                f"generate_series(1, {events}) AS g",
                "mod(g, (SELECT count(*) FROM message))",
            )
            sql = columns + select.format(at=at, series=series, modulo=modulo)
        else:
            at = f"strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (30.0 * (1 - g * 1.0 / {events})) || ' days')"
            series = f"(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {events}) SELECT g FROM s)"
            modulo = "(g % (SELECT count(*) FROM message))"
            sql = columns + select.format(at=at, series=series, modulo=modulo)
        connection.exec_driver_sql(sql)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(
            "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
        )
    engine.dispose()


def doubled_events(database_url: str) -> int:
    """Events stored twice: two rows of one hit share its event key."""
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        value = connection.execute(
            sa.text("SELECT count(event_key) - count(DISTINCT event_key) FROM event")
        ).scalar_one()
    engine.dispose()
    return int(value)


def count_events(database_url: str) -> int:
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        value = connection.execute(sa.text("SELECT count(*) FROM event")).scalar_one()
    engine.dispose()
    return int(value)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--tokens", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--store-events", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="LABEL",
        help="run only this configuration (repeatable; labels as printed; default: all)",
    )
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME:VAR=VALUE[;VAR=VALUE…]",
        help="also run open and click with these environment variables, in the same rounds "
        "(an ablation: e.g. 'base:PYTHONPATH=/path/to/another/checkout')",
    )
    parser.add_argument(
        "--granian",
        action="store_true",
        help="also serve the async def no-op and Candor's app (its ASGI collector path) "
        "under granian, which must be installed in this environment",
    )
    args = parser.parse_args()

    load_before = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="candor-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir}/bench.db"
    began = time.monotonic()
    opens, clicks = prepare_candor(database_url, args.tokens)
    fill_store(database_url, args.store_events)
    store_seconds = time.monotonic() - began
    first_count = count_events(database_url)
    files = {}
    for name, listed in (("baseline", ["/o/x.gif"]), ("open", opens), ("click", clicks)):
        files[name] = workdir / f"{name}.txt"
        files[name].write_text("\n".join(listed) + "\n")
    env = candor_env(database_url, workdir)
    env.pop("CANDOR_ACCESS_LOG", None)
    env.pop("CANDOR_LOG_LEVEL", None)
    configurations = [
        ("async def FastAPI no-op", "baseline", None, files["baseline"]),
        ("def FastAPI no-op", "noop", None, files["baseline"]),
        ("candor serve: open", "candor", {}, files["open"]),
        ("candor serve: click", "candor", {}, files["click"]),
        (
            "candor serve: open, CANDOR_ACCESS_LOG=sample:100",
            "candor",
            {"CANDOR_ACCESS_LOG": "sample:100"},
            files["open"],
        ),
        (
            "candor serve: open, CANDOR_ACCESS_LOG=all",
            "candor",
            {"CANDOR_ACCESS_LOG": "all"},
            files["open"],
        ),
        (
            "candor serve: click, CANDOR_ACCESS_LOG=all",
            "candor",
            {"CANDOR_ACCESS_LOG": "all"},
            files["click"],
        ),
    ]
    if args.only:
        wanted = {label.strip() for label in args.only}
        configurations = [c for c in configurations if c[0] in wanted or c[1] == "baseline"]
    if args.granian:
        configurations += [
            ("granian: async def FastAPI no-op", "granian-noop", None, files["baseline"]),
            ("granian: Candor's app, open", "granian", {}, files["open"]),
            ("granian: Candor's app, click", "granian", {}, files["click"]),
        ]
    for variant in args.variant:
        name, _, assignments = variant.partition(":")
        variables = dict(item.split("=", 1) for item in assignments.split(";") if item)
        configurations += [
            (f"candor serve: open [{name}]", "candor", variables, files["open"]),
            (f"candor serve: click [{name}]", "candor", variables, files["click"]),
        ]
    results: dict[str, list[tuple[dict[str, float], str]]] = {c[0]: [] for c in configurations}
    server_log = workdir / "servers.log"
    for _ in range(args.rounds):
        for label, kind, extra, paths in configurations:
            port = free_port()
            if kind == "baseline":
                command = uvicorn_command("bench.baselines:noop_async", port)
            elif kind == "noop":
                command = uvicorn_command("bench.baselines:noop", port)
            elif kind == "granian-noop":
                command = granian_command("bench.baselines:noop_async", port, factory=False)
            elif kind == "granian":
                command = granian_command("service.app:create_app", port, factory=True)
            else:
                command = candor_command(port)
            records = kind in ("candor", "granian")
            before = count_events(database_url) if records else 0
            process = start(command, port, {**env, **(extra or {})}, server_log)
            try:
                warmed = warm(port, paths.read_text().split()) if records else 0
                cpu_before = cpu_seconds(process.pid)
                result = load(f"http://127.0.0.1:{port}", paths, args.seconds, args.connections)
                cpu_after = cpu_seconds(process.pid)
                hits = max(result["requests"], 1.0)
                result["cpu_us"] = (cpu_after[0] - cpu_before[0]) / hits * 1e6
                result["loop_us"] = (cpu_after[1] - cpu_before[1]) / hits * 1e6
            finally:
                process.terminate()
                process.wait(timeout=30)
            stored = ""
            if records:
                # wrk counts the responses it read before its deadline; up to one request
                # per connection was in flight then, answered (and stored) after it.
                added = count_events(database_url) - before - warmed
                answered = int(result["requests"] - result["bad"])
                whole = answered <= added <= answered + args.connections
                stored = f"{added:,} of {answered:,}" + (" ✓" if whole else " ✗")
            results[label].append((result, stored))

    load_after = os.getloadavg()
    rounds = range(args.rounds)
    baseline = [results[configurations[0][0]][n][0]["rps"] for n in rounds]
    backend = database_url.split(":", 1)[0].split("+", 1)[0]
    print(
        f"# Collector benchmark, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.platform()}, {os.cpu_count()} CPUs, {backend}, "
        f"{'wrk' if shutil.which('wrk') else 'python load generator'}, "
        f"{args.connections} connections, {args.seconds} s each, {args.rounds} rounds; "
        f"store {first_count:,} events before the first run (built in {store_seconds:.0f} s), "
        f"{count_events(database_url):,} after the last, {doubled_events(database_url)} "
        f"stored twice; load average {load_before[0]:.1f} before, {load_after[0]:.1f} "
        "after (1 min). A run's stored rows must be its answered hits plus at most one in "
        "flight per connection when the load stopped (✓).\n"
    )
    print(
        "| configuration | req/s per round | vs async no-op | p50 ms | p99 ms "
        "| CPU µs per hit (event loop + other threads) | stored / answered |"
    )
    print("|---|---|---|---|---|---|---|")
    for label, *_ in configurations:
        rows = results[label]
        rps = " / ".join(f"{r['rps']:,.0f}" for r, _ in rows)
        ratio = " / ".join(f"{r['rps'] / baseline[n]:.2f}" for n, (r, _) in enumerate(rows))
        p50 = " / ".join(f"{r['p50']:.1f}" for r, _ in rows)
        p99 = " / ".join(f"{r['p99']:.1f}" for r, _ in rows)
        cpu = " / ".join(
            f"{r['cpu_us']:.0f} ({r['loop_us']:.0f} + {r['cpu_us'] - r['loop_us']:.0f})"
            for r, _ in rows
        )
        stored = " / ".join(s for _, s in rows)
        print(f"| {label} | {rps} | {ratio} | {p50} | {p99} | {cpu} | {stored} |")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
