"""What the sign-in throttle counts a failure against: a keyed digest of the address."""

from __future__ import annotations

from service.auth.throttle import ClientDigests

DIGESTS = ClientDigests(lambda: "a signing key of sixteen characters or more")


class TestClientDigests:
    def test_one_address_always_has_one_digest_and_two_have_two(self) -> None:
        assert DIGESTS.of("198.51.100.7") == DIGESTS.of("198.51.100.7")
        assert DIGESTS.of("198.51.100.7") != DIGESTS.of("198.51.100.8")

    def test_the_digest_is_keyed_so_a_list_of_addresses_does_not_reverse_it(self) -> None:
        other = ClientDigests(lambda: "another installation's signing key")
        assert other.of("198.51.100.7") != DIGESTS.of("198.51.100.7")

    def test_it_never_contains_the_address(self) -> None:
        digest = DIGESTS.of("198.51.100.7")
        assert len(digest) == 64 and "198" not in digest

    def test_an_ipv6_address_counts_by_its_slash_64(self) -> None:
        assert DIGESTS.of("2001:db8:1:2::1") == DIGESTS.of("2001:db8:1:2:ffff::9")
        assert DIGESTS.of("2001:db8:1:2::1") != DIGESTS.of("2001:db8:1:3::1")

    def test_an_ipv4_mapped_address_is_its_ipv4_address(self) -> None:
        assert DIGESTS.of("::ffff:198.51.100.7") == DIGESTS.of("198.51.100.7")

    def test_a_request_without_an_address_is_one_client(self) -> None:
        assert DIGESTS.of(None) == DIGESTS.of("")
        assert DIGESTS.of(None) != DIGESTS.of("198.51.100.7")
