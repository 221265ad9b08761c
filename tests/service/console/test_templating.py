"""The console's Jinja environment: what a filter may add to client text, and what not."""

from __future__ import annotations

from service.console.templating import environment


class TestTheWbrFilter:
    def test_an_address_may_wrap_after_its_at_and_each_dot(self) -> None:
        page = environment.from_string("{{ email | wbr }}").render(email="anna.berg@acme.example")
        assert page == "anna.<wbr>berg@<wbr>acme.<wbr>example"

    def test_everything_the_client_sent_stays_escaped(self) -> None:
        hostile = "<img src=x onerror=\"alert(1)\">@evil.example & 'co'"
        page = environment.from_string("{{ name | wbr }}").render(name=hostile)
        assert "<img" not in page and 'onerror="' not in page
        assert page.replace("<wbr>", "") == (
            "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;@evil.example &amp; &#39;co&#39;"
        )
