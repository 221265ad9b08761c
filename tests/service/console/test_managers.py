"""A manager on his reps' prospects: who sent what, who may write, and reassigning."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from tests.conftest import ADMIN_KEY
from tests.factories import auth, make_prospect, make_user, send_message
from tests.service.console.helpers import csrf_of, make_person, sign_in


def team(client: TestClient):  # type: ignore[no-untyped-def]
    """Mia manages Rita and Ravi; Rita owns Anna and has written to her."""
    manager = make_person(client, "manager", name="Mia")
    rita = make_person(client, name="Rita", manager=manager)
    ravi = make_person(client, name="Ravi", manager=manager)
    prospect = make_prospect(client, rita)
    send_message(client, rita, prospect["id"])
    return manager, rita, ravi, prospect


class TestWhoSentIt:
    def test_a_manager_reads_sent_by_rita_on_the_list_and_the_page(
        self, client: TestClient
    ) -> None:
        _, _, _, prospect = team(client)
        sign_in(client, "Mia")
        listing = client.get("/console/prospects").text
        page = client.get(f"/console/prospects/{prospect['id']}").text
        for shown in (listing, page):
            assert "sent by Rita" in shown
            assert "sent by you" not in shown
        assert "Your team's prospects (1)" in listing

    def test_the_sender_reads_sent_by_you(self, client: TestClient) -> None:
        _, _, _, prospect = team(client)
        sign_in(client, "Rita")
        assert "sent by you" in client.get(f"/console/prospects/{prospect['id']}").text
        assert "sent by you" in client.get("/console/prospects").text
        assert "Your prospects (1)" in client.get("/console/prospects").text


class TestWritingAndReassigning:
    def test_a_manager_is_offered_no_write_button_but_a_reassign_form(
        self, client: TestClient
    ) -> None:
        _, _, _, prospect = team(client)
        sign_in(client, "Mia")
        page = client.get(f"/console/prospects/{prospect['id']}").text
        assert f"/console/prospects/{prospect['id']}/compose" not in page
        assert f'action="/console/prospects/{prospect["id"]}/owner"' in page
        assert ">You</option>" in page and ">Ravi</option>" in page
        assert ">Rita</option>" not in page  # the owner already

    def test_the_owner_gets_the_button_and_a_rep_no_reassign_form(self, client: TestClient) -> None:
        _, _, _, prospect = team(client)
        sign_in(client, "Rita")
        page = client.get(f"/console/prospects/{prospect['id']}").text
        assert f"/console/prospects/{prospect['id']}/compose" in page
        assert "/owner" not in page

    def test_the_compose_403_speaks_of_the_console_not_the_api(self, client: TestClient) -> None:
        _, _, _, prospect = team(client)
        sign_in(client, "Mia")
        response = client.get(f"/console/prospects/{prospect['id']}/compose")
        assert response.status_code == 403
        assert "PATCH" not in response.text and "/api/" not in response.text
        assert "Reassign" in response.text

    def test_a_manager_takes_the_prospect_writes_to_it_and_it_is_audited(
        self, client: TestClient
    ) -> None:
        manager, _, _, prospect = team(client)
        token = sign_in(client, "Mia")
        response = client.post(
            f"/console/prospects/{prospect['id']}/owner",
            data={"csrf_token": token, "owner_id": str(manager.id)},
            follow_redirects=True,
        )
        assert "The prospect is yours now" in response.text
        assert client.get(f"/console/prospects/{prospect['id']}/compose").status_code == 200
        page = client.get(f"/console/prospects/{prospect['id']}").text
        assert "sent by Rita" in page  # Rita's email stays hers
        compose_data = {"csrf_token": token, "subject": "Hello from Mia", "format": "text"}
        written = client.post(
            f"/console/prospects/{prospect['id']}/compose",
            data={**compose_data, "body": "Hi Anna, Mia here, taking over from Rita."},
        )
        assert written.status_code == 303, written.text
        page = client.get(f"/console/prospects/{prospect['id']}").text
        assert "sent by Rita" in page and "sent by you" in page  # each email its own sender
        assert "sent by you or Rita" not in page
        officer = make_user(client, "compliance")
        entries = client.get(
            "/api/audit?action=prospect.owner_changed", headers=officer.headers
        ).json()["items"]
        assert len(entries) == 1 and entries[0]["prospect_id"] == prospect["id"]

    def test_a_manager_hands_it_to_another_rep_but_not_outside_his_team(
        self, client: TestClient
    ) -> None:
        _, _, ravi, prospect = team(client)
        stranger = make_person(client, name="Otto")
        token = sign_in(client, "Mia")
        address = f"/console/prospects/{prospect['id']}/owner"
        refused = client.post(
            address, data={"csrf_token": token, "owner_id": str(stranger.id)}, follow_redirects=True
        )
        assert "nothing changed" in refused.text
        moved = client.post(
            address, data={"csrf_token": token, "owner_id": str(ravi.id)}, follow_redirects=True
        )
        assert "now belongs to Ravi" in moved.text

    def test_a_rep_cannot_hand_a_prospect_away_nor_post_without_the_token(
        self, client: TestClient
    ) -> None:
        _, _, ravi, prospect = team(client)
        token = sign_in(client, "Rita")
        address = f"/console/prospects/{prospect['id']}/owner"
        assert client.post(address, data={"owner_id": str(ravi.id)}).status_code == 403
        refused = client.post(
            address, data={"csrf_token": token, "owner_id": str(ravi.id)}, follow_redirects=True
        )
        assert "nothing changed" in refused.text
        assert csrf_of(client.get(f"/console/prospects/{prospect['id']}").text)
        assert (
            f"/console/prospects/{prospect['id']}/compose"
            in client.get(f"/console/prospects/{prospect['id']}").text
        )


class TestADeactivatedRepsProspects:
    """Rita leaves: her prospects stay hers until Mia hands them over, and every page
    says so, never that they are Mia's already."""

    @staticmethod
    def deactivate(client: TestClient, person_id: int) -> None:
        response = client.delete(f"/api/users/{person_id}", headers=auth(ADMIN_KEY))
        assert response.status_code == 200, response.text

    @staticmethod
    def owner_cells(listing: str) -> list[str]:
        return re.findall(r'<td data-label="Owner">([^<]*)</td>', listing)

    def test_the_list_names_the_owner_marked_deactivated_never_you(
        self, client: TestClient
    ) -> None:
        manager, rita, ravi, _ = team(client)
        make_prospect(client, ravi, email="ben@example.com", name="Ben")
        make_prospect(client, manager, email="cleo@example.com", name="Cleo")
        sign_in(client, "Mia")
        assert sorted(self.owner_cells(client.get("/console/prospects").text)) == [
            "Ravi",
            "Rita",
            "You",
        ]
        self.deactivate(client, rita.id)
        assert sorted(self.owner_cells(client.get("/console/prospects").text)) == [
            "Ravi",
            "Rita (deactivated)",
            "You",
        ]
        assert self.owner_cells(client.get("/console/prospects?q=anna").text) == [
            "Rita (deactivated)"
        ]

    def test_the_list_keeps_its_owner_column_when_every_rep_has_left(
        self, client: TestClient
    ) -> None:
        _, rita, ravi, _ = team(client)
        self.deactivate(client, rita.id)
        self.deactivate(client, ravi.id)
        sign_in(client, "Mia")
        assert self.owner_cells(client.get("/console/prospects").text) == ["Rita (deactivated)"]

    def test_the_page_names_the_owner_and_the_reassign_form_starts_on_no_one(
        self, client: TestClient
    ) -> None:
        _, rita, _, prospect = team(client)
        self.deactivate(client, rita.id)
        sign_in(client, "Mia")
        page = client.get(f"/console/prospects/{prospect['id']}").text
        assert 'Owner: <span id="owner">Rita (deactivated)</span>' in page
        options = re.findall(r"<option value=\"(\d*)\"( selected)?>([^<]*)</option>", page)
        reassign = [option for option in options if option[2] in ("Choose someone", "You", "Ravi")]
        assert reassign[0] == ("", " selected", "Choose someone")
        assert [name for _, selected, name in reassign if selected] == ["Choose someone"]

    def test_reassigning_without_a_choice_changes_nothing_and_says_so(
        self, client: TestClient
    ) -> None:
        _, rita, _, prospect = team(client)
        self.deactivate(client, rita.id)
        token = sign_in(client, "Mia")
        refused = client.post(
            f"/console/prospects/{prospect['id']}/owner", data={"csrf_token": token, "owner_id": ""}
        )
        assert refused.status_code == 422
        assert "Choose who the prospect goes to." in refused.text
        assert 'Owner: <span id="owner">Rita (deactivated)</span>' in refused.text

    def test_the_owner_reads_you(self, client: TestClient) -> None:
        _, _, _, prospect = team(client)
        sign_in(client, "Rita")
        page = client.get(f"/console/prospects/{prospect['id']}").text
        assert 'Owner: <span id="owner">You</span>' in page
