"""API keys: random, shown once, stored as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets

__all__ = ["hash_api_key", "new_api_key"]

PREFIX = "cnd_"


def new_api_key() -> str:
    """A fresh key with 192 bits of randomness and a recognisable prefix."""
    return PREFIX + secrets.token_urlsafe(24)


def hash_api_key(key: str) -> str:
    """The stored form. Keys are random, so a fast hash is enough and lookups stay O(1)."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
