"""Handing a person's prospects over from their page (admin): choose, confirm, done."""

from __future__ import annotations

import re
from html import unescape

from sqlmodel import Session
from starlette.testclient import TestClient

from service.auth import service as accounts
from service.runtime import Runtime
from tests.conftest import ADMIN_KEY
from tests.factories import auth
from tests.service.console.admin_helpers import person, signed_in
from tests.service.console.helpers import csrf_of

ADMIN = auth(ADMIN_KEY)


def _owning(client: TestClient, key: str, *emails: str) -> list[int]:
    ids = []
    for email in emails:
        response = client.post("/api/prospects", json={"email": email}, headers=auth(key))
        assert response.status_code == 201
        ids.append(response.json()["id"])
    return ids


def _owner(client: TestClient, prospect_id: int) -> int:
    return int(client.get(f"/api/prospects/{prospect_id}", headers=ADMIN).json()["owner_id"])


def _options(html: str) -> list[str]:
    select = html.split('<select id="to"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", select)


class TestThePersonsPage:
    def test_it_offers_the_active_reps_and_managers_and_nobody_else(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        raj, key = person(runtime, "rep", "Raj")
        _owning(client, key, "olga@example.com", "otto@example.com")
        person(runtime, "rep", "Rita")
        person(runtime, "manager", "Mia")
        person(runtime, "compliance", "Cora")
        gone, _ = person(runtime, "rep", "Gus")
        with Session(runtime.engine) as session:
            accounts.deactivate(session, actor=None, user_id=gone)
        signed_in(client, runtime, "admin", "Ada")
        page = client.get(f"/console/users/{raj}").text
        assert '<label for="to">Give their 2 prospects to</label>' in page
        assert [option.split(" (")[0] for option in _options(page)] == ["Mia", "Rita"]

    def test_someone_who_owns_nothing_has_no_form(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        raj, _ = person(runtime, "rep", "Raj")
        signed_in(client, runtime, "admin", "Ada")
        assert 'id="to"' not in client.get(f"/console/users/{raj}").text


class TestHandingOver:
    def test_it_asks_first_then_moves_everything_and_says_so(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        raj, key = person(runtime, "rep", "Raj")
        ids = _owning(client, key, "olga@example.com", "otto@example.com")
        rita, _ = person(runtime, "rep", "Rita")
        signed_in(client, runtime, "admin", "Ada")
        confirm = client.get(f"/console/users/{raj}/handover?to={rita}")
        assert confirm.status_code == 200
        assert "Give Raj's prospects to Rita?" in unescape(confirm.text)
        assert "including what was recorded for the emails Raj sent" in confirm.text
        assert [_owner(client, i) for i in ids] == [raj, raj]  # asking moved nothing
        done = client.post(
            f"/console/users/{raj}/handover",
            data={"to": str(rita), "csrf_token": csrf_of(confirm.text)},
        )
        assert done.status_code == 303
        page = unescape(client.get(done.headers["location"]).text)
        assert "Gave Raj's 2 prospects to Rita." in page
        assert "<dt>Prospects</dt><dd>0</dd>" in page
        assert [_owner(client, i) for i in ids] == [rita, rita]

    def test_one_the_new_owner_has_already_is_named_before_and_after(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        raj, raj_key = person(runtime, "rep", "Raj")
        rita, rita_key = person(runtime, "rep", "Rita")
        _owning(client, rita_key, "olga@example.com")
        moving, staying = _owning(client, raj_key, "otto@example.com", "olga@example.com")
        token = signed_in(client, runtime, "admin", "Ada")
        confirm = client.get(f"/console/users/{raj}/handover?to={rita}").text
        assert "1 stays with Raj" in confirm
        assert f"<td>#{staying}</td><td>olga@example.com</td>" in confirm
        assert "Give 1 prospect to Rita" in confirm
        done = client.post(
            f"/console/users/{raj}/handover", data={"to": str(rita), "csrf_token": token}
        )
        page = unescape(client.get(done.headers["location"]).text)
        assert "Gave 1 of Raj's prospects to Rita. 1 stays with Raj, because Rita already" in page
        assert f"olga@example.com (#{staying})" in page
        assert (_owner(client, moving), _owner(client, staying)) == (rita, raj)

    def test_a_refused_choice_is_said_beside_the_field_and_kept(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        raj, key = person(runtime, "rep", "Raj")
        (prospect,) = _owning(client, key, "olga@example.com")
        cora, _ = person(runtime, "compliance", "Cora")
        person(runtime, "rep", "Rita")
        token = signed_in(client, runtime, "admin", "Ada")
        for to, said in [
            ("", "Choose who the prospects go to."),
            ("abc", "Choose an active rep or manager from the list"),
            (str(cora), "Choose an active rep or manager from the list"),
            (str(raj), "They own these prospects already"),
        ]:
            response = client.get(f"/console/users/{raj}/handover", params={"to": to})
            assert response.status_code == 422, to
            assert 'id="to-error"' in response.text and said in unescape(response.text)
            assert 'href="#to"' in response.text  # the summary leads to the field
            posted = client.post(
                f"/console/users/{raj}/handover", data={"to": to, "csrf_token": token}
            )
            assert posted.status_code == 422 and said in unescape(posted.text)
        assert _owner(client, prospect) == raj

    def test_a_deactivated_new_owner_is_refused_beside_the_field(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        raj, key = person(runtime, "rep", "Raj")
        (prospect,) = _owning(client, key, "olga@example.com")
        gus, _ = person(runtime, "rep", "Gus")
        token = signed_in(client, runtime, "admin", "Ada")
        with Session(runtime.engine) as session:
            accounts.deactivate(session, actor=None, user_id=gus)
        posted = client.post(
            f"/console/users/{raj}/handover", data={"to": str(gus), "csrf_token": token}
        )
        assert posted.status_code == 422
        assert "That person's account is deactivated" in unescape(posted.text)
        assert _owner(client, prospect) == raj

    def test_without_the_csrf_token_nothing_moves(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        raj, key = person(runtime, "rep", "Raj")
        (prospect,) = _owning(client, key, "olga@example.com")
        rita, _ = person(runtime, "rep", "Rita")
        signed_in(client, runtime, "admin", "Ada")
        response = client.post(f"/console/users/{raj}/handover", data={"to": str(rita)})
        assert response.status_code == 403
        assert _owner(client, prospect) == raj

    def test_only_admins_open_it(self, client: TestClient, runtime: Runtime) -> None:
        raj, _ = person(runtime, "rep", "Raj")
        signed_in(client, runtime, "manager", "Mia")
        assert client.get(f"/console/users/{raj}/handover?to=1").status_code == 403


class TestWhenDeactivating:
    def test_the_confirmation_and_the_page_afterwards_offer_the_hand_over(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        raj, key = person(runtime, "rep", "Raj")
        _owning(client, key, "olga@example.com")
        person(runtime, "rep", "Rita")
        signed_in(client, runtime, "admin", "Ada")
        confirm = client.get(f"/console/users/{raj}/deactivate").text
        assert '<label for="to">Give their 1 prospect to</label>' in confirm
        done = client.post(
            f"/console/users/{raj}/deactivate", data={"csrf_token": csrf_of(confirm)}
        )
        page = client.get(done.headers["location"]).text
        assert "Raj is deactivated." in page
        assert "which stay theirs until you give them to someone" in page
        assert '<label for="to">Give their 1 prospect to</label>' in page


class TestHostileText:
    def test_names_and_emails_render_as_text(self, client: TestClient, runtime: Runtime) -> None:
        hostile = "<b onmouseover=alert(1)>Eve</b>"
        raj, raj_key = person(runtime, "rep", hostile)
        rita, rita_key = person(runtime, "rep", "Rita")
        _owning(client, rita_key, "a&b@example.com")
        _owning(client, raj_key, "a&b@example.com")
        signed_in(client, runtime, "admin", "Ada")
        for page in (
            client.get(f"/console/users/{raj}").text,
            client.get(f"/console/users/{raj}/handover?to={rita}").text,
        ):
            assert hostile not in page and "&lt;b onmouseover=alert(1)&gt;Eve&lt;/b&gt;" in page
        kept = client.get(f"/console/users/{raj}/handover?to={rita}").text
        assert "<td>a&amp;b@example.com</td>" in kept
