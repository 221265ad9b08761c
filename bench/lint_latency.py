"""Latency of the opener lint on 200-word emails: p50, p95 and p99.

    python bench/lint_latency.py [--emails 200] [--runs 5]

The emails are built from the corpus and train split's own sentences, shuffled with a
fixed seed into texts of 200 words, so each run sees text of the shape reps write (with
greetings, traps, reveals and honest lines mixed). Each email is linted once per run,
cold for the model's and the typo repair's caches only on the first pass. It prints wall
time and the thread's CPU time: on a shared machine the wall time includes waiting for
a core, which the CPU time leaves out.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policies.coach import lint  # noqa: E402

SOURCES = [ROOT / "tests/policies/coach/corpus.yaml", ROOT / "tests/policies/coach/train.yaml"]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emails", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    texts = emails(args.emails)
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(args.runs):
        for text in texts:
            started, started_cpu = time.perf_counter(), time.thread_time()
            lint(text)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
    words = statistics.mean(len(t.split()) for t in texts)
    print(f"{len(wall)} lints of {args.emails} emails (mean {words:.0f} words)")
    for name, timings in (("wall", wall), ("cpu", cpu)):
        timings.sort()
        q = statistics.quantiles(timings, n=100)
        print(
            f"  {name:<4} p50 {q[49]:.2f} ms  p95 {q[94]:.2f} ms  p99 {q[98]:.2f} ms  "
            f"max {timings[-1]:.2f} ms"
        )
    load = os.getloadavg()[0]
    print(f"  load average {load:.1f} on {os.cpu_count()} cores (wall time counts the queue)")


if __name__ == "__main__":
    main()
