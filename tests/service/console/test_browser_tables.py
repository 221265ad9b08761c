"""Long names and addresses in the console's tables, in a real browser (Chromium) at 1280 px.

A long name or email in one column must take its room from the table's width, never
from the words of the other columns ("Deactiv|ated"), and an address breaks only after
its @ and dots. The fixtures are the console's, from ``test_browser``, with a workspace
of its own.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import ADMIN_KEY
from tests.factories import auth
from tests.service.console import test_browser as harness
from tests.service.console.test_browser import PASSWORD, Visit, Workspace

pytestmark = harness.pytestmark
workspace = harness.workspace
browser = harness.browser

LONG_NAME = "Maximiliane Alexandra Theodora Konstantinopoulou-Wittelsbach von Hohenzollern"
LONG_EMAIL = "maximiliane.konstantinopoulou-wittelsbach@vertrieb.hohenzollern-sigmaringen.example"
# Every word of every table cell (a run of letters up to a space, a hyphen or a <wbr>,
# which ends a text node) lies on one line; returns the words that do not.
_SPLIT_WORDS = """() => {
  const split = [];
  const walker = document.createTreeWalker(
    document.querySelector('main table tbody'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/[^\\s-]+-?/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (tops.size > 1) split.push(match[0]);
    }
  }
  return split;
}"""


@pytest.fixture(scope="module")
def long_names(workspace: Workspace) -> dict[str, Any]:
    """A manager with a long name, a rep with an address for a name, and their prospects."""
    with httpx.Client(base_url=workspace.base, headers=auth(ADMIN_KEY)) as api:
        boss = api.post(
            "/api/users", json={"name": LONG_NAME, "role": "manager", "password": PASSWORD}
        ).json()
        rep = api.post(
            "/api/users",
            json={
                "name": LONG_EMAIL,
                "role": "rep",
                "manager_id": boss["id"],
                "password": PASSWORD,
            },
        ).json()
        gone = api.post("/api/users", json={"name": "Deactivated Dora", "role": "rep"}).json()
        api.delete(f"/api/users/{gone['id']}")
    with httpx.Client(base_url=workspace.base, headers=auth(rep["api_key"])) as api:
        created = api.post(
            "/api/prospects",
            json={"email": LONG_EMAIL, "name": LONG_NAME, "company": LONG_NAME},
        )
        assert created.status_code == 201, created.text
    return {"boss": boss, "rep": rep}


def _words_split(browser: Any, workspace: Workspace, name: str, path: str) -> list[str]:
    tab = Visit(browser, workspace.base, width=1280)
    try:
        tab.sign_in(name)
        tab.page.goto(path)
        assert tab.page.evaluate("document.documentElement.scrollWidth") <= 1280
        split: list[str] = tab.page.evaluate(_SPLIT_WORDS)
        assert tab.violations == []
        return split
    finally:
        tab.context.close()


class TestLongNamesAt1280Pixels:
    def test_the_users_table_breaks_no_word_for_a_long_name_or_an_address_as_name(
        self, browser: Any, workspace: Workspace, long_names: dict[str, Any]
    ) -> None:
        assert _words_split(browser, workspace, "Ada", "/console/users") == []

    def test_the_prospects_list_breaks_an_address_only_after_its_at_and_dots(
        self, browser: Any, workspace: Workspace, long_names: dict[str, Any]
    ) -> None:
        assert _words_split(browser, workspace, LONG_NAME, "/console/prospects") == []
