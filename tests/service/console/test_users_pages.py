"""The people page (admin): invitations, password resets, new keys, deactivation, roles."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from service.auth import service as accounts
from service.runtime import Runtime
from tests.factories import auth
from tests.service.console.admin_helpers import person, signed_in
from tests.service.console.helpers import csrf_of

_SECRET = re.compile(r'id="secret" class="secret" value="([^"]+)"')


def secret_of(html: str) -> str:
    found = _SECRET.search(html)
    assert found is not None, "no secret on the page"
    return found.group(1)


def admin(client: TestClient, runtime: Runtime) -> str:
    return signed_in(client, runtime, "admin", "Ada")


class TestWhoMayOpen:
    @pytest.mark.parametrize("role", ["rep", "manager", "compliance"])
    def test_only_admins_manage_people(
        self, client: TestClient, runtime: Runtime, role: str
    ) -> None:
        other, _ = person(runtime, "rep", "Rhea")
        token = signed_in(client, runtime, role)
        assert client.get("/console/users").status_code == 403
        assert client.get(f"/console/users/{other}").status_code == 403
        refused = client.post(
            "/console/users/invite", data={"name": "Mallory", "role": "admin", "csrf_token": token}
        )
        assert refused.status_code == 403
        assert (
            client.post(f"/console/users/{other}/key", data={"csrf_token": token}).status_code
            == 403
        )

    def test_an_admin_sees_everyone_with_role_manager_and_status(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        manager, _ = person(runtime, "manager", "Mona")
        admin(client, runtime)
        token = csrf_of(client.get("/console/users").text)
        client.post(
            "/console/users/invite",
            data={"name": "Rhea", "role": "rep", "manager": str(manager), "csrf_token": token},
        )
        page = client.get("/console/users").text
        assert "Mona" in page and "Rhea" in page
        assert "Invited (no password yet)" in page


class TestInvite:
    def test_the_one_time_link_is_shown_once_and_not_kept(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        token = admin(client, runtime)
        response = client.post(
            "/console/users/invite", data={"name": "Rhea", "role": "rep", "csrf_token": token}
        )
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
        link = secret_of(response.text)
        assert "/invite/" in link
        assert link not in client.get("/console/users").text
        assert link.rsplit("/", 1)[1] not in (response.headers.get("set-cookie") or "")

    def test_the_invited_person_sets_a_password_through_the_link(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        token = admin(client, runtime)
        invited = client.post(
            "/console/users/invite", data={"name": "Rhea", "role": "rep", "csrf_token": token}
        )
        path = "/" + secret_of(invited.text).split("://", 1)[1].split("/", 1)[1]
        client.post("/logout", data={"csrf_token": token})
        form = client.get(path)
        assert form.status_code == 200
        chosen = "a brand new password"
        data = {"password": chosen, "confirm": chosen, "csrf_token": csrf_of(form.text)}
        assert client.post(path, data=data).status_code == 303
        client.cookies.clear()
        login = client.get("/login").text
        signed = client.post(
            "/login",
            data={"name": "Rhea", "password": chosen, "csrf_token": csrf_of(login)},
        )
        assert signed.status_code == 303

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"name": "", "role": "rep"}, "name"),
            ({"name": "Ada", "role": "rep"}, "name"),  # taken: people sign in by name
            ({"name": "Rhea", "role": "boss"}, "role"),
            ({"name": "Rhea", "role": "rep", "manager": "abc"}, "manager"),
            ({"name": "Rhea", "role": "rep", "manager": "1"}, "manager"),  # not a manager
        ],
    )
    def test_a_bad_field_is_named_beside_it_and_nobody_is_created(
        self, client: TestClient, runtime: Runtime, fields: dict[str, str], field: str
    ) -> None:
        token = admin(client, runtime)
        before = client.get("/console/users").text.count("Manage<")
        response = client.post("/console/users/invite", data={**fields, "csrf_token": token})
        assert response.status_code == 422
        assert f'href="#{field}"' in response.text and f'id="{field}-error"' in response.text
        assert client.get("/console/users").text.count("Manage<") == before

    def test_without_the_csrf_token_nobody_is_invited(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        admin(client, runtime)
        response = client.post("/console/users/invite", data={"name": "Rhea", "role": "rep"})
        assert response.status_code == 403
        assert "Rhea" not in client.get("/console/users").text


class TestKeys:
    def test_a_new_key_is_shown_once_and_the_old_one_is_refused(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rhea, old_key = person(runtime, "rep", "Rhea")
        admin(client, runtime)
        assert client.get("/api/me", headers=auth(old_key)).status_code == 200
        confirm = client.get(f"/console/users/{rhea}/key")
        assert "Issue a new API key for Rhea?" in confirm.text
        assert client.get("/api/me", headers=auth(old_key)).status_code == 200  # not yet
        response = client.post(
            f"/console/users/{rhea}/key", data={"csrf_token": csrf_of(confirm.text)}
        )
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
        assert '<label for="secret">API key</label>' in response.text  # not "Api key"
        new_key = secret_of(response.text)
        assert client.get("/api/me", headers=auth(old_key)).status_code == 401
        assert client.get("/api/me", headers=auth(new_key)).json()["name"] == "Rhea"
        assert new_key not in client.get(f"/console/users/{rhea}").text

    def test_posting_the_confirmation_again_issues_nothing(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        """A reload of the page that showed the key posts the same form again."""
        rhea, _old_key = person(runtime, "rep", "Rhea")
        admin(client, runtime)
        confirm = client.get(f"/console/users/{rhea}/key")
        state = re.search(r'name="state" value="([0-9a-f]+)"', confirm.text)
        assert state is not None
        form = {"csrf_token": csrf_of(confirm.text), "state": state.group(1)}
        first = client.post(f"/console/users/{rhea}/key", data=form)
        key = secret_of(first.text)
        again = client.post(f"/console/users/{rhea}/key", data=form)
        assert again.status_code == 409
        assert "This key was issued already" in again.text
        assert key not in again.text
        assert client.get("/api/me", headers=auth(key)).status_code == 200  # still the key


class TestRevokingAKey:
    def test_revoking_asks_first_stops_the_key_and_keeps_the_person(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rhea, key = person(runtime, "rep", "Rhea")
        admin(client, runtime)
        page = client.get(f"/console/users/{rhea}")
        assert f'href="/console/users/{rhea}/key/revoke"' in page.text
        assert "<dt>API key</dt><dd>Yes</dd>" in page.text
        confirm = client.get(f"/console/users/{rhea}/key/revoke")
        assert "Revoke Rhea&#39;s API key?" in confirm.text
        assert client.get("/api/me", headers=auth(key)).status_code == 200  # not yet
        done = client.post(
            f"/console/users/{rhea}/key/revoke",
            data={"csrf_token": csrf_of(confirm.text)},
            follow_redirects=True,
        )
        assert "Rhea&#39;s API key is revoked" in done.text
        assert client.get("/api/me", headers=auth(key)).status_code == 401
        assert f'href="/console/users/{rhea}/key/revoke"' not in done.text  # none left to revoke
        assert "<dt>API key</dt><dd>None</dd>" in done.text
        assert "Active" in done.text  # she still signs in to the console with her password

    def test_the_bootstrap_admins_page_offers_no_revocation(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        admin(client, runtime)
        with Session(runtime.engine) as session:
            bootstrap = next(u for u in accounts.list_users(session) if u.bootstrap)
        page = client.get(f"/console/users/{bootstrap.id}")
        assert "the one CANDOR_ADMIN_KEY names" in page.text
        assert "/key/revoke" not in page.text

    def test_without_the_csrf_token_nothing_changes(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rhea, key = person(runtime, "rep", "Rhea")
        admin(client, runtime)
        assert client.post(f"/console/users/{rhea}/key/revoke", data={}).status_code == 403
        assert client.get("/api/me", headers=auth(key)).status_code == 200


class TestReset:
    def test_a_reset_gives_a_new_link_and_earlier_links_stop(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        token = admin(client, runtime)
        invited = client.post(
            "/console/users/invite", data={"name": "Rhea", "role": "rep", "csrf_token": token}
        )
        first = "/" + secret_of(invited.text).split("://", 1)[1].split("/", 1)[1]
        rhea = int(re.findall(r'href="/console/users/(\d+)"', invited.text)[0])
        reset = client.post(f"/console/users/{rhea}/reset", data={"csrf_token": token})
        assert reset.status_code == 200
        second = "/" + secret_of(reset.text).split("://", 1)[1].split("/", 1)[1]
        assert second != first
        assert client.get(second).status_code == 200
        assert client.get(first).status_code != 200


class TestDeactivate:
    def test_deactivation_asks_first_then_stops_the_key(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rhea, key = person(runtime, "rep", "Rhea")
        admin(client, runtime)
        confirm = client.get(f"/console/users/{rhea}/deactivate")
        assert "Deactivate Rhea?" in confirm.text
        assert client.get("/api/me", headers=auth(key)).status_code == 200
        response = client.post(
            f"/console/users/{rhea}/deactivate", data={"csrf_token": csrf_of(confirm.text)}
        )
        assert response.status_code == 303
        page = client.get(response.headers["location"]).text
        assert "Rhea is deactivated." in page and "Reactivate Rhea" in page
        assert client.get("/api/me", headers=auth(key)).status_code == 401

    def test_an_admin_cannot_deactivate_themselves(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        token = admin(client, runtime)
        me = client.get("/api/users", headers=auth("cnd_admin-key-for-tests-only")).json()
        ada = next(u["id"] for u in me if u["name"] == "Ada")
        response = client.post(f"/console/users/{ada}/deactivate", data={"csrf_token": token})
        assert response.status_code == 409
        assert "text/html" in response.headers["content-type"]


class TestRoleAndManager:
    def test_a_change_is_saved_and_announced(self, client: TestClient, runtime: Runtime) -> None:
        rhea, _ = person(runtime, "rep", "Rhea")
        mona, _ = person(runtime, "manager", "Mona")
        token = admin(client, runtime)
        response = client.post(
            f"/console/users/{rhea}/role",
            data={"role": "rep", "manager": str(mona), "csrf_token": token},
        )
        assert response.status_code == 303
        page = client.get(f"/console/users/{rhea}").text
        assert "Saved Rhea&#39;s role and manager." in page
        assert "<dt>Manager</dt><dd>Mona</dd>" in page

    def test_an_invalid_choice_changes_nothing(self, client: TestClient, runtime: Runtime) -> None:
        rhea, _ = person(runtime, "rep", "Rhea")
        token = admin(client, runtime)
        response = client.post(
            f"/console/users/{rhea}/role",
            data={"role": "boss", "manager": "", "csrf_token": token},
        )
        assert response.status_code == 422
        assert 'href="#role"' in response.text
        assert "<dt>Role</dt><dd>rep</dd>" in response.text


class TestRenaming:
    def test_a_new_name_is_saved_announced_and_is_the_one_to_sign_in_with(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rhea, _ = person(runtime, "rep", "Rhea")
        token = admin(client, runtime)
        response = client.post(
            f"/console/users/{rhea}/name", data={"name": "  Rhea Okafor ", "csrf_token": token}
        )
        assert response.status_code == 303
        page = client.get(f"/console/users/{rhea}").text
        assert "Renamed Rhea to Rhea Okafor: they sign in with that name now." in page
        assert "<h1>Rhea Okafor " in page
        with Session(runtime.engine) as session:
            assert accounts.get_user(session, user_id=rhea).name == "Rhea Okafor"

    @pytest.mark.parametrize("name", ["", "Ada", "x" * 201])
    def test_an_empty_taken_or_long_name_is_refused_beside_the_field_and_kept(
        self, client: TestClient, runtime: Runtime, name: str
    ) -> None:
        rhea, _ = person(runtime, "rep", "Rhea")
        token = admin(client, runtime)
        response = client.post(
            f"/console/users/{rhea}/name", data={"name": name, "csrf_token": token}
        )
        assert response.status_code == 422
        assert 'href="#name"' in response.text and 'aria-invalid="true"' in response.text
        assert f'value="{name}"' in response.text
        with Session(runtime.engine) as session:
            assert accounts.get_user(session, user_id=rhea).name == "Rhea"

    def test_without_the_csrf_token_nobody_is_renamed(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rhea, _ = person(runtime, "rep", "Rhea")
        admin(client, runtime)
        assert client.post(f"/console/users/{rhea}/name", data={"name": "Eve"}).status_code == 403


class TestTheLastAdmin:
    def _sole_admin(self, client: TestClient, runtime: Runtime) -> tuple[int, str]:
        """Ada signed in as the only active admin (the bootstrap admin deactivated)."""
        token = admin(client, runtime)
        with Session(runtime.engine) as session:
            people = accounts.list_users(session)
            ada = next(p.id for p in people if p.name == "Ada")
            bootstrap = next(p.id for p in people if p.bootstrap)
            assert ada is not None and bootstrap is not None
            accounts.deactivate(session, actor=None, user_id=bootstrap)
        return ada, token

    def test_the_page_says_why_the_only_admin_stays_one(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        ada, _token = self._sole_admin(client, runtime)
        page = client.get(f"/console/users/{ada}").text
        assert "Ada is the only active admin" in page
        assert f"/console/users/{ada}/deactivate" not in page

    def test_demoting_the_only_admin_is_refused_beside_the_role(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        ada, token = self._sole_admin(client, runtime)
        response = client.post(
            f"/console/users/{ada}/role", data={"role": "rep", "manager": "", "csrf_token": token}
        )
        assert response.status_code == 422
        assert 'href="#role"' in response.text
        assert "This is the only active admin" in response.text
        assert "candor users" not in response.text  # the console's own way, on their page
        assert "<dt>Role</dt><dd>admin</dd>" in response.text

    def test_asking_to_deactivate_the_only_admin_says_why_not(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        ada, token = self._sole_admin(client, runtime)
        asked = client.get(f"/console/users/{ada}/deactivate")
        posted = client.post(f"/console/users/{ada}/deactivate", data={"csrf_token": token})
        for response in (asked, posted):
            assert response.status_code == 409
            assert "<h1>You cannot deactivate yourself</h1>" in response.text
            assert "Something went wrong" not in response.text
            assert "You are the only active admin" in response.text
            assert 'href="/console/users"' in response.text  # the console's way, not a CLI's
            assert "candor users" not in response.text


def _prospects(client: TestClient, key: str, count: int) -> None:
    for n in range(count):
        body = {"email": f"p{n}@example.com"}
        assert client.post("/api/prospects", json=body, headers=auth(key)).status_code == 201


class TestRolesAndProspectOwners:
    """The rules of docs/people.md, said beside the field they concern."""

    def test_someone_who_owns_prospects_keeps_a_role_that_owns_them(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rhea, key = person(runtime, "rep", "Rhea")
        _prospects(client, key, 3)
        token = admin(client, runtime)
        page = client.get(f"/console/users/{rhea}").text
        assert "<dt>Prospects</dt><dd>3</dd>" in page
        assert "Rhea owns 3 prospects, so stays a rep or a manager" in page
        response = client.post(
            f"/console/users/{rhea}/role",
            data={"role": "compliance", "manager": "", "csrf_token": token},
        )
        assert response.status_code == 409
        assert 'href="#role"' in response.text and 'id="role-error"' in response.text
        assert "Rhea owns 3 prospects; give them to a rep or manager first" in response.text
        assert "<dt>Role</dt><dd>rep</dd>" in response.text
        assert client.get("/api/me", headers=auth(key)).json()["role"] == "rep"

    def test_inviting_a_compliance_user_with_a_manager_is_refused_beside_the_manager(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        mona, _ = person(runtime, "manager", "Mona")
        token = admin(client, runtime)
        before = client.get("/console/users").text.count("Manage<")
        response = client.post(
            "/console/users/invite",
            data={"name": "Cora", "role": "compliance", "manager": str(mona), "csrf_token": token},
        )
        assert response.status_code == 422
        assert 'href="#manager"' in response.text and 'id="manager-error"' in response.text
        assert "Only a rep has a manager" in response.text
        assert client.get("/console/users").text.count("Manage<") == before
        assert "Only for a rep" in response.text  # the hint says so before anyone tries

    def test_a_rep_made_compliance_drops_the_manager_on_the_form_or_is_told_to(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        mona, _ = person(runtime, "manager", "Mona")
        token = admin(client, runtime)
        with Session(runtime.engine) as session:
            rhea, _key = accounts.create(session, name="Rhea", role="rep", manager_id=mona)
            rhea_id = rhea.id
        kept = client.post(
            f"/console/users/{rhea_id}/role",
            data={"role": "compliance", "manager": str(mona), "csrf_token": token},
        )
        assert kept.status_code == 422
        assert 'id="manager-error"' in kept.text and "Only a rep has a manager" in kept.text
        dropped = client.post(
            f"/console/users/{rhea_id}/role",
            data={"role": "compliance", "manager": "", "csrf_token": token},
        )
        assert dropped.status_code == 303
        page = client.get(f"/console/users/{rhea_id}").text
        assert "<dt>Role</dt><dd>compliance</dd>" in page
        assert "<dt>Manager</dt><dd>None</dd>" in page

    def test_deactivating_an_owner_says_who_still_reads_their_prospects(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        mona, _ = person(runtime, "manager", "Mona")
        with Session(runtime.engine) as session:
            rhea, key = accounts.create(session, name="Rhea", role="rep", manager_id=mona)
            rhea_id = rhea.id
        _prospects(client, key, 2)
        admin(client, runtime)
        confirm = client.get(f"/console/users/{rhea_id}/deactivate")
        said = "Rhea still owns 2 prospects, which stay theirs: Mona, their manager, still reads"
        assert said in confirm.text
        response = client.post(
            f"/console/users/{rhea_id}/deactivate", data={"csrf_token": csrf_of(confirm.text)}
        )
        assert response.status_code == 303
        page = client.get(response.headers["location"]).text
        assert "Rhea is deactivated. Rhea still owns 2 prospects" in page

    def test_deactivating_an_owner_nobody_manages_says_an_admin_must_move_them(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        rhea, key = person(runtime, "rep", "Rhea")
        _prospects(client, key, 1)
        admin(client, runtime)
        confirm = client.get(f"/console/users/{rhea}/deactivate").text
        assert (
            "Rhea still owns 1 prospect, which stays theirs, and no manager reads them" in confirm
        )


class TestHostileText:
    def test_names_render_as_text(self, client: TestClient, runtime: Runtime) -> None:
        hostile = "<b onmouseover=alert(1)>Eve</b>"
        person(runtime, "rep", hostile)
        admin(client, runtime)
        page = client.get("/console/users").text
        assert hostile not in page
        assert "&lt;b onmouseover=alert(1)&gt;Eve&lt;/b&gt;" in page
