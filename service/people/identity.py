"""Who a prospect record is about: a normalised email address and its keyed hash.

Normalisation is deliberately conservative: surrounding blanks go, the text is put in
Unicode NFC (so a composed and a decomposed "é" are one address) and lower-cased.
Nothing else is folded. Dots and ``+tags`` in the local part mean different mailboxes
at most providers (only some, such as Gmail, ignore them), and the local part is, by
the standard, the receiving server's to interpret: folding them would merge two people
into one, and then one person's erasure would delete another's records. Two spellings
of one mailbox stay two people instead, which errs on the side of asking again.

The hash is an HMAC-SHA256 keyed with this installation's ``address_key``
(``service.people.keys``): a plain hash of an email address is reversed by hashing a
list of addresses, a keyed one only by someone who also holds the key.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

__all__ = ["address_hash", "normalise_email"]


def normalise_email(address: str) -> str:
    """``address`` stripped, in Unicode NFC, and lower-cased; no dot or plus folding."""
    return unicodedata.normalize("NFC", address.strip()).lower()


def address_hash(key: str, normalised: str) -> str:
    """The hex HMAC-SHA256 of a normalised address under ``key``: 64 characters."""
    return hmac.new(key.encode("utf-8"), normalised.encode("utf-8"), hashlib.sha256).hexdigest()
