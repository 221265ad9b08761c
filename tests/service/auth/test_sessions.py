"""Sign-in, server-side sessions and the throttle (the service functions the console uses)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from service.auth import service
from service.auth.sessions import (
    SignInLocked,
    SignInRefused,
    end_session,
    list_sessions,
    revoke_sessions,
    sign_in,
    user_for_session,
)
from service.auth.throttle import MAX_FAILURES_PER_NAME
from service.models import AuditEntry, SignInFailure, User, UserSession
from service.runtime import Runtime
from tests.factories import client_at

PASSWORD = "a long enough passphrase"
HERE = client_at("192.0.2.10")  # the person's own desk
ELSEWHERE = client_at("198.51.100.7")  # someone else, anywhere


def _person(session: Session, name: str = "Rita", role: str = "rep") -> User:
    user, _key = service.create(session, name=name, role=role, password=PASSWORD)
    return user


def _actions(session: Session) -> list[str]:
    return [entry.action for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))]


def _age_sessions(session: Session, by: timedelta) -> None:
    for row in session.exec(select(UserSession)):
        row.last_seen_at = row.last_seen_at - by
        session.add(row)
    session.commit()


def _age_failures(session: Session, by: timedelta) -> None:
    for row in session.exec(select(SignInFailure)):
        row.at = row.at - by
        if row.locks_until is not None:
            row.locks_until = row.locks_until - by
        session.add(row)
    session.commit()


@pytest.fixture
def db(runtime: Runtime) -> Session:
    with Session(runtime.engine) as session:
        yield session  # type: ignore[misc]


class TestSigningIn:
    def test_the_right_name_and_password_open_a_session_for_that_user(self, db: Session) -> None:
        rita = _person(db)
        user, token = sign_in(db, name="Rita", password=PASSWORD, client=HERE)
        assert user.id == rita.id
        found = user_for_session(db, token=token)
        assert found is not None and found.id == rita.id
        assert "session.signed_in" in _actions(db)

    def test_only_a_digest_of_the_token_is_stored(self, db: Session) -> None:
        _person(db)
        _user, token = sign_in(db, name="Rita", password=PASSWORD, client=HERE)
        stored = db.exec(select(UserSession)).one()
        assert token not in stored.token_hash

    def test_the_name_is_matched_ignoring_case_and_surrounding_spaces(self, db: Session) -> None:
        rita = _person(db)
        user, _token = sign_in(db, name="  rita ", password=PASSWORD, client=HERE)
        assert user.id == rita.id

    def test_a_wrong_password_and_an_unknown_name_get_the_same_refusal(self, db: Session) -> None:
        _person(db)
        with pytest.raises(SignInRefused) as wrong_password:
            sign_in(db, name="Rita", password="not the password", client=HERE)
        with pytest.raises(SignInRefused) as unknown_name:
            sign_in(db, name="Nobody", password=PASSWORD, client=HERE)
        assert str(wrong_password.value) == str(unknown_name.value) == "Wrong name or password."

    def test_a_user_without_a_password_cannot_sign_in(self, db: Session) -> None:
        service.create(db, name="Keyonly", role="rep")
        with pytest.raises(SignInRefused):
            sign_in(db, name="Keyonly", password=PASSWORD, client=HERE)

    def test_a_deactivated_user_is_refused_even_with_the_right_password(self, db: Session) -> None:
        rita = _person(db)
        assert rita.id is not None
        service.deactivate(db, actor=None, user_id=rita.id)
        with pytest.raises(SignInRefused):
            sign_in(db, name="Rita", password=PASSWORD, client=HERE)


class TestTheThrottle:
    """5 failures for a name from one address lock it there; 50 from anywhere, everywhere."""

    def _fail(self, db: Session, times: int, name: str = "Rita", client: str = ELSEWHERE) -> None:
        for _ in range(times):
            with pytest.raises(SignInRefused):
                sign_in(db, name=name, password="wrong password!", client=client)

    def _locks(self, db: Session) -> list[dict[str, object]]:
        entries = db.exec(select(AuditEntry).where(AuditEntry.action == "sign_in.locked"))
        return [json.loads(entry.detail) for entry in entries]

    def test_five_failures_from_one_address_lock_the_name_there_even_for_the_right_password(
        self, db: Session
    ) -> None:
        _person(db)
        self._fail(db, 5)
        with pytest.raises(SignInLocked) as caught:
            sign_in(db, name="Rita", password=PASSWORD, client=ELSEWHERE)
        assert 0 < caught.value.retry_after <= 15 * 60
        assert caught.value.budget == "address"
        assert "Try again in 15 minutes" in str(caught.value)

    def test_a_lockout_from_one_address_does_not_lock_the_name_from_another(
        self, db: Session
    ) -> None:
        _person(db)
        self._fail(db, 5)
        with pytest.raises(SignInRefused):  # checked and refused, not locked
            sign_in(db, name="Rita", password="wrong password!", client=HERE)

    def test_the_right_password_signs_in_after_a_lockout_from_another_address(
        self, db: Session
    ) -> None:
        rita = _person(db)
        self._fail(db, 5)
        user, _token = sign_in(db, name="Rita", password=PASSWORD, client=HERE)
        assert user.id == rita.id
        with pytest.raises(SignInLocked):  # the guesser is still locked out
            sign_in(db, name="Rita", password=PASSWORD, client=ELSEWHERE)

    def test_fifty_failures_from_many_addresses_lock_the_name_everywhere(self, db: Session) -> None:
        _person(db)
        for n in range(MAX_FAILURES_PER_NAME // 5):
            self._fail(db, 5, client=client_at(f"203.0.113.{n}"))
        with pytest.raises(SignInLocked) as caught:
            sign_in(db, name="Rita", password=PASSWORD, client=HERE)
        assert caught.value.budget == "name"
        assert "Try again in 15 minutes" in str(caught.value)

    def test_fewer_than_fifty_from_many_addresses_still_let_the_right_password_in(
        self, db: Session
    ) -> None:
        _person(db)
        for n in range((MAX_FAILURES_PER_NAME - 1) // 4):
            self._fail(db, 4, client=client_at(f"203.0.113.{n}"))
        self._fail(db, (MAX_FAILURES_PER_NAME - 1) % 4, client=client_at("203.0.113.250"))
        sign_in(db, name="Rita", password=PASSWORD, client=HERE)

    def test_case_variants_share_the_budget_of_an_address(self, db: Session) -> None:
        _person(db)
        for name in ("rita", "RITA", "Rita", "rItA", " riTa "):
            self._fail(db, 1, name=name)
        with pytest.raises(SignInLocked):
            sign_in(db, name="Rita", password=PASSWORD, client=ELSEWHERE)

    def test_case_variants_share_the_budget_of_the_name(self, db: Session) -> None:
        _person(db)
        for n in range(MAX_FAILURES_PER_NAME // 5):
            for name in ("rita", "RITA", "Rita", "rItA", "riTa"):
                self._fail(db, 1, name=name, client=client_at(f"203.0.113.{n}"))
        with pytest.raises(SignInLocked):
            sign_in(db, name="rita", password=PASSWORD, client=HERE)

    def test_the_lockout_is_audited_once_with_the_name_and_the_budget(self, db: Session) -> None:
        rita = _person(db)
        self._fail(db, 5)
        with pytest.raises(SignInLocked):
            sign_in(db, name="Rita", password=PASSWORD, client=ELSEWHERE)
        [lock] = self._locks(db)
        assert lock["name"] == "rita" and lock["user_id"] == rita.id
        assert lock["budget"] == "address" and lock["failures"] == 5

    def test_the_lockout_of_the_name_is_audited_as_such(self, db: Session) -> None:
        _person(db)
        for n in range(MAX_FAILURES_PER_NAME // 5):
            self._fail(db, 5, client=client_at(f"203.0.113.{n}"))
        budgets = [lock["budget"] for lock in self._locks(db)]
        assert budgets == ["address"] * (MAX_FAILURES_PER_NAME // 5 - 1) + ["name"]
        assert self._locks(db)[-1]["failures"] == MAX_FAILURES_PER_NAME

    def test_four_failures_still_let_the_right_password_in(self, db: Session) -> None:
        _person(db)
        self._fail(db, 4)
        sign_in(db, name="Rita", password=PASSWORD, client=ELSEWHERE)

    def test_failures_for_one_name_do_not_lock_another(self, db: Session) -> None:
        _person(db)
        self._fail(db, 5, name="Someone else")
        sign_in(db, name="Rita", password=PASSWORD, client=ELSEWHERE)

    def test_names_that_do_not_exist_are_locked_the_same_way(self, db: Session) -> None:
        self._fail(db, 5, name="ghost")
        with pytest.raises(SignInLocked):
            sign_in(db, name="ghost", password=PASSWORD, client=ELSEWHERE)

    def test_the_lock_ends_after_fifteen_minutes(self, db: Session) -> None:
        _person(db)
        self._fail(db, 5)
        _age_failures(db, timedelta(minutes=15, seconds=1))
        sign_in(db, name="Rita", password=PASSWORD, client=ELSEWHERE)

    def test_failures_older_than_fifteen_minutes_do_not_count(self, db: Session) -> None:
        _person(db)
        self._fail(db, 4)
        _age_failures(db, timedelta(minutes=16))
        self._fail(db, 4)
        sign_in(db, name="Rita", password=PASSWORD, client=ELSEWHERE)

    def test_failures_that_no_longer_count_are_deleted(self, db: Session) -> None:
        self._fail(db, 4, name="ghost")
        self._fail(db, 5, name="locked")
        _age_failures(db, timedelta(minutes=16))
        self._fail(db, 1, name="another")
        assert [row.name for row in db.exec(select(SignInFailure))] == ["another"]

    def test_a_success_clears_the_earlier_failures_from_that_address(self, db: Session) -> None:
        _person(db)
        self._fail(db, 4)
        sign_in(db, name="Rita", password=PASSWORD, client=ELSEWHERE)
        self._fail(db, 4)
        sign_in(db, name="Rita", password=PASSWORD, client=ELSEWHERE)

    def test_a_success_leaves_the_failures_from_other_addresses_counting(self, db: Session) -> None:
        _person(db)
        self._fail(db, 4)
        sign_in(db, name="Rita", password=PASSWORD, client=HERE)
        self._fail(db, 1)
        with pytest.raises(SignInLocked):
            sign_in(db, name="Rita", password=PASSWORD, client=ELSEWHERE)

    def test_only_a_digest_of_the_address_is_stored(self, db: Session) -> None:
        self._fail(db, 1, client=client_at("198.51.100.7"))
        [row] = db.exec(select(SignInFailure)).all()
        assert row.client is not None and len(row.client) == 64
        assert "198.51.100" not in row.client


class TestSessions:
    def test_an_unknown_token_is_nobody(self, db: Session) -> None:
        assert user_for_session(db, token="not-a-token") is None
        assert user_for_session(db, token="") is None
        assert user_for_session(db, token="x" * 10_000) is None

    def test_signing_out_ends_the_session_and_is_audited(self, db: Session) -> None:
        _person(db)
        _user, token = sign_in(db, name="Rita", password=PASSWORD, client=HERE)
        end_session(db, token=token)
        assert user_for_session(db, token=token) is None
        assert _actions(db)[-1] == "session.signed_out"
        end_session(db, token=token)  # twice changes nothing
        assert _actions(db).count("session.signed_out") == 1

    def test_a_session_idle_for_twelve_hours_has_expired(self, db: Session) -> None:
        _person(db)
        _user, token = sign_in(db, name="Rita", password=PASSWORD, client=HERE)
        _age_sessions(db, timedelta(hours=11, minutes=59))
        assert user_for_session(db, token=token) is not None
        _age_sessions(db, timedelta(hours=12))
        assert user_for_session(db, token=token) is None

    def test_using_a_session_keeps_it_alive(self, db: Session) -> None:
        _person(db)
        _user, token = sign_in(db, name="Rita", password=PASSWORD, client=HERE)
        _age_sessions(db, timedelta(hours=11))
        assert user_for_session(db, token=token) is not None
        _age_sessions(db, timedelta(hours=11))
        assert user_for_session(db, token=token) is not None

    def test_a_recent_session_is_not_rewritten_on_every_request(self, db: Session) -> None:
        _person(db)
        _user, token = sign_in(db, name="Rita", password=PASSWORD, client=HERE)
        before = db.exec(select(UserSession)).one().last_seen_at
        user_for_session(db, token=token)
        db.expire_all()
        assert db.exec(select(UserSession)).one().last_seen_at == before

    def test_revoking_ends_every_session_of_the_user_and_only_theirs(self, db: Session) -> None:
        rita = _person(db)
        _person(db, name="Max")
        _u, first = sign_in(db, name="Rita", password=PASSWORD, client=HERE)
        _u, second = sign_in(db, name="Rita", password=PASSWORD, client=HERE)
        _u, other = sign_in(db, name="Max", password=PASSWORD, client=HERE)
        assert rita.id is not None
        assert len(list_sessions(db, user_id=rita.id)) == 2
        assert revoke_sessions(db, user_id=rita.id) == 2
        assert user_for_session(db, token=first) is None
        assert user_for_session(db, token=second) is None
        assert user_for_session(db, token=other) is not None
        assert list_sessions(db, user_id=rita.id) == []
        assert "session.revoked" in _actions(db)

    def test_deactivating_a_user_ends_their_sessions_at_once(self, db: Session) -> None:
        rita = _person(db)
        _user, token = sign_in(db, name="Rita", password=PASSWORD, client=HERE)
        assert rita.id is not None
        service.deactivate(db, actor=None, user_id=rita.id)
        assert user_for_session(db, token=token) is None
        service.reactivate(db, actor=None, user_id=rita.id)
        assert user_for_session(db, token=token) is None  # ended, not merely suspended
