"""The console in a real browser (Debian's Chromium, driven by Playwright) against a
real ``candor serve``: what a person does, with the headers, scripts and cookies a
browser really applies.

Skipped, with the reason, only when /usr/bin/chromium is absent (``.ci/run`` installs
it). Playwright never downloads a browser here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import Session

from service.auth import service as auth_service
from service.config import Settings
from service.db import create_db_engine
from service.demo import seed
from service.prospects import service as prospect_service
from service.prospects.schemas import ProspectCreate
from service.runtime import build_runtime, prepare_database
from tests.conftest import ADMIN_KEY
from tests.servers import CandorProcess

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason=f"no Chromium at {CHROMIUM}: apt-get install -y chromium (as .ci/run does)",
    ),
]
sync_api = pytest.importorskip("playwright.sync_api")

PASSWORD = "browser tests password"
HOSTILE = '<script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=2">'


class Workspace:
    """The demo workspace plus a second rep and a prospect with a hostile name."""

    def __init__(self, base: str, prospect_ids: dict[str, int]) -> None:
        self.base = base
        self.ids = prospect_ids


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    workdir = tmp_path_factory.mktemp("console-browser")
    database_url = f"sqlite:///{workdir}/candor.db"
    candor = CandorProcess(database_url=database_url, workdir=workdir)
    settings = Settings(
        database_url=database_url,
        public_url=candor.base,
        admin_key=ADMIN_KEY,
        retention_interval_hours=0,
        gc_freeze=False,
    )
    engine = create_db_engine(database_url)
    prepare_database(settings, engine)
    runtime = build_runtime(settings, engine)
    with Session(engine) as session:
        keys = seed(session, runtime=runtime, admin_key=ADMIN_KEY, password=PASSWORD)
        rita = auth_service.get_user(session, user_id=_id_of(session, "Rita"))
        hostile = prospect_service.create(
            session,
            user=rita,
            data=ProspectCreate(email="hostile@example.com", name=HOSTILE, company=HOSTILE),
        )
        auth_service.create(session, name="Otto", role="rep", password=PASSWORD)
        auth_service.create(session, name="Lou", role="rep", password=PASSWORD)
        ids = {**keys.prospect_ids, "hostile": hostile.id or 0}
    runtime.close()
    engine.dispose()
    candor.start()
    try:
        yield Workspace(candor.base, ids)
    finally:
        candor.stop()


def _id_of(session: Session, name: str) -> int:
    user = next(user for user in auth_service.list_users(session) if user.name == name)
    assert user.id is not None
    return user.id


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


class Visit:
    """One person's browser tab, which records any Content-Security-Policy violation."""

    def __init__(
        self, browser: Any, base: str, *, width: int = 1280, forwarded_for: str | None = None
    ) -> None:
        self.base = base
        # The server trusts its loopback peer as a proxy, so a tab can say where it is.
        headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        self.context = browser.new_context(
            base_url=base, viewport={"width": width, "height": 900}, extra_http_headers=headers
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.violations: list[str] = []
        self.page.on(
            "console",
            lambda message: (
                self.violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )

    def sign_in(self, name: str, password: str = PASSWORD) -> Any:
        response = self.page.goto("/login")
        self.page.get_by_label("Name").fill(name)
        self.page.get_by_label("Password").fill(password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Sign in").click()
        return response


@pytest.fixture
def visit(browser: Any, workspace: Workspace) -> Iterator[Visit]:
    tab = Visit(browser, workspace.base)
    yield tab
    assert tab.violations == []  # our own pages never trip our own policy
    tab.context.close()


class TestSignIn:
    def test_a_stranger_is_sent_to_sign_in_and_then_to_the_page_wanted(
        self, visit: Visit, workspace: Workspace
    ) -> None:
        page = visit.page
        page.goto(f"/console/prospects/{workspace.ids['anna']}")
        assert page.url.endswith(f"/login?next=/console/prospects/{workspace.ids['anna']}")
        page.get_by_label("Name").fill("Rita")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"**/console/prospects/{workspace.ids['anna']}")
        assert page.get_by_role("heading", name="Anna").is_visible()

    def test_every_page_carries_a_strict_content_security_policy(self, visit: Visit) -> None:
        response = visit.sign_in("Rita")
        headers = response.all_headers()
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["referrer-policy"] == "same-origin"
        assert headers["x-content-type-options"] == "nosniff"
        cookie = next(c for c in visit.context.cookies() if c["name"] == "candor_session")
        assert cookie["httpOnly"] is True and cookie["sameSite"] == "Lax"

    def test_a_wrong_password_says_so_without_saying_which_was_wrong(self, visit: Visit) -> None:
        visit.sign_in("Rita", "not the right password")
        assert visit.page.get_by_text("That name and password do not match").is_visible()
        assert "/login" in visit.page.url

    def test_five_failures_lock_the_name(self, visit: Visit) -> None:
        page = visit.page
        page.goto("/login")
        statuses = []
        for _ in range(6):
            page.get_by_label("Name").fill("Lou")
            page.get_by_label("Password").fill("wrong wrong wrong")
            with page.expect_response(lambda r: r.request.method == "POST") as answer:
                page.get_by_role("button", name="Sign in").click()
            statuses.append(answer.value.status)
        assert statuses == [401] * 5 + [429]
        assert page.get_by_text("Too many failed attempts").is_visible()

    def test_a_lockout_from_one_address_does_not_keep_the_person_out_from_theirs(
        self, browser: Any, workspace: Workspace
    ) -> None:
        guesser = Visit(browser, workspace.base, forwarded_for="203.0.113.66")
        otto = Visit(browser, workspace.base, forwarded_for="198.51.100.7")
        try:
            guesser.page.goto("/login")
            statuses = []
            for password in ["wrong wrong wrong"] * 5 + [PASSWORD]:
                guesser.page.get_by_label("Name").fill("Otto")
                guesser.page.get_by_label("Password").fill(password)
                with guesser.page.expect_response(lambda r: r.request.method == "POST") as answer:
                    guesser.page.get_by_role("button", name="Sign in").click()
                statuses.append(answer.value.status)
            assert statuses == [401] * 5 + [429]
            assert guesser.page.get_by_text("Too many failed attempts").is_visible()
            otto.sign_in("Otto")
            assert otto.page.url.endswith("/console")
            assert otto.page.get_by_role("button", name="Sign out").is_visible()
            assert guesser.violations == otto.violations == []
        finally:
            guesser.context.close()
            otto.context.close()


class TestHomes:
    @pytest.mark.parametrize(
        ("name", "links"),
        [
            ("Rita", ["Prospects"]),
            ("Mia", ["Prospects"]),
            ("Cora", ["Policies", "Audit log", "Data-subject requests"]),
            ("Ada", ["Policies", "Audit log", "Data-subject requests", "Users"]),
        ],
    )
    def test_each_role_lands_on_a_home_leading_to_its_pages(
        self, visit: Visit, name: str, links: list[str]
    ) -> None:
        visit.sign_in(name)
        nav = visit.page.get_by_role("navigation", name="Pages")
        for label in links:
            assert nav.get_by_role("link", name=label).is_visible()
        assert visit.page.get_by_role("button", name="Sign out").is_visible()
        if name in ("Rita", "Mia"):
            assert nav.get_by_role("link", name="Users").count() == 0

    def test_a_manager_sees_the_prospects_of_their_team(self, visit: Visit) -> None:
        visit.sign_in("Mia")
        visit.page.goto("/console/prospects")
        assert visit.page.get_by_role("link", name="Olga").is_visible()
        assert visit.page.get_by_role("link", name="Anna").is_visible()


class TestProspects:
    def test_another_reps_prospect_is_not_found(self, visit: Visit, workspace: Workspace) -> None:
        visit.sign_in("Otto")
        response = visit.page.goto(f"/console/prospects/{workspace.ids['anna']}")
        assert response.status == 404
        assert visit.page.get_by_role("heading", name="Not found").is_visible()

    def test_a_hostile_name_is_shown_as_text_and_never_runs(
        self, visit: Visit, workspace: Workspace
    ) -> None:
        visit.sign_in("Rita")
        for path in ("/console/prospects", f"/console/prospects/{workspace.ids['hostile']}"):
            visit.page.goto(path)
            assert visit.page.evaluate("window.__pwned") is None
            assert visit.page.locator("img[src=x]").count() == 0
        assert visit.page.get_by_role("heading", name=HOSTILE).is_visible()

    def test_the_timeline_reads_in_plain_words_with_evidence_badges(
        self, visit: Visit, workspace: Workspace
    ) -> None:
        visit.sign_in("Rita")
        visit.page.goto(f"/console/prospects/{workspace.ids['anna']}")
        facts = visit.page.locator(".fact-text").all_inner_texts()
        assert any(text.startswith("Opened an email (2 times) — day: ") for text in facts)
        assert visit.page.get_by_role("heading", name="Honest openers").is_visible()

    def test_the_live_lint_highlights_a_trap_as_the_person_types(
        self, visit: Visit, workspace: Workspace
    ) -> None:
        visit.sign_in("Rita")
        visit.page.goto(f"/console/prospects/{workspace.ids['anna']}")
        box = visit.page.get_by_label("Check what you will say")
        box.press_sequentially("Hi Anna, did you get a chance to read my email?")
        mark = visit.page.locator("#lint-mirror mark.finding-trap")
        mark.wait_for()
        assert mark.inner_text() == "did you get a chance to read my email?"
        assert "Try instead:" in visit.page.locator("#lint-findings").inner_text()

    def test_composing_shows_the_findings_then_a_safe_preview_and_a_draft(
        self, visit: Visit, workspace: Workspace
    ) -> None:
        visit.sign_in("Rita")
        page = visit.page
        page.goto(f"/console/prospects/{workspace.ids['sam']}/compose")
        page.get_by_label("Subject").fill("Next steps")
        page.get_by_label("Body").fill(
            '<p>Hi Sam, did you read my email? <a href="https://example.com/pricing">Pricing</a></p>'
        )
        page.get_by_role("button", name="Check and prepare the email").click()
        page.wait_for_url("**/messages/*")
        assert page.locator("mark.finding-trap").first.inner_text() == "did you read my email?"
        preview = page.frame_locator("iframe.preview-frame")
        assert preview.get_by_text("Hi Sam").is_visible()
        assert page.get_by_role("button", name="Copy HTML").is_visible()
        with page.expect_download() as download:
            page.get_by_role("link", name="Download as a draft (.eml)").click()
        assert download.value.suggested_filename.endswith(".eml")

    def test_a_pasted_script_and_foreign_pixel_are_taken_out_or_named_beside_the_findings(
        self, visit: Visit, workspace: Workspace
    ) -> None:
        visit.sign_in("Rita")
        page = visit.page
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"/console/prospects/{workspace.ids['sam']}/compose")
        page.get_by_label("Subject").fill("With our logo")
        page.get_by_label("Body").fill(
            "<script>alert('x')</script><a href='javascript:alert(1)'>js</a> "
            "<img src='https://evil.example/track.gif'>"
        )
        page.get_by_role("button", name="Check and prepare the email").click()
        page.wait_for_url("**/messages/*")
        assert page.get_by_text("its HTML carries what Candor's footer and opt-out").is_visible()
        carried = page.get_by_role(
            "list", name="What its HTML carries beyond Candor's footer and opt-out"
        )
        assert carried.get_by_text("Candor removed a script from this email").is_visible()
        note = carried.get_by_text("An image from evil.example that looks like a tracking pixel")
        assert note.is_visible()
        assert note.locator("a").count() == 0  # the host is named as text, never a link
        source = page.locator("#html-source").input_value()
        assert "alert(" not in source and "https://evil.example/track.gif" in source
        page.frame_locator("iframe.preview-frame").get_by_text("js").click()
        assert dialogs == []
        # The preview's own policy refusing the remote image is the preview working.
        visit.violations[:] = [v for v in visit.violations if "evil.example" not in v]

    def test_a_flagged_email_is_discarded_and_rewritten_leaving_no_trace(
        self, visit: Visit, workspace: Workspace
    ) -> None:
        visit.sign_in("Rita")
        page = visit.page
        body = '<p>Hi Sam, did you read my email? <a href="https://example.com/demo">Demo</a></p>'
        page.goto(f"/console/prospects/{workspace.ids['sam']}/compose")
        page.get_by_label("Subject").fill("A first draft")
        page.get_by_label("Body").fill(body)
        page.get_by_role("button", name="Check and prepare the email").click()
        page.wait_for_url("**/messages/*")
        assert page.locator("mark.finding-trap").first.inner_text() == "did you read my email?"
        source = page.locator("#html-source").input_value()
        found = re.search(r"/p/[A-Za-z0-9_-]+", source)
        assert found is not None
        transparency = found.group(0)
        message_page = page.url
        page.goto(transparency)
        assert "A first draft" in page.content()  # recorded as sent, for now
        page.goto(message_page)
        assert page.get_by_text("Only if you have not sent it.").is_visible()
        page.get_by_role("button", name="Discard and rewrite").click()
        page.wait_for_url("**/discard")
        assert page.get_by_text("The email was discarded").is_visible()
        assert page.get_by_label("Subject").input_value() == "A first draft"
        assert page.get_by_label("Body").input_value() == body
        assert page.get_by_label("HTML (links and an open pixel are tracked)").is_checked()
        page.goto(transparency)
        assert "A first draft" not in page.content()

    @pytest.mark.parametrize("width", [1280, 390])
    def test_an_import_report_is_the_first_thing_seen_after_the_upload(
        self, browser: Any, workspace: Workspace, width: int, tmp_path: Any
    ) -> None:
        tab = Visit(browser, workspace.base, width=width)
        try:
            tab.sign_in("Otto")
            page = tab.page
            page.goto("/console/prospects")
            csv = f"email,name\nnew{width}@example.com,New\nnot-an-email,Bad\n".encode()
            page.set_input_files(
                "#csv_file", files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": csv}]
            )
            page.get_by_role("button", name="Import").click()
            report = page.locator("#import-result")
            report.wait_for()
            assert "1 row created, 1 refused" in report.inner_text()
            top, bottom = page.evaluate(
                "(() => { const r = document.getElementById('import-result')"
                ".getBoundingClientRect(); return [r.top, r.bottom]; })()"
            )
            assert -1 <= top < 900 and bottom <= 900, (top, bottom)  # seen without scrolling
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(tmp_path / f"import-{width}.png"))
            assert tab.violations == []
        finally:
            tab.context.close()

    def test_a_reload_of_the_discarded_email_shows_the_words_again(
        self, visit: Visit, workspace: Workspace
    ) -> None:
        visit.sign_in("Rita")
        page = visit.page
        body = "<p>Hi Sam, did you read my email? I will call on Monday.</p>"
        page.goto(f"/console/prospects/{workspace.ids['sam']}/compose")
        page.get_by_label("Subject").fill("Reloaded")
        page.get_by_label("Body").fill(body)
        page.get_by_role("button", name="Check and prepare the email").click()
        page.wait_for_url("**/messages/*")
        page.get_by_role("button", name="Discard and rewrite").click()
        page.wait_for_url("**/discard")
        assert page.get_by_text("The email was discarded").is_visible()
        answer = page.reload()  # the browser posts the discard again; the email is gone
        assert answer is not None and answer.status == 200
        assert answer.request.method == "POST"
        assert page.get_by_text("This email was already discarded, at ").is_visible()
        assert page.get_by_text("There is nothing here").count() == 0
        assert page.get_by_label("Subject").input_value() == "Reloaded"
        assert page.get_by_label("Body").input_value() == body

    def test_the_page_reads_well_on_a_phone(self, browser: Any, workspace: Workspace) -> None:
        phone = Visit(browser, workspace.base, width=390)
        try:
            phone.sign_in("Rita")
            for path in (
                "/console",
                "/console/prospects",
                f"/console/prospects/{workspace.ids['anna']}",
            ):
                phone.page.goto(path)
                assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
        finally:
            phone.context.close()


