"""Bulk prospect import over HTTP, against a plain executemany insert of the same rows.

    python bench/prospects_import.py [--rows 10000] [--database-url URL]

Starts Candor as the README does (``candor serve``, here on a fresh SQLite file unless
``--database-url`` names another database), creates a rep, and times, each as one
request from the client's side (HTTP, parsing, validation, the database, the report):

1. a first CSV import of N new prospects (all created);
2. the same file again (all unchanged: one query for the owner's emails, no writes);
3. the file with every company changed (all updated);
4. N other prospects as a JSON array through ``POST /api/prospects``;

and then one page of the listing (``q=lead``, 50 rows) per order, ``last_engagement``
evaluating every matching prospect through the policy.

The baseline is the floor for the storage part alone: the same N rows inserted by the
standard library's ``sqlite3`` ``executemany`` into a table of the same shape (unique
(owner, email), an index on the owner), one transaction, the same pragmas. The target
is the issue's: 10,000 rows in under 10 s on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
ADMIN_KEY = "cnd_bench-admin-key"
INDUSTRIES = ("finance", "retail", "healthcare", "software", "")
REGIONS = ("eu", "us", "apac", "")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rows(count: int, *, prefix: str = "lead", company: str = "Company") -> list[list[str]]:
    return [
        [
            f"{prefix}{index}@example{index % 97}.com",
            f"Lead {index}",
            f"{company} {index % 500}",
            INDUSTRIES[index % len(INDUSTRIES)],
            REGIONS[index % len(REGIONS)],
        ]
        for index in range(count)
    ]


def as_csv(data: list[list[str]]) -> bytes:
    lines = ["email,name,company,industry,region", *(",".join(row) for row in data)]
    return ("\n".join(lines) + "\n").encode()


def as_json(data: list[list[str]]) -> list[dict[str, str]]:
    keys = ("email", "name", "company", "industry", "region")
    return [{key: value for key, value in zip(keys, row, strict=True) if value} for row in data]


def start_candor(port: int, database_url: str, workdir: Path) -> subprocess.Popen[bytes]:
    candor = Path(sys.executable).with_name("candor")
    env = {
        **os.environ,
        "CANDOR_DATABASE_URL": database_url,
        "CANDOR_ADMIN_KEY": ADMIN_KEY,
        "CANDOR_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    process = subprocess.Popen(
        [str(candor), "serve", "--port", str(port)],
        env=env,
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            raise SystemExit("candor serve exited before it was ready")
        time.sleep(0.2)
    process.terminate()
    raise SystemExit("candor serve did not become ready within 60 s")


def timed(client: httpx.Client, method: str, path: str, **options: object) -> tuple[float, dict]:  # type: ignore[type-arg]
    started = time.perf_counter()
    response = client.request(method, path, **options)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{method} {path}: {response.status_code} {response.text[:300]}")
    return elapsed, response.json()


def baseline(data: list[list[str]], workdir: Path) -> float:
    """Seconds for a plain sqlite3 executemany of the same rows into the same shape."""
    path = workdir / "baseline.db"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(
        "CREATE TABLE prospect (id INTEGER PRIMARY KEY, ref VARCHAR(32) UNIQUE NOT NULL, "
        "owner_id INTEGER NOT NULL, email VARCHAR(320) NOT NULL, name VARCHAR(200), "
        "company VARCHAR(200), industry VARCHAR(100), region VARCHAR(100), "
        "opted_out_at DATETIME, tracking_refused_at DATETIME, created_at DATETIME NOT NULL, "
        "UNIQUE (owner_id, email))"
    )
    connection.execute("CREATE INDEX ix_prospect_owner_id ON prospect (owner_id)")
    connection.commit()
    started = time.perf_counter()
    connection.executemany(
        "INSERT INTO prospect (ref, owner_id, email, name, company, industry, region, "
        "created_at) VALUES (?, 1, ?, ?, ?, ?, ?, '2026-12-01 00:00:00')",
        [(secrets.token_urlsafe(16), *row[:3], row[3] or None, row[4] or None) for row in data],
    )
    connection.commit()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="candor-bench-import-") as tmp:
        workdir = Path(tmp)
        database_url = args.database_url or f"sqlite:///{workdir}/candor.db"
        port = free_port()
        server = start_candor(port, database_url, workdir)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
                created = client.post(
                    "/api/users",
                    json={"name": f"bench rep {secrets.token_hex(3)}", "role": "rep"},
                    headers={"Authorization": f"Bearer {ADMIN_KEY}"},
                )
                created.raise_for_status()
                headers = {"Authorization": f"Bearer {created.json()['api_key']}"}
                data = rows(args.rows)
                csv_headers = {**headers, "Content-Type": "text/csv"}
                runs = [
                    ("CSV, all new", as_csv(data), "created"),
                    ("CSV, same file again", as_csv(data), "unchanged"),
                    (
                        "CSV, every row changed",
                        as_csv(rows(args.rows, company="Renamed")),
                        "updated",
                    ),
                ]
                results: list[tuple[str, float]] = []
                for label, body, counter in runs:
                    elapsed, report = timed(
                        client, "POST", "/api/prospects/import", content=body, headers=csv_headers
                    )
                    if report[counter] != args.rows or report["refused"]:
                        raise SystemExit(f"{label}: unexpected report {json.dumps(report)[:300]}")
                    results.append((label, elapsed))
                elapsed, report = timed(
                    client,
                    "POST",
                    "/api/prospects",
                    json=as_json(rows(args.rows, prefix="json")),
                    headers=headers,
                )
                if report["created"] != args.rows:
                    raise SystemExit(f"JSON: unexpected report {json.dumps(report)[:300]}")
                results.append(("JSON array, all new", elapsed))
                listings: list[tuple[str, float]] = []
                for order in ("id", "name", "last_engagement"):
                    started = time.perf_counter()
                    listed = client.get(
                        f"/api/prospects?order={order}&limit=50&q=lead", headers=headers
                    )
                    listed.raise_for_status()
                    listings.append((order, time.perf_counter() - started))
                    total = listed.headers["X-Total-Count"]
        finally:
            server.terminate()
            server.wait(timeout=30)
        floor = baseline(data, workdir)

    backend = database_url.split(":", 1)[0]
    print(f"## Prospect import over HTTP, {args.rows} rows, {backend}\n")
    print("| request | seconds | rows/s | / baseline |")
    print("|---|---:|---:|---:|")
    for label, elapsed in results:
        print(f"| {label} | {elapsed:.2f} | {args.rows / elapsed:.0f} | {elapsed / floor:.1f}x |")
    print(
        f"| baseline: sqlite3 executemany, same rows | {floor:.3f} | {args.rows / floor:.0f} | 1x |"
    )
    print(f"\n| list, 50 of {total} matching (q=lead) | ms |")
    print("|---|---:|")
    for order, elapsed in listings:
        print(f"| order={order} | {elapsed * 1000:.0f} |")
    verdict = "met" if results[0][1] < 10 else "NOT met"
    print(f"\nTarget: {args.rows} rows in under 10 s on the first import: {verdict}.")


if __name__ == "__main__":
    main()
