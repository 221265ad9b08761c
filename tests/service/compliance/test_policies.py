"""Compliance staff edit, preview and activate policies; every change is audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from service.models import utcnow
from service.runtime import Runtime
from tests.factories import Person, age_events, make_prospect, make_user, path_of, send_message

STRICTER = """
name: quiet
description: Reps see only that an email was opened.
rules:
  - name: reps
    roles: [rep, manager]
    delay_hours: 24
    show:
      email_opened: {detail: exists, time: none}
"""

# The default policy's general reps rule, showing opens in full, to the second, at once.
SHARPER = """
name: sharper
rules:
  - name: reps
    roles: [rep, manager]
    delay_hours: 0
    show:
      email_opened: {detail: full, time: exact}
      link_clicked: {detail: topic, time: day}
      page_visited: {detail: topic, time: day}
"""


def officer(client: TestClient) -> Person:
    return make_user(client, "compliance")


def engaged_prospect(client: TestClient, runtime: Runtime) -> tuple[Person, dict[str, Any]]:
    rep = make_user(client)
    prospect = make_prospect(client, rep)
    message = send_message(client, rep, prospect["id"], sent_at="2026-01-05T10:00:00Z")
    headers = {
        "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    }
    client.get(path_of(message["pixel_url"]), headers={**headers, "X-Forwarded-For": "203.0.113.5"})
    client.get(
        path_of(message["links"][0]["tracked_url"]),
        headers={**headers, "X-Forwarded-For": "203.0.113.5"},
    )
    age_events(runtime, hours=48)
    return rep, prospect


class TestPolicyVersions:
    def test_a_new_policy_is_stored_as_version_one_and_not_yet_active(
        self, client: TestClient
    ) -> None:
        cora = officer(client)
        response = client.post(
            "/api/policies", json={"name": "quiet", "document": STRICTER}, headers=cora.headers
        )
        assert response.status_code == 201
        body = response.json()
        assert (body["name"], body["version"], body["active"]) == ("quiet", 1, False)
        listed = {p["name"]: p for p in client.get("/api/policies", headers=cora.headers).json()}
        assert listed["default"]["active_version"] == 1
        assert listed["quiet"]["active_version"] is None

    def test_a_json_document_is_accepted_and_its_name_may_come_from_the_body(
        self, client: TestClient
    ) -> None:
        cora = officer(client)
        document = {"rules": [{"name": "r", "roles": ["rep"], "show": {"email_opened": "hidden"}}]}
        response = client.post(
            "/api/policies", json={"name": "tiny", "document": document}, headers=cora.headers
        )
        assert response.status_code == 201
        assert response.json()["document"]["name"] == "tiny"

    def test_put_adds_a_version_and_activation_switches_the_timeline(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        cora = officer(client)
        rep, prospect = engaged_prospect(client, runtime)
        client.post(
            "/api/policies", json={"name": "quiet", "document": STRICTER}, headers=cora.headers
        )
        second = client.put(
            "/api/policies/quiet",
            json={"document": STRICTER.replace("24", "12")},
            headers=cora.headers,
        )
        assert second.json()["version"] == 2
        versions = client.get("/api/policies/quiet/versions", headers=cora.headers).json()
        assert [v["version"] for v in versions] == [1, 2]
        activated = client.post(
            "/api/policies/quiet/activate", json={"version": 2}, headers=cora.headers
        )
        assert activated.status_code == 200 and activated.json()["active"] is True
        body = client.get(f"/api/prospects/{prospect['id']}/timeline", headers=rep.headers).json()
        assert body["policy"] == {"name": "quiet", "version": 2, "rule": "reps"}
        assert [f["kind"] for f in body["facts"]] == ["email_sent", "email_opened"]
        assert "count" not in body["facts"][1]

    def test_a_policy_name_that_exists_is_a_409(self, client: TestClient) -> None:
        cora = officer(client)
        client.post(
            "/api/policies", json={"name": "quiet", "document": STRICTER}, headers=cora.headers
        )
        again = client.post(
            "/api/policies", json={"name": "quiet", "document": STRICTER}, headers=cora.headers
        )
        assert again.status_code == 409

    def test_unknown_policies_and_versions_are_404(self, client: TestClient) -> None:
        cora = officer(client)
        assert client.get("/api/policies/nope", headers=cora.headers).status_code == 404
        assert (
            client.post(
                "/api/policies/default/activate", json={"version": 9}, headers=cora.headers
            ).status_code
            == 404
        )

    @pytest.mark.parametrize(
        ("document", "loc", "words"),
        [
            (
                "rules: [{name: r, roles: [rep], show: {email_opened: {detail: sometimes}}}]",
                ["body", "document", "rules", 0, "show", "email_opened", "detail"],
                ["sometimes", "exists", "count"],
            ),
            (
                "rules: [{name: r, roles: [king]}]",
                ["body", "document", "rules", 0, "roles", 0],
                ["king", "rep"],
            ),
            ("rules: [{name: r, roles: [rep]", ["body", "document"], ["line"]),
        ],
    )
    def test_an_invalid_document_is_a_422_naming_field_value_and_choices(
        self, client: TestClient, document: str, loc: list[Any], words: list[str]
    ) -> None:
        cora = officer(client)
        response = client.post(
            "/api/policies", json={"name": "bad", "document": document}, headers=cora.headers
        )
        assert response.status_code == 422
        error = response.json()["detail"][0]
        assert error["loc"] == loc
        for word in words:
            assert word in error["msg"]

    def test_reps_and_managers_cannot_touch_policies(self, client: TestClient) -> None:
        for role in ("rep", "manager"):
            person = make_user(client, role)
            assert client.get("/api/policies", headers=person.headers).status_code == 403
            response = client.post(
                "/api/policies", json={"name": "x", "document": STRICTER}, headers=person.headers
            )
            assert response.status_code == 403


class TestPreview:
    def test_preview_shows_the_draft_timeline_beside_todays(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        cora = officer(client)
        _, prospect = engaged_prospect(client, runtime)
        response = client.post(
            "/api/policies/preview",
            json={"document": STRICTER, "prospect_id": prospect["id"], "role": "rep"},
            headers=cora.headers,
        )
        assert response.status_code == 200
        body = response.json()
        assert body["current"]["policy"]["name"] == "default"
        assert body["draft"]["policy"]["name"] == "quiet"
        assert {f["kind"] for f in body["current"]["facts"]} >= {"email_opened", "link_clicked"}
        assert {f["kind"] for f in body["draft"]["facts"]} == {"email_sent", "email_opened"}
        assert any(f["kind"] == "link_clicked" for f in body["withdrawn"])

    def test_the_impact_summary_counts_what_a_draft_would_withdraw(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        cora = officer(client)
        engaged_prospect(client, runtime)
        response = client.post(
            "/api/policies/impact", json={"document": STRICTER}, headers=cora.headers
        )
        assert response.status_code == 200
        rep = response.json()["roles"]["rep"]
        assert rep["kinds"]["link_clicked"] == {
            "current": 1,
            "draft": 0,
            "revealed": 0,
            "withdrawn": 1,
            "more_precise_or_sooner": 0,
            "less_precise_or_later": 0,
        }
        assert rep["rules_draft"] == {"reps": 1}

    def test_the_impact_summary_counts_a_kind_shown_more_precisely_and_sooner(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        # The officer's case: opens stay visible, so nothing is revealed, yet the draft
        # shows them in full, to the second, with no delay.
        cora = officer(client)
        engaged_prospect(client, runtime)
        response = client.post(
            "/api/policies/impact", json={"document": SHARPER}, headers=cora.headers
        )
        assert response.status_code == 200
        rep = response.json()["roles"]["rep"]
        assert rep["kinds"]["email_opened"] == {
            "current": 1,
            "draft": 1,
            "revealed": 0,
            "withdrawn": 0,
            "more_precise_or_sooner": 1,
            "less_precise_or_later": 0,
        }
        # Clicks keep their detail and time, but the rule's delay applies to them too.
        assert rep["kinds"]["link_clicked"]["more_precise_or_sooner"] == 1

    def test_the_impact_summary_counts_a_kind_shown_less_precisely_and_later(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        cora = officer(client)
        engaged_prospect(client, runtime)
        response = client.post(
            "/api/policies/impact", json={"document": STRICTER}, headers=cora.headers
        )
        opens = response.json()["roles"]["rep"]["kinds"]["email_opened"]
        assert (opens["revealed"], opens["withdrawn"]) == (0, 0)
        assert (opens["more_precise_or_sooner"], opens["less_precise_or_later"]) == (0, 1)

    def test_the_preview_names_each_kind_kept_whose_detail_time_or_delay_changes(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        cora = officer(client)
        _, prospect = engaged_prospect(client, runtime)
        body = client.post(
            "/api/policies/preview",
            json={"document": SHARPER, "prospect_id": prospect["id"], "role": "rep"},
            headers=cora.headers,
        ).json()
        opens, clicks = body["precision"]
        assert opens == {
            "kind": "email_opened",
            "more": ["detail", "time", "delay"],
            "less": [],
            "current": {"detail": "count", "time": "day", "delay": 24},
            "draft": {"detail": "full", "time": "exact", "delay": 0},
        }
        assert (clicks["kind"], clicks["more"], clicks["less"]) == ("link_clicked", ["delay"], [])

    def test_the_new_counts_are_in_the_openapi_schema(self, client: TestClient) -> None:
        schema = client.get("/openapi.json").json()["components"]["schemas"]["KindImpact"]
        assert {"more_precise_or_sooner", "less_precise_or_later"} <= set(schema["required"])
        assert (
            "shorter delay_hours" in schema["properties"]["more_precise_or_sooner"]["description"]
        )

    def test_preview_of_an_unknown_prospect_is_a_404(self, client: TestClient) -> None:
        cora = officer(client)
        response = client.post(
            "/api/policies/preview",
            json={"document": STRICTER, "prospect_id": 999, "role": "rep"},
            headers=cora.headers,
        )
        assert response.status_code == 404


class TestAudit:
    def test_reads_and_policy_changes_are_in_the_audit_log(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        cora = officer(client)
        rep, prospect = engaged_prospect(client, runtime)
        client.get(f"/api/prospects/{prospect['id']}/timeline", headers=rep.headers)
        client.get(f"/api/prospects/{prospect['id']}/openers", headers=rep.headers)
        client.post(
            "/api/policies", json={"name": "quiet", "document": STRICTER}, headers=cora.headers
        )
        client.post("/api/policies/quiet/activate", json={"version": 1}, headers=cora.headers)
        items = client.get("/api/audit", headers=cora.headers).json()["items"]
        actions = [item["action"] for item in items]
        assert actions[:4] == ["policy.activate", "policy.create", "openers.read", "timeline.read"]
        read = items[3]
        assert (
            read["actor_id"],
            read["prospect_id"],
            read["policy_name"],
            read["policy_version"],
        ) == (
            rep.id,
            prospect["id"],
            "default",
            1,
        )
        assert read["rule"] == "reps" and read["facts_shown"] >= 2
        assert items[0]["detail"] == {
            "before": {"name": "default", "version": 1},
            "after": {"name": "quiet", "version": 1},
        }

    def test_the_audit_log_filters_and_pages(self, client: TestClient, runtime: Runtime) -> None:
        cora = officer(client)
        rep, prospect = engaged_prospect(client, runtime)
        for _ in range(3):
            client.get(f"/api/prospects/{prospect['id']}/timeline", headers=rep.headers)
        first = client.get(
            "/api/audit", params={"actor_id": rep.id, "limit": 2}, headers=cora.headers
        ).json()
        assert len(first["items"]) == 2 and first["next_before_id"] is not None
        rest = client.get(
            "/api/audit",
            params={"actor_id": rep.id, "limit": 2, "before_id": first["next_before_id"]},
            headers=cora.headers,
        ).json()
        assert len(rest["items"]) == 1 and rest["next_before_id"] is None

    def test_until_a_date_includes_that_whole_day(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        cora = officer(client)
        rep, prospect = engaged_prospect(client, runtime)
        client.get(f"/api/prospects/{prospect['id']}/timeline", headers=rep.headers)
        today = utcnow().date()

        def reads(**params: str) -> int:
            query = {"actor_id": str(rep.id), **params}
            return len(client.get("/api/audit", params=query, headers=cora.headers).json()["items"])

        assert reads(until=today.isoformat()) == 1
        assert reads(until=(today - timedelta(days=1)).isoformat()) == 0
        assert reads(since=today.isoformat()) == 1

    @pytest.mark.parametrize(
        ("since", "until"),
        [("2026-12-02", "2026-12-01"), ("2026-12-02T10:00:00Z", "2026-12-02T09:00:00Z")],
    )
    def test_a_range_that_ends_before_it_starts_is_refused_as_the_console_does(
        self, client: TestClient, since: str, until: str
    ) -> None:
        cora = officer(client)
        response = client.get(
            "/api/audit", params={"since": since, "until": until}, headers=cora.headers
        )
        assert response.status_code == 422
        [error] = response.json()["detail"]
        assert error["loc"] == ["query", "until"]
        assert error["msg"] == "The end date must be the same as or after the start date."
        assert error["input"] == until  # what was sent, not the instant it was read as
        same_day = {"since": "2026-12-02", "until": "2026-12-02"}
        assert client.get("/api/audit", params=same_day, headers=cora.headers).status_code == 200

    def test_only_compliance_and_admin_read_the_audit_log(self, client: TestClient) -> None:
        for role in ("rep", "manager"):
            assert (
                client.get("/api/audit", headers=make_user(client, role).headers).status_code == 403
            )
        assert (
            client.get("/api/audit", headers=make_user(client, "admin").headers).status_code == 200
        )


class TestHostileDocuments:
    @pytest.mark.parametrize(
        "document", ["&a [*a, *a]", "", "[]", "123", "!!python/object/apply:os.system ['true']"]
    )
    def test_a_document_that_is_no_policy_is_a_422(self, client: TestClient, document: str) -> None:
        cora = officer(client)
        for path, body in (
            ("/api/policies", {"name": "x", "document": document}),
            ("/api/policies/impact", {"document": document}),
        ):
            response = client.post(path, json=body, headers=cora.headers)
            assert response.status_code == 422, (path, response.text)
            assert response.json()["detail"][0]["loc"][:2] == ["body", "document"]

    def test_nested_aliases_are_a_short_422_not_an_expansion(self, client: TestClient) -> None:
        laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{name}: &{name} [{', '.join([f'*{prior}'] * 9)}]\n"
            for prior, name in zip("abcdefgh", "bcdefghi", strict=True)
        )
        cora = officer(client)
        for path, body in (
            ("/api/policies", {"name": "x", "document": laughs}),
            ("/api/policies/impact", {"document": laughs}),
        ):
            response = client.post(path, json=body, headers=cora.headers)
            assert response.status_code == 422
            assert "aliases" in response.json()["detail"][0]["msg"]
            assert len(response.content) < 2_000

    @pytest.mark.parametrize(
        "document",
        ["[" * 5_000, "{a: " * 3_000, "".join(" " * depth + "a:\n" for depth in range(200))],
        ids=["flow sequences", "flow mappings", "block mappings"],
    )
    def test_deeply_nested_yaml_is_a_422_not_a_recursion_error(
        self, client: TestClient, document: str
    ) -> None:
        cora = officer(client)
        prospect = make_prospect(client, make_user(client))
        for path, body in (
            ("/api/policies", {"name": "x", "document": document}),
            ("/api/policies/default", {"document": document}),
            ("/api/policies/impact", {"document": document}),
            (
                "/api/policies/preview",
                {"document": document, "prospect_id": prospect["id"], "role": "rep"},
            ),
        ):
            call = client.put if path == "/api/policies/default" else client.post
            response = call(path, json=body, headers=cora.headers)
            assert response.status_code == 422, (path, response.text)
            [error] = response.json()["detail"]
            assert error["loc"][:2] == ["body", "document"] and "nested" in error["msg"]


class TestAuditDates:
    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"since": "0001-01-01T00:00:00+14:00"}, "since"),
            ({"until": "0001-01-01T00:00:00+14:00"}, "until"),
            ({"until": "9999-12-31T23:30:00-05:00"}, "until"),
            ({"until": "0.5"}, "until"),
            ({"since": "1700000000"}, "since"),
        ],
    )
    def test_a_time_outside_utcs_years_or_no_date_at_all_is_a_422_naming_it(
        self, client: TestClient, params: dict[str, str], field: str
    ) -> None:
        response = client.get("/api/audit", params=params, headers=officer(client).headers)
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["loc"] == ["query", field]

    @pytest.mark.parametrize(
        "params",
        [
            {"until": "9999-12-31"},
            {"since": "0001-01-01", "until": "9999-12-31T23:59:59Z"},
            {"since": "0001-01-01T00:00:00-14:00"},
        ],
    )
    def test_the_first_and_last_days_there_are_still_answer(
        self, client: TestClient, params: dict[str, str]
    ) -> None:
        response = client.get("/api/audit", params=params, headers=officer(client).headers)
        assert response.status_code == 200, response.text
