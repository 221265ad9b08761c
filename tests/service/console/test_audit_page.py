"""The audit page: the API's entries, filtered by who, what, whom and when, paged."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from service.console.audit_filters import PAGE_SIZE
from service.models import utcnow
from service.runtime import Runtime
from tests.factories import make_prospect, make_user
from tests.service.console.admin_helpers import signed_in


def read_timelines(client: TestClient, times: int) -> tuple[int, int]:
    """A rep reads their prospect's timeline ``times`` times; returns (rep id, prospect id)."""
    rep = make_user(client, name="Rhea")
    prospect = make_prospect(client, rep)
    for _ in range(times):
        assert client.get(
            f"/api/prospects/{prospect['id']}/timeline", headers=rep.headers
        ).is_success
    return rep.id, prospect["id"]


def rows(html: str) -> int:
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr>")


class TestWhoMayOpen:
    @pytest.mark.parametrize("role", ["compliance", "admin"])
    def test_compliance_and_admin_read_the_log(
        self, client: TestClient, runtime: Runtime, role: str
    ) -> None:
        read_timelines(client, 1)
        signed_in(client, runtime, role)
        page = client.get("/console/audit")
        assert page.status_code == 200
        assert "timeline.read" in page.text and "Rhea (rep)" in page.text

    @pytest.mark.parametrize("role", ["rep", "manager"])
    def test_reps_and_managers_are_refused(
        self, client: TestClient, runtime: Runtime, role: str
    ) -> None:
        signed_in(client, runtime, role)
        assert client.get("/console/audit").status_code == 403


class TestFilters:
    def test_entries_are_filtered_by_actor_action_and_prospect(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep_id, prospect_id = read_timelines(client, 2)
        signed_in(client, runtime, "compliance")
        page = client.get(
            f"/console/audit?actor={rep_id}&action=timeline.read&prospect={prospect_id}"
        )
        assert rows(page.text) == 2
        assert "No entries match." in client.get(f"/console/audit?prospect={prospect_id + 1}").text

    def test_dates_include_the_whole_last_day(self, client: TestClient, runtime: Runtime) -> None:
        read_timelines(client, 1)
        signed_in(client, runtime, "compliance")
        today = utcnow().date().isoformat()
        assert "timeline.read" in client.get(f"/console/audit?since={today}&until={today}").text
        assert "No entries match." in client.get("/console/audit?until=2000-01-01").text

    def test_a_bad_value_is_named_beside_its_field_and_nothing_is_listed(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        read_timelines(client, 1)
        signed_in(client, runtime, "compliance")
        response = client.get("/console/audit?prospect=abc&since=30/11/2026")
        assert response.status_code == 422
        assert 'href="#prospect"' in response.text and 'href="#since"' in response.text
        assert 'id="prospect-error"' in response.text
        assert "timeline.read</code>" not in response.text


class TestTheApisNames:
    """A link built with GET /api/audit's parameter names shows what it names, or nothing."""

    def _two_prospects_read(self, client: TestClient) -> tuple[int, int, int]:
        rep = make_user(client, name="Rhea")
        first, second = (
            make_prospect(client, rep),
            make_prospect(client, rep, email="b@example.com"),
        )
        for prospect, times in ((first, 2), (second, 1)):
            for _ in range(times):
                client.get(f"/api/prospects/{prospect['id']}/timeline", headers=rep.headers)
        return rep.id, first["id"], second["id"]

    def test_prospect_id_and_actor_id_filter_like_the_forms_fields(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep_id, first, _second = self._two_prospects_read(client)
        signed_in(client, runtime, "compliance")
        page = client.get(f"/console/audit?prospect_id={first}&action=timeline.read")
        assert page.status_code == 200
        assert rows(page.text) == 2
        assert f'value="{first}"' in page.text  # the form shows the filter it applied
        by_actor = client.get(f"/console/audit?actor_id={rep_id}&action=timeline.read")
        assert rows(by_actor.text) == 3

    def test_two_different_prospects_for_one_filter_list_nothing(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        _rep_id, first, second = self._two_prospects_read(client)
        signed_in(client, runtime, "compliance")
        response = client.get(f"/console/audit?prospect={first}&prospect_id={second}")
        assert response.status_code == 422
        assert 'id="prospect-error"' in response.text
        assert "timeline.read</code>" not in response.text

    def test_an_unknown_parameter_is_a_400_page_naming_it(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        read_timelines(client, 1)
        signed_in(client, runtime, "compliance")
        response = client.get("/console/audit?prospectid=1&action=timeline.read")
        assert response.status_code == 400
        assert "text/html" in response.headers["content-type"]
        assert "The query parameter “prospectid” is not known here" in response.text
        assert "prospect_id" in response.text  # the names it does read are listed
        assert "timeline.read</code>" not in response.text


class TestPaging:
    def test_older_entries_follow_on_the_next_page(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rep_id, _ = read_timelines(client, PAGE_SIZE + 3)
        signed_in(client, runtime, "compliance")
        first = client.get(f"/console/audit?actor={rep_id}").text
        assert rows(first) == PAGE_SIZE
        link = first.split('rel="next"', 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
        assert f"actor={rep_id}" in link
        second = client.get(link.replace("&amp;", "&")).text
        assert rows(second) == 3
        assert 'rel="next"' not in second and "Newest entries" in second


class TestHostileText:
    def test_names_and_details_render_as_text(self, client: TestClient, runtime: Runtime) -> None:
        hostile = "<img src=x onerror=alert(1)>"
        make_user(client, name=hostile)  # user.created records the name in the detail
        signed_in(client, runtime, "admin", "Ada")
        page = client.get("/console/audit").text
        assert hostile not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
