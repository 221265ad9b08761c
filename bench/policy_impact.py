"""A draft policy's impact over a large store, over HTTP, this checkout against another.

    python bench/policy_impact.py [--database-url URL] [--sizes 10000,50000]
        [--baseline main] [--runs 3] [--baseline-runs 1] [--engaged 0.1] [--sent 0.1]

Builds a fresh database (a temporary SQLite file by default; a PostgreSQL URL names a
scratch database that is created if missing and emptied first, and is refused if it is
``test``, ``candor_ci`` or ``postgres``), runs the usual start-up (``prepare_database``:
migrations, the default policy as version 1), stores version 2 of ``default`` (a
quieter draft, not active) and a compliance officer with a password, then bulk-loads
prospects, the store growing from one size to the next. The mix is a CSV import's: a
share (``--engaged``) has one message, three links and ~20 events (its ``email_sent``
and hits of mixed kind and evidence, 3 to 60 days old, away from the policies' delays),
a share (``--sent``) has a message that nobody opened, the rest has nothing yet.

Per size it starts Candor as the README does (``candor serve``), once with this
checkout's code and once with ``--baseline`` (a directory, or a git ref of this
repository extracted to a temporary directory; default ``main``), on the same store,
signs the officer in through the console's form, and times from the client's side:

- ``POST /api/policies/impact`` with the draft;
- the console's **Preview** (``POST /console/policies/default/edit``, action preview);
- the activation page ``GET /console/policies/default/versions/2/activate``.

Both servers must give the same impact (the JSON body), or the script exits 1.
Prints the median seconds per case and the ratio baseline / this checkout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from sqlmodel import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.engaged_store import DAYS, EVENTS_PER_PROSPECT, add_prospects, add_users  # noqa: E402
from bench.timeline import (  # noqa: E402
    analyze,
    is_postgres,
    next_id,
    prepare_postgres,
)
from policies import load_policy, parse_yaml  # noqa: E402
from service.auth import service as auth_service  # noqa: E402
from service.compliance.policy_store import store_version  # noqa: E402
from service.config import Settings  # noqa: E402
from service.db import create_db_engine  # noqa: E402
from service.models import Prospect  # noqa: E402
from service.runtime import prepare_database  # noqa: E402
from service.tracking.partitions import ensure_partitions  # noqa: E402

ADMIN_KEY = "cnd_bench-admin-key"
OFFICER, PASSWORD = "Bench Officer", "a long enough bench password"
REPS = 5
QUIET_DAYS = 3  # no hit younger: the 24 h and 48 h delays never move between servers
DRAFT = """\
name: default
description: Reps see that an email was opened and which topics were clicked, a day late.
topics:
  pricing: ["*/pricing*"]
rules:
  - name: managers
    roles: [manager]
    delay_hours: 24
    min_evidence: human
    show:
      email_opened: {detail: count, time: day}
      link_clicked: {detail: topic, time: day}
  - name: finance-reps
    roles: [rep]
    segments: {industry: [finance]}
    show:
      email_opened: {detail: exists, time: none}
  - name: reps
    roles: [rep]
    delay_hours: 24
    min_evidence: confirmed
    show:
      email_opened: {detail: exists, time: week}
      link_clicked: {detail: topic, time: week}
"""
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


# --------------------------------------------------------------------------- data


def add_people(engine: sa.Engine) -> tuple[list[int], str]:
    """Five reps (API key only) and the officer (a password); returns the reps' ids and
    the officer's API key."""
    reps = add_users(engine, [(f"Rep {i}", "rep", None) for i in range(REPS)])
    with Session(engine) as session:
        _, key = auth_service.create(session, name=OFFICER, role="compliance", password=PASSWORD)
        policy = load_policy(parse_yaml(DRAFT))
        store_version(session, policy=policy, created_by=None)  # version 2, not active
        session.commit()
    return reps, key


# --------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def baseline_code(spec: str, tmp: Path) -> Path:
    """A directory with the other code: ``spec`` itself, or that git ref extracted."""
    if Path(spec).is_dir():
        return Path(spec).resolve()
    target = tmp / "baseline"
    target.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", spec], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


