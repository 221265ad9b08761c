"""Discard and rewrite: an email prepared less than 30 minutes ago is taken back, its
words kept, whatever was recorded for it meanwhile (the page never tells the rep)."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from service.messages import service as message_service
from service.models import AuditEntry, Message
from service.people import service as people
from service.runtime import Runtime
from tests.factories import BROWSER_UA, make_prospect, path_of, prepared_ago, stored_events
from tests.service.console.helpers import make_person, sign_in, signed_in_person

FLAGGED = (
    '<p>Hi Anna, did you read my email? Here is <a href="https://example.com/pricing?a=1&amp;b=2">'
    "our pricing</a> and <a href='https://example.com/pricing?a=1&amp;b=2'>again</a>.</p>"
    '<p><a href="mailto:rep@example.com">Write back</a></p>'
)
PLAIN = "Hi Anna, did you read my email?\n\nOur pricing: https://example.com/pricing.\n\nRita"


def compose(client: TestClient, token: str, prospect_id: int, body: str, fmt: str) -> str:
    response = client.post(
        f"/console/prospects/{prospect_id}/compose",
        data={"csrf_token": token, "subject": "Next steps", "format": fmt, "body": body},
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def discard_form(page: str) -> str:
    """The address the page's Discard and rewrite form posts to."""
    found = re.search(r'<form method="post" action="([^"]+/discard)"', page)
    assert found is not None, "no Discard and rewrite form"
    return found.group(1)


def sent_with_it(page: str) -> dict[str, str]:
    """The hidden fields the Discard and rewrite form posts: the words as written."""
    form = page[page.index('action="' + discard_form(page)) :].split("</form>", 1)[0]
    fields = re.findall(r'<input type="hidden" name="(subject|body|format)" value="([^"]*)">', form)
    return {name: html.unescape(value) for name, value in fields}


