"""The client behind a trusted proxy: uvicorn's rules, decided without parsing each hit."""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from service.proxies import ForwardedHeadersMiddleware, TrustedProxies


def _scope(peer: str | None, *headers: tuple[str, str]) -> dict[str, Any]:
    return {
        "type": "http",
        "scheme": "http",
        "client": None if peer is None else (peer, 50000),
        "headers": [(name.encode(), value.encode()) for name, value in headers],
    }


def _resolved(trusted: str, peer: str | None, *headers: tuple[str, str]) -> dict[str, Any]:
    scope = _scope(peer, *headers)
    TrustedProxies(trusted.split(",")).resolve(scope)
    return scope


class TestWhoTheClientIs:
    def test_an_untrusted_peer_cannot_name_another_client(self) -> None:
        scope = _resolved("127.0.0.1", "198.51.100.9", ("x-forwarded-for", "203.0.113.7"))
        assert scope["client"] == ("198.51.100.9", 50000)

    def test_a_trusted_proxy_names_the_client(self) -> None:
        scope = _resolved("127.0.0.1", "127.0.0.1", ("x-forwarded-for", "203.0.113.7"))
        assert scope["client"] == ("203.0.113.7", 0)

    def test_the_rightmost_untrusted_address_is_the_client(self) -> None:
        chain = "198.51.100.1, 203.0.113.7, 10.0.0.2"  # the first may be forged by the client
        scope = _resolved("127.0.0.1,10.0.0.0/8", "127.0.0.1", ("x-forwarded-for", chain))
        assert scope["client"] == ("203.0.113.7", 0)

    def test_when_every_address_is_a_proxy_the_leftmost_is_the_client(self) -> None:
        scope = _resolved(
            "127.0.0.1,10.0.0.0/8", "127.0.0.1", ("x-forwarded-for", "10.1.1.1, 10.2.2.2")
        )
        assert scope["client"] == ("10.1.1.1", 0)

    def test_a_star_trusts_every_peer_and_takes_the_leftmost(self) -> None:
        scope = _resolved("*", "198.51.100.9", ("x-forwarded-for", "203.0.113.7, 10.0.0.2"))
        assert scope["client"] == ("203.0.113.7", 0)

    def test_ipv6_proxies_and_bracketed_ports(self) -> None:
        scope = _resolved("::1", "::1", ("x-forwarded-for", "[2001:db8::1]:443"))
        assert scope["client"] == ("2001:db8::1", 443)

    def test_a_network_of_proxies_is_matched_by_value_not_spelling(self) -> None:
        scope = _resolved("fd00::/8", "fd00:0:0::5", ("x-forwarded-for", "203.0.113.7"))
        assert scope["client"] == ("203.0.113.7", 0)

    def test_an_empty_header_names_nobody(self) -> None:
        scope = _resolved("127.0.0.1", "127.0.0.1", ("x-forwarded-for", ""))
        assert scope["client"] == ("127.0.0.1", 50000)

    def test_the_scheme_comes_from_a_trusted_proxy_and_only_http_or_https(self) -> None:
        assert (
            _resolved("127.0.0.1", "127.0.0.1", ("x-forwarded-proto", "https"))["scheme"] == "https"
        )
        assert (
            _resolved("127.0.0.1", "127.0.0.1", ("x-forwarded-proto", "gopher"))["scheme"] == "http"
        )
        assert (
            _resolved("127.0.0.1", "192.0.2.1", ("x-forwarded-proto", "https"))["scheme"] == "http"
        )

    def test_no_peer_address_changes_nothing(self) -> None:
        assert _resolved("127.0.0.1", None, ("x-forwarded-for", "203.0.113.7"))["client"] is None


# uvicorn's own middleware is the reference these rules were taken from.
ADDRESSES = [
    "127.0.0.1",
    "10.0.0.2",
    "10.9.8.7",
    "203.0.113.7",
    "198.51.100.1",
    "0.0.0.0",
    "255.255.255.255",
    "010.0.0.2",
    "1.2.3",
    "::1",
    "fd00::5",
    "2001:db8::1",
    "[2001:db8::1]:8080",
    "[::1]",
    "203.0.113.7:1234",
    "10.0.0.2:99999",
    "unknown",
    "unix:/run/proxy.sock",
    "",
    " 203.0.113.7 ",
    "[::1]x",
    "::ffff:10.0.0.2",
]
TRUSTED = ["127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8", "*", "10.0.0.2", "bogus/99", "unknown"]


def _after(middleware_factory: Any, scope: dict[str, Any]) -> tuple[Any, Any]:
    seen: dict[str, Any] = {}

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        seen.update(scope)

    asyncio.run(middleware_factory(app)(scope, None, None))
    return seen["client"], seen["scheme"]


@given(
    trusted=st.lists(st.sampled_from(TRUSTED), min_size=1, max_size=3),
    peer=st.sampled_from(ADDRESSES),
    chain=st.lists(st.sampled_from(ADDRESSES), min_size=0, max_size=4),
    proto=st.sampled_from([None, "https", "http", "ws", "nonsense"]),
)
def test_the_same_client_as_uvicorn_would_find(
    trusted: list[str], peer: str, chain: list[str], proto: str | None
) -> None:
    headers = [("x-forwarded-for", ", ".join(chain))] if chain else []
    if proto is not None:
        headers.append(("x-forwarded-proto", proto))
    ours = _after(
        lambda app: ForwardedHeadersMiddleware(app, TrustedProxies(trusted)), _scope(peer, *headers)
    )
    theirs = _after(
        lambda app: ProxyHeadersMiddleware(app, trusted_hosts=trusted), _scope(peer, *headers)
    )
    if proto == "ws":  # uvicorn takes ws(s) for websockets; Candor serves none
        theirs = (theirs[0], ours[1])
    assert ours == theirs
