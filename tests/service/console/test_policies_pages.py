"""The policies pages: versions, an editor whose errors point at the line, preview, activation."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import Response
from starlette.testclient import TestClient

from policies import builtin_policy, policy_to_yaml
from service.console import policies as policy_pages
from service.runtime import Runtime
from tests.conftest import ADMIN_KEY
from tests.factories import age_events, auth, make_prospect, make_user, path_of, send_message
from tests.service.console.admin_helpers import signed_in
from tests.service.console.helpers import csrf_of

QUIET = """\
name: quiet
description: Reps see only that an email was opened.
rules:
  - name: reps
    roles: [rep, manager]
    delay_hours: 24
    show:
      email_opened: {detail: exists, time: none}
"""
# The default policy, with its general reps rule showing opens in full, to the second,
# with no delay.
SHARPER = (
    policy_to_yaml(builtin_policy("default"))
    .replace("delay_hours: 24.0", "delay_hours: 0")
    .replace("detail: count\n      time: day", "detail: full\n      time: exact")
)
# The general reps rule, coarser in every way and later.
TIGHTER = """\
name: tighter
rules:
  - name: reps
    roles: [rep, manager]
    delay_hours: 36
    show:
      email_opened: {detail: exists, time: none}
      link_clicked: {detail: topic, time: week}
      page_visited: {detail: topic, time: week}
"""
BROWSER = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "X-Forwarded-For": "203.0.113.5",
}


def engaged_prospect(client: TestClient, runtime: Runtime, **fields: Any) -> dict[str, Any]:
    """A prospect who opened an email and clicked its pricing link two days ago."""
    rep = make_user(client, name=f"rep of {fields.get('email', 'anna')}")
    prospect = make_prospect(client, rep, **fields)
    message = send_message(client, rep, prospect["id"], sent_at="2026-01-05T10:00:00Z")
    client.get(path_of(message["pixel_url"]), headers=BROWSER)
    client.get(path_of(message["links"][0]["tracked_url"]), headers=BROWSER)
    age_events(runtime, hours=48)
    return prospect


def officer(client: TestClient, runtime: Runtime) -> str:
    return signed_in(client, runtime, "compliance", "Cora")


def active_policy(client: TestClient) -> tuple[str, int]:
    listed = client.get("/api/policies", headers=auth(ADMIN_KEY)).json()
    [active] = [(p["name"], p["active_version"]) for p in listed if p["active_version"]]
    return active


def post_preview(
    client: TestClient,
    token: str,
    prospect_id: Any,
    document: str,
    *,
    path: str = "/console/policies/_new",
) -> Response:
    """Submit the editor's Preview for one prospect, seen as a rep."""
    return client.post(
        path,
        data={
            "document": document,
            "action": "preview",
            "prospect": str(prospect_id),
            "role": "rep",
            "csrf_token": token,
        },
    )


