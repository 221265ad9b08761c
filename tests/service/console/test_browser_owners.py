"""Owners, senders and erased people in a real browser (Debian's Chromium via
Playwright), against a real ``candor serve`` seeded with the demo workspace: Mia
manages Rita and Raj, and hands prospects from one to the other.

The fixtures (workspace, browser, visit) are the console's, from ``test_browser``; this
module gets a workspace of its own, so what it reassigns, deactivates and erases changes
nothing there. Each test leaves the people the next one signs in as active.
"""

from __future__ import annotations

import re

from tests.service.console import test_browser as harness
from tests.service.console.test_browser import Visit, Workspace

pytestmark = harness.pytestmark
# The console's fixtures, under their own names so that pytest finds them here.
workspace = harness.workspace
browser = harness.browser
visit = harness.visit


def sign_in_as(visit: Visit, name: str) -> None:
    """Sign in as someone else in the same tab (whoever was signed in is forgotten)."""
    visit.context.clear_cookies()
    visit.sign_in(name)


def transparency_address(visit: Visit) -> str:
    """The transparency page's path, read from the message page's HTML source."""
    found = re.search(r"/p/[A-Za-z0-9_-]+", visit.page.locator("#html-source").input_value())
    assert found is not None
    return found.group(0)


class TestAHandedOverProspect:
    def test_only_the_sender_may_discard_and_the_page_names_her_as_sender(
        self, visit: Visit, workspace: Workspace
    ) -> None:
        page = visit.page
        sam = workspace.ids["sam"]
        sign_in_as(visit, "Rita")
        page.goto(f"/console/prospects/{sam}/compose")
        page.get_by_label("Subject").fill("Before the handover")
        page.get_by_label("Body").fill(
            '<p>Hi Sam, <a href="https://example.com/demo">a demo</a></p>'
        )
        page.get_by_role("button", name="Check and prepare the email").click()
        page.wait_for_url("**/messages/*")
        message_page = page.url
        transparency = transparency_address(visit)
        assert page.get_by_role("button", name="Discard and rewrite").is_visible()

        sign_in_as(visit, "Mia")
        page.goto(f"/console/prospects/{sam}")
        assert page.locator("#owner").inner_text() == "Rita"
        page.get_by_label("Give this prospect to").select_option(label="Raj")
        page.get_by_role("button", name="Reassign").click()
        assert "now belongs to Raj" in page.locator(".flash").inner_text()
        assert page.locator("#owner").inner_text() == "Raj"

        sign_in_as(visit, "Raj")
        page.goto(message_page)
        assert page.get_by_role("button", name="Discard and rewrite").count() == 0
        assert page.get_by_text(
            "Rita prepared this email, and only they can discard it."
        ).is_visible()

        page.goto(transparency)
        details = page.locator("td.small").all_inner_texts()
        ours = [text for text in details if "Before the handover" in text]
        assert ours and all("Sender: Rita" in text for text in ours)
        assert not any("Sender: Raj" in text for text in details)


class TestADeactivatedRep:
    def test_the_manager_reads_whose_prospects_they_are_and_chooses_who_gets_them(
        self, visit: Visit, workspace: Workspace
    ) -> None:
        page = visit.page
        sign_in_as(visit, "Ada")
        page.goto("/console/users")
        page.get_by_role("link", name="Manage Raj", exact=True).click()
        page.get_by_role("link", name="Deactivate").click()
        page.get_by_role("button", name="Deactivate Raj").click()
        assert "Raj is deactivated" in page.locator(".flash").inner_text()

        sign_in_as(visit, "Mia")
        page.goto("/console/prospects?q=olga")
        assert page.locator('td[data-label="Owner"]').all_inner_texts() == ["Raj (deactivated)"]
        page.goto(f"/console/prospects/{workspace.ids['olga']}")
        assert page.locator("#owner").inner_text() == "Raj (deactivated)"
        chooser = page.get_by_label("Give this prospect to")
        assert chooser.input_value() == ""  # nobody chosen yet, not "You"
        assert chooser.locator("option:checked").inner_text() == "Choose someone"
        chooser.select_option(label="You")
        page.get_by_role("button", name="Reassign").click()
        assert "The prospect is yours now" in page.locator(".flash").inner_text()
        assert page.locator("#owner").inner_text() == "You"


class TestAPersonAddedAgainAfterAnErasure:
    def test_the_new_record_has_a_new_number_and_says_why_it_is_not_tracked(
        self, visit: Visit
    ) -> None:
        page = visit.page
        sign_in_as(visit, "Rita")
        page.goto("/console/prospects")
        page.get_by_label("Email", exact=True).fill("EVE@example.com")
        page.get_by_role("button", name="Add prospect").click()
        page.wait_for_url(re.compile(r".*/console/prospects/\d+$"))
        first = page.url

        sign_in_as(visit, "Cora")
        page.goto("/console/requests")
        page.get_by_label("Email address").fill("eve@example.com")
        page.get_by_role("button", name="Find").click()
        page.get_by_role("link", name="Erase this person").click()
        page.get_by_label("Type the person's email address to confirm").fill("eve@example.com")
        page.get_by_role("button", name="Erase this person").click()
        page.wait_for_url("**/console/requests**")

        sign_in_as(visit, "Rita")
        page.goto("/console/prospects")
        page.get_by_label("Email", exact=True).fill("eve@example.com")
        page.get_by_role("button", name="Add prospect").click()
        page.wait_for_url(re.compile(r".*/console/prospects/\d+$"))
        assert page.url != first
        assert int(page.url.rsplit("/", 1)[1]) > int(first.rsplit("/", 1)[1])
        note = page.locator("#suppressed").inner_text()
        assert note.startswith("This person asked to have their data erased")
        assert "opted out" not in note
        page.goto("/console/prospects?q=eve")
        assert page.locator("td[data-label=Name] .badge").all_inner_texts() == [
            "erased before: not tracked"
        ]
