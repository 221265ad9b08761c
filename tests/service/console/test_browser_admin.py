"""The compliance and admin pages in a real browser (Debian's Chromium via Playwright),
against a real ``candor serve`` seeded with the demo workspace.

The fixtures (workspace, browser, visit) are the console's, from ``test_browser``; this
module gets a workspace of its own, so activating a policy here changes nothing there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.service.console import test_browser as harness
from tests.service.console.test_browser import Visit, Workspace

pytestmark = harness.pytestmark
# The console's fixtures, under their own names so that pytest finds them here.
workspace = harness.workspace
browser = harness.browser
visit = harness.visit

CALM = """\
name: calm
description: Reps see that an email was opened, and nothing else.
rules:
  - name: reps
    roles: [rep, manager]
    delay_hours: 24
    show:
      email_opened: {detail: exists, time: none}
"""


class TestPolicies:
    def test_an_officer_edits_previews_and_activates_a_policy(
        self, visit: Visit, workspace: Workspace
    ) -> None:
        page = visit.page
        visit.sign_in("Cora")
        page.goto("/console/policies")
        page.get_by_role("link", name="New policy").click()
        editor = page.get_by_label("Policy document (YAML)")

        # A mistake: the summary at the top names the line, and its link puts the caret there.
        editor.fill(CALM.replace("detail: exists", "detail: lots"))
        page.get_by_role("button", name="Save as a new version").click()
        summary = page.locator(".error-summary")
        assert "There is a problem" in summary.inner_text()
        link = summary.get_by_role("link", name="Line 8: rules.0.show.email_opened.detail")
        link.click()
        assert page.evaluate("document.activeElement.id") == "document"
        selected = page.evaluate(
            "(() => { const a = document.activeElement;"
            " return a.value.slice(a.selectionStart, a.selectionEnd); })()"
        )
        assert "detail: lots" in selected

        # Fixed, then previewed for Anna as her rep sees her.
        editor.fill(CALM)
        page.get_by_label("Seen as").select_option("rep")
        # Anna is found by name, without JavaScript's help, and the draft stays as typed.
        page.get_by_label("Find the prospect by name, email or company").fill("anna")
        page.get_by_role("button", name="Find", exact=True).click()
        assert "1 prospect matches" in page.locator("#found").inner_text()
        assert page.get_by_label("Prospect", exact=True).input_value() == str(workspace.ids["anna"])
        assert editor.input_value() == CALM
        assert page.get_by_label("Seen as").input_value() == "rep"
        page.get_by_role("button", name="Preview").click()
        preview = page.locator("#preview-result")
        assert "Under this draft" in preview.inner_text()
        # The page comes back at the result, not at the top with the result out of sight.
        assert page.evaluate("location.hash") == "#preview-result"
        top = page.evaluate("document.getElementById('preview-result').getBoundingClientRect().top")
        assert -1 <= top < 100, top
        withdrawn = preview.inner_text().split("Withdrawn", 1)[1]
        assert "Clicked a link" in withdrawn  # today Rita sees Anna's click; calm hides it
        assert "Across all prospects" in page.locator(".impact-summary").inner_text()

        page.get_by_role("button", name="Save as a new version").click()
        assert "Saved version 1 of calm" in page.locator(".flash").inner_text()

        # Activation is its own page: the summary, then one button.
        page.get_by_role("link", name="Activate version 1").click()
        assert page.get_by_role("heading", name="Activate calm version 1?").is_visible()
        assert page.locator("table.impact").count() == 2  # reps and managers
        page.get_by_role("button", name="Activate version 1").click()
        assert "calm version 1 is now the active policy" in page.locator(".flash").inner_text()
        assert "calm version 1" in page.locator("main p").first.inner_text()


class TestPeople:
    def test_an_admin_invites_a_person_who_signs_in_through_the_link(
        self, visit: Visit, browser: Any, workspace: Workspace
    ) -> None:
        page = visit.page
        visit.sign_in("Ada")
        page.goto("/console/users")
        page.get_by_label("Name", exact=True).fill("Nina")
        page.get_by_label("Role").select_option("rep")
        page.get_by_role("button", name="Invite").click()
        link = page.get_by_label("Invitation link").input_value()
        assert "/invite/" in link
        page.get_by_role("button", name="Copy", exact=True).click()
        said = page.locator("#copy-status")
        said.filter(has_text="Copied to the clipboard.").or_(
            said.filter(has_text="Ctrl+C")
        ).wait_for()

        newcomer = Visit(browser, workspace.base)
        try:
            newcomer.page.goto(link)
            # A password manager saves the new password under the name it signs in with.
            username = newcomer.page.locator('input[autocomplete="username"]')
            assert username.input_value() == "Nina" and username.get_attribute("name") is None
            newcomer.page.get_by_label("New password").fill("Nina's own long password")
            newcomer.page.get_by_label("The same password again").fill("Nina's own long password")
            newcomer.page.get_by_role("button", name="Set password and sign in").click()
            newcomer.page.wait_for_url("**/console**")
            assert "Nina" in newcomer.page.locator(".who-name").inner_text()
            # The link was for one use.
            again = newcomer.page.goto(link)
            assert again is not None and again.status == 410
            heading = newcomer.page.get_by_role("heading", name="already been used")
            assert heading.inner_text() == "This invitation has already been used"
        finally:
            newcomer.context.close()

        page.goto("/console/users")
        assert "Nina" in page.locator("table").inner_text()

    def test_an_admin_asking_to_deactivate_themselves_is_told_why_not_and_where_to_go(
        self, visit: Visit
    ) -> None:
        page = visit.page
        visit.sign_in("Ada")
        page.goto("/console/users")
        page.get_by_role("link", name="Manage Ada", exact=True).click()
        page.wait_for_url("**/console/users/*")
        response = page.goto(page.url + "/deactivate")
        assert response is not None and response.status == 409
        assert page.get_by_role("heading", name="You cannot deactivate yourself").is_visible()
        assert page.get_by_role("heading", name="Something went wrong").count() == 0
        assert "candor users" not in page.content()
        page.get_by_role("link", name="Go to Users").click()
        page.wait_for_url("**/console/users")


class TestHandOver:
    def test_an_admin_gives_a_leavers_prospects_to_another_rep(
        self, visit: Visit, browser: Any
    ) -> None:
        page = visit.page
        visit.sign_in("Ada")
        page.goto("/console/users")
        page.get_by_role("link", name="Manage Raj").click()
        choice = page.get_by_label("Give their 1 prospect to")
        choice.select_option(choice.locator("option", has_text="Rita").get_attribute("value"))
        page.get_by_role("button", name="Hand over…").click()
        assert page.get_by_role("heading", name="Give Raj's prospects to Rita?").is_visible()
        assert "emails Raj sent" in page.locator("main").inner_text()
        page.get_by_role("button", name="Give 1 prospect to Rita").click()
        assert "Gave Raj's 1 prospect to Rita." in page.locator(".flash").inner_text()
        assert page.locator("#their-prospects").count() == 0  # nothing left to give

        rita = Visit(browser, visit.base)
        try:
            rita.sign_in("Rita")
            rita.page.goto("/console/prospects")
            assert rita.page.get_by_role("link", name="Olga").is_visible()
        finally:
            rita.context.close()


class TestPhone:
    def test_the_compliance_and_admin_pages_read_well_at_390_pixels(
        self, browser: Any, workspace: Workspace
    ) -> None:
        phone = Visit(browser, workspace.base, width=390)
        try:
            phone.sign_in("Ada")
            for path in (
                "/console/policies",
                "/console/policies/_new",
                "/console/policies/default",
                "/console/audit",
                "/console/requests",
                f"/console/requests/{workspace.ids['anna']}/erase",
                "/console/users",
                "/console/users/2/handover?to=3",
            ):
                phone.page.goto(path)
                width = phone.page.evaluate("document.documentElement.scrollWidth")
                assert width <= 390, (path, width)
        finally:
            phone.context.close()


CONSOLE_CSS = Path(__file__).resolve().parents[3] / "service/console/static/console.css"
# True when no word of any header is split over two lines (a word's range is one box).
_NO_HEADER_WORD_SPLIT = """() => [...document.querySelectorAll('th')].every((th) => {
  const text = th.firstChild;
  let at = 0;
  return text.data.split(' ').every((word) => {
    const range = document.createRange();
    range.setStart(text, at);
    range.setEnd(text, at + word.length);
    at += word.length + 1;
    return range.getClientRects().length === 1;
  });
})"""


class TestTables:
    def test_narrow_headers_wrap_between_words_never_inside_one(self, browser: Any) -> None:
        page = browser.new_page()
        try:
            page.set_content(
                f"<style>{CONSOLE_CSS.read_text(encoding='utf-8')}</style>"
                '<div style="width: 7rem"><table><thead><tr><th>Company</th><th>Line</th>'
                "<th>Email address</th><th>Reason</th></tr></thead><tbody><tr><td>Acme</td>"
                "<td>2</td><td>anna@example.com</td><td>duplicate</td></tr></tbody></table></div>"
            )
            assert page.evaluate(_NO_HEADER_WORD_SPLIT)
        finally:
            page.close()


class TestApiDocs:
    @pytest.mark.parametrize(
        ("page", "rendered"), [("/docs", ".swagger-ui .info"), ("/redoc", "h1")]
    )
    def test_the_docs_render_and_make_no_request_outside_candor(
        self, browser: Any, workspace: Workspace, page: str, rendered: str
    ) -> None:
        context = browser.new_context()
        try:
            tab = context.new_page()
            outside: list[str] = []
            blocked: list[str] = []
            tab.on(
                "request",
                lambda request: (
                    outside.append(request.url)
                    if not request.url.startswith((workspace.base, "data:", "blob:"))
                    else None
                ),
            )
            # A request the page's Content-Security-Policy stops never leaves the browser.
            tab.on(
                "requestfailed",
                lambda request: blocked.append(request.url) if request.failure == "csp" else None,
            )
            tab.goto(workspace.base + page)
            tab.wait_for_selector(rendered, timeout=30_000)
            tab.wait_for_load_state("networkidle")
            # ReDoc's bundle draws its logo from https://cdn.redoc.ly: stopped, not fetched.
            assert [url for url in outside if url not in blocked] == []
        finally:
            context.close()
