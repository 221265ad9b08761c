"""Signed, opaque tokens for the public tracking addresses.

A token names a random reference (never a row id: Mautic's CVE-2018-10189 let anyone
add one to an id and become the next contact) and proves that Candor minted it for one
purpose. It carries no personal data and no destination: the server maps the reference
to what it stands for, so a token can never be edited into an open redirect. Layout,
all URL-safe (``A-Z a-z 0-9 - _``), 40 characters::

    <ref: 16 chars><key id: 2 chars><signature: 22 chars>

The signature is HMAC-SHA256 keyed with a signing key over a per-purpose salt and the
reference (``candor-token:<purpose>:<ref>``), truncated to 128 bits, base64url without
padding, compared in constant time. The reference has a fixed length and alphabet, so
salt and reference can never be confused with another pair.

Keys rotate as in itsdangerous: the first key signs, every key verifies. The key id is
derived from the key itself (two characters of a hash), so rotation needs no extra
configuration; when two keys share an id, each of them is tried.

Verification checks length and alphabet before any HMAC work, and raises only
``BadToken`` for anything a client can send. A signer remembers the tokens it has
found valid (a bounded set per purpose): the same pixel is fetched on every open of a
message, and its keys cannot change under it, so the HMAC is computed once.
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
SIG_LENGTH = 22  # 16 bytes of HMAC-SHA256 as base64url, without padding
TOKEN_LENGTH = REF_LENGTH + KID_LENGTH + SIG_LENGTH

# fullmatch, not ``^…$``: ``$`` would accept a trailing newline.
_REF = re.compile(f"[A-Za-z0-9_-]{{{REF_LENGTH}}}")
_TOKEN = re.compile(f"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")


class Purpose(StrEnum):
    """What a token may be used for; a token of one purpose never verifies as another.

    ``OPEN`` names a message (the pixel), ``CLICK`` a link, ``PAGE`` a prospect's
    transparency page, ``RESUME`` the browser that opted a prospect out (a cookie).
    """

    OPEN = "o"
    CLICK = "c"
    PAGE = "p"
    RESUME = "r"


class BadToken(ValueError):
    """The token is malformed, tampered with, signed by an unknown key, or of another purpose.

    Deliberately says no more: the collector answers every bad token alike.
    """


def new_ref() -> str:
    """A fresh random reference: 16 URL-safe characters (96 bits from ``secrets``).

    The opaque id a token names; store it beside the row it stands for.
    """
    return secrets.token_urlsafe(12)


def generate_key() -> str:
    """A fresh signing key: 32 random bytes (256 bits) as URL-safe text."""
    return secrets.token_urlsafe(32)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _key_id(key: bytes) -> str:
    return _b64(hashlib.sha256(b"candor-key-id:" + key).digest())[:KID_LENGTH]


class _Key:
    """One signing key with its id and a keyed HMAC state per purpose, ready to copy."""

    __slots__ = ("kid", "salted")

    def __init__(self, key: str) -> None:
        raw = key.encode("utf-8")
        self.kid = _key_id(raw)
        self.salted = {
            purpose: hmac.new(raw, f"candor-token:{purpose.value}:".encode(), hashlib.sha256)
            for purpose in Purpose
        }

    def signature(self, purpose: Purpose, ref: str) -> str:
        mac = self.salted[purpose].copy()
        mac.update(ref.encode("ascii"))
        return _b64(mac.digest()[:16])

    def __repr__(self) -> str:  # never show key material in logs or tracebacks
        return f"<key {self.kid}>"


class TokenSigner:
    """Signs and verifies tokens with a list of keys, newest first.

    The first key signs; every key verifies, so a retired key stays listed (second or
    later) until the emails carrying its tokens no longer matter, then is removed.
    """

    def __init__(self, keys: Sequence[str], *, remember: int = 65536) -> None:
        """Prepare the keys; remember up to ``remember`` valid tokens per purpose.

        Raises ValueError when no key is given, when ``keys`` is a single string (a
        sequence of characters, almost certainly a mistake), or when a key is blank.
        """
        if isinstance(keys, str):
            raise ValueError("keys must be a list of keys, not one string")
        if not keys:
            raise ValueError("at least one signing key is required")
        if any(not isinstance(key, str) or not key.strip() for key in keys):
            raise ValueError("signing keys must be non-blank strings")
        self._keys = tuple(_Key(key) for key in keys)
        self._remember = remember
        self._valid: dict[Purpose, set[str]] = {purpose: set() for purpose in Purpose}

    def __repr__(self) -> str:
        return f"TokenSigner({len(self._keys)} keys)"

    def sign(self, purpose: Purpose, ref: str) -> str:
        """The token for ``ref`` and ``purpose``, signed with the newest key (40 chars).

        Raises ValueError for an unknown purpose, or a reference ``new_ref`` could not
        have made (not exactly 16 URL-safe characters).
        """
        purpose = Purpose(purpose)
        if not isinstance(ref, str) or not _REF.fullmatch(ref):
            raise ValueError("a reference is exactly 16 URL-safe characters")
        key = self._keys[0]
        return ref + key.kid + key.signature(purpose, ref)

    def verify(self, purpose: Purpose, token: str) -> str:
        """The reference inside ``token`` when it is a valid token of ``purpose``.

        Raises BadToken for anything else (wrong length or alphabet, unknown key,
        tampered, truncated, extended, another purpose), never another exception for
        what a client sends. Raises ValueError for an unknown ``purpose`` (a caller's
        bug, not a client's).
        """
        purpose = Purpose(purpose)
        if type(token) is not str:  # a subclass could redefine equality
            raise BadToken("malformed token")
        valid_tokens = self._valid[purpose]
        if token in valid_tokens:
            return token[:REF_LENGTH]
        if not _TOKEN.fullmatch(token):
            raise BadToken("malformed token")
        ref = token[:REF_LENGTH]
        kid = token[REF_LENGTH : REF_LENGTH + KID_LENGTH]
        signature = token[REF_LENGTH + KID_LENGTH :]
        valid = False
        for key in self._keys:  # ids may collide: try every key that carries this id
            if key.kid == kid and hmac.compare_digest(signature, key.signature(purpose, ref)):
                valid = True
                break
        if not valid:
            raise BadToken("invalid signature")
        if len(valid_tokens) >= self._remember:
            valid_tokens.clear()  # a new start beats tracking recency on the hot path
        valid_tokens.add(token)
        return ref
