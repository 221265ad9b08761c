"""The rep and manager pages: the list, adding and importing, a prospect's page, the lint."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from markupsafe import escape
from starlette.testclient import TestClient

from service.console.wording import sentence
from service.models import utcnow
from service.runtime import Runtime
from tests.conftest import ADMIN_KEY
from tests.factories import (
    BROWSER_UA,
    Person,
    age_events,
    auth,
    make_prospect,
    path_of,
    send_message,
)
from tests.service.console.helpers import make_person, sign_in, signed_in_person, words_of

ROOT = Path(__file__).resolve().parents[3]
HEADERS = {"User-Agent": BROWSER_UA, "X-Forwarded-For": "203.0.113.9"}
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def engage(client: TestClient, rep: Person, **fields: Any) -> dict[str, Any]:
    """A prospect who opened the email, clicked pricing and visited the security page."""
    prospect = make_prospect(client, rep, **fields)
    message = send_message(
        client, rep, prospect["id"], sent_at=(utcnow() - timedelta(days=3)).isoformat()
    )
    client.get(path_of(message["pixel_url"]), headers=HEADERS)
    location = client.get(path_of(message["links"][0]["tracked_url"]), headers=HEADERS)
    vid = location.headers["location"].split("cnd_vid=")[1]
    visit = {"site": "example.com", "url": "https://example.com/security/overview", "vid": vid}
    client.post("/v", content=json.dumps(visit), headers=HEADERS)
    return prospect


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


class TestProspectList:
    def test_a_rep_sees_their_own_prospects_and_not_another_reps(self, client: TestClient) -> None:
        rep, _ = signed_in_person(client, name="Rita")
        other, _ = signed_in_person(client, name="Otto")
        make_prospect(client, rep, email="anna@acme.example", name="Anna")
        make_prospect(client, other, email="olga@elsewhere.example", name="Olga")
        sign_in(client, "Rita")
        page = words_of(client.get("/console/prospects").text)
        assert "anna@acme.example" in page
        assert "olga@elsewhere.example" not in page

    def test_a_manager_sees_their_reps_prospects(self, client: TestClient) -> None:
        manager = make_person(client, "manager", name="Mia")
        rep = make_person(client, name="Rita", manager=manager)
        make_prospect(client, rep, email="anna@acme.example", name="Anna")
        sign_in(client, "Mia")
        assert "anna@acme.example" in words_of(client.get("/console/prospects").text)

    def test_search_matches_name_email_or_company(self, client: TestClient) -> None:
        rep, _ = signed_in_person(client)
        make_prospect(client, rep, email="anna@acme.example", name="Anna", company="Acme")
        make_prospect(client, rep, email="bob@globex.example", name="Bob", company="Globex")
        page = words_of(client.get("/console/prospects", params={"q": "glob"}).text)
        assert "bob@globex.example" in page
        assert "anna@acme.example" not in page

    def test_an_address_that_asks_for_no_list_is_answered_on_the_page(
        self, client: TestClient
    ) -> None:
        rep, _ = signed_in_person(client)
        for n in range(26):
            make_prospect(client, rep, email=f"p{n}@example.com")
        long = client.get("/console/prospects", params={"q": "x" * 5000})
        assert long.status_code == 422
        assert "A search is at most 200 characters; you typed 5,000." in long.text
        assert "p0@example.com" in words_of(long.text)  # the whole list, unsearched
        for asked in ("abc", "-1"):
            page = client.get("/console/prospects", params={"page": asked})
            assert page.status_code == 200
            assert f"There is no page “{asked}”" in page.text and "p0@example.com" in words_of(
                page.text
            )
        beyond = client.get("/console/prospects", params={"page": "99999"})
        said = "Page 99,999 is past the end: the 26 prospects fill 2 pages."
        assert said in beyond.text and "No prospects yet" not in beyond.text
        assert 'href="/console/prospects?q=&amp;page=2">Go to the last page (2)' in beyond.text

    def test_the_list_is_badged_by_visible_facts_only(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep, _ = signed_in_person(client)
        engage(client, rep, email="anna@acme.example", name="Anna")
        fresh = text_of(client.get("/console/prospects").text)
        assert "Opened" not in fresh  # still inside the policy's delay
        age_events(runtime, hours=30)
        later = text_of(client.get("/console/prospects").text)
        assert "human" in later or "confirmed" in later

    def test_compliance_gets_a_403_page(self, client: TestClient) -> None:
        signed_in_person(client, "compliance")
        response = client.get("/console/prospects")
        assert response.status_code == 403
        assert "not for your role" in response.text


class TestAddProspect:
    def test_adding_a_prospect_goes_to_its_page_with_a_message(self, client: TestClient) -> None:
        _, token = signed_in_person(client)
        response = client.post(
            "/console/prospects",
            data={"csrf_token": token, "email": "anna@acme.example", "name": "Anna"},
        )
        assert response.status_code == 303
        page = client.get(response.headers["location"])
        assert page.status_code == 200
        assert "Added Anna." in page.text

    def test_adding_ones_own_prospect_again_says_you_have_it_already(
        self, client: TestClient
    ) -> None:
        rep, token = signed_in_person(client)
        make_prospect(client, rep, email="anna@acme.example")
        response = client.post(
            "/console/prospects", data={"csrf_token": token, "email": "anna@acme.example"}
        )
        assert response.status_code == 422
        assert 'id="email-error"' in response.text
        assert "You already have a prospect with this email" in response.text
        assert "this owner" not in response.text.lower()

    def test_a_manager_adding_a_reps_prospect_again_is_told_whose_it_is(
        self, client: TestClient
    ) -> None:
        boss = make_person(client, "manager", name="Mia")
        rep = make_person(client, name="Rita", manager=boss)
        make_prospect(client, rep, email="anna@acme.example")
        token = sign_in(client, "Mia")
        response = client.post(
            "/console/prospects",
            data={"csrf_token": token, "email": "anna@acme.example", "owner_id": str(rep.id)},
        )
        assert response.status_code == 422
        assert "Rita already has a prospect with this email" in response.text
        assert "this owner" not in response.text.lower()

    def test_a_bad_email_is_explained_beside_the_field(self, client: TestClient) -> None:
        _, token = signed_in_person(client)
        response = client.post("/console/prospects", data={"csrf_token": token, "email": "anna"})
        assert response.status_code == 422
        assert 'id="email-error"' in response.text
        assert "Must be an email address" in response.text

    def test_an_empty_email_asks_for_one(self, client: TestClient) -> None:
        _, token = signed_in_person(client)
        response = client.post("/console/prospects", data={"csrf_token": token, "email": ""})
        assert response.status_code == 422
        assert "Enter an email address, like name@example.com." in response.text
        assert "Must be an email address" not in response.text

    def test_adding_without_the_csrf_token_is_refused_and_adds_nothing(
        self, client: TestClient
    ) -> None:
        signed_in_person(client)
        response = client.post("/console/prospects", data={"email": "anna@acme.example"})
        assert response.status_code == 403
        assert "anna@acme.example" not in words_of(client.get("/console/prospects").text)


class TestImport:
    def test_a_form_with_no_file_chosen_comes_back_with_the_sentence_beside_the_field(
        self, client: TestClient
    ) -> None:
        _, token = signed_in_person(client)
        for files in (None, {"file": ("", b"", "application/octet-stream")}):
            response = client.post(
                "/console/prospects/import", data={"csrf_token": token}, files=files
            )
            assert response.status_code == 422
            assert '<p class="field-message" id="csv_file-error">Choose a CSV file to import.' in (
                response.text
            )

    def test_the_report_counts_created_rows_and_lists_refused_ones_with_their_line(
        self, client: TestClient
    ) -> None:
        _, token = signed_in_person(client)
        csv = (
            "email,name,company,industry,region\n"
            "anna@acme.example,Anna,Acme,software,eu\n"
            "not-an-email,Bob,,,\n"
            f"carl@c.example,{HOSTILE.replace(',', ' ')},,,\n"
        )
        response = client.post(
            "/console/prospects/import",
            data={"csrf_token": token},
            files={"file": ("people.csv", csv.encode(), "text/csv")},
        )
        assert response.status_code == 200
        page = text_of(response.text)
        assert "2 rows created, 1 refused" in page
        assert re.search(r"\b3\s+not-an-email\s+email: must be an email address", page)
        assert "<script>alert(1)" not in response.text

    def test_each_refused_row_names_its_line_its_email_and_the_field(
        self, client: TestClient
    ) -> None:
        _, token = signed_in_person(client)
        csv = "email,name\n,Anna\nben@b.example," + "B" * 201 + "\n"
        response = client.post(
            "/console/prospects/import",
            data={"csrf_token": token},
            files={"file": ("people.csv", csv.encode(), "text/csv")},
        )
        page = text_of(words_of(response.text))
        assert "Line Email Reason" in page
        assert re.search(r"\b2\s+none\s+email is required", page)
        assert re.search(r"\b3\s+ben@b\.example\s+name: ", page)
        assert "not an email" not in page and "must be an email address" not in page

    def test_the_report_or_the_refusal_is_the_first_thing_on_the_page(
        self, client: TestClient
    ) -> None:
        _, token = signed_in_person(client)
        form = words_of(client.get("/console/prospects").text)
        assert 'action="/console/prospects/import#import-result"' in form
        assert 'id="import-result"' not in form
        for csv, said in [
            (b"email\nanna@acme.example\nnot-an-email\n", "Import result"),
            (b"mail,who\nanna@acme.example,Anna\n", "The file was not imported"),
        ]:
            page = client.post(
                "/console/prospects/import",
                data={"csrf_token": token},
                files={"file": ("people.csv", csv, "text/csv")},
            ).text
            main = page.split('<main id="main"', 1)[1]
            assert main.index('id="import-result"') < main.index("Find a prospect")
            assert main.index(said) < main.index("Find a prospect")
            assert main.count('id="import-result"') == 1

    def test_a_file_with_the_wrong_header_imports_nothing(self, client: TestClient) -> None:
        _, token = signed_in_person(client)
        response = client.post(
            "/console/prospects/import",
            data={"csrf_token": token},
            files={"file": ("people.csv", b"mail,who\nanna@acme.example,Anna\n", "text/csv")},
        )
        assert response.status_code == 422
        assert "The file was not imported" in response.text


class TestProspectPage:
    def test_another_reps_prospect_is_a_404(self, client: TestClient) -> None:
        other = make_person(client, name="Otto")
        theirs = make_prospect(client, other)
        signed_in_person(client, name="Rita")
        assert client.get(f"/console/prospects/{theirs['id']}").status_code == 404
        assert client.get("/console/prospects/999999").status_code == 404
        assert client.get("/console/prospects/abc").status_code == 404

    def test_the_page_says_in_plain_words_exactly_the_facts_of_the_api_timeline(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep, _ = signed_in_person(client)
        prospect = engage(client, rep)
        age_events(runtime, hours=30)
        api = client.get(f"/api/prospects/{prospect['id']}/timeline", headers=rep.headers).json()
        page = client.get(f"/console/prospects/{prospect['id']}").text
        shown = re.findall(r'<p class="fact-text">(.*?) <span', page)
        expected = [sentence(fact) for fact in api["facts"]]
        assert shown == [str(escape(text)) for text in expected]
        for opener in api["openers"]:
            assert str(escape(opener["text"])) in page

    def test_only_email_sent_comes_with_an_explanation_of_the_delay(
        self, client: TestClient
    ) -> None:
        rep, _ = signed_in_person(client)
        prospect = engage(client, rep)
        page = client.get(f"/console/prospects/{prospect['id']}").text
        assert "Why only what was sent?" in page
        assert "24 hours later" in page

    def test_nothing_sent_yet_says_so_without_explaining_only_what_was_sent(
        self, client: TestClient
    ) -> None:
        rep, _ = signed_in_person(client)
        prospect = make_prospect(client, rep)
        page = client.get(f"/console/prospects/{prospect['id']}").text
        assert "Nothing has been sent to this person from Candor yet." in page
        assert "Why only what was sent?" not in page

    def test_under_a_policy_without_delay_it_does_not_claim_one(self, client: TestClient) -> None:
        document = yaml.safe_load((ROOT / "policies" / "tryout.yaml").read_text(encoding="utf-8"))
        admin = auth(ADMIN_KEY)
        stored = client.post(
            "/api/policies", json={"name": "tryout", "document": document}, headers=admin
        )
        assert stored.status_code == 201, stored.text
        activated = client.post("/api/policies/tryout/activate", json={"version": 1}, headers=admin)
        assert activated.status_code == 200, activated.text
        rep, _ = signed_in_person(client)
        prospect = make_prospect(client, rep)
        send_message(client, rep, prospect["id"])
        page = text_of(client.get(f"/console/prospects/{prospect['id']}").text)
        assert "Why only what was sent?" in page
        assert "as it happens" not in page and "hours later" not in page
        assert "shows opens, clicks and visits without delay" in page

    def test_a_hostile_prospect_name_renders_as_text(self, client: TestClient) -> None:
        rep, _ = signed_in_person(client)
        prospect = make_prospect(client, rep, name=HOSTILE, company=HOSTILE)
        for path in ("/console/prospects", f"/console/prospects/{prospect['id']}"):
            page = client.get(path).text
            assert "<script>alert(1)" not in page
            assert "<img src=x" not in page
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


class TestLint:
    def test_checking_an_empty_box_says_there_is_nothing_to_check(self, client: TestClient) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        response = client.post(
            f"/console/prospects/{prospect['id']}/lint", data={"csrf_token": token, "say": "  "}
        )
        assert response.status_code == 422
        assert 'id="say-error">Nothing to check: the box is empty.' in response.text
        assert "Nothing to reconsider" not in response.text

    def test_without_javascript_the_check_button_highlights_a_trap(
        self, client: TestClient
    ) -> None:
        rep, token = signed_in_person(client)
        prospect = make_prospect(client, rep)
        response = client.post(
            f"/console/prospects/{prospect['id']}/lint",
            data={"csrf_token": token, "say": "Hi Anna, did you read my email?"},
        )
        assert response.status_code == 200
        assert '<mark class="finding finding-trap"' in response.text
        assert "Try instead:" in response.text

    def test_the_live_endpoint_answers_findings_with_spans(self, client: TestClient) -> None:
        _, token = signed_in_person(client)
        response = client.post(
            "/console/api/lint",
            json={"text": "I saw you opened my email three times."},
            headers={"X-CSRF-Token": token},
        )
        assert response.status_code == 200
        body = response.json()
        assert body["ok"] is False
        assert body["findings"][0]["kind"] == "surveillance"
        assert {"start", "end", "why", "suggestion"} <= set(body["findings"][0])

    def test_the_live_endpoint_needs_the_csrf_header(self, client: TestClient) -> None:
        signed_in_person(client)
        response = client.post("/console/api/lint", json={"text": "Did you read it?"})
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/json"

    def test_the_live_endpoint_needs_a_session(self, client: TestClient) -> None:
        assert client.post("/console/api/lint", json={"text": "x"}).status_code == 401


class TestUnstorableText:
    def test_a_nul_in_a_form_field_is_a_422_page_that_saves_nothing(
        self, client: TestClient
    ) -> None:
        _, token = signed_in_person(client)
        response = client.post(
            "/console/prospects",
            data={"csrf_token": token, "email": "anna@acme.example", "name": "An\x00na"},
        )
        assert response.status_code == 422
        assert "nothing was saved" in response.text
        assert "anna@acme.example" not in words_of(client.get("/console/prospects").text)

    def test_a_csv_file_holding_a_nul_is_not_imported(self, client: TestClient) -> None:
        _, token = signed_in_person(client)
        response = client.post(
            "/console/prospects/import",
            data={"csrf_token": token},
            files={"file": ("p.csv", b"email,name\nanna@acme.example,An\x00na\n", "text/csv")},
        )
        assert response.status_code == 422
        assert "The file was not imported" in response.text


class TestManagerAddsForTheTeam:
    def test_a_manager_gives_a_new_prospect_to_one_of_their_reps(self, client: TestClient) -> None:
        manager = make_person(client, "manager", name="Mia")
        rep = make_person(client, name="Rita", manager=manager)
        token = sign_in(client, "Mia")
        page = words_of(client.get("/console/prospects").text)
        assert '<label for="owner_id">Owner</label>' in page
        response = client.post(
            "/console/prospects",
            data={"csrf_token": token, "email": "olga@n.example", "owner_id": str(rep.id)},
        )
        assert response.status_code == 303
        listed = client.get("/api/prospects", headers=rep.headers).json()
        emails = [p["email"] for p in listed]
        assert "olga@n.example" in emails

    def test_a_rep_cannot_give_a_prospect_away(self, client: TestClient) -> None:
        other = make_person(client, name="Otto")
        _, token = signed_in_person(client, name="Rita")
        response = client.post(
            "/console/prospects",
            data={"csrf_token": token, "email": "olga@n.example", "owner_id": str(other.id)},
        )
        assert response.status_code == 422
        assert "must be you" in response.text
        assert (
            "olga@n.example"
            not in words_of(client.get("/console/prospects").text).split("<form")[0]
        )


class TestWhyAPersonIsNotTracked:
    """A suppressed person's badge and sentence say the suppression's reason: a record
    added again after an erasure is not someone who opted out."""

    @staticmethod
    def badges(listing: str) -> list[str]:
        return re.findall(r'<span class="badge">([^<]+)</span>', listing)

    def test_a_person_added_again_after_an_erasure_reads_erased_not_opted_out(
        self, client: TestClient
    ) -> None:
        rep, _ = signed_in_person(client, name="Rob")
        officer = make_person(client, "compliance", name="Cora")
        erased = make_prospect(client, rep, email="EVE@example.com", name="Eve")
        gone = client.delete(f"/api/prospects/{erased['id']}", headers=officer.headers)
        assert gone.status_code == 204
        again = make_prospect(client, rep, email="eve@example.com", name="Eve")
        assert again["id"] != erased["id"]
        sign_in(client, "Rob")
        assert self.badges(client.get("/console/prospects").text) == ["erased before: not tracked"]
        page = client.get(f"/console/prospects/{again['id']}").text
        note = re.search(r'<p class="flash flash-error" id="suppressed">([^<]+)</p>', page)
        assert note is not None
        assert str(escape(again["tracking_note"])) in note.group(1)
        assert note.group(1).startswith("This person asked to have their data erased")
        assert "This person opted out" not in page
        message = send_message(client, rep, again["id"])
        found = re.search(r'href="(http://collector\.test/p/[^"]+)"', message["html"])
        assert found is not None
        transparency = client.get(path_of(found.group(1))).text
        assert "Your earlier data was erased at your request" in transparency
        assert "You opted out" not in transparency

    def test_an_opt_out_and_a_suppression_by_compliance_are_each_named(
        self, client: TestClient
    ) -> None:
        rep, _ = signed_in_person(client, name="Rob")
        officer = make_person(client, "compliance", name="Cora")
        opted = make_prospect(client, rep, email="olly@example.com", name="Olly")
        message = send_message(client, rep, opted["id"])
        found = re.search(r'href="(http://collector\.test/p/[^"]+)"', message["html"])
        assert found is not None
        assert client.post(path_of(found.group(1)) + "/opt-out").status_code == 303
        added = client.post(
            "/api/suppressions", json={"email": "ada@example.com"}, headers=officer.headers
        )
        assert added.status_code == 201
        make_prospect(client, rep, email="ada@example.com", name="Ada")
        sign_in(client, "Rob")
        assert sorted(self.badges(client.get("/console/prospects").text)) == [
            "opted out",
            "suppressed by compliance",
        ]
        page = client.get(f"/console/prospects/{opted['id']}").text
        assert "This person opted out of tracking" in page
