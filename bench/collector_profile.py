"""Where a hit's time goes in `candor serve`: a py-spy profile under the collector bench's load.

    python bench/collector_profile.py [--kind open|click] [--seconds 10] [--rate 250]
                                      [--store-events 1000000] [--database-url URL]
                                      [--native] [--env VAR=VALUE ...] [--svg FILE]

The server, store and load of ``bench/collector.py`` (``candor serve`` as the README
starts it on CPU 0, wrk with 64 connections on CPU 1, a store already holding
``--store-events`` events), sampled by ``py-spy record --threads`` (py-spy runs on
CPU 1 beside wrk, ``--nonblocking``, so the server is never stopped to be sampled).
Without ``--idle`` only running threads are sampled, so the shares are shares of the
process's CPU time. Prints each thread's share of the samples and the functions with
the most samples, inclusive and own, per thread. ``--env`` sets
a variable for the server (an ablation); ``--svg`` keeps a flame graph. Needs py-spy
(``pip install py-spy``) and root or ptrace rights over the server.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.collector import (  # noqa: E402
    candor_command,
    candor_env,
    count_events,
    cpu_seconds,
    fill_store,
    free_port,
    load,
    pinned,
    prepare_candor,
    start,
    warm,
)

# py-spy's raw lines: "thread (0x7f…);frame (file:line);…;frame (file:line) COUNT", the
# thread given as a name or an id; an idle sample's last frame is the waiting call.
_LINE = re.compile(r"^(?P<stack>.*) (?P<count>\d+)$")


def _function(frame: str) -> str:
    """``name (path:line)`` as ``name (file)``: lines of one function count together."""
    match = re.match(r"(?P<name>.*?) \((?P<path>[^:()]*)(?::\d+)?\)$", frame)
    if match is None:
        return frame
    return f"{match['name']} ({Path(match['path']).name})"


def summarise(raw: Path, *, top: int) -> str:
    threads: collections.Counter[str] = collections.Counter()
    idle: collections.Counter[str] = collections.Counter()
    inclusive: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    own: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    total = 0
    for line in raw.read_text().splitlines():
        match = _LINE.match(line)
        if match is None:
            continue
        count = int(match["count"])
        thread, *frames = match["stack"].split(";")
        thread = re.sub(r" \(0x[0-9a-f]+\)", "", thread)
        total += count
        threads[thread] += count
        if frames and ("(idle)" in line or _waiting(frames[-1])):
            idle[thread] += count
        for function in {_function(frame) for frame in frames}:
            inclusive[thread][function] += count
        if frames:
            own[thread][_function(frames[-1])] += count
    out = [f"{total} samples\n", "| thread | share of samples | of which idle |", "|---|---:|---:|"]
    for thread, count in threads.most_common():
        out.append(f"| {thread} | {count / total:.0%} | {idle[thread] / total:.0%} |")
    for thread, _ in threads.most_common(4):
        out.append(f"\n{thread}: functions by inclusive share of all samples")
        for function, n in inclusive[thread].most_common(top):
            out.append(f"  {n / total:6.1%}  {function}")
        out.append(f"{thread}: functions by own share of all samples")
        for function, n in own[thread].most_common(top):
            out.append(f"  {n / total:6.1%}  {function}")
    return "\n".join(out)


def _waiting(frame: str) -> bool:
    return any(name in frame for name in ("select (", "poll (", "wait (", "acquire (", "sleep ("))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kind", choices=("open", "click"), default="open")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rate", type=int, default=250, help="samples a second")
    parser.add_argument("--tokens", type=int, default=200)
    parser.add_argument("--store-events", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--native", action="store_true", help="C frames too (py-spy --native)")
    parser.add_argument("--idle", action="store_true", help="waiting threads too (py-spy --idle)")
    parser.add_argument("--env", action="append", default=[], metavar="VAR=VALUE")
    parser.add_argument("--svg", type=Path, default=None, help="also write a flame graph here")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--workdir", type=Path, default=None, help="keep the store here, and reuse it next time"
    )
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="candor-profile-"))
    workdir.mkdir(parents=True, exist_ok=True)
    database_url = args.database_url or f"sqlite:///{workdir}/bench.db"
    paths = workdir / f"{args.kind}.txt"
    if not paths.exists():  # a kept --workdir holds the store and its paths already
        opens, clicks = prepare_candor(database_url, args.tokens)
        fill_store(database_url, args.store_events)
        (workdir / "open.txt").write_text("\n".join(opens) + "\n")
        (workdir / "click.txt").write_text("\n".join(clicks) + "\n")
    warmed = paths.read_text().split()
    env = candor_env(database_url, workdir, **dict(item.split("=", 1) for item in args.env))
    port = free_port()
    before = count_events(database_url)
    process = start(candor_command(port), port, env, workdir / "server.log")
    raw = workdir / "profile.txt"
    try:
        warm(port, warmed)
        record = [spy, "record", "--pid", str(process.pid), "--threads",
                  "--nonblocking", "--rate", str(args.rate),
                  "--duration", str(max(args.seconds - 2, 1))]  # fmt: skip
        if args.native:
            record.append("--native")
        if args.idle:
            record.append("--idle")
        spies = [[*record, "--format", "raw", "--output", str(raw)]]
        if args.svg:
            spies.append([*record, "--format", "flamegraph", "--output", str(args.svg)])
        cpu_before = cpu_seconds(process.pid)
        samplers = []
        for command in spies:
            samplers.append(
                subprocess.Popen(
                    pinned(1, command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            )
            time.sleep(0.5)  # py-spy attaches; the load starts once both have
        result = load(f"http://127.0.0.1:{port}", paths, args.seconds, args.connections)
        cpu_after = cpu_seconds(process.pid)
        for sampler in samplers:
            sampler.wait(timeout=60)
    finally:
        process.terminate()
        process.wait(timeout=30)
    hits = max(result["requests"], 1.0)
    stored = count_events(database_url) - before - len(warmed)
    print(
        f"# candor serve, {args.kind}s, {before:,}-event store, "
        f"{'+'.join(args.env) or 'defaults'}\n\n"
        f"{result['rps']:,.0f} req/s, p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms, "
        f"{stored:,} stored of {int(result['requests'] - result['bad']):,} answered; CPU per "
        f"hit {(cpu_after[0] - cpu_before[0]) / hits * 1e6:.0f} µs (event loop "
        f"{(cpu_after[1] - cpu_before[1]) / hits * 1e6:.0f} µs); load average "
        f"{os.getloadavg()[0]:.1f}\n"
    )
    print(summarise(raw, top=args.top))
    if args.workdir is not None:
        shutil.copy(raw, workdir / "last-profile.txt")
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
