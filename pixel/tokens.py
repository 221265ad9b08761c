"""Signed, opaque tokens for the public tracking addresses.

A token names a random reference (never a row id) and proves that Candor minted it for
one purpose. It carries no personal data and no destination: the server maps the
reference to what it stands for. Layout, all URL-safe::

    <ref: 16 chars><key id: 2 chars><signature: 22 chars>     (40 characters)

The signature is HMAC-SHA256 over a per-purpose salt and the reference, truncated to
128 bits, compared in constant time. Keys rotate: the first key signs, every key
verifies, and the key id picks the key without configuration.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from enum import StrEnum

__all__ = ["BadToken", "Purpose", "TokenSigner", "generate_key", "new_ref"]

REF_LENGTH = 16
KID_LENGTH = 2
SIG_LENGTH = 22  # 16 bytes of HMAC, base64url without padding
TOKEN_LENGTH = REF_LENGTH + KID_LENGTH + SIG_LENGTH
_ALPHABET = re.compile(r"^[A-Za-z0-9_-]+$")


class Purpose(StrEnum):
    """What a token may be used for; a token of one purpose never verifies as another."""

    OPEN = "o"
    CLICK = "c"
    PAGE = "p"


class BadToken(ValueError):
    """The token is malformed, tampered with, signed by an unknown key, or of another purpose."""


def new_ref() -> str:
    """A fresh random reference: 16 URL-safe characters (96 bits)."""
    return secrets.token_urlsafe(12)


def generate_key() -> str:
    """A fresh signing key: 32 random bytes as URL-safe text."""
    return secrets.token_urlsafe(32)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _key_id(key: bytes) -> str:
    return _b64(hashlib.sha256(b"candor-key-id:" + key).digest())[:KID_LENGTH]


class TokenSigner:
    """Signs and verifies tokens with a list of keys, newest first.

    Raises ValueError when no key is given or a key is blank.
    """

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("at least one signing key is required")
        if any(not key or not key.strip() for key in keys):
            raise ValueError("signing keys must not be blank")
        self._keys = [(_key_id(key.encode()), key.encode()) for key in keys]

    def _signature(self, key: bytes, purpose: Purpose, ref: str) -> str:
        message = f"candor-token:{purpose.value}:{ref}".encode()
        return _b64(hmac.new(key, message, hashlib.sha256).digest()[:16])

    def sign(self, purpose: Purpose, ref: str) -> str:
        """The token for ``ref`` and ``purpose``, signed with the newest key.

        Raises ValueError for a reference that ``new_ref`` could not have made.
        """
        if len(ref) != REF_LENGTH or not _ALPHABET.match(ref):
            raise ValueError("a reference is 16 URL-safe characters")
        kid, key = self._keys[0]
        return ref + kid + self._signature(key, Purpose(purpose), ref)

    def verify(self, purpose: Purpose, token: str) -> str:
        """The reference inside a valid token of ``purpose``.

        Raises BadToken for anything else; never another exception.
        """
        if not isinstance(token, str) or len(token) != TOKEN_LENGTH or not _ALPHABET.match(token):
            raise BadToken("malformed token")
        ref = token[:REF_LENGTH]
        kid = token[REF_LENGTH : REF_LENGTH + KID_LENGTH]
        signature = token[REF_LENGTH + KID_LENGTH :]
        for key_id, key in self._keys:
            if key_id == kid and hmac.compare_digest(
                signature, self._signature(key, Purpose(purpose), ref)
            ):
                return ref
        raise BadToken("invalid signature")
