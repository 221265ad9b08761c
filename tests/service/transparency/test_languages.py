"""Who sends, and in which language: the footer and the transparency page, end to end."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from service.config import Settings
from service.runtime import Runtime
from tests.factories import (
    BROWSER_UA,
    Person,
    age_events,
    make_prospect,
    make_user,
    page_of,
    path_of,
    send_message,
)

HEADERS = {"User-Agent": BROWSER_UA, "X-Forwarded-For": "203.0.113.5"}
COMPANY = 'Acme <b>"Tools"</b> & Co'
CONTROLLER = {
    "company_name": COMPANY,
    "contact_email": "privacy@acme.example",
    "privacy_url": "https://acme.example/privacy?a=1&b=<2>",
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The suite's settings, naming a controller whose name needs escaping."""
    return settings.model_copy(update=CONTROLLER)


def mail(client: TestClient, **fields: Any) -> dict[str, Any]:
    rep = make_user(client, name="Rita")
    prospect = make_prospect(client, rep, **fields)
    message = send_message(client, rep, prospect["id"], text="Pricing: https://example.com/p")
    return {"rep": rep, "prospect": prospect, "message": message, "page": page_of(message)}


class TestTheFooter:
    def test_it_names_the_company_the_contact_and_the_privacy_notice_escaped(
        self, client: TestClient
    ) -> None:
        html = mail(client)["message"]["html"]
        assert "Sent by Acme &lt;b&gt;&quot;Tools&quot;&lt;/b&gt; &amp; Co." in html
        assert "<b>" not in html
        assert '<a href="mailto:privacy@acme.example"' in html
        assert 'href="https://acme.example/privacy?a=1&amp;b=&lt;2&gt;"' in html
        assert "Privacy notice: <a" in html

    def test_the_text_part_names_them_on_a_line_of_its_own(self, client: TestClient) -> None:
        text = mail(client)["message"]["text"]
        assert (
            f"Sent by {COMPANY}. Questions: privacy@acme.example. "
            "Privacy notice: https://acme.example/privacy?a=1&b=<2>"
        ) in text.splitlines()

    def test_a_german_prospects_footer_is_in_german(self, client: TestClient) -> None:
        sent = mail(client, language="de")["message"]
        assert "Diese E-Mail zeichnet auf" in sent["html"]
        assert "Gesendet von Acme" in sent["html"]
        assert "Datenschutzhinweise: <a" in sent["html"]
        assert "Diese E-Mail zeichnet auf" in sent["text"]
        assert "records when it is opened" not in sent["html"] + sent["text"]

    def test_the_language_is_the_prospects_when_the_email_is_instrumented(
        self, client: TestClient
    ) -> None:
        sent = mail(client)
        rep: Person = sent["rep"]
        patched = client.patch(
            f"/api/prospects/{sent['prospect']['id']}",
            json={"language": "de-AT"},
            headers=rep.headers,
        )
        assert patched.status_code == 200 and patched.json()["language"] == "de-AT"
        assert "records when it is opened" in sent["message"]["html"]  # the first stays
        again = send_message(client, rep, sent["prospect"]["id"])
        assert "Diese E-Mail zeichnet auf" in again["html"]


