"""What sharing the replay window and the burst rule through Redis costs on the hot path.

    python bench/shared_windows.py [--seconds 10] [--connections 64] [--database-url URL]
                                   [--redis-url redis://127.0.0.1:6379/0]

The same servers, load and store as bench/collector.py (one process on CPU 0, the load
on CPU 1, every hit from a client of its own so none is a replay), measured in one run:
the `async def` FastAPI no-op GIF route, then recorded opens and clicks with per-process windows
(CANDOR_REDIS_URL unset) and with shared ones (set). Redis is asked once per group
commit, in the writer thread; the table shows what that costs each answer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.collector import (  # noqa: E402
    candor_command,
    candor_env,
    count_events,
    free_port,
    load,
    prepare_candor,
    start,
    uvicorn_command,
    warm,
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--tokens", type=int, default=500)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="candor-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir}/bench.db"
    opens, clicks = prepare_candor(database_url, args.tokens)
    files = {}
    for name, listed in (("baseline", ["/o/x.gif"]), ("open", opens), ("click", clicks)):
        files[name] = workdir / f"{name}.txt"
        files[name].write_text("\n".join(listed) + "\n")
    env = candor_env(database_url, workdir, CANDOR_RETENTION_INTERVAL_HOURS="0")
    shared = {
        "CANDOR_REDIS_URL": args.redis_url,
        "CANDOR_REDIS_PREFIX": f"bench-{secrets.token_hex(4)}:",
    }
    rows = []
    server_log = workdir / "servers.log"
    for label, factory, kind, extra in (
        ("async def FastAPI no-op GIF route", False, "baseline", {}),
        ("open, per-process windows", True, "open", {}),
        ("open, shared windows (Redis)", True, "open", shared),
        ("click, per-process windows", True, "click", {}),
        ("click, shared windows (Redis)", True, "click", shared),
    ):
        port, paths = free_port(), files[kind]
        before = count_events(database_url) if factory else 0
        # The collectors run as a replica runs them: `candor serve --collector-only`.
        command = (
            [*candor_command(port), "--collector-only"]
            if factory
            else uvicorn_command("bench.baselines:noop_async", port)
        )
        process = start(command, port, {**env, **extra}, server_log)
        try:
            if factory:
                warm(port, paths.read_text().split())
            result = load(f"http://127.0.0.1:{port}", paths, args.seconds, args.connections)
        finally:
            process.terminate()
            process.wait(timeout=30)
        stored = ""
        if factory:
            # wrk counts the responses it read before its deadline; up to one request per
            # connection was in flight then, answered (and stored) after it.
            added = count_events(database_url) - before - len(paths.read_text().split())
            answered = int(result["requests"] - result["bad"])
            whole = answered <= added <= answered + args.connections
            stored = f"{added:,} of {answered:,}" + (" ✓" if whole else " ✗")
        rows.append((label, result, stored))

    noop = rows[0][1]["rps"]
    print(
        f"# Shared windows, {dt.date.today()}, {platform.platform()}, {os.cpu_count()} CPUs, "
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
