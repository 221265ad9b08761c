"""The evidence classifier: was this hit a machine, a bot, or a person?

Decided while the request is in hand (full address, user agent, headers), so that only
the verdict, its reasons and a truncated address need to be stored.

Classes, weakest first:

- ``machine``: a mail privacy proxy fetching images on *delivery*, read or not (Apple
  Mail Privacy Protection). Opens only. Never presented as a read.
- ``bot``: link scanners, crawlers, prefetchers, honeypot followers.
- ``human``: passed those checks.
- ``confirmed``: never produced here. The service upgrades a click to ``confirmed`` when a
  page view carrying the click's visitor id follows: a scanner fetches, a browser runs
  the page.

No single user-agent rule decides, because scanners spoof browsers and Gmail's image
proxy carries real opens. Signals vote with weights; ``bot`` needs a total of 2, and so
does ``machine``. Explicit machine acts decide alone: a ``HEAD`` request, a prefetch
header, and a hit on the hidden honeypot link (the SPEC: ``HEAD`` never records a
human event; no person can see the honeypot).

| signal | reason code | weight |
|---|---|---|
| HEAD request | ``head_request`` | decides bot |
| ``Purpose``/``Sec-Purpose``/``X-Moz``: prefetch, ``X-Purpose: preview`` | ``prefetch_header`` | decides bot |
| hidden honeypot link | ``honeypot_link`` | decides bot |
| known crawler or scanner user agent (crawlerdetect, plus a few security gateways) | ``crawler_user_agent`` | 2 |
| no user agent | ``no_user_agent`` | 2 |
| user agent no parser recognises as a browser or mail client | ``not_a_browser`` | 1 |
| click within 2 s of sending / within 10 s | ``clicked_within_2s_of_send`` / ``clicked_within_10s_of_send`` | 2 / 1 |
| every link of the message (2 or more) hit together / 3 or more hit together | ``all_links_at_once`` / ``many_links_at_once`` | 2 / 1 |
| click with no open of the message before it | ``click_without_open`` | 1 |
| open: user agent exactly ``Mozilla/5.0`` (Apple MPP) | ``apple_mpp_user_agent`` | machine 1 |
| open: address in Apple's proxy networks | ``apple_proxy_address`` | machine 1 |
| open within 60 s of sending | ``opened_within_60s_of_send`` | machine 1 |

Mail clients' own image fetchers (Gmail's ``GoogleImageProxy``, Yahoo's mail proxy,
Outlook) fetch when the message is opened, so on an open they are a real open (reason
``mail_image_proxy``), even though crawler lists name them.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Literal

from crawlerdetect import CrawlerDetect
from ua_parser import parse_user_agent

__all__ = [
    "APPLE_PROXY_NETWORKS",
    "Evidence",
    "Hit",
    "Verdict",
    "classify",
    "ipv4_value",
    "truncate_ip",
]

USER_AGENT_LIMIT = 512

# Apple's own network; Apple's published MPP egress list also names CDN partners' ranges,
# which an operator may add here.
APPLE_PROXY_NETWORKS = (ipaddress.ip_network("17.0.0.0/8"),)

# Image fetchers of mail clients: they fetch when the person opens the message.
_MAIL_IMAGE_PROXIES = re.compile(
    r"GoogleImageProxy|ggpht\.com|YahooMailProxy|Microsoft Office|Outlook", re.I
)
# Security gateways and HTTP libraries that crawler lists may miss.
_SCANNERS = re.compile(
    r"Barracuda|Mimecast|Proofpoint|IronPort|Bitdefender|TrendMicro|Trend Micro|Symantec|"
    r"Forcepoint|SafeLinks|python-requests|python-urllib|aiohttp|httpx|curl/|Wget|"
    r"Go-http-client|Java/|okhttp|HeadlessChrome|PhantomJS|libwww-perl",
    re.I,
)
_BOT_THRESHOLD = 2
_MACHINE_THRESHOLD = 2
_crawlers = CrawlerDetect()


class Evidence(StrEnum):
    """How much a hit says about a person, weakest first."""

    MACHINE = "machine"
    BOT = "bot"
    HUMAN = "human"
    CONFIRMED = "confirmed"


@dataclass(frozen=True)
class Hit:
    """What the collector knows about one request when it classifies it."""

    kind: Literal["open", "click", "visit"]
    method: str
    user_agent: str
    ip: str
    headers: Mapping[str, str]
    seconds_since_sent: float | None = None
    honeypot: bool = False
    links_hit_together: int = 0
    message_links: int = 0
    opened_before: bool = True


@dataclass(frozen=True)
class Verdict:
    """The evidence class and every reason seen, including the outvoted ones."""

    evidence: Evidence
    reasons: tuple[str, ...]


@lru_cache(maxsize=4096)
def _agent(user_agent: str) -> tuple[bool, bool, bool]:
    """(is a crawler or scanner, is a mail image proxy, is a known browser or mail client)."""
    crawler = bool(user_agent) and (
        _crawlers.isCrawler(user_agent) or bool(_SCANNERS.search(user_agent))
    )
    mail_proxy = bool(_MAIL_IMAGE_PROXIES.search(user_agent))
    parsed = parse_user_agent(user_agent) if user_agent else None
    known = parsed is not None and parsed.family not in ("Other", "")
    return crawler, mail_proxy, known


# Prefetch and preview hints, as a lower-cased mapping or the wire spells them. Most
# hits carry none, so presence is tested before anything is built.
_PREFETCH_HEADERS = ("purpose", "sec-purpose", "x-moz", "Purpose", "Sec-Purpose", "X-Moz")
_PREVIEW_HEADERS = ("x-purpose", "X-Purpose")


def _prefetch(headers: Mapping[str, str]) -> bool:
    """A prefetch (``Purpose``, ``Sec-Purpose``, ``X-Moz``) or a preview (``X-Purpose``)."""
    if any(name in headers for name in _PREFETCH_HEADERS):
        values = " ".join(headers[name] for name in _PREFETCH_HEADERS if name in headers)
        if "prefetch" in values.lower():
            return True
    return any(
        headers[name].strip().lower() == "preview" for name in _PREVIEW_HEADERS if name in headers
    )


# A dotted-quad IPv4 address in canonical form: no leading zeros, octets up to 255.
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_PLAIN_IPV4 = re.compile(rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}")


def ipv4_value(ip: str) -> int | None:
    """A canonical dotted-quad address as an integer, else None (the common case made
    cheap: one regular expression instead of ipaddress's parser)."""
    if not _PLAIN_IPV4.fullmatch(ip):
        return None
    a, b, c, d = ip.split(".")
    return (int(a) << 24) | (int(b) << 16) | (int(c) << 8) | int(d)


def _in_networks(
    ip: str, networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
) -> bool:
    value = ipv4_value(ip)
    if value is not None:
        return any(
            network.version == 4 and value & int(network.netmask) == int(network.network_address)
            for network in networks
        )
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


def classify(hit: Hit) -> Verdict:
    """The evidence class of one hit, with its reason codes (see the module docstring)."""
    agent = hit.user_agent[:USER_AGENT_LIMIT]
    decisive: list[str] = []
    if hit.method.upper() == "HEAD":
        decisive.append("head_request")
    if _prefetch(hit.headers):
        decisive.append("prefetch_header")
    if hit.honeypot:
        decisive.append("honeypot_link")
    if decisive:
        return Verdict(Evidence.BOT, tuple(decisive))

    if hit.kind == "open":
        machine = _machine_signals(hit, agent)
        if sum(weight for _, weight in machine) >= _MACHINE_THRESHOLD:
            return Verdict(Evidence.MACHINE, tuple(reason for reason, _ in machine))

    signals = _bot_signals(hit, agent)
    reasons = tuple(reason for reason, _ in signals)
    if sum(weight for _, weight in signals) >= _BOT_THRESHOLD:
        return Verdict(Evidence.BOT, reasons)
    if hit.kind == "open" and _agent(agent)[1]:
        reasons = (*reasons, "mail_image_proxy")
    return Verdict(Evidence.HUMAN, reasons)


def _machine_signals(hit: Hit, agent: str) -> list[tuple[str, int]]:
    signals = []
    if agent.strip() == "Mozilla/5.0":
        signals.append(("apple_mpp_user_agent", 1))
    if _in_networks(hit.ip, APPLE_PROXY_NETWORKS):
        signals.append(("apple_proxy_address", 1))
    if hit.seconds_since_sent is not None and 0 <= hit.seconds_since_sent <= 60:
        signals.append(("opened_within_60s_of_send", 1))
    return signals


def _bot_signals(hit: Hit, agent: str) -> list[tuple[str, int]]:
    crawler, mail_proxy, known = _agent(agent)
    signals: list[tuple[str, int]] = []
    if not agent.strip():
        signals.append(("no_user_agent", 2))
    elif crawler and not (hit.kind == "open" and mail_proxy):
        signals.append(("crawler_user_agent", 2))
    elif not known and not (hit.kind == "open" and mail_proxy) and agent.strip() != "Mozilla/5.0":
        signals.append(("not_a_browser", 1))
    if hit.kind == "click":
        since = hit.seconds_since_sent
        if since is not None and 0 <= since <= 2:
            signals.append(("clicked_within_2s_of_send", 2))
        elif since is not None and 0 <= since <= 10:
            signals.append(("clicked_within_10s_of_send", 1))
        if hit.links_hit_together >= 2 and hit.links_hit_together >= hit.message_links:
            signals.append(("all_links_at_once", 2))
        elif hit.links_hit_together >= 3:
            signals.append(("many_links_at_once", 1))
        if not hit.opened_before:
            signals.append(("click_without_open", 1))
    return signals


def truncate_ip(ip: str) -> str:
    """The network part kept at rest: IPv4 /24, IPv6 /48; "" for anything unparsable."""
    if _PLAIN_IPV4.fullmatch(ip):  # the common case, without ipaddress's parsing
        return ip[: ip.rindex(".")] + ".0"
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)
