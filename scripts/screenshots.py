"""Screenshots of the console's main pages for docs/console.md, from the demo data.

Seeds a fresh demo workspace in a temporary SQLite file, serves it with ``candor
serve``, and photographs the pages in Debian's Chromium (Playwright, never a downloaded
browser). Run it again whenever a page changes: ``.venv/bin/python scripts/screenshots.py``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, sync_playwright
from sqlmodel import Session

from service.config import Settings
from service.db import create_db_engine
from service.demo import seed
from service.runtime import build_runtime, prepare_database

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "console"
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "screenshots of the demo"
ADMIN_KEY = "cnd_screenshots-admin-key"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(workdir: Path) -> tuple[subprocess.Popen[bytes], str, dict[str, int]]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    database_url = f"sqlite:///{workdir}/demo.db"
    settings = Settings(database_url=database_url, public_url=base, admin_key=ADMIN_KEY)
    engine = create_db_engine(database_url)
    prepare_database(settings, engine)
    runtime = build_runtime(settings, engine)
    with Session(engine) as session:
        keys = seed(session, runtime=runtime, admin_key=ADMIN_KEY, password=PASSWORD)
    runtime.close()
    engine.dispose()
    env = {
        **os.environ,
        "CANDOR_DATABASE_URL": database_url,
        "CANDOR_PUBLIC_URL": base,
        "CANDOR_ADMIN_KEY": ADMIN_KEY,
        "CANDOR_LOG_LEVEL": "warning",
    }
    command = [sys.executable, "-c", "from service.cli import main; main()", "serve"]
    process = subprocess.Popen([*command, "--port", str(port)], env=env, cwd=workdir)
    for _ in range(200):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base, keys.prospect_ids
        except httpx.TransportError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("candor serve did not start")


def _sign_in(page: Page, name: str) -> None:
    page.goto("/login")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/console")


def _shoot(page: Page, name: str, *, full_page: bool = True) -> None:
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    print(f"wrote {path.relative_to(ROOT)}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as directory:
        process, base, ids = _serve(Path(directory))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox"]
                )
                wide = browser.new_context(base_url=base, viewport={"width": 1280, "height": 800})
                page = wide.new_page()
                page.goto("/login")
                _shoot(page, "login", full_page=False)
                _sign_in(page, "Rita")
                page.goto("/console/prospects")
                _shoot(page, "prospects")
                page.goto(f"/console/prospects/{ids['anna']}")
                page.get_by_label("Check what you will say").press_sequentially(
                    "Hi Anna, I saw you opened my email. Did you get a chance to read it?"
                )
                page.locator("#lint-mirror mark").first.wait_for()
                _shoot(page, "prospect")
                page.goto(f"/console/prospects/{ids['sam']}")
                _shoot(page, "prospect-only-sent", full_page=False)
                page.goto(f"/console/prospects/{ids['anna']}/compose")
                page.get_by_label("Subject").fill("Pricing for your team")
                page.get_by_label("Body").fill(
                    "<p>Hi Anna,</p><p>Did you read the proposal? Here is "
                    '<a href="https://example.com/pricing">the pricing for your team</a>.</p>'
                    "<p>Best, Rita</p>"
                )
                page.get_by_role("button", name="Check and prepare the email").click()
                page.wait_for_url("**/messages/*")
                page.frame_locator("iframe").locator("body p").first.wait_for()
                # Chromium paints the preview's frame only inside the viewport, which
                # it no longer reaches: make the viewport the page's whole height.
                height = page.evaluate("document.documentElement.scrollHeight")
                page.set_viewport_size({"width": 1280, "height": height})
                page.wait_for_timeout(300)
                _shoot(page, "message")
                wide.close()
                phone = browser.new_context(base_url=base, viewport={"width": 390, "height": 844})
                page = phone.new_page()
                _sign_in(page, "Rita")
                page.goto(f"/console/prospects/{ids['anna']}")
                _shoot(page, "prospect-phone", full_page=False)
                phone.close()
                _shoot_officer_pages(browser, base, ids)
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=10)


# A draft for the officer's screenshots: stricter than the demo's default for reps.
QUIET_DRAFT = """\
name: quiet
description: Reps see that an email was opened, never when or what was clicked.
rules:
  - name: reps
    roles: [rep, manager]
    delay_hours: 48
    show:
      email_opened: {detail: exists, time: none}
"""


def _shoot_officer_pages(browser: Any, base: str, ids: dict[str, int]) -> None:
    """The compliance and admin pages, as Cora (compliance) and Ada (admin) see them."""
    wide = browser.new_context(base_url=base, viewport={"width": 1280, "height": 800})
    page = wide.new_page()
    _sign_in(page, "Cora")
    page.goto("/console/policies/_new")
    editor = page.get_by_label("Policy document (YAML)")
    editor.fill(QUIET_DRAFT.replace("detail: exists", "detail: lots"))
    with page.expect_navigation():
        page.get_by_role("button", name="Save as a new version").click()
    _shoot(page, "policy-errors", full_page=False)
    editor.fill(QUIET_DRAFT)
    page.get_by_label("Prospect", exact=True).select_option(str(ids["anna"]))
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()
    page.evaluate("document.getElementById('preview-result').scrollIntoView()")
    _shoot(page, "policy-preview", full_page=False)
    with page.expect_navigation():
        page.get_by_role("button", name="Save as a new version").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Activate version 1").click()
    _shoot(page, "policy-activate")
    page.goto("/console/audit")
    _shoot(page, "audit", full_page=False)
    page.goto("/console/requests")
    page.get_by_label("Email address").fill("anna@acme.example")
    with page.expect_navigation():
        page.get_by_role("button", name="Find").click()
    _shoot(page, "requests", full_page=False)
    page.goto(f"/console/requests/{ids['anna']}/erase")
    _shoot(page, "requests-erase", full_page=False)
    wide.close()
    wide = browser.new_context(base_url=base, viewport={"width": 1280, "height": 800})
    page = wide.new_page()
    _sign_in(page, "Ada")
    page.goto("/console/users")
    _shoot(page, "users")
    # A rep's own page: what they sign in with, and the acts on their access.
    page.locator("tr", has_text="rep").locator("a[href^='/console/users/']").first.click()
    page.wait_for_load_state()
    _shoot(page, "person")
    wide.close()


if __name__ == "__main__":
    main()
