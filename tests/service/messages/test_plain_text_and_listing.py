"""Plain-text emails, and listing a prospect's messages, through the real app."""

from __future__ import annotations

from starlette.testclient import TestClient

from service.messages.service import NO_PIXEL_NOTE, schemeless_note
from tests.conftest import ADMIN_KEY, PUBLIC_URL
from tests.factories import auth, make_prospect, make_user, path_of, send_message

TEXT = "Hi Anna,\n\nPricing: https://example.com/pricing?plan=team.\nCall tel:+123.\n"


def send_text(client: TestClient, sender, prospect_id: int, text: str = TEXT):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/messages",
        json={"prospect_id": prospect_id, "subject": "Plain", "text": text},
        headers=sender.headers,
    )


class TestPlainTextEmails:
    def test_links_are_tracked_and_the_answer_says_there_is_no_pixel(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        response = send_text(client, rep, make_prospect(client, rep)["id"])
        assert response.status_code == 201, response.text
        message = response.json()
        assert message["html"] is None and message["pixel_url"] is None
        assert message["notes"] == [NO_PIXEL_NOTE]
        assert [link["url"] for link in message["links"]] == [
            "https://example.com/pricing?plan=team"
        ]
        tracked = message["links"][0]["tracked_url"]
        assert f"Pricing: {tracked}." in message["text"]
        assert "https://example.com/pricing" not in message["text"]
        assert "tel:+123" in message["text"]

    def test_an_address_without_https_is_untracked_and_the_answer_says_so(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        body = {"prospect_id": prospect["id"], "subject": "Hi", "text": "See www.example.com."}
        message = client.post("/api/messages", json=body, headers=rep.headers).json()
        assert message["links"] == [] and "See www.example.com." in message["text"]
        assert message["notes"] == [NO_PIXEL_NOTE, schemeless_note("www.example.com")]
        assert "write https://www.example.com to track it" in message["notes"][1]

    def test_the_disclosure_footer_is_added_as_text(self, client: TestClient) -> None:
        rep = make_user(client)
        message = send_text(client, rep, make_prospect(client, rep)["id"]).json()
        assert f"{PUBLIC_URL}/p/" in message["text"]
        assert "<" not in message["text"]


class TestTheFooterSaysWhatThisEmailRecords:
    """Opens only when the email carries the pixel; clicks only when a link is tracked."""

    def test_a_plain_text_email_with_links_says_opens_are_not_recorded(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        message = send_text(client, rep, make_prospect(client, rep)["id"]).json()
        footer = message["text"].rsplit("\n\n", 1)[1]
        assert footer.startswith(
            "This email does not record when it is opened. It records when its links are "
            "clicked, and which pages of our website you visit after a click."
        )
        assert message["notes"] == [NO_PIXEL_NOTE]

    def test_a_plain_text_email_without_links_says_nothing_records(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        message = send_text(client, rep, make_prospect(client, rep)["id"], "Hi Anna.").json()
        assert message["links"] == []
        assert (
            "Nothing in this email records whether it is opened, and none of its links "
            "records a click." in message["text"]
        )

    def test_an_html_email_without_links_says_only_opens_are_recorded(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        message = send_message(client, rep, prospect["id"], html="<p>Hi</p>", text="Hi")
        notice = "This email records when it is opened. None of its links records a click."
        assert notice in message["html"] and notice in message["text"]

    def test_an_html_email_with_links_says_opens_and_clicks_are_recorded(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        message = send_message(client, rep, make_prospect(client, rep)["id"])
        assert (
            "This email records when it is opened, when its links are clicked" in (message["html"])
        )

    def test_the_german_footer_of_a_plain_text_email_says_the_same(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep, language="de")
        message = send_text(client, rep, prospect["id"]).json()
        assert (
            "Diese E-Mail zeichnet nicht auf, wann sie geöffnet wird. Sie zeichnet auf, wann "
            "ihre Links angeklickt werden" in message["text"]
        )
        bare = send_text(client, rep, prospect["id"], "Hallo Anna.").json()
        assert "Nichts in dieser E-Mail zeichnet auf, ob sie geöffnet wird" in bare["text"]

    def test_a_tracked_link_of_a_text_email_redirects_to_its_destination(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        message = send_text(client, rep, make_prospect(client, rep)["id"]).json()
        hit = client.get(path_of(message["links"][0]["tracked_url"]))
        assert hit.status_code == 302
        assert hit.headers["location"].startswith("https://example.com/pricing?plan=team")

    def test_an_opted_out_persons_text_keeps_its_words_and_footer_and_tracks_nothing(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        first = send_message(client, rep, prospect["id"], text="Hello")
        page = first["text"].rsplit("opt out: ", 1)[1].strip()
        assert client.post(path_of(page) + "/opt-out").status_code == 303
        message = send_text(client, rep, prospect["id"]).json()
        assert message["text"].startswith(TEXT.rstrip("\n")) and message["links"] == []
        # The footer says nothing records, and still links the page (to opt back in).
        assert "nothing in this email records" in message["text"]
        assert "opt out" not in message["text"]
        assert "See what is held about you: http://collector.test/p/" in message["text"]
        assert "/c/" not in message["text"]
        assert message["tracked"] is False and "opted out" in message["notes"][0]


class TestListingMessages:
    def test_the_owner_sees_subject_time_pixel_and_tracked_links_newest_first(
        self, client: TestClient
    ) -> None:
        rep = make_user(client)
        prospect = make_prospect(client, rep)
        html = send_message(client, rep, prospect["id"], sent_at="2026-11-01T09:00:00Z")
        text = send_text(client, rep, prospect["id"]).json()
        response = client.get(f"/api/prospects/{prospect['id']}/messages", headers=rep.headers)
        assert response.status_code == 200
        listed = response.json()
        assert [m["id"] for m in listed] == [text["id"], html["id"]]
        assert listed[0]["pixel_url"] is None
        assert listed[1]["pixel_url"] == html["pixel_url"]
        assert listed[1]["links"] == html["links"]  # the hidden honeypot is not listed
        assert listed[1]["subject"] == "Our proposal" and listed[1]["sender_id"] == rep.id

    def test_a_manager_reads_their_reps_messages_but_a_stranger_gets_a_404(
        self, client: TestClient
    ) -> None:
        boss = make_user(client, "manager")
        rep, stranger = make_user(client, manager=boss), make_user(client)
        prospect = make_prospect(client, rep)
        send_message(client, rep, prospect["id"])
        path = f"/api/prospects/{prospect['id']}/messages"
        assert len(client.get(path, headers=boss.headers).json()) == 1
        missing = client.get(path, headers=stranger.headers)
        assert missing.status_code == 404
        assert (
            missing.json()
            == client.get("/api/prospects/999999/messages", headers=stranger.headers).json()
        )

    def test_compliance_is_sent_to_the_export_and_no_key_is_a_401(self, client: TestClient) -> None:
        rep, officer = make_user(client), make_user(client, "compliance")
        prospect = make_prospect(client, rep)
        path = f"/api/prospects/{prospect['id']}/messages"
        response = client.get(path, headers=officer.headers)
        assert response.status_code == 403 and "export" in response.json()["detail"]
        assert client.get(path).status_code == 401
        assert client.get(path, headers=auth(ADMIN_KEY)).status_code == 403