class TestWording:
    """What a person typed or edited into a form or an address is answered on its page."""

    def test_a_search_too_long_to_be_one_is_said_beside_the_search_field(
        self, visit: Visit
    ) -> None:
        visit.sign_in("Rita")
        response = visit.page.goto("/console/prospects?q=" + "x" * 5000)
        assert response is not None and response.status == 422
        said = visit.page.locator("#q-error")
        assert said.inner_text() == "A search is at most 200 characters; you typed 5,000."
        assert visit.page.get_by_role("search").get_by_label("Search by name").is_visible()
        assert visit.page.get_by_role("link", name="Anna").is_visible()
        assert "could not be read" not in visit.page.content()

    @pytest.mark.parametrize("asked", ["abc", "-1", "0"])
    def test_a_page_that_cannot_be_is_page_1_with_a_line_saying_so(
        self, visit: Visit, asked: str
    ) -> None:
        visit.sign_in("Rita")
        response = visit.page.goto(f"/console/prospects?page={asked}")
        assert response is not None and response.status == 200
        notice = visit.page.locator(".notice").inner_text()
        assert notice == f"There is no page “{asked}”: pages are numbered from 1. This is page 1."
        assert visit.page.get_by_role("link", name="Anna").is_visible()

    def test_a_page_past_the_end_says_so_and_leads_to_the_last(self, visit: Visit) -> None:
        visit.sign_in("Rita")
        visit.page.goto("/console/prospects?page=99999")
        notice = visit.page.locator(".notice")
        assert notice.inner_text().startswith("Page 99,999 is past the end: the ")
        assert visit.page.get_by_text("No prospects yet").count() == 0
        notice.get_by_role("link", name="Go to the last page (1)").click()
        visit.page.wait_for_url("**/console/prospects?q=&page=1")
        assert visit.page.get_by_role("link", name="Anna").is_visible()

    def test_importing_with_no_file_chosen_says_so_beside_the_file_field(
        self, visit: Visit
    ) -> None:
        visit.sign_in("Rita")
        page = visit.page
        page.goto("/console/prospects")
        page.eval_on_selector("#csv_file", "field => field.removeAttribute('required')")
        with page.expect_response("**/console/prospects/import") as answer:
            page.get_by_role("button", name="Import").click()
        assert answer.value.status == 422
        assert page.locator("#csv_file-error").inner_text() == "Choose a CSV file to import."
        assert page.get_by_role("heading", name="Prospects", exact=True).is_visible()

    def test_adding_a_prospect_without_an_email_asks_for_one(self, visit: Visit) -> None:
        visit.sign_in("Rita")
        page = visit.page
        page.goto("/console/prospects")
        page.eval_on_selector("#email", "field => field.removeAttribute('required')")
        page.get_by_label("Name (optional)").fill("Nobody")
        page.get_by_role("button", name="Add prospect").click()
        assert page.locator("#email-error").inner_text() == (
            "Enter an email address, like name@example.com."
        )
        assert page.get_by_label("Name (optional)").input_value() == "Nobody"

    def test_checking_an_empty_box_says_there_is_nothing_to_check(
        self, visit: Visit, workspace: Workspace
    ) -> None:
        visit.sign_in("Rita")
        page = visit.page
        page.goto(f"/console/prospects/{workspace.ids['anna']}")
        page.get_by_role("button", name="Check", exact=True).click()
        said = page.locator("#say-error")
        said.wait_for()
        assert said.inner_text().startswith("Nothing to check: the box is empty.")
        assert page.get_by_text("Nothing to reconsider").count() == 0


class TestSessions:
    def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(
        self, visit: Visit
    ) -> None:
        visit.sign_in("Rita")
        visit.page.eval_on_selector(
            'form[action="/logout"] input[name="csrf_token"]', "field => field.remove()"
        )
        with visit.page.expect_response("**/logout") as answer:
            visit.page.get_by_role("button", name="Sign out").click()
        assert answer.value.status == 403
        assert visit.page.get_by_text("nothing was changed").is_visible()
        visit.page.goto("/console")
        assert visit.page.get_by_role("heading", name="Hello, Rita").is_visible()

    def test_signing_out_ends_the_session_even_for_a_copied_cookie(
        self, visit: Visit, browser: Any, workspace: Workspace
    ) -> None:
        visit.sign_in("Rita")
        copied = visit.context.cookies()
        visit.page.get_by_role("button", name="Sign out").click()
        visit.page.wait_for_url("**/login")
        assert visit.page.get_by_text("You are signed out.").is_visible()
        thief = Visit(browser, workspace.base)
        try:
            thief.context.add_cookies(copied)
            thief.page.goto("/console")
            assert "/login" in thief.page.url
        finally:
            thief.context.close()