class TestWhoMayOpen:
    @pytest.mark.parametrize("role", ["compliance", "admin"])
    def test_compliance_and_admin_see_the_policies(
        self, client: TestClient, runtime: Runtime, role: str
    ) -> None:
        signed_in(client, runtime, role)
        page = client.get("/console/policies")
        assert page.status_code == 200
        assert "default" in page.text and "Active" in page.text

    @pytest.mark.parametrize("role", ["rep", "manager"])
    def test_reps_and_managers_are_refused(
        self, client: TestClient, runtime: Runtime, role: str
    ) -> None:
        signed_in(client, runtime, role)
        for path in ("/console/policies", "/console/policies/_new", "/console/policies/default"):
            assert client.get(path).status_code == 403

    def test_someone_not_signed_in_is_sent_to_sign_in(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        response = client.get("/console/policies")
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")


class TestEditor:
    def test_a_new_policy_is_saved_as_version_one_and_not_activated(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        token = officer(client, runtime)
        response = client.post(
            "/console/policies/_new",
            data={"document": QUIET, "action": "save", "csrf_token": token},
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/console/policies/quiet?version=1"
        page = client.get(response.headers["location"])
        assert "Saved version 1 of quiet" in page.text
        assert active_policy(client) == ("default", 1)

    def test_an_invalid_value_is_summarised_at_the_top_with_its_line(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        token = officer(client, runtime)
        broken = QUIET.replace("detail: exists", "detail: lots")
        response = client.post(
            "/console/policies/_new",
            data={"document": broken, "action": "save", "csrf_token": token},
        )
        assert response.status_code == 422
        page = response.text
        summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
        assert "There is a problem" in summary
        assert 'href="#document"' in summary and 'data-line="8"' in summary
        assert "Line 8: rules.0.show.email_opened.detail" in summary
        assert 'id="document-error"' in page and 'aria-invalid="true"' in page
        # The text typed is kept, and nothing was stored.
        assert "detail: lots" in page
        names = [p["name"] for p in client.get("/api/policies", headers=auth(ADMIN_KEY)).json()]
        assert names == ["default"]

    def test_yaml_that_does_not_parse_is_reported_at_the_parsers_line(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        token = officer(client, runtime)
        response = client.post(
            "/console/policies/_new",
            data={"document": "name: x\nrules: [\n", "action": "save", "csrf_token": token},
        )
        assert response.status_code == 422
        assert "not valid YAML at line" in response.text

    def test_a_name_already_taken_points_at_the_name_line(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        token = officer(client, runtime)
        default = client.get("/console/policies/default/edit").text
        assert "name: default" in default
        response = client.post(
            "/console/policies/_new",
            data={
                "document": "# a copy\n" + QUIET.replace("quiet", "default", 1),
                "action": "save",
                "csrf_token": token,
            },
        )
        assert response.status_code == 422
        assert "Line 2: name: a policy called &#39;default&#39; exists" in response.text

    def test_editing_stores_the_next_version_of_that_policy(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        token = officer(client, runtime)
        edited = client.get("/console/policies/default/edit").text
        assert "<textarea" in edited
        response = client.post(
            "/console/policies/default/edit",
            data={
                "document": QUIET.replace("quiet", "default", 1),
                "action": "save",
                "csrf_token": token,
            },
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/console/policies/default?version=2"

    def test_a_post_without_the_csrf_token_is_refused_and_stores_nothing(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        officer(client, runtime)
        response = client.post("/console/policies/_new", data={"document": QUIET, "action": "save"})
        assert response.status_code == 403
        names = [p["name"] for p in client.get("/api/policies", headers=auth(ADMIN_KEY)).json()]
        assert names == ["default"]


class TestPreview:
    def test_the_draft_is_shown_beside_today_for_one_prospect_and_across_all(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        prospect = engaged_prospect(client, runtime)
        token = officer(client, runtime)
        response = post_preview(client, token, prospect["id"], QUIET)
        assert response.status_code == 200, response.text
        page = response.text
        assert "Today" in page and "Under this draft" in page
        assert "Clicked a link about pricing" in page  # today's policy shows the topic
        withdrawn = page.split("<strong>Withdrawn</strong>", 1)[1]
        assert "Clicked a link about pricing" in withdrawn
        assert "Across all prospects" in page and "Link clicks" in page
        # Previewing stores nothing.
        names = [p["name"] for p in client.get("/api/policies", headers=auth(ADMIN_KEY)).json()]
        assert names == ["default"]

    def preview(self, client: TestClient, token: str, prospect: dict[str, Any], doc: str) -> str:
        response = post_preview(client, token, prospect["id"], doc)
        assert response.status_code == 200, response.text
        return response.text.split("What changes for this prospect", 1)[1]

    @staticmethod
    def section(changes: str, title: str) -> str:
        return changes.split(f"<strong>{title}</strong>", 1)[1].split("<strong>", 1)[0]

    def test_a_draft_that_only_tightens_reveals_nothing_and_says_what_is_less_precise(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        prospect = engaged_prospect(client, runtime)
        token = officer(client, runtime)
        changes = self.preview(client, token, prospect, TIGHTER)
        assert "Nothing." in self.section(changes, "Revealed")
        assert "Nothing." in self.section(changes, "Shown more precisely or sooner")
        less = self.section(changes, "Shown less precisely or later")
        assert (
            "Email opens: detail count → exists, time day → none, delay 24 hours → 36 hours."
            in less
        )
        assert "Link clicks: time day → week, delay 24 hours → 36 hours." in less
        assert "Opened" in less  # the draft's coarser fact, shown under its change
        assert "Nothing." in self.section(changes, "Withdrawn")

    def test_a_draft_showing_opens_in_full_at_once_says_so_and_reveals_no_kind(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        prospect = engaged_prospect(client, runtime)
        token = officer(client, runtime)
        changes = self.preview(client, token, prospect, SHARPER)
        assert "Nothing." in self.section(changes, "Revealed")
        more = self.section(changes, "Shown more precisely or sooner")
        assert (
            "Email opens: detail count → full, time day → exact, delay 24 hours → no delay." in more
        )
        assert "Link clicks: delay 24 hours → no delay." in more
        assert "Nothing." in self.section(changes, "Shown less precisely or later")

    def test_preview_brings_the_page_back_at_its_result(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        prospect = engaged_prospect(client, runtime)
        token = officer(client, runtime)
        editor = client.get("/console/policies/default/edit").text
        assert (
            'value="preview" class="button-secondary" '
            'formaction="/console/policies/default/edit#preview-result"'
        ) in editor
        page = post_preview(
            client, token, prospect["id"], QUIET, path="/console/policies/default/edit"
        ).text
        assert 'id="preview-result" tabindex="-1"' in page

    def test_beyond_a_list_a_person_can_scroll_the_prospect_is_given_by_number(
        self, client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(policy_pages, "PROSPECT_CHOICES", 1)
        engaged_prospect(client, runtime)
        second = engaged_prospect(client, runtime, email="bob@example.com")
        token = officer(client, runtime)
        page = client.get("/console/policies/_new").text
        assert '<input id="prospect" name="prospect" type="text"' in page
        response = post_preview(client, token, second["id"], QUIET)
        assert response.status_code == 200
        assert "Preview: Anna as a rep" in response.text

    def test_find_lists_the_prospects_matching_and_keeps_the_draft_as_typed(
        self, client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(policy_pages, "PROSPECT_CHOICES", 1)  # a list too long to scroll
        engaged_prospect(client, runtime, email="anna@acme.example", company="Acme")
        bob = engaged_prospect(
            client, runtime, email="bob@beta.example", name="Bob", company="Beta"
        )
        token = officer(client, runtime)
        draft = QUIET + "# not yet valid: "
        response = client.post(
            "/console/policies/_new",
            data={
                "document": draft,
                "find": "  BETA ",
                "action": "find",
                "role": "manager",
                "csrf_token": token,
            },
        )
        assert response.status_code == 200
        page = response.text
        assert f"{draft}</textarea>" in page  # nothing checked, nothing lost
        assert 'value="  BETA "' in page and '<option value="manager" selected>' in page
        assert "1 prospect matches" in page
        options = page.split('<select id="prospect"', 1)[1].split("</select>", 1)[0]
        assert f'<option value="{bob["id"]}" selected>Bob — bob@beta.example (Beta)' in options
        assert "anna@acme.example" not in options
        previewed = client.post(
            "/console/policies/_new",
            data={
                "document": QUIET,
                "find": "beta",
                "prospect": str(bob["id"]),
                "action": "preview",
                "role": "rep",
                "csrf_token": token,
            },
        )
        assert previewed.status_code == 200 and "Preview: Bob as a rep" in previewed.text

    def test_find_reads_names_emails_and_companies_as_the_api_does(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        engaged_prospect(client, runtime, email="anna@acme.example", company="Acme")
        engaged_prospect(client, runtime, email="bob@beta.example", name="Bob", company="Beta")
        token = officer(client, runtime)
        for needle, expected in [
            ("anna", 1),
            ("ACME.EXAMPLE", 1),
            ("beta", 1),
            ("example", 2),
            ("zed", 0),
            ("%", 0),
        ]:
            page = client.post(
                "/console/policies/_new",
                data={"document": QUIET, "find": needle, "action": "find", "csrf_token": token},
            ).text
            api = client.get("/api/prospects", params={"q": needle}, headers=auth(ADMIN_KEY))
            assert int(api.headers["x-total-count"]) == expected
            options = page.split('<select id="prospect"', 1)[1].split("</select>", 1)[0]
            assert options.count('<option value="') - 1 == expected, needle
            if expected == 0:
                assert "No prospect matches" in page
        signed_in(client, runtime, "rep", "Rita")  # a rep does not even reach the page
        assert client.post("/console/policies/_new", data={"find": "anna"}).status_code == 403

    def test_many_matches_list_the_first_by_name_and_say_how_many(
        self, client: TestClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(policy_pages, "FOUND_CHOICES", 1)
        engaged_prospect(client, runtime, email="zoe@example.com", name="Zoe")
        engaged_prospect(client, runtime, email="abe@example.com", name="Abe")
        token = officer(client, runtime)
        page = client.post(
            "/console/policies/_new",
            data={"document": QUIET, "find": "example", "action": "find", "csrf_token": token},
        ).text
        assert "2 prospects match" in page and "the first 1 by name are listed" in page
        assert "Abe — abe@example.com" in page and "zoe@example.com" not in page

    def test_a_search_too_long_is_refused_beside_the_field_and_kept(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        token = officer(client, runtime)
        response = client.post(
            "/console/policies/_new",
            data={"document": QUIET, "find": "x" * 201, "action": "find", "csrf_token": token},
        )
        assert response.status_code == 422
        assert 'id="find-error"' in response.text and 'href="#find"' in response.text
        assert "you typed 201" in response.text and f'value="{"x" * 201}"' in response.text

    def test_a_preview_needs_a_prospect(self, client: TestClient, runtime: Runtime) -> None:
        token = officer(client, runtime)
        response = client.post(
            "/console/policies/_new",
            data={"document": QUIET, "action": "preview", "prospect": "", "csrf_token": token},
        )
        assert response.status_code == 422
        assert 'href="#prospect"' in response.text

    def test_hostile_prospect_fields_and_policy_text_render_as_text(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        hostile = '<script>alert("x")</script>'
        prospect = engaged_prospect(client, runtime, name=hostile, company=hostile)
        token = officer(client, runtime)
        document = QUIET.replace("Reps see only that an email was opened.", f"'{hostile}'")
        response = post_preview(client, token, prospect["id"], document)
        assert response.status_code == 200
        assert hostile not in response.text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in response.text


class TestActivation:
    def save_quiet(self, client: TestClient, token: str) -> None:
        client.post(
            "/console/policies/_new",
            data={"document": QUIET, "action": "save", "csrf_token": token},
        )

    def test_the_confirmation_page_shows_the_summary_and_changes_nothing(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        engaged_prospect(client, runtime)
        token = officer(client, runtime)
        self.save_quiet(client, token)
        page = client.get("/console/policies/quiet/versions/1/activate")
        assert page.status_code == 200
        assert "Activate quiet version 1?" in page.text
        assert "Link clicks" in page.text and "Withdrawn" in page.text
        assert 'name="replaces" value="default version 1"' in page.text
        assert active_policy(client) == ("default", 1)

    def test_a_version_showing_a_kind_more_precisely_and_sooner_says_so_before_the_button(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        # The officer's report: opens stay visible (nothing "revealed"), but the general
        # reps rule goes from count by day after 24 hours to full, to the second, at once.
        engaged_prospect(client, runtime)
        token = officer(client, runtime)
        client.post(
            "/console/policies/default/edit",
            data={"document": SHARPER, "action": "save", "csrf_token": token},
        )
        page = client.get("/console/policies/default/versions/2/activate").text
        main = page.split("<main", 1)[1]
        table = main.split('<table class="impact">', 1)[1].split("</table>", 1)[0]
        assert "More detail or sooner" in table and "Less detail or later" in table
        opens = table.split("Email opens</th>", 1)[1].split("</tr>", 1)[0]
        # today, under version 2, revealed, withdrawn, more precisely or sooner, less
        cells = [cell.rsplit(">", 1)[-1] for cell in opens.split("</td>")[:-1]]
        assert cells == ["1", "1", "0", "0", "1", "0"]
        warning = main.split('id="reveals-more"', 1)[1].split("</div>", 1)[0]
        assert "Version 2 shows more than default version 1" in warning
        assert "for a rep, email opens shown more precisely or sooner for 1 prospect" in warning
        assert main.index('id="reveals-more"') < main.index("<button")
        assert "Rule <code>reps</code>: 24 hours today, no delay under version 2 (sooner)" in main
        diff = main.split('<pre class="diff"', 1)[1].split("</pre>", 1)[0]
        assert "--- default version 1 (active)" in diff and "+++ default version 2" in diff
        assert "-  delay_hours: 24.0" in diff and "+  delay_hours: 0.0" in diff
        assert "-      detail: count" in diff and "+      detail: full" in diff
        assert "+      time: exact" in diff

    def test_a_version_that_only_tightens_gives_no_warning(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        engaged_prospect(client, runtime)
        token = officer(client, runtime)
        self.save_quiet(client, token)
        page = client.get("/console/policies/quiet/versions/1/activate").text
        assert 'id="reveals-more"' not in page
        assert "shows more than" not in page

    def test_the_document_diff_is_text(self, client: TestClient, runtime: Runtime) -> None:
        token = officer(client, runtime)
        hostile = QUIET.replace(
            "Reps see only that an email was opened.", '"</pre><script>alert(1)</script>"'
        )
        client.post(
            "/console/policies/_new",
            data={"document": hostile, "action": "save", "csrf_token": token},
        )
        page = client.get("/console/policies/quiet/versions/1/activate").text
        assert "<script>alert(1)" not in page
        assert "&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page

    def test_activation_happens_only_on_the_confirmation_and_is_audited(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        token = officer(client, runtime)
        self.save_quiet(client, token)
        page = client.get("/console/policies/quiet/versions/1/activate").text
        response = client.post(
            "/console/policies/quiet/versions/1/activate",
            data={"csrf_token": csrf_of(page), "replaces": "default version 1"},
        )
        assert response.status_code == 303
        assert active_policy(client) == ("quiet", 1)
        assert "quiet version 1 is now the active policy" in client.get("/console/policies").text
        audit = client.get("/api/audit?action=policy.activate", headers=auth(ADMIN_KEY)).json()
        assert len(audit["items"]) == 1

    def test_a_post_that_skipped_the_summary_activates_nothing(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        token = officer(client, runtime)
        self.save_quiet(client, token)
        response = client.post(
            "/console/policies/quiet/versions/1/activate", data={"csrf_token": token}
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/console/policies/quiet/versions/1/activate"
        assert active_policy(client) == ("default", 1)

    def test_the_active_version_is_not_activated_again(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        token = officer(client, runtime)
        page = client.get("/console/policies/default/versions/1/activate").text
        assert "is already active" in page and "<button" not in page.split("<main", 1)[1]
        response = client.post(
            "/console/policies/default/versions/1/activate",
            data={"csrf_token": token, "replaces": "default version 1"},
        )
        assert response.status_code == 303
        audit = client.get("/api/audit?action=policy.activate", headers=auth(ADMIN_KEY)).json()
        assert audit["items"] == []

    def test_without_the_csrf_token_nothing_is_activated(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        token = officer(client, runtime)
        self.save_quiet(client, token)
        response = client.post(
            "/console/policies/quiet/versions/1/activate", data={"replaces": "default version 1"}
        )
        assert response.status_code == 403
        assert active_policy(client) == ("default", 1)

    def test_an_unknown_version_is_a_404_page(self, client: TestClient, runtime: Runtime) -> None:
        officer(client, runtime)
        for path in (
            "/console/policies/default/versions/9/activate",
            "/console/policies/default/versions/x/activate",
            "/console/policies/nothing",
            "/console/policies/default?version=99999999999999999999999",
        ):
            response = client.get(path)
            assert response.status_code == 404, path
            assert "text/html" in response.headers["content-type"]

    def test_a_version_that_is_not_a_number_is_a_400_page_naming_it(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        officer(client, runtime)
        for path in (
            "/console/policies/default?version=abc",
            "/console/policies/default/edit?version=1.5",
        ):
            response = client.get(path)
            assert response.status_code == 400, path
            assert "text/html" in response.headers["content-type"]
            assert "The query parameter “version” must be a version number" in response.text
