"""Invitation links: one-time, 72 hours, where a person sets their password."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import HTTPException
from sqlmodel import Session, col, select

from service.auth import service
from service.auth.invitations import (
    InvitationInvalid,
    accept_invitation,
    invitation_url,
    invitation_user,
    invite,
    reset_invitation,
)
from service.auth.sessions import SignInRefused, sign_in, user_for_session
from service.config import Settings
from service.models import AuditEntry, Invitation
from service.runtime import Runtime
from tests.factories import client_at

PASSWORD = "a long enough passphrase"


@pytest.fixture
def db(runtime: Runtime) -> Session:
    with Session(runtime.engine) as session:
        yield session  # type: ignore[misc]


def _actions(session: Session) -> list[str]:
    return [entry.action for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))]


class TestInviting:
    def test_an_invited_person_exists_without_password_or_key(self, db: Session) -> None:
        user, token = invite(db, actor=None, name="Nina", role="rep")
        assert user.password_hash is None and user.api_key_hash is None and user.active
        found = invitation_user(db, token=token)
        assert found is not None and found.id == user.id
        assert "user.invited" in _actions(db)

    def test_only_a_digest_of_the_token_is_stored(self, db: Session) -> None:
        _user, token = invite(db, actor=None, name="Nina", role="rep")
        assert token not in db.exec(select(Invitation)).one().token_hash

    def test_a_role_that_does_not_exist_is_a_422_naming_role(self, db: Session) -> None:
        with pytest.raises(HTTPException) as caught:
            invite(db, actor=None, name="Nina", role="king")
        assert caught.value.detail[0]["loc"] == ["body", "role"]

    def test_a_name_already_taken_in_any_case_is_a_422_naming_name(self, db: Session) -> None:
        invite(db, actor=None, name="Nina", role="rep")
        with pytest.raises(HTTPException) as caught:
            invite(db, actor=None, name="NINA", role="rep")
        assert caught.value.detail[0]["loc"] == ["body", "name"]

    def test_a_manager_id_must_name_a_manager(self, db: Session) -> None:
        rep, _token = invite(db, actor=None, name="Nina", role="rep")
        with pytest.raises(HTTPException) as caught:
            invite(db, actor=None, name="Olga", role="rep", manager_id=rep.id)
        assert caught.value.detail[0]["loc"] == ["body", "manager_id"]

    def test_the_link_is_on_the_console_url(self, settings: Settings) -> None:
        assert invitation_url(settings, "abc") == f"{settings.public_url}/invite/abc"
        moved = Settings(public_url="https://t.example.com", console_url="https://app.example/")
        assert invitation_url(moved, "abc") == "https://app.example/invite/abc"


class TestAccepting:
    def test_accepting_sets_the_password_and_the_person_can_sign_in(self, db: Session) -> None:
        invited, token = invite(db, actor=None, name="Nina", role="rep")
        accepted = accept_invitation(db, token=token, password=PASSWORD)
        assert accepted.id == invited.id
        user, _session_token = sign_in(db, name="Nina", password=PASSWORD, client=client_at())
        assert user.id == invited.id
        assert "user.password_set" in _actions(db)

    def test_a_link_works_only_once(self, db: Session) -> None:
        _user, token = invite(db, actor=None, name="Nina", role="rep")
        accept_invitation(db, token=token, password=PASSWORD)
        assert invitation_user(db, token=token) is None
        with pytest.raises(InvitationInvalid) as caught:
            accept_invitation(db, token=token, password="another long passphrase")
        assert caught.value.status_code == 422
        assert caught.value.detail[0]["loc"] == ["body", "token"]

    def test_a_short_password_is_refused_and_the_link_still_works(self, db: Session) -> None:
        _user, token = invite(db, actor=None, name="Nina", role="rep")
        with pytest.raises(HTTPException) as caught:
            accept_invitation(db, token=token, password="short")
        assert caught.value.detail[0]["loc"] == ["body", "password"]
        assert invitation_user(db, token=token) is not None

    def test_a_link_older_than_72_hours_has_expired(self, db: Session) -> None:
        _user, token = invite(db, actor=None, name="Nina", role="rep")
        row = db.exec(select(Invitation)).one()
        row.expires_at = row.created_at - timedelta(seconds=1)  # as if 72 hours had passed
        db.add(row)
        db.commit()
        assert invitation_user(db, token=token) is None
        with pytest.raises(InvitationInvalid):
            accept_invitation(db, token=token, password=PASSWORD)

    def test_a_link_lasts_72_hours(self, db: Session) -> None:
        invite(db, actor=None, name="Nina", role="rep")
        row = db.exec(select(Invitation)).one()
        assert row.expires_at - row.created_at == timedelta(hours=72)

    def test_an_unknown_or_absurd_token_is_invalid(self, db: Session) -> None:
        assert invitation_user(db, token="nope") is None
        assert invitation_user(db, token="x" * 5000) is None
        with pytest.raises(InvitationInvalid):
            accept_invitation(db, token="", password=PASSWORD)

    def test_a_deactivated_persons_link_stops_working(self, db: Session) -> None:
        user, token = invite(db, actor=None, name="Nina", role="rep")
        assert user.id is not None
        service.deactivate(db, actor=None, user_id=user.id)
        assert invitation_user(db, token=token) is None


class TestResetting:
    def test_a_reset_link_replaces_the_password_and_ends_old_sessions(self, db: Session) -> None:
        user, _key = service.create(db, name="Rita", role="rep", password=PASSWORD)
        _u, session_token = sign_in(db, name="Rita", password=PASSWORD, client=client_at())
        assert user.id is not None
        token = reset_invitation(db, actor=None, user_id=user.id)
        # The old password works until the new one is set.
        sign_in(db, name="Rita", password=PASSWORD, client=client_at())
        accept_invitation(db, token=token, password="a brand new passphrase")
        assert user_for_session(db, token=session_token) is None
        with pytest.raises(SignInRefused):
            sign_in(db, name="Rita", password=PASSWORD, client=client_at())
        sign_in(db, name="Rita", password="a brand new passphrase", client=client_at())
        purposes = [row.purpose for row in db.exec(select(Invitation))]
        assert purposes == ["reset"]

    def test_a_new_link_retires_the_earlier_one(self, db: Session) -> None:
        user, first = invite(db, actor=None, name="Nina", role="rep")
        assert user.id is not None
        second = reset_invitation(db, actor=None, user_id=user.id)
        assert invitation_user(db, token=first) is None
        assert invitation_user(db, token=second) is not None
        assert "user.invitation_issued" in _actions(db)

    def test_an_unknown_user_is_a_404(self, db: Session) -> None:
        with pytest.raises(HTTPException) as caught:
            reset_invitation(db, actor=None, user_id=999)
        assert caught.value.status_code == 404

    def test_a_deactivated_user_gets_no_link(self, db: Session) -> None:
        user, _token = invite(db, actor=None, name="Nina", role="rep")
        assert user.id is not None
        service.deactivate(db, actor=None, user_id=user.id)
        with pytest.raises(HTTPException) as caught:
            reset_invitation(db, actor=None, user_id=user.id)
        assert caught.value.status_code == 409
