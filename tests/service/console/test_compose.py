"""Composing: the lint's findings first, then the instrumented email, its preview and draft."""

from __future__ import annotations

import email
from email import policy

from starlette.testclient import TestClient

from service.runtime import Runtime
from tests.conftest import PUBLIC_URL
from tests.factories import make_prospect, stored_events
from tests.service.console.helpers import make_person, sign_in, signed_in_person

BODY = (
    '<p>Hi Anna, did you read my email? Here is <a href="https://example.com/pricing">'
    "our pricing</a>.</p>"
)


def compose(client: TestClient, token: str, prospect_id: int, **fields: str) -> str:
    """Submit the compose form; the address of the instrumented email."""
    data = {"csrf_token": token, "subject": "Next steps", "format": "html", "body": BODY, **fields}
    response = client.post(f"/console/prospects/{prospect_id}/compose", data=data)
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


class TestCompose:
    def test_the_findings_come_first_then_the_instrumented_email(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        page = client.get(compose(client, token, prospect["id"])).text
        findings = page.index("What the check found")
        instrumented = page.index("The instrumented email")
        assert findings < instrumented
        assert "did you read my email?" in page[findings:instrumented]
        assert "/c/" in page[instrumented:]  # the tracked link, as source to copy
        assert "Copy HTML" in page
        assert len(stored_events(runtime, "email_sent")) == 1

    def test_a_plain_text_email_has_no_preview_but_a_draft(self, client: TestClient) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        address = compose(
            client, token, prospect["id"], format="text", body="Hi Anna, see https://example.com/x"
        )
        page = client.get(address).text
        assert "Preview of the email" not in page
        assert "opens of it are never recorded" in page
        draft = email.message_from_bytes(
            client.get(address + "/draft.eml").content, policy=policy.default
        )
        assert draft.get_content_type() == "text/plain"
        assert "/c/" in draft.get_content()

    def test_an_address_written_without_https_is_named_as_untracked(
        self, client: TestClient
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        body = "Hi Anna, the pricing is at www.example.com/pricing."
        page = client.get(compose(client, token, prospect["id"], format="text", body=body)).text
        assert "www.example.com/pricing in the text part has no https:// in front" in page

    def test_an_empty_body_is_explained_beside_the_field(self, client: TestClient) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        response = client.post(
            f"/console/prospects/{prospect['id']}/compose",
            data={"csrf_token": token, "subject": "Hello", "format": "html", "body": ""},
        )
        assert response.status_code == 422
        assert 'id="body-error"' in response.text

    def test_composing_without_the_csrf_token_records_nothing(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep, _ = signed_in_person(client)
        prospect = make_prospect(client, rep)
        response = client.post(
            f"/console/prospects/{prospect['id']}/compose",
            data={"subject": "Next steps", "format": "html", "body": BODY},
        )
        assert response.status_code == 403
        assert stored_events(runtime, "email_sent") == []

    def test_a_manager_reads_a_team_prospect_but_cannot_write_to_them(
        self, client: TestClient
    ) -> None:
        manager = make_person(client, "manager", name="Mia")
        rep = make_person(client, name="Rita", manager=manager)
        prospect = make_prospect(client, rep)
        sign_in(client, "Mia")
        assert client.get(f"/console/prospects/{prospect['id']}").status_code == 200
        assert client.get(f"/console/prospects/{prospect['id']}/compose").status_code == 403


class TestPreviewAndDraft:
    def test_the_preview_is_sandboxed_and_tracks_nothing(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        response = client.get(compose(client, token, prospect["id"]) + "/preview")
        csp = response.headers["content-security-policy"]
        assert csp.startswith("sandbox;")
        assert "img-src data:" in csp
        assert "/o/" not in response.text and "/c/" not in response.text
        assert response.headers["x-frame-options"] == "SAMEORIGIN"

    def test_the_draft_is_an_unsent_rfc5322_message_with_both_parts(
        self, client: TestClient
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep, name="Anna", email="anna@acme.example")
        response = client.get(compose(client, token, prospect["id"]) + "/draft.eml")
        assert response.headers["content-type"].startswith("message/rfc822")
        assert "attachment" in response.headers["content-disposition"]
        draft = email.message_from_bytes(response.content, policy=policy.default)
        assert draft["X-Unsent"] == "1"
        assert draft["Subject"] == "Next steps"
        assert str(draft["To"]) == "Anna <anna@acme.example>"
        assert [part.get_content_type() for part in draft.iter_parts()] == [
            "text/plain",
            "text/html",
        ]

    def test_another_reps_message_is_a_404(self, client: TestClient) -> None:
        rep, token = signed_in_person(client, name="Rita")
        prospect = make_prospect(client, rep)
        address = compose(client, token, prospect["id"])
        make_person(client, name="Otto")
        sign_in(client, "Otto")
        for suffix in ("", "/preview", "/draft.eml"):
            assert client.get(address + suffix).status_code == 404


class TestTheCheckJudgesOnlyTheRepsWords:
    """Candor's footer ("this email records when it is opened") is not the rep's reveal."""

    def test_a_plain_text_email_with_a_link_is_found_clean_on_the_banner_and_the_page(
        self, client: TestClient
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        response = client.post(
            f"/console/prospects/{prospect['id']}/compose",
            data={
                "csrf_token": token,
                "subject": "Pricing",
                "format": "text",
                "body": "Hi Anna, here is our pricing: https://example.com/pricing",
            },
            follow_redirects=True,
        )
        page = response.text
        assert "The check found nothing to reconsider" in page
        assert "Nothing to reconsider" in page
        assert "to reconsider before you send it" not in page
        assert "surveillance reveal." not in page
        assert "does not record when it is opened" in page  # the footer is still there

    def test_an_html_email_is_found_clean_without_its_footer(self, client: TestClient) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        clean = '<p>Hi Anna, here is <a href="https://example.com/pricing">our pricing</a>.</p>'
        page = client.get(compose(client, token, prospect["id"], body=clean)).text
        assert "Nothing to reconsider" in page
        assert "to reconsider before you send it" not in page

    def test_the_reps_own_reveal_is_still_found_in_a_plain_text_email(
        self, client: TestClient
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        address = compose(
            client, token, prospect["id"], format="text", body="I saw you opened my email."
        )
        page = client.get(address).text
        assert "1 thing to reconsider before you send it" in page
        assert "I saw you opened" in page


class TestThePlainPartOfTheDraft:
    def test_it_carries_each_tracked_link_after_its_words_and_the_transparency_url(
        self, client: TestClient
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        address = compose(client, token, prospect["id"])
        draft = email.message_from_bytes(
            client.get(address + "/draft.eml").content, policy=policy.default
        )
        plain, html = (part.get_content() for part in draft.iter_parts())
        tracked = html.split('href="', 1)[1].split('"', 1)[0]
        assert "/c/" in tracked
        assert f"our pricing <{tracked}>" in plain
        page_link = html.split("/p/", 1)[1].split('"', 1)[0]
        assert f"See what is recorded, or opt out <{PUBLIC_URL}/p/{page_link}>" in plain
        assert "HONEY" not in plain and plain.count("/c/") == 1  # no honeypot address


class TestWhatTheHtmlCarriesBeyondCandor:
    STRANGER = (
        "<script>alert('x')</script><a href='javascript:alert(1)'>js</a> "
        "<img src='https://evil.example/track.gif'>"
    )

    def test_the_notes_stand_beside_the_lints_findings_and_the_draft_is_clean(
        self, client: TestClient
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        response = client.post(
            f"/console/prospects/{prospect['id']}/compose",
            data={"csrf_token": token, "subject": "Hi", "format": "html", "body": self.STRANGER},
            follow_redirects=True,
        )
        page = response.text
        assert "its HTML carries what Candor&#39;s footer and opt-out do not cover" in page
        findings = page.index("What the check found")
        instrumented = page.index("The instrumented email")
        carried = page[findings:instrumented]
        assert "Candor removed a script from this email" in carried
        assert "An image from evil.example that looks like a tracking pixel" in carried
        assert "Nothing to reconsider" not in carried  # the words are fine; the HTML is not
        assert "Write a new version" not in carried  # still discardable: the button says it
        draft = client.get(response.url.path + "/draft.eml").text
        assert "alert(" not in draft and "evil.example/track.gif" in draft

    def test_the_notes_are_shown_again_on_a_later_visit(self, client: TestClient) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        address = compose(client, token, prospect["id"], body=self.STRANGER)
        client.get(address)  # the first visit, with its banner
        assert "Candor removed a script" in client.get(address).text

    def test_a_clean_email_has_no_such_notes(self, client: TestClient) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        page = client.get(compose(client, token, prospect["id"])).text
        assert "beyond Candor&#39;s footer and opt-out" not in page