def textarea(page: str, name: str) -> str:
    found = re.search(rf'<textarea id="{name}"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    assert found is not None
    return html.unescape(found.group(1))


def messages(runtime: Runtime) -> list[Message]:
    with Session(runtime.engine) as session:
        return list(session.exec(select(Message)))


def open_and_click(client: TestClient, page: str) -> None:
    """A person's open and click of the email the message page shows."""
    source = html.unescape(page)
    pixel = re.search(r'<img src="([^"]+/o/[^"]+)"', source)
    link = re.search(r'href="(https?://[^"]+/c/[^"]+)"', source)
    assert pixel is not None and link is not None
    client.get(path_of(pixel.group(1)), headers={"User-Agent": BROWSER_UA})
    client.get(path_of(link.group(1)), headers={"User-Agent": BROWSER_UA})


class TestDiscardAndRewrite:
    @pytest.mark.parametrize(("fmt", "body"), [("html", FLAGGED), ("text", PLAIN)])
    def test_the_compose_page_comes_back_with_what_was_written(
        self, client: TestClient, runtime: Runtime, fmt: str, body: str
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        page = client.get(compose(client, token, prospect["id"], body, fmt)).text
        assert "to reconsider before you send it" in page
        assert "Discard and rewrite" in page
        response = client.post(discard_form(page), data={"csrf_token": token})
        assert response.status_code == 200
        again = response.text
        flash = "The email was discarded: nothing of it remains on Anna's transparency page."
        assert flash in html.unescape(again)
        assert 'value="Next steps"' in again
        assert f'value="{fmt}" checked' in again
        assert textarea(again, "body") == body
        assert f'action="/console/prospects/{prospect["id"]}/compose"' in again
        assert messages(runtime) == [] and stored_events(runtime) == []

    def test_an_email_to_a_suppressed_person_comes_back_without_its_footer(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        with Session(runtime.engine) as session:
            digest = people.hash_of(session, "anna@example.com")
            people.suppress(session, digest=digest, reason="added")
            session.commit()
        page = client.get(compose(client, token, prospect["id"], FLAGGED, "html")).text
        again = client.post(discard_form(page), data={"csrf_token": token}).text
        assert textarea(again, "body") == FLAGGED

    def test_the_discard_is_audited(self, client: TestClient, runtime: Runtime) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        address = compose(client, token, prospect["id"], FLAGGED, "html")
        message_id = int(address.rsplit("/", 1)[1])
        client.post(discard_form(client.get(address).text), data={"csrf_token": token})
        with Session(runtime.engine) as session:
            entry = session.exec(
                select(AuditEntry).where(AuditEntry.action == "message.discarded")
            ).one()
        assert (entry.actor_id, entry.prospect_id) == (rep.id, prospect["id"])
        assert f'"message_id": {message_id}' in entry.detail

    def test_without_the_csrf_token_nothing_is_discarded(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        page = client.get(compose(client, token, prospect["id"], FLAGGED, "html")).text
        assert client.post(discard_form(page), data={}).status_code == 403
        assert len(messages(runtime)) == 1


class TestPostedAgain:
    """A reload of the answer, or Back to it, posts again: the email is gone by then."""

    @pytest.mark.parametrize(("fmt", "body"), [("html", FLAGGED), ("text", PLAIN)])
    def test_the_words_come_back_from_the_form_with_when_it_was_discarded(
        self, client: TestClient, runtime: Runtime, fmt: str, body: str
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        page = client.get(compose(client, token, prospect["id"], body, fmt)).text
        form = {"csrf_token": token, **sent_with_it(page)}
        assert form["subject"] == "Next steps" and form["body"] == body
        assert client.post(discard_form(page), data=form).status_code == 200
        again = client.post(discard_form(page), data=form)
        assert again.status_code == 200
        said = html.unescape(again.text)
        with Session(runtime.engine) as session:
            entry = session.exec(
                select(AuditEntry).where(AuditEntry.action == "message.discarded")
            ).one()
        assert f"This email was already discarded, at {entry.at:%Y-%m-%d %H:%M} UTC" in said
        assert "There is nothing here" not in said
        assert 'value="Next steps"' in again.text and f'value="{fmt}" checked' in again.text
        assert textarea(again.text, "body") == body
        assert messages(runtime) == []  # nothing was kept to show them: the form sent them

    def test_without_the_words_the_page_says_when_and_where_they_may_still_be(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        page = client.get(compose(client, token, prospect["id"], FLAGGED, "html")).text
        client.post(discard_form(page), data={"csrf_token": token})
        again = client.post(discard_form(page), data={"csrf_token": token})
        assert again.status_code == 200
        said = html.unescape(again.text)
        assert "This email was already discarded, at " in said
        assert "Candor keeps none of its words" in said
        assert textarea(again.text, "body") == ""

    def test_an_email_that_never_was_is_still_a_404(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        address = f"/console/prospects/{prospect['id']}/messages/999/discard"
        form = {"csrf_token": token, "subject": "Made up", "body": "<p>Made up</p>"}
        refused = client.post(address, data=form)
        assert refused.status_code == 404
        assert "Made up" not in refused.text


class TestBackToTheDiscardedEmail:
    """Back from the rewrite page reaches the discarded email's own address (a GET)."""

    def test_its_page_says_it_was_discarded_and_when_and_leads_to_a_new_email(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        address = compose(client, token, prospect["id"], FLAGGED, "html")
        client.post(discard_form(client.get(address).text), data={"csrf_token": token})
        back = client.get(address)
        assert back.status_code == 410
        with Session(runtime.engine) as session:
            entry = session.exec(
                select(AuditEntry).where(AuditEntry.action == "message.discarded")
            ).one()
        said = html.unescape(back.text)
        assert "This email was discarded" in said
        assert f"You discarded it at {entry.at:%Y-%m-%d %H:%M} UTC" in said
        assert f'href="/console/prospects/{prospect["id"]}/compose">Write a new email' in said
        assert "Not found" not in said

    def test_an_email_that_never_was_is_a_404_and_nobody_else_learns_of_the_discard(
        self, client: TestClient
    ) -> None:
        boss = make_person(client, "manager", name="Mia")
        rep = make_person(client, name="Rita", manager=boss)
        token = sign_in(client, "Rita")
        prospect = make_prospect(client, rep)
        assert client.get(f"/console/prospects/{prospect['id']}/messages/999").status_code == 404
        address = compose(client, token, prospect["id"], FLAGGED, "html")
        client.post(discard_form(client.get(address).text), data={"csrf_token": token})
        sign_in(client, "Mia")  # her rep's prospect: she reads it, and writes to it not
        other = client.get(address)
        assert other.status_code == 403 and "This email was discarded" not in other.text


class TestTimeAloneDecides:
    def test_the_form_says_when_to_use_it_and_until_when(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        address = compose(client, token, prospect["id"], FLAGGED, "html")
        page = html.unescape(client.get(address).text)
        assert "Only if you have not sent it." in page
        assert "its links stop working and its pixel records nothing" in page
        [message] = messages(runtime)
        until = message.created_at + timedelta(minutes=message_service.DISCARD_MINUTES)
        shown = re.search(r'Possible until <time datetime="([^"]+)">([^<]+) UTC</time>', page)
        assert shown is not None
        assert datetime.fromisoformat(shown.group(1)) == until
        assert shown.group(2) == until.strftime("%Y-%m-%d %H:%M")
        assert "Write a new version" not in page  # the button is the way to rewrite

    def test_what_was_recorded_changes_neither_the_button_nor_the_answer(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        quiet = compose(client, token, prospect["id"], FLAGGED, "html")
        engaged = compose(client, token, prospect["id"], FLAGGED, "html")
        open_and_click(client, client.get(engaged).text)
        assert {e.kind for e in stored_events(runtime)} == {"email_sent", "open", "click"}
        pages = [client.get(address).text for address in (quiet, engaged)]
        assert all("Discard and rewrite" in page for page in pages)
        answers = [client.post(discard_form(page), data={"csrf_token": token}) for page in pages]
        assert [a.status_code for a in answers] == [200, 200]
        assert answers[0].text == answers[1].text
        assert messages(runtime) == [] and stored_events(runtime) == []

    @pytest.mark.parametrize("recorded", [False, True], ids=["no event", "events"])
    def test_after_30_minutes_the_button_is_gone_and_a_post_is_a_409_page(
        self, client: TestClient, runtime: Runtime, recorded: bool
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        address = compose(client, token, prospect["id"], FLAGGED, "html")
        page = client.get(address).text
        action = discard_form(page)
        if recorded:
            open_and_click(client, page)
        before = len(stored_events(runtime))
        prepared_ago(runtime, int(address.rsplit("/", 1)[1]), message_service.DISCARD_MINUTES)
        later = client.get(address).text
        assert "Discard and rewrite" not in later
        assert "Write a new version" in later
        refused = client.post(action, data={"csrf_token": token})
        assert refused.status_code == 409
        assert message_service.TOO_LATE_TO_DISCARD in html.unescape(refused.text)
        assert f'href="{address}"' in refused.text  # back to the email
        assert len(messages(runtime)) == 1 and len(stored_events(runtime)) == before


class TestWhoMayDiscard:
    def test_another_rep_gets_a_404_and_a_manager_the_owners_403(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        manager = make_person(client, "manager", name="Mia")
        rep = make_person(client, name="Rita", manager=manager)
        make_person(client, name="Otto")
        prospect = make_prospect(client, rep)
        token = sign_in(client, "Rita")
        action = discard_form(
            client.get(compose(client, token, prospect["id"], FLAGGED, "html")).text
        )
        otto = sign_in(client, "Otto")
        assert client.post(action, data={"csrf_token": otto}).status_code == 404
        mia = sign_in(client, "Mia")
        refused = client.post(action, data={"csrf_token": mia})
        assert refused.status_code == 403
        assert "Only the prospect&#39;s owner writes to them." in refused.text
        assert len(messages(runtime)) == 1

    def test_after_a_reassignment_the_new_owner_is_offered_no_discard_and_refused_403(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        manager = make_person(client, "manager", name="Mia")
        rita = make_person(client, name="Rita", manager=manager)
        rob = make_person(client, name="Rob", manager=manager)
        prospect = make_prospect(client, rita)
        token = sign_in(client, "Rita")
        address = compose(client, token, prospect["id"], FLAGGED, "html")
        action = discard_form(client.get(address).text)
        moved = client.patch(
            f"/api/prospects/{prospect['id']}", json={"owner_id": rob.id}, headers=manager.headers
        )
        assert moved.status_code == 200, moved.text
        rob_token = sign_in(client, "Rob")
        page = client.get(address)
        assert page.status_code == 200
        assert "Discard and rewrite" not in page.text and "/discard" not in page.text
        assert "Rita prepared this email, and only they can discard it." in page.text
        assert "Write a new version" in page.text
        refused = client.post(action, data={"csrf_token": rob_token})
        assert refused.status_code == 403
        assert message_service.not_the_sender("Rita") in html.unescape(refused.text)
        assert len(messages(runtime)) == 1

    def test_a_message_of_another_prospect_is_a_404(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep, token = signed_in_person(client)
        first = make_prospect(client, rep)
        second = make_prospect(client, rep, email="ben@example.com", name="Ben")
        address = compose(client, token, first["id"], FLAGGED, "html")
        message_id = address.rsplit("/", 1)[1]
        wrong = f"/console/prospects/{second['id']}/messages/{message_id}/discard"
        assert client.post(wrong, data={"csrf_token": token}).status_code == 404
        assert len(messages(runtime)) == 1
