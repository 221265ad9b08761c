"""A person whose browser refuses tracking: the console tells the rep, as the API does."""

from __future__ import annotations

from markupsafe import escape
from starlette.testclient import TestClient

from tests.factories import BROWSER_UA, make_prospect, path_of, send_message
from tests.service.console.helpers import make_person, sign_in

PROSPECT_BROWSER = {"User-Agent": BROWSER_UA, "X-Forwarded-For": "203.0.113.5", "Sec-GPC": "1"}


class TestABrowsersRefusal:
    def test_the_list_badges_it_and_the_page_says_what_it_means(self, client: TestClient) -> None:
        rita = make_person(client, name="Rita")
        prospect = make_prospect(client, rita)
        message = send_message(client, rita, prospect["id"])
        sign_in(client, "Rita")
        assert "browser refuses tracking" not in client.get("/console/prospects").text

        client.get(path_of(message["pixel_url"]), headers=PROSPECT_BROWSER)

        assert "browser refuses tracking" in client.get("/console/prospects").text
        page = client.get(f"/console/prospects/{prospect['id']}").text
        note = client.get(f"/api/prospects/{prospect['id']}", headers=rita.headers).json()
        assert note["tracking"] == "refused"
        assert (
            str(escape(note["tracking_note"])) in page
        )  # one sentence for one fact, API and console
