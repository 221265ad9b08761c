"""The evidence classifier: signals vote; a machine open is never a read."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pixel.classify import APPLE_PROXY_NETWORKS, Evidence, Hit, classify, truncate_ip

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15"
APPLE_MAIL = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
)
OUTLOOK = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.4266; Pro)"
GMAIL_PROXY = (
    "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
)
RESIDENTIAL = "203.0.113.50"


def hit(kind: str = "click", **fields: Any) -> Hit:
    values: dict[str, Any] = {
        "kind": kind,
        "method": "GET",
        "user_agent": CHROME,
        "ip": RESIDENTIAL,
        "headers": {},
        "seconds_since_sent": 3600.0,
        "message_links": 3,
        "links_hit_together": 1,
    }
    values.update(fields)
    return Hit(**values)


class TestPeople:
    @pytest.mark.parametrize("agent", [CHROME, FIREFOX, SAFARI])
    def test_a_browser_click_an_hour_after_sending_is_human(self, agent: str) -> None:
        assert classify(hit(user_agent=agent)).evidence is Evidence.HUMAN

    @pytest.mark.parametrize("agent", [APPLE_MAIL, OUTLOOK, CHROME])
    def test_a_mail_client_open_is_human(self, agent: str) -> None:
        assert classify(hit("open", user_agent=agent)).evidence is Evidence.HUMAN

    def test_gmails_image_proxy_is_a_real_open(self) -> None:
        verdict = classify(hit("open", user_agent=GMAIL_PROXY, ip="66.249.84.10"))
        assert verdict.evidence is Evidence.HUMAN
        assert "mail_image_proxy" in verdict.reasons

    def test_one_weak_signal_is_outvoted_but_kept_as_a_reason(self) -> None:
        verdict = classify(hit(opened_before=False))
        assert verdict.evidence is Evidence.HUMAN
        assert verdict.reasons == ("click_without_open",)

    def test_classify_never_says_confirmed(self) -> None:
        assert all(
            classify(hit(kind)).evidence is not Evidence.CONFIRMED
            for kind in ("open", "click", "visit")
        )


class TestMachines:
    def test_apple_mail_privacy_protection_is_a_machine_open(self) -> None:
        verdict = classify(
            hit("open", user_agent="Mozilla/5.0", ip="17.58.101.4", seconds_since_sent=20)
        )
        assert verdict.evidence is Evidence.MACHINE
        assert {"apple_mpp_user_agent", "apple_proxy_address"} <= set(verdict.reasons)

    @pytest.mark.parametrize(
        ("ip", "apple"),
        [
            ("17.0.0.0", True),
            ("17.255.255.255", True),
            ("::ffff:17.58.101.4", True),
            ("16.255.255.255", False),
            ("18.0.0.1", False),
            ("017.58.101.4", False),
            ("2001:db8::17", False),
            ("not an address", False),
        ],
    )
    def test_apples_proxy_range_is_recognised_in_every_spelling(self, ip: str, apple: bool) -> None:
        verdict = classify(hit("open", user_agent="Mozilla/5.0", ip=ip, seconds_since_sent=20))
        assert ("apple_proxy_address" in verdict.reasons) is apple

    def test_the_bare_user_agent_alone_from_elsewhere_much_later_is_not_a_machine(self) -> None:
        verdict = classify(hit("open", user_agent="Mozilla/5.0", seconds_since_sent=86_400))
        assert verdict.evidence is Evidence.HUMAN

    def test_an_apple_address_fetching_on_delivery_is_a_machine_even_with_another_agent(
        self,
    ) -> None:
        verdict = classify(hit("open", user_agent=SAFARI, ip="17.1.2.3", seconds_since_sent=5))
        assert verdict.evidence is Evidence.MACHINE


class TestBots:
    def test_a_head_request_is_always_a_bot(self) -> None:
        assert classify(hit(method="HEAD")).reasons == ("head_request",)
        assert classify(hit("open", method="HEAD")).evidence is Evidence.BOT

    @pytest.mark.parametrize(
        "headers",
        [
            {"purpose": "prefetch"},
            {"sec-purpose": "prefetch;prerender"},
            {"x-moz": "prefetch"},
            {"Sec-Purpose": "Prefetch"},
            {"x-purpose": "preview"},
            {"X-Purpose": " Preview"},
        ],
    )
    def test_a_prefetch_or_preview_is_a_bot(self, headers: dict[str, str]) -> None:
        verdict = classify(hit(headers=headers))
        assert verdict.evidence is Evidence.BOT and verdict.reasons == ("prefetch_header",)

    @pytest.mark.parametrize(
        "headers",
        [{"sec-fetch-mode": "navigate"}, {"purpose": "print"}, {"x-purpose": "previews"}],
    )
    def test_other_purposes_are_no_prefetch(self, headers: dict[str, str]) -> None:
        assert "prefetch_header" not in classify(hit(headers=headers)).reasons

    def test_the_hidden_honeypot_link_is_a_bot(self) -> None:
        assert classify(hit(honeypot=True)).reasons == ("honeypot_link",)

    @pytest.mark.parametrize(
        "agent",
        [
            "Googlebot/2.1 (+http://www.google.com/bot.html)",
            "curl/8.5.0",
            "python-requests/2.32",
            "Barracuda Sentinel (EE)",
            "",
            OUTLOOK,
        ],
    )
    def test_a_crawler_or_scanner_agent_clicking_is_a_bot(self, agent: str) -> None:
        assert classify(hit(user_agent=agent)).evidence is Evidence.BOT

    def test_a_click_within_two_seconds_of_sending_is_a_bot(self) -> None:
        verdict = classify(hit(seconds_since_sent=1.0))
        assert verdict.evidence is Evidence.BOT and "clicked_within_2s_of_send" in verdict.reasons

    def test_a_click_within_ten_seconds_alone_is_outvoted(self) -> None:
        assert classify(hit(seconds_since_sent=8.0)).evidence is Evidence.HUMAN

    def test_two_weak_signals_together_make_a_bot(self) -> None:
        verdict = classify(hit(seconds_since_sent=8.0, opened_before=False))
        assert verdict.evidence is Evidence.BOT
        assert set(verdict.reasons) == {"clicked_within_10s_of_send", "click_without_open"}

    def test_every_link_of_a_message_at_once_is_a_bot_even_with_a_browser_agent(self) -> None:
        verdict = classify(hit(links_hit_together=3, message_links=3))
        assert verdict.evidence is Evidence.BOT and "all_links_at_once" in verdict.reasons

    def test_a_spoofed_browser_scanner_is_caught_by_its_timing(self) -> None:
        verdict = classify(hit(seconds_since_sent=0.8, links_hit_together=2, message_links=2))
        assert verdict.evidence is Evidence.BOT


class TestTruncateIp:
    @pytest.mark.parametrize(
        ("ip", "kept"),
        [
            ("198.51.100.123", "198.51.100.0"),
            ("2001:db8:abcd:12::1", "2001:db8:abcd::"),
            ("::ffff:198.51.100.7", "198.51.100.0"),
            ("not an ip", ""),
            ("", ""),
        ],
    )
    def test_only_the_network_part_is_kept(self, ip: str, kept: str) -> None:
        assert truncate_ip(ip) == kept


# Addresses as clients send them: canonical, with leading zeros, short, out of range, v6.
_OCTETS = st.one_of(
    st.integers(0, 255).map(str), st.sampled_from(["00", "01", "256", "999", "-1", ""])
)
_ADDRESSES = st.one_of(
    st.lists(_OCTETS, min_size=3, max_size=5).map(".".join),
    st.ip_addresses().map(str),
    st.ip_addresses(network="17.0.0.0/8").map(str),  # Apple's, and its edges
    st.ip_addresses(v=4).map(lambda a: f"::ffff:{a}"),
)


def _reference_in_apple(ip: str) -> bool:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in APPLE_PROXY_NETWORKS)


def _reference_truncation(ip: str) -> str:
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


@given(_ADDRESSES)
def test_the_fast_address_checks_agree_with_the_ipaddress_module(ip: str) -> None:
    assert truncate_ip(ip) == _reference_truncation(ip)
    apple = Hit(kind="open", method="GET", user_agent="Mozilla/5.0", ip=ip, headers={})
    assert ("apple_proxy_address" in classify(apple).reasons) == _reference_in_apple(ip)
