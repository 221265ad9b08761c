"""Redirect targets, CSRF tokens and the console's paths."""

from __future__ import annotations

import pytest

from service.console.security import CsrfKeys, is_console_path, login_url, safe_next


class TestSafeNext:
    @pytest.mark.parametrize("target", ["/console", "/console/prospects/4?q=a", "/"])
    def test_a_path_of_this_site_is_kept(self, target: str) -> None:
        assert safe_next(target) == target

    @pytest.mark.parametrize(
        "target",
        [
            None,
            "",
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "/console\r\nSet-Cookie: x=1",
            "javascript:alert(1)",
            "/login",
            "/logout",
        ],
    )
    def test_anything_else_falls_back_to_the_console(self, target: str | None) -> None:
        assert safe_next(target) == "/console"

    def test_the_login_url_keeps_the_query_escaped(self) -> None:
        assert login_url("/console/audit", "actor=2&page=3") == (
            "/login?next=/console/audit%3Factor%3D2%26page%3D3"
        )


class TestCsrfKeys:
    def test_a_token_is_bound_to_its_session_and_purpose(self) -> None:
        keys = CsrfKeys(lambda: "signing-key")
        token = keys.for_session("session-a")
        assert CsrfKeys.same(token, keys.for_session("session-a"))
        assert not CsrfKeys.same(token, keys.for_session("session-b"))
        assert not CsrfKeys.same(token, keys.for_login("session-a"))
        assert not CsrfKeys.same(token, CsrfKeys(lambda: "another-key").for_session("session-a"))

    @pytest.mark.parametrize("given", [None, "", 123, ["x"]])
    def test_anything_but_a_string_is_refused(self, given: object) -> None:
        assert not CsrfKeys.same("expected", given)


def test_console_paths_are_the_pages_and_not_the_api() -> None:
    assert all(is_console_path(p) for p in ("/", "/console", "/console/x", "/login", "/invite/t"))
    assert not any(is_console_path(p) for p in ("/api/me", "/consoles", "/o/x.gif", "/loginx"))
