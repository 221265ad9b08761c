"""Latency of the opener lint on 200-word emails: p50, p95 and p99.

    python bench/lint_latency.py [--emails 200] [--runs 5]
    python bench/lint_latency.py --baseline ../main [--rounds 3]

The emails are built from the training splits' own sentences, shuffled with a
fixed seed into texts of 200 words, so each run sees text of the shape reps write (with
greetings, traps, reveals and honest lines mixed). Each email is linted once per run,
cold for the model's and the typo repair's caches only on the first pass. It prints wall
time and the thread's CPU time: on a shared machine the wall time includes waiting for
a core, which the CPU time leaves out.

With ``--baseline DIR`` (another checkout, such as main) it times that checkout's lint
and this one's on the same emails (this checkout's splits), in alternate processes,
``--rounds`` times each, and prints the ratio of their CPU p95s: on a shared machine
only a ratio measured in the same minutes means anything.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    ROOT / "tests/policies/coach" / name
    for name in ("corpus.yaml", "train.yaml", "train_blind1.yaml", "train2.yaml")
]
WORDS = 200


def emails(count: int, seed: int = 16) -> list[str]:
    """``count`` emails of about 200 words from the labelled splits' sentences."""
    lines = [
        str(item["text"])
        for path in SOURCES
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        body: list[str] = []
        while sum(len(line.split()) for line in body) < WORDS:
            body.append(rng.choice(lines))
        out.append("Hi Sam,\n\n" + " ".join(body) + "\n\nBest,\nAlex")
    return out


def measure(root: Path, count: int, runs: int) -> dict[str, list[float]]:
    """Wall and CPU milliseconds per lint, the lint imported from ``root``."""
    sys.path.insert(0, str(root))
    from policies.coach import lint

    texts = emails(count)
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        for text in texts:
            started, started_cpu = time.perf_counter(), time.thread_time()
            lint(text)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
    return {"wall": wall, "cpu": cpu, "words": [len(t.split()) for t in texts]}


def quantiles(timings: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(sorted(timings), n=100)
    return q[49], q[94], q[98]


def report(result: dict[str, list[float]]) -> None:
    print(f"{len(result['cpu'])} lints (mean {statistics.mean(result['words']):.0f} words)")
    for name in ("wall", "cpu"):
        p50, p95, p99 = quantiles(result[name])
        print(
            f"  {name:<4} p50 {p50:.2f} ms  p95 {p95:.2f} ms  p99 {p99:.2f} ms  "
            f"max {max(result[name]):.2f} ms"
        )
    print(
        f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
        "(wall time counts the queue)"
    )


def against(baseline: Path, count: int, runs: int, rounds: int) -> None:
    """This checkout's lint and ``baseline``'s, in alternate processes, on the same emails."""
    p95s: dict[str, list[float]] = {"baseline": [], "this": []}
    for _ in range(rounds):
        for name, root in (("baseline", baseline), ("this", ROOT)):
            command = [sys.executable, __file__, "--root", str(root), "--json"]
            command += ["--emails", str(count), "--runs", str(runs)]
            out = subprocess.run(
                command,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            _, p95, _ = quantiles(json.loads(out)["cpu"])
            p95s[name].append(p95)
            print(f"  {name:<8} cpu p95 {p95:.2f} ms  load {os.getloadavg()[0]:.1f}", flush=True)
    ratio = statistics.median(p95s["this"]) / statistics.median(p95s["baseline"])
    print(f"median cpu p95: this / baseline = {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emails", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="another checkout to time alongside")
    parser.add_argument("--rounds", type=int, default=3, help="alternations with --baseline")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        against(args.baseline.resolve(), args.emails, args.runs, args.rounds)
        return
    result = measure(args.root.resolve(), args.emails, args.runs)
    if args.json:
        print(json.dumps(result))
    else:
        report(result)


if __name__ == "__main__":
    main()
