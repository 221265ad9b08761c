"""Only absolute http(s) URLs with a plain host are tracked or redirected to."""

from __future__ import annotations

import pytest

from pixel.urls import safe_redirect_target, trackable_url


class TestTrackableUrl:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("https://example.com/pricing?a=1&b=2#top", "https://example.com/pricing?a=1&b=2#top"),
            ("  https://example.com/a\t", "https://example.com/a"),
            ("HTTPS://EXAMPLE.com/Path", "https://example.com/Path"),
            ("https://exämple.com/", "https://xn--exmple-cua.com/"),
            ("http://192.0.2.1:8080/x", "http://192.0.2.1:8080/x"),
            ("https://[2001:db8::1]/x", "https://[2001:db8::1]/x"),
            ("https://example.com.:0443/a", "https://example.com:443/a"),
            ("https://[2001:DB8:0::1]/", "https://[2001:db8::1]/"),
        ],
    )
    def test_absolute_http_urls_are_tracked_in_normal_form(self, raw: str, expected: str) -> None:
        assert trackable_url(raw) == expected

    @pytest.mark.parametrize(
        "raw",
        [
            "javascript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>x</script>",
            "vbscript:msgbox",
            "mailto:anna@example.com",
            "tel:+441234",
            "#anchor",
            "/relative/path",
            "//evil.example/x",
            "https:evil.example",
            "http:///x",
            "https://user:pass@evil.example/",
            "https://good.example@evil.example/",
            "https://evil.example\\@good.example/",
            "https://example.com/a\r\nSet-Cookie: x=1",
            "https://example.com/a b",
            "https://exa mple.com/",
            "https://example.com:99999/",
            "https://example.com:port/",
            "https://-bad-.example/",
            "https://999.1.1.1/",
            "ftp://example.com/file",
            "https:\\\\evil.example",
            "\x00https://example.com",
            "https://0x7f000001/",
            "https://1.2.3/",
            "https://017.0.0.1/",
            "https://exa\u200bmple.com/",
            "https://example.com/\u202egnp.exe",
            "https://[fe80::1%25eth0]/",
        ],
    )
    def test_anything_else_is_left_alone(self, raw: str) -> None:
        assert trackable_url(raw) is None

    def test_a_redirect_target_must_be_exactly_a_tracked_form(self) -> None:
        assert safe_redirect_target("https://example.com/a?b=1")
        assert not safe_redirect_target(" https://example.com/a")
        assert not safe_redirect_target("javascript:alert(1)")
        assert not safe_redirect_target("HTTPS://EXAMPLE.com/")
