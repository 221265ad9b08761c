"""Who the client is when Candor runs behind a proxy: ``X-Forwarded-For``, read once.

Only a peer listed in ``CANDOR_FORWARDED_ALLOW_IPS`` may name the client; the client is
then the rightmost address in ``X-Forwarded-For`` that is not itself a trusted proxy
(each proxy appends the address it heard from), or the leftmost one when every address
is trusted. These are uvicorn's rules; Candor applies them itself because the collector
reads the client address on every hit, and a new client address costs uvicorn a full
``ipaddress`` parse. Here a canonical dotted-quad address, nearly every hit, is decided
by a string and integer comparison.

``candor serve`` turns uvicorn's own pass off, so the address is resolved in one place.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from pixel.classify import ipv4_value

__all__ = ["ForwardedHeadersMiddleware", "TrustedProxies"]

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]

_SCHEMES = frozenset({"http", "https"})


def _host_port(value: str) -> tuple[str, int]:
    """One ``X-Forwarded-For`` entry as (host, port); port 0 when none is given.

    ``[v6]:port`` and ``v4:port`` lose their port; anything unusual is kept whole, so a
    trust check never sees a silently normalised value.
    """
    if value.startswith("["):
        host, bracket, rest = value[1:].partition("]")
        if not bracket:
            return value, 0
        if not rest:
            return host, 0
        if not rest.startswith(":"):
            return value, 0
        return host, int(rest[1:]) if rest[1:].isdigit() else 0
    if value.count(":") == 1:
        host, port = value.split(":")
        return (host, int(port)) if port.isdigit() else (value, 0)
    return value, 0


class TrustedProxies:
    """The configured proxies: addresses, networks, other literals; or ``*`` alone, for all."""

    def __init__(self, entries: Iterable[str]) -> None:
        entries = [entry.strip() for entry in entries if entry.strip()]
        self.everyone = entries == ["*"]  # as uvicorn: "*" alone, not within a list
        self._literals: set[str] = set()
        self._addresses: set[ipaddress.IPv4Address | ipaddress.IPv6Address] = set()
        self._networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in entries:
            try:
                if "/" in entry:
                    self._networks.append(ipaddress.ip_network(entry, strict=False))
                else:
                    self._addresses.add(ipaddress.ip_address(entry))
            except ValueError:
                self._literals.add(entry)  # a Unix socket path, a host name
        # Canonical dotted quads are compared as strings and integers, never parsed.
        self._v4_strings = {str(a) for a in self._addresses if a.version == 4}
        self._v4_networks = [
            (int(n.network_address), int(n.netmask)) for n in self._networks if n.version == 4
        ]

    def __contains__(self, host: str | None) -> bool:
        if self.everyone:
            return True
        if not host:
            return False
        if host in self._v4_strings:  # the proxy itself, every hit: no parse
            return True
        value = ipv4_value(host)
        if value is not None:
            return any(value & mask == network for network, mask in self._v4_networks)
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return host in self._literals
        return address in self._addresses or any(address in net for net in self._networks)

    def client(self, forwarded_for: str) -> tuple[str, int]:
        """The client named by a trusted peer's ``X-Forwarded-For`` (all values joined)."""
        hosts = [entry.strip() for entry in forwarded_for.split(",")]
        if not self.everyone:
            for entry in reversed(hosts):
                host, port = _host_port(entry)
                if host not in self:
                    return host, port
        return _host_port(hosts[0])

    def resolve(self, scope: Scope) -> None:
        """Point ``scope["client"]`` (and the scheme) at the client a trusted peer names."""
        peer = scope.get("client")
        if peer is None or peer[0] not in self:
            return
        forwarded: list[bytes] = []
        for name, value in scope["headers"]:
            if name == b"x-forwarded-for":
                forwarded.append(value)
            elif name == b"x-forwarded-proto":
                scheme = value.decode("latin-1").strip()
                if scheme in _SCHEMES:
                    scope["scheme"] = scheme
        if forwarded:
            host, port = self.client(b", ".join(forwarded).decode("latin-1"))
            if host:  # an empty header names nobody
                scope["client"] = (host, port)


class ForwardedHeadersMiddleware:
    """ASGI middleware applying :meth:`TrustedProxies.resolve` to every HTTP request."""

    def __init__(self, app: ASGIApp, proxies: TrustedProxies) -> None:
        self.app = app
        self.proxies = proxies

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.proxies.resolve(scope)
        await self.app(scope, receive, send)
