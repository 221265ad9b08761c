"""Email instrumentation rewrites exactly the trackable hrefs and nothing else."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pixel.instrument import (
    footer_only,
    instrument_email,
    instrument_text,
    schemeless_addresses,
)

PIXEL = "https://c.test/o/PIXEL.gif"


def tracker() -> tuple[list[str], object]:
    calls: list[str] = []

    def track(destination: str) -> str:
        calls.append(destination)
        return f"https://c.test/c/T{len(calls)}"

    return calls, track


def run(html: str, text: str | None = None, **options: object) -> tuple[object, list[str]]:
    calls, track = tracker()
    result = instrument_email(html, text, track=track, pixel_url=PIXEL, **options)  # type: ignore[arg-type]
    return result, calls


class TestLinkRewriting:
    def test_an_http_link_is_rewritten_and_every_other_byte_kept(self) -> None:
        html = '<p>Hi <a class="x" href="https://example.com/a" data-y=\'1\'>there</a></p>'
        result, calls = run(html)
        assert result.html.startswith(
            '<p>Hi <a class="x" href="https://c.test/c/T1" data-y=\'1\'>there</a></p>'
        )
        assert calls == ["https://example.com/a"]

    def test_uppercase_tags_and_attributes_are_links_too(self) -> None:
        result, _ = run('<A HREF="https://example.com/a">x</A>')
        assert result.html.startswith('<A HREF="https://c.test/c/T1">x</A>')

    def test_entities_are_decoded_for_the_destination_and_escaped_in_the_output(self) -> None:
        result, calls = run('<a href="https://example.com/p?a=1&amp;b=2">x</a> &copy; &amp;')
        assert calls == ["https://example.com/p?a=1&b=2"]
        assert "&copy; &amp;" in result.html

    def test_the_tracked_url_is_escaped_inside_the_attribute(self) -> None:
        html = '<a href="https://example.com/">x</a>'
        result = instrument_email(
            html, None, track=lambda d: 'https://c.test/c?a=1&b="2"', pixel_url=PIXEL
        )
        assert 'href="https://c.test/c?a=1&amp;b=&quot;2&quot;"' in result.html

    def test_single_quoted_and_unquoted_values_are_rewritten(self) -> None:
        result, calls = run("<a href='https://e.com/1'>1</a><a href=https://e.com/2 id=x>2</a>")
        assert "<a href='https://c.test/c/T1'>1</a>" in result.html
        assert '<a href="https://c.test/c/T2" id=x>2</a>' in result.html
        assert calls == ["https://e.com/1", "https://e.com/2"]

    def test_nested_tags_inside_a_link_are_kept(self) -> None:
        result, _ = run('<a href="https://e.com/"><span><b>bold</b> <img src="x.png"></span></a>')
        assert (
            '<a href="https://c.test/c/T1"><span><b>bold</b> <img src="x.png"></span></a>'
            in result.html
        )

    def test_non_http_links_are_left_byte_for_byte(self) -> None:
        html = (
            '<a href="mailto:a@b.c">m</a><a href="tel:+1">t</a><a href="#top">a</a>'
            '<a href="javascript:go()">j</a><a href="/rel">r</a><a name="x">n</a>'
        )
        result, calls = run(html)
        assert result.html.startswith(html)
        assert calls == []

    def test_the_same_destination_is_tracked_once(self) -> None:
        result, calls = run('<a href="https://e.com/">1</a><a href="https://e.com/">2</a>')
        assert calls == ["https://e.com/"]
        assert result.destinations == ["https://e.com/"]
        assert result.html.count("https://c.test/c/T1") == 2

    def test_links_inside_comments_scripts_and_styles_are_untouched(self) -> None:
        html = (
            '<!-- <a href="https://e.com/c">c</a> -->'
            "<script>var a = '<a href=\"https://e.com/s\">';</script>"
            '<style>a[href="https://e.com/y"] {}</style>'
        )
        result, calls = run(html)
        assert result.html.startswith(html)
        assert calls == []

    def test_links_inside_raw_text_elements_are_untouched(self) -> None:
        html = (
            "<title><a href='https://e.com/t'>t</a></title>"
            '<textarea><a href="https://e.com/x">x</a></textarea>'
            '<a href="https://e.com/real">real</a>'
        )
        result, calls = run(html)
        assert calls == ["https://e.com/real"]
        assert result.html.startswith(html.replace("https://e.com/real", "https://c.test/c/T1"))

    def test_area_tags_are_links(self) -> None:
        _, calls = run('<map><area shape="rect" href="https://e.com/m"></map>')
        assert calls == ["https://e.com/m"]

    def test_the_first_of_two_hrefs_wins_as_in_browsers(self) -> None:
        result, calls = run('<a href="https://e.com/1" href="https://e.com/2">x</a>')
        assert calls == ["https://e.com/1"]
        assert 'href="https://e.com/2"' in result.html

    def test_crlf_documents_keep_their_offsets(self) -> None:
        html = '<html>\r\n<body>\r\n<a href="https://e.com/">x</a>\r\n</body>\r\n</html>'
        result, _ = run(html)
        assert '<a href="https://c.test/c/T1">x</a>' in result.html
        assert result.html.endswith("</body>\r\n</html>")


class TestPixelFooterHoneypot:
    def test_the_pixel_goes_once_right_before_the_closing_body(self) -> None:
        result, _ = run("<html><BODY><p>x</p></BODY></html>")
        assert result.html.endswith(
            f'{PIXEL}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px" /></BODY></html>'
        )
        assert result.html.count(PIXEL) == 1

    def test_without_a_body_the_pixel_is_appended(self) -> None:
        result, _ = run("<p>fragment</p>")
        assert result.html.startswith("<p>fragment</p><img")

    def test_footer_and_honeypot_come_before_the_pixel_untracked(self) -> None:
        footer = '<p><a href="https://c.test/p/PAGE">what is recorded</a></p>'
        result, calls = run(
            "<body>x</body>", footer_html=footer, honeypot_url="https://c.test/c/HONEY"
        )
        html = result.html
        assert html.index(footer) < html.index("HONEY") < html.index(PIXEL) < html.index("</body>")
        assert (
            'style="display:none!important;mso-hide:all" aria-hidden="true" tabindex="-1"' in html
        )
        assert calls == []

    def test_a_footer_made_from_what_was_tracked_sees_the_links_of_both_parts(self) -> None:
        # The footer says whether clicks are recorded: a link in the text part alone
        # counts, and so does none at all, in one pass over the email.
        seen: list[list[str]] = []

        def footer(found: list[str]) -> str:
            seen.append(list(found))
            return f"<p>clicks: {bool(found)}</p>"

        result, calls = run(
            "<body>no links</body>",
            "See https://e.com/a",
            footer_html=footer,
            footer_text=lambda found: f"clicks: {bool(found)}",
        )
        assert seen == [["https://e.com/a"]] and calls == ["https://e.com/a"]
        assert "<p>clicks: True</p>" in result.html
        assert result.text.endswith("clicks: True\n")
        quiet, _ = run("<body>no links</body>", "No links", footer_html=footer)
        assert "<p>clicks: False</p>" in quiet.html

    def test_malformed_html_never_raises(self) -> None:
        for html in (
            "<a href=",
            "<a href='https://e.com/",
            "</body><<<>>",
            "<![CDATA[",
            "<a\x00 href=x>",
        ):
            result, _ = run(html)
            assert PIXEL in result.html


class TestTextPart:
    def test_bare_urls_are_tracked_and_trailing_punctuation_kept(self) -> None:
        result, calls = run(
            "<p/>", "See https://e.com/a. Or (https://e.com/b), or https://e.com/w_(x)."
        )
        assert (
            result.text
            == "See https://c.test/c/T1. Or (https://c.test/c/T2), or https://c.test/c/T3."
        )
        assert calls == ["https://e.com/a", "https://e.com/b", "https://e.com/w_(x)"]

    def test_links_shared_by_both_parts_are_one_destination(self) -> None:
        result, calls = run('<a href="https://e.com/a">a</a>', "https://e.com/a")
        assert calls == ["https://e.com/a"] and result.text == "https://c.test/c/T1"

    def test_the_text_footer_is_appended(self) -> None:
        result, _ = run("<p/>", "Hello", footer_text="Notice: https://c.test/p/X")
        assert result.text == "Hello\n\nNotice: https://c.test/p/X\n"

    def test_a_crlf_text_part_gets_a_crlf_footer(self) -> None:
        result, _ = run("<p/>", "Hello\r\n", footer_text="Notice")
        assert result.text == "Hello\r\n\r\nNotice\r\n"

    def test_a_url_glued_to_another_scheme_is_not_a_link(self) -> None:
        result, calls = run("<p/>", "pip install git+https://e.com/repo")
        assert calls == [] and result.text == "pip install git+https://e.com/repo"

    def test_no_text_part_stays_none(self) -> None:
        result, _ = run("<p/>")
        assert result.text is None

    def test_an_address_without_its_scheme_is_left_as_written_and_named(self) -> None:
        text = "See www.e.com/pricing. Or (WWW.e.co.uk), www.e.com/pricing again."
        result, calls = run("<p/>", text)
        assert calls == [] and result.text == text
        assert schemeless_addresses(text) == ["www.e.com/pricing", "WWW.e.co.uk"]

    def test_a_full_url_an_email_address_or_a_bare_www_is_no_schemeless_address(self) -> None:
        assert schemeless_addresses("https://www.e.com/a mail@www.e.com the www. prefix") == []


class TestTextOnlyEmails:
    def test_bare_http_urls_are_tracked_and_nothing_else_is_added(self) -> None:
        calls, track = tracker()
        result = instrument_text(
            "Hi, see https://e.com/pricing?plan=team. Or call tel:123.",
            track=track,  # type: ignore[arg-type]
        )
        assert result.text == "Hi, see https://c.test/c/T1. Or call tel:123."
        assert calls == result.destinations == ["https://e.com/pricing?plan=team"]
        assert "/o/" not in result.text

    def test_unsafe_or_relative_urls_are_left_as_written(self) -> None:
        calls, track = tracker()
        text = "javascript:alert(1) //e.com/x https://bank.example@evil.example/ mailto:a@b.c"
        result = instrument_text(text, track=track)  # type: ignore[arg-type]
        assert result.text == text and calls == []

    def test_the_same_destination_is_tracked_once(self) -> None:
        calls, track = tracker()
        result = instrument_text("https://E.com/a and https://e.com/a", track=track)  # type: ignore[arg-type]
        assert calls == ["https://e.com/a"]
        assert result.text == "https://c.test/c/T1 and https://c.test/c/T1"

    def test_a_footer_made_from_what_was_tracked_names_the_links_found(self) -> None:
        calls, track = tracker()
        result = instrument_text(
            "Hello https://e.com/a",
            track=track,  # type: ignore[arg-type]
            footer_text=lambda found: f"{len(found)} tracked",
        )
        assert result.text.rstrip().endswith("1 tracked") and calls == ["https://e.com/a"]

    def test_the_footer_is_appended_as_text_and_never_tracked(self) -> None:
        calls, track = tracker()
        result = instrument_text(
            "Hello https://e.com/a",
            track=track,
            footer_text="Notice: https://c.test/p/X",  # type: ignore[arg-type]
        )
        assert result.text == "Hello https://c.test/c/T1\n\nNotice: https://c.test/p/X\n"
        assert calls == ["https://e.com/a"]


class TestAnyInput:
    @settings(max_examples=200, deadline=None)
    @given(st.text(alphabet=st.characters(blacklist_characters=":"), max_size=300))
    def test_a_document_without_links_only_gains_the_pixel(self, html: str) -> None:
        result, calls = run(html)
        assert calls == []
        pixel_at = result.html.index('<img src="https://c.test/o/PIXEL.gif"')
        end = result.html.index("/>", pixel_at) + 2
        assert result.html[:pixel_at] + result.html[end:] == html


class TestFooterOnly:
    def test_the_footer_goes_before_the_body_end_and_nothing_is_tracked(self) -> None:
        html = '<body><a href="https://example.com/x">x</a></body>'
        new_html, new_text = footer_only(
            html, "See https://example.com/x", footer_html="<p>F</p>", footer_text="Footer"
        )
        assert new_html == '<body><a href="https://example.com/x">x</a><p>F</p></body>'
        assert new_text == "See https://example.com/x\n\nFooter\n"

    def test_a_missing_part_stays_missing_and_no_footer_changes_nothing(self) -> None:
        assert footer_only(None, "t", footer_text="F") == (None, "t\n\nF\n")
        assert footer_only("<p>a</p>", None) == ("<p>a</p>", None)
        assert footer_only("<p>a</p>", None, footer_html="<p>F</p>") == ("<p>a</p><p>F</p>", None)