class TestThePage:
    def test_it_names_who_sends_with_the_privacy_notice_as_a_link(self, client: TestClient) -> None:
        page = client.get(mail(client)["page"], headers=HEADERS)
        assert page.status_code == 200
        assert "Sent by Acme &lt;b&gt;&#34;Tools&#34;&lt;/b&gt; &amp; Co." in page.text
        assert "<b>" not in page.text
        assert '<a href="mailto:privacy@acme.example">privacy@acme.example</a>' in page.text
        assert 'href="https://acme.example/privacy?a=1&amp;b=&lt;2&gt;"' in page.text
        assert page.headers["content-language"] == "en"

    def test_it_says_where_to_ask_for_a_copy_or_an_erasure(self, client: TestClient) -> None:
        page = client.get(mail(client)["page"], headers=HEADERS).text
        assert (
            "You can also ask for a copy of your data or for its erasure by writing to "
            '<a href="mailto:privacy@acme.example">privacy@acme.example</a>.'
        ) in page
        assert "reply to the email you received" not in page

    def test_in_german_it_offers_the_download_and_the_address(self, client: TestClient) -> None:
        page = client.get(mail(client, language="de")["page"], headers=HEADERS).text
        assert "Diese Seite herunterladen (JSON)" in page
        assert (
            "Sie können auch eine Kopie Ihrer Daten oder deren Löschung verlangen, indem Sie an "
            '<a href="mailto:privacy@acme.example">privacy@acme.example</a> schreiben.'
        ) in page
        assert "Download everything" not in page

    def test_it_speaks_german_to_a_browser_that_asks_for_it(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        sent = mail(client)
        client.get(path_of(sent["message"]["links"][0]["tracked_url"]), headers=HEADERS)
        age_events(runtime, hours=4 * 24)
        page = client.get(sent["page"], headers={**HEADERS, "Accept-Language": "de-DE,de;q=0.9"})
        assert page.headers["content-language"] == "de-DE"
        assert '<html lang="de-DE">' in page.text
        assert "Was über Sie aufgezeichnet wird" in page.text
        assert "Aufzeichnung meiner Öffnungen und Klicks beenden" in page.text
        assert "Gesendet von Acme" in page.text
        assert "Link angeklickt" in page.text and "link clicked" not in page.text
        assert "Accept-Language" in page.headers["vary"]

    def test_the_prospects_language_beats_the_browsers(self, client: TestClient) -> None:
        sent = mail(client, language="de")
        page = client.get(sent["page"], headers={**HEADERS, "Accept-Language": "en-US"})
        assert "Was über Sie aufgezeichnet wird" in page.text
        assert page.headers["content-language"] == "de"

    def test_without_either_it_is_english(self, client: TestClient) -> None:
        page = client.get(mail(client)["page"], headers={**HEADERS, "Accept-Language": "fr"})
        assert "What is recorded about you" in page.text

    def test_the_reader_can_switch_language_and_opt_out_in_it(self, client: TestClient) -> None:
        sent = mail(client, language="de")
        page = client.get(sent["page"], headers=HEADERS)
        assert '<a href="?lang=en" lang="en" hreflang="en">English</a>' in page.text
        english = client.get(sent["page"] + "?lang=en", headers=HEADERS)
        assert "What is recorded about you" in english.text
        assert f'action="{sent["page"]}/opt-out?lang=en"' in english.text
        done = client.post(sent["page"] + "/opt-out?lang=en")
        assert done.status_code == 303
        assert done.headers["location"] == sent["page"] + "?lang=en"
        opted_out = client.get(done.headers["location"]).text
        assert "You opted out" in opted_out
        assert f'action="{sent["page"]}/opt-in?lang=en"' in opted_out
        assert "Aufzeichnung wieder erlauben" in client.get(sent["page"], headers=HEADERS).text
        back = client.post(sent["page"] + "/opt-in?lang=en")
        assert back.status_code == 303
        assert back.headers["location"] == sent["page"] + "?lang=en&done=resumed"

    def test_each_record_is_headed_by_its_owner_and_a_date_in_words(
        self, client: TestClient
    ) -> None:
        sent = mail(client, language="de")
        text = client.get(sent["page"], headers=HEADERS).text
        assert re.search(r"<h3>Rita \(seit \d{1,2}\. \w+ \d{4}\)</h3>", text)
        assert "Was Rita sieht:" in text

    def test_dates_are_formatted_in_the_readers_language_not_iso(self, client: TestClient) -> None:
        sent = mail(client, language="de")
        text = client.get(sent["page"], headers=HEADERS).text
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text), "a raw ISO date is shown"
        assert re.search(r"<td>\d{1,2}\. \w+ \d{4}</td>", text)  # recorded: the day only
        assert re.search(r"\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2} UTC</li>", text)  # seen

    def test_the_json_names_the_controller(self, client: TestClient) -> None:
        data = client.get(mail(client)["page"] + ".json").json()
        assert data["controller"] == CONTROLLER
