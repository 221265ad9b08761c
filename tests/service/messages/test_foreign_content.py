"""POST /api/messages and what the rep's own HTML carries beyond Candor (pixel.foreign):
what can only harm is cut out before instrumenting, the rest is named in ``notes``."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.factories import make_prospect, make_user, send_message

STRANGER = (
    "<script>alert('x')</script><a href='javascript:alert(1)'>js</a> "
    "<img src='https://evil.example/track.gif'>"
)


class TestWhatTheRepPastedIn:
    def test_the_script_and_javascript_link_go_the_foreign_pixel_stays_and_notes_say_so(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        message = send_message(client, rep, make_prospect(client, rep)["id"], html=STRANGER)
        html = message["html"]
        assert "<script" not in html and "javascript:" not in html
        assert html.startswith("<a>js</a> <img src='https://evil.example/track.gif'>")
        assert message["pixel_url"] in html  # Candor's own pixel, after the check
        assert message["notes"] == [
            "Candor removed a script from this email: mail clients would not run it, and it "
            "could only do harm.",
            "Candor removed a javascript: address (the link keeps its words) from this email: "
            "mail clients would not run it, and it could only do harm.",
            "An image from evil.example that looks like a tracking pixel loads when the email "
            "is opened: that site can see opens that Candor's footer and opt-out do not cover.",
        ]

    def test_another_services_tracked_link_is_still_tracked_by_candor_and_named(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        message = send_message(
            client,
            rep,
            make_prospect(client, rep)["id"],
            html='<p><a href="https://bit.ly/offer">offer</a></p>',
        )
        assert [link["url"] for link in message["links"]] == ["https://bit.ly/offer"]
        assert message["notes"] == [
            "A link goes through bit.ly (another service's click tracker, redirect or link "
            "shortener): it sees clicks that Candor's footer and opt-out do not cover."
        ]

    def test_an_ordinary_email_has_no_notes(self, client: TestClient) -> None:
        rep = make_user(client)
        message = send_message(client, rep, make_prospect(client, rep)["id"])
        assert message["notes"] == []

    def test_a_text_only_emails_foreign_links_are_named_too(self, client: TestClient) -> None:
        rep = make_user(client)
        message = send_message(
            client, rep, make_prospect(client, rep)["id"], html=None, text="See https://bit.ly/x"
        )
        assert message["notes"][0].startswith("A text-only email carries no open pixel")
        assert message["notes"][1].startswith("A link goes through bit.ly")


class TestAnUntrackedEmail:
    def test_is_cleaned_the_same_and_told_its_footer_would_not_be_true(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep, email="zoe@example.com")
        officer = make_user(client, "compliance")
        added = client.post(
            "/api/suppressions", json={"email": "zoe@example.com"}, headers=officer.headers
        )
        assert added.status_code == 201, added.text
        message = send_message(client, rep, prospect["id"], html=STRANGER)
        assert message["tracked"] is False and message["pixel_url"] is None
        assert "<script" not in message["html"] and "javascript:" not in message["html"]
        assert "https://evil.example/track.gif" in message["html"]
        notes = message["notes"]
        assert notes[0] == message["untracked_reason"]
        assert any("evil.example" in note for note in notes)
        assert notes[-1] == (
            "The footer tells this person that nothing in this email records them: take out "
            "the images, links and forms named above before you send it, or that is not true."
        )
