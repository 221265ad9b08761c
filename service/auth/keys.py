"""API keys: random, shown once, stored as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets

__all__ = ["hash_api_key", "hash_token", "new_api_key", "new_token"]

PREFIX = "cnd_"


def new_api_key() -> str:
    """A fresh key with 192 bits of randomness and a recognisable prefix."""
    return PREFIX + secrets.token_urlsafe(24)


def hash_api_key(key: str) -> str:
    """The stored form. Keys are random, so a fast hash is enough and lookups stay O(1)."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> str:
    """A session or invitation token: 256 bits, URL-safe, no prefix (it is never typed)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of a session or invitation token (random, so SHA-256 suffices)."""
    return hash_api_key(token)
