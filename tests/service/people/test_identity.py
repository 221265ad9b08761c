"""Who a record is about: normalised addresses and their keyed hashes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from service.people.identity import address_hash, normalise_email


class TestNormalisation:
    def test_blanks_case_and_unicode_form_do_not_make_another_person(self) -> None:
        composed, decomposed = "ren\u00e9@example.com", "rene\u0301@example.com"
        assert normalise_email(" Anna@Example.COM\t") == "anna@example.com"
        assert normalise_email(composed) == normalise_email(decomposed.upper())

    def test_dots_and_plus_tags_are_kept_because_they_can_be_other_mailboxes(self) -> None:
        assert normalise_email("a.nna@example.com") != normalise_email("anna@example.com")
        assert normalise_email("anna+sales@example.com") != normalise_email("anna@example.com")

    @given(st.text(max_size=40))
    def test_normalising_twice_changes_nothing(self, address: str) -> None:
        once = normalise_email(address)
        assert normalise_email(once) == once


class TestAddressHash:
    def test_the_hash_is_hex_sha256_and_depends_on_the_key(self) -> None:
        one = address_hash("key-one", "anna@example.com")
        assert len(one) == 64 and int(one, 16) >= 0
        assert one == address_hash("key-one", "anna@example.com")
        assert one != address_hash("key-two", "anna@example.com")
        assert "anna" not in one
