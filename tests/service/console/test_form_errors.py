"""A refused console form comes back with what was typed and a plain sentence beside the
field: never a dead-end page, never Pydantic's words, and the API's limits."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape
from pydantic import BaseModel, Field, ValidationError
from sqlmodel import Session
from starlette.testclient import TestClient

from service.auth import invitations
from service.console.forms import field_errors
from service.runtime import Runtime
from tests.factories import make_prospect
from tests.service.console.helpers import (
    csrf_of,
    make_person,
    post_login,
    sign_in,
    signed_in_person,
)
from tests.service.console.test_managers import team


def beside(page: str, field: str) -> str:
    """The message shown beside ``field`` (its ``…-error`` paragraph)."""
    found = re.search(rf'<p class="field-message" id="{field}-error">([^<]*)</p>', page)
    assert found is not None, f"no error beside {field}"
    return found.group(1)


class TestOversizedProspectFields:
    @pytest.mark.parametrize(
        ("field", "limit", "typed"),
        [("name", 200, 250), ("company", 200, 5_000), ("industry", 100, 101)],
    )
    def test_the_form_comes_back_with_everything_typed(
        self, client: TestClient, field: str, limit: int, typed: int
    ) -> None:
        _, token = signed_in_person(client)
        form = {"email": "anna@acme.example", "name": "Anna", "company": "Acme", field: "x" * typed}
        response = client.post("/console/prospects", data={"csrf_token": token, **form})
        assert response.status_code == 422
        assert beside(response.text, field) == (
            f"The {field} is at most {limit:,} characters; you typed {typed:,}."
        )
        for value in form.values():
            assert f'value="{value}"' in response.text  # nothing typed is lost
        assert "String should have" not in response.text

    def test_an_email_past_its_length_is_named_beside_it(self, client: TestClient) -> None:
        _, token = signed_in_person(client)
        email = "a" * 400 + "@acme.example"
        response = client.post(
            "/console/prospects", data={"csrf_token": token, "email": email, "name": "Anna"}
        )
        assert response.status_code == 422
        assert beside(response.text, "email") == (
            f"The email address is at most 320 characters; you typed {len(email)}."
        )
        assert f'value="{email}"' in response.text


class TestCompose:
    def _compose(self, client: TestClient, **form: str):  # type: ignore[no-untyped-def]
        rita, token = signed_in_person(client, name="Rita")
        prospect = make_prospect(client, rita)
        return client.post(
            f"/console/prospects/{prospect['id']}/compose", data={"csrf_token": token, **form}
        )

    def test_an_empty_subject_is_a_plain_sentence(self, client: TestClient) -> None:
        response = self._compose(client, subject="  ", body="<p>Hello</p>")
        assert response.status_code == 422
        assert beside(response.text, "subject") == "Enter a subject."
        assert "String should have" not in response.text
        assert "&lt;p&gt;Hello&lt;/p&gt;" in response.text

    def test_an_empty_body_is_a_plain_sentence(self, client: TestClient) -> None:
        response = self._compose(client, subject="Our proposal", body="")
        assert response.status_code == 422
        assert beside(response.text, "body") == "Write the body of the email."

    def test_a_long_subject_comes_back_with_the_text(self, client: TestClient) -> None:
        subject = "Our proposal " * 50  # 650 characters
        response = self._compose(client, subject=subject, body="<p>Hello</p>")
        assert response.status_code == 422
        assert beside(response.text, "subject") == (
            f"The subject is at most 500 characters; you typed {len(subject.strip())}."
        )
        assert str(escape(subject)) in response.text

    def test_a_body_of_one_and_a_half_megabytes_is_prepared_as_the_api_would(
        self, client: TestClient
    ) -> None:
        body = "<p>" + "word " * 300_000 + "</p>"  # 1.5 MB, past Starlette's 1 MB a field
        response = self._compose(client, subject="Our proposal", body=body)
        assert response.status_code == 303, response.text[:500]
        assert "/messages/" in response.headers["location"]

    def test_a_body_past_the_apis_limit_comes_back_with_the_text(self, client: TestClient) -> None:
        body = "y" * 2_000_001
        response = self._compose(client, subject="Our proposal", body=body, format="text")
        assert response.status_code == 422
        assert beside(response.text, "body") == (
            "The body is at most 2,000,000 characters; you typed 2,000,001."
        )
        assert body in response.text
        assert 'value="text" checked' in response.text


class TestReassign:
    @pytest.mark.parametrize("owner", ["abc", "99999", "5", ""])
    def test_a_refused_owner_is_the_page_again_with_the_reason_beside_the_field(
        self, client: TestClient, owner: str
    ) -> None:
        manager, rita, _, prospect = team(client)
        token = sign_in(client, "Mia")
        response = client.post(
            f"/console/prospects/{prospect['id']}/owner",
            data={"csrf_token": token, "owner_id": owner},
        )
        assert response.status_code == 422, response.status_code
        message = beside(response.text, "owner_id")
        assert message and "Input should" not in message
        assert 'href="#owner_id"' in response.text  # summarised at the top, linked
        owner_now = client.get(f"/api/prospects/{prospect['id']}", headers=manager.headers)
        assert owner_now.json()["owner_id"] == rita.id

    def test_someone_who_is_not_a_rep_is_refused(self, client: TestClient) -> None:
        _, _, _, prospect = team(client)
        officer = make_person(client, "compliance", name="Cora")
        token = sign_in(client, "Mia")
        response = client.post(
            f"/console/prospects/{prospect['id']}/owner",
            data={"csrf_token": token, "owner_id": str(officer.id)},
        )
        assert response.status_code == 422
        assert "nothing changed" in beside(response.text, "owner_id")


class TestTheProspectPagesOtherForms:
    def test_a_text_to_check_past_its_limit_is_kept(self, client: TestClient) -> None:
        rita, token = signed_in_person(client, name="Rita")
        prospect = make_prospect(client, rita)
        say = "z" * 20_001
        response = client.post(
            f"/console/prospects/{prospect['id']}/lint", data={"csrf_token": token, "say": say}
        )
        assert response.status_code == 422
        assert beside(response.text, "say") == (
            "The text to check is at most 20,000 characters; you typed 20,001."
        )
        assert say in response.text

    def test_a_language_that_is_not_on_the_list_is_named_beside_it(
        self, client: TestClient
    ) -> None:
        rita, token = signed_in_person(client, name="Rita")
        prospect = make_prospect(client, rita)
        response = client.post(
            f"/console/prospects/{prospect['id']}/language",
            data={"csrf_token": token, "language": "x" * 50},
        )
        assert response.status_code == 422
        assert beside(response.text, "language") == (
            "The language is at most 35 characters; you typed 50."
        )


class TestSignInForms:
    def test_a_name_longer_than_any_account_is_a_wrong_name_not_a_dead_end(
        self, client: TestClient
    ) -> None:
        name = "N" * 300
        response = post_login(client, name, "x" * 2_000)
        assert response.status_code == 401
        assert "do not match an account" in response.text
        assert f'value="{name}"' in response.text

    def test_an_invited_persons_overlong_password_is_named_beside_it(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        with Session(runtime.engine) as session:
            _, token = invitations.invite(session, actor=None, name="Nina", role="rep")
        page = client.get(f"/invite/{token}")
        password = "p" * 1_100
        response = client.post(
            f"/invite/{token}",
            data={"csrf_token": csrf_of(page.text), "password": password, "confirm": password},
        )
        assert response.status_code == 422
        assert "The password is at most 1,024 characters; you typed 1,100." in response.text


class _Form(BaseModel):
    subject: str = Field(min_length=1, max_length=5)
    name: str = Field(min_length=3)
    region: str


class TestFieldErrors:
    """The one mapping of Pydantic's errors to the console's sentences, for every form."""

    def test_missing_too_short_and_too_long(self) -> None:
        with pytest.raises(ValidationError) as raised:
            _Form.model_validate({"subject": "toolong", "name": "ab"})
        assert field_errors(raised.value) == {
            "subject": "The subject is at most 5 characters; you typed 7.",
            "name": "The name is at least 3 characters; you typed 2.",
            "region": "Enter a region.",
        }

    def test_an_empty_required_field_says_what_to_enter(self) -> None:
        with pytest.raises(ValidationError) as raised:
            _Form.model_validate({"subject": "", "name": "Anna", "region": "EU"})
        assert field_errors(raised.value) == {"subject": "Enter a subject."}

    def test_a_model_field_is_named_as_the_forms(self) -> None:
        with pytest.raises(ValidationError) as raised:
            _Form.model_validate({"subject": "", "name": "Anna", "region": "EU"})
        assert field_errors(raised.value, fields={"subject": "body"}) == {
            "body": "Write the body of the email."
        }
