"""Passwords: the length rule and Argon2id hashing (argon2-cffi, RFC 9106 parameters)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from service.errors import invalid

__all__ = [
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "check_password",
    "hash_password",
    "needs_rehash",
    "verify_nothing",
    "verify_password",
]

MIN_PASSWORD_LENGTH = 12
# Long enough for any passphrase; short enough that hashing stays a bounded cost.
MAX_PASSWORD_LENGTH = 1024

_hasher = PasswordHasher()  # Argon2id with argon2-cffi's RFC 9106 "low memory" profile
# Verified against when the name is unknown, so a miss costs what a hit costs.
_DUMMY_HASH = _hasher.hash("candor: no such user, the same work either way")


def check_password(password: str, *, field: str = "password") -> None:
    """Raise a 422 naming ``field`` unless the password is 12 to 1024 characters long."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise invalid(
            field, f"The password must be at least {MIN_PASSWORD_LENGTH} characters long."
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise invalid(field, f"The password must be at most {MAX_PASSWORD_LENGTH} characters long.")


def hash_password(password: str) -> str:
    """The stored form (an ``$argon2id$`` string with its own salt and parameters)."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches; a malformed stored hash is a mismatch, not an error."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_nothing(password: str) -> None:
    """Spend one verification's time for a name that has no password to check."""
    verify_password(_DUMMY_HASH, password)


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with older parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
