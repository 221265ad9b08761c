"""Password rules and hashing."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from fastapi import HTTPException

from service.auth import passwords
from service.auth.passwords import check_password, hash_password, needs_rehash, verify_password
from tests.conftest import PRODUCTION_HASHER


class TestPasswordRules:
    def test_eleven_characters_are_refused_naming_the_field(self) -> None:
        with pytest.raises(HTTPException) as caught:
            check_password("x" * 11)
        assert caught.value.status_code == 422
        assert caught.value.detail[0]["loc"] == ["body", "password"]
        assert "12 characters" in caught.value.detail[0]["msg"]

    def test_twelve_characters_are_enough(self) -> None:
        check_password("x" * 12)

    def test_a_password_longer_than_1024_characters_is_refused(self) -> None:
        with pytest.raises(HTTPException):
            check_password("x" * 1025)


class TestHashing:
    @pytest.fixture(autouse=True)
    def production_cost(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The hasher Candor runs with, not the suite's cheap one (see tests/conftest.py)."""
        monkeypatch.setattr(passwords, "_hasher", PRODUCTION_HASHER)

    def test_the_cost_is_rfc_9106_low_memory_64_mib_three_passes(self) -> None:
        assert hash_password("correct horse battery").startswith("$argon2id$v=19$m=65536,t=3,p=4$")

    def test_a_hash_made_at_a_lower_cost_is_rehashed_at_the_next_sign_in(self) -> None:
        cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        assert needs_rehash(cheap.hash("correct horse battery"))

    def test_the_hash_is_argon2id_and_salted(self) -> None:
        first, second = (
            hash_password("correct horse battery"),
            hash_password("correct horse battery"),
        )
        assert first.startswith("$argon2id$")
        assert first != second
        assert not needs_rehash(first)

    def test_only_the_right_password_verifies(self) -> None:
        stored = hash_password("correct horse battery")
        assert verify_password(stored, "correct horse battery")
        assert not verify_password(stored, "correct horse battery!")

    def test_a_malformed_stored_hash_is_a_mismatch_not_an_error(self) -> None:
        assert not verify_password("not a hash", "whatever it is")