class Candor:
    """``candor serve`` on the store, with the code of ``code`` (None: this checkout)."""

    def __init__(self, url: str, workdir: Path, code: Path | None) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "CANDOR_DATABASE_URL": url,
            "CANDOR_ADMIN_KEY": ADMIN_KEY,
            "CANDOR_PUBLIC_URL": f"http://127.0.0.1:{self.port}",
            "CANDOR_RETENTION_INTERVAL_HOURS": "0",
        }
        if code is not None:
            env["PYTHONPATH"] = str(code)
        candor = Path(sys.executable).with_name("candor")
        self.process = subprocess.Popen(
            [str(candor), "serve", "--port", str(self.port)],
            env=env,
            cwd=workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=600)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.client.get("/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                raise SystemExit("candor serve exited before it was ready")
            time.sleep(0.2)
        else:
            self.stop()
            raise SystemExit("candor serve did not become ready within 60 s")
        self.csrf = self._sign_in()

    def _sign_in(self) -> str:
        page = self.client.get("/login").text
        response = self.client.post(
            "/login", data={"name": OFFICER, "password": PASSWORD, "csrf_token": csrf(page)}
        )
        if response.status_code != 303:
            raise SystemExit(f"sign-in: {response.status_code} {response.text[:200]}")
        return csrf(self.client.get("/console/policies/default/edit").text)

    def stop(self) -> None:
        self.client.close()
        self.process.terminate()
        self.process.wait(timeout=30)


def csrf(html: str) -> str:
    found = _CSRF.search(html)
    if found is None:
        raise SystemExit("no CSRF token on the page")
    return found.group(1)


def impact(server: Candor, key: str) -> tuple[float, Any]:
    began = time.perf_counter()
    response = server.client.post(
        "/api/policies/impact",
        json={"document": DRAFT},
        headers={"Authorization": f"Bearer {key}"},
    )
    elapsed = time.perf_counter() - began
    if response.status_code != 200:
        raise SystemExit(f"impact: {response.status_code} {response.text[:300]}")
    return elapsed, response.json()


def preview(server: Candor, prospect_id: int) -> float:
    began = time.perf_counter()
    response = server.client.post(
        "/console/policies/default/edit",
        data={
            "document": DRAFT,
            "prospect": str(prospect_id),
            "role": "rep",
            "action": "preview",
            "csrf_token": server.csrf,
        },
    )
    elapsed = time.perf_counter() - began
    if response.status_code != 200 or "withdraw" not in response.text.lower():
        raise SystemExit(f"preview: {response.status_code} {response.text[:300]}")
    return elapsed


def activation(server: Candor) -> float:
    began = time.perf_counter()
    response = server.client.get("/console/policies/default/versions/2/activate")
    elapsed = time.perf_counter() - began
    if response.status_code != 200 or "Activate version 2" not in response.text:
        raise SystemExit(f"activation page: {response.status_code} {response.text[:300]}")
    return elapsed


def warm(server: Candor, key: str, prospect_id: int) -> None:
    """First calls outside the timing: the editor's template, the openers' model."""
    server.client.get("/console/policies/default/edit").raise_for_status()
    server.client.post(
        "/api/policies/preview",
        json={"document": DRAFT, "prospect_id": prospect_id, "role": "rep"},
        headers={"Authorization": f"Bearer {key}"},
    ).raise_for_status()


def measure(server: Candor, key: str, prospect_id: int, runs: int) -> tuple[dict[str, float], Any]:
    times: dict[str, list[float]] = {"impact": [], "preview": [], "activation": []}
    answer = None
    warm(server, key, prospect_id)
    for _ in range(runs):
        elapsed, answer = impact(server, key)
        times["impact"].append(elapsed)
        times["preview"].append(preview(server, prospect_id))
        times["activation"].append(activation(server))
    return {case: statistics.median(samples) for case, samples in times.items()}, answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--sizes", default="10000,50000", help="prospects, growing")
    parser.add_argument("--baseline", default="main", help="a directory or a git ref")
    parser.add_argument("--runs", type=int, default=3, help="calls per case, this checkout")
    parser.add_argument("--baseline-runs", type=int, default=1, help="calls per case, baseline")
    parser.add_argument("--engaged", type=float, default=0.1, help="share with ~20 events")
    parser.add_argument("--sent", type=float, default=0.1, help="share with an unopened email")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory(prefix="candor-bench-impact-") as tmp:
        workdir = Path(tmp)
        code = baseline_code(args.baseline, workdir)
        url = args.database_url or f"sqlite:///{workdir}/impact.db"
        if is_postgres(url):
            prepare_postgres(url)
        engine = create_db_engine(url)
        settings = Settings(
            database_url=url,
            secret_keys=["bench"],
            admin_key=ADMIN_KEY,
            retention_interval_hours=0,
            spool_dir=workdir / "spool",
        )
        prepare_database(settings, engine)
        with engine.begin() as connection:  # the months back the store reaches (PostgreSQL)
            since = dt.datetime.now(dt.UTC) - dt.timedelta(days=DAYS + 1)
            ensure_partitions(connection, since=since)
        reps, key = add_people(engine)

        print(f"## Policy impact over HTTP, {engine.dialect.name}\n")
        print(f"Python {platform.python_version()}, `candor serve`; baseline `{args.baseline}` "
              f"({args.baseline_runs} call per case), this checkout ({args.runs}, median); "
              f"{args.engaged:.0%} of prospects with ~{EVENTS_PER_PROSPECT} events, "
              f"{args.sent:.0%} with an unopened email, the rest with none.\n")  # fmt: skip
        print("| prospects | events | request | baseline s | this checkout s | ratio |")
        print("|---:|---:|---|---:|---:|---:|")
        loaded = events = 0
        for size in sizes:
            began = time.perf_counter()
            events += add_prospects(
                engine,
                reps,
                size - loaded,
                rng,
                engaged=args.engaged,
                sent=args.sent,
                quiet_days=QUIET_DAYS,
                some_unsegmented=True,
            )
            loaded = size
            analyze(engine)
            print(f"<!-- loaded {size} in {time.perf_counter() - began:.0f} s -->", file=sys.stderr)
            results = []
            for path in (code, None):
                server = Candor(url, workdir, path)
                try:
                    runs = args.baseline_runs if path is not None else args.runs
                    last = next_id(engine, Prospect.__table__) - 1  # type: ignore[attr-defined]
                    results.append(measure(server, key, last, runs))
                finally:
                    server.stop()
            (before, before_answer), (after, after_answer) = results
            if before_answer != after_answer:
                print(
                    f"impacts differ at {size}:\n{before_answer}\n{after_answer}", file=sys.stderr
                )
                raise SystemExit(1)
            cases = (
                ("impact", "`POST /api/policies/impact`"),
                ("preview", "console Preview"),
                ("activation", "activation page"),
            )
            for case, label in cases:
                print(f"| {size:,} | {events:,} | {label} | {before[case]:.2f} | "
                      f"{after[case]:.3f} | {before[case] / after[case]:.0f}x |", flush=True)  # fmt: skip
        engine.dispose()


if __name__ == "__main__":
    main()
