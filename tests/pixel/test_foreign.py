"""What a rep's own HTML carries beyond Candor's footer and opt-out: removed or named."""

from __future__ import annotations

import html.parser
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from pixel.foreign import ForeignCheck, check_email, check_html, foreign_link

NOT_COVERED = "that Candor's footer and opt-out do not cover"


def kinds(html: str) -> list[str]:
    return [item.kind for item in check_html(html).found]


class TestTheStrangersEmail:
    BODY = (
        "<script>alert('x')</script><a href='javascript:alert(1)'>js</a> "
        "<img src='https://evil.example/track.gif'>"
    )

    def test_the_script_and_the_javascript_address_go_and_the_image_stays(self) -> None:
        assert check_html(self.BODY).html == "<a>js</a> <img src='https://evil.example/track.gif'>"

    def test_each_class_has_a_sentence_naming_the_host_as_text(self) -> None:
        assert check_html(self.BODY).notes() == [
            "Candor removed a script from this email: mail clients would not run it, and it "
            "could only do harm.",
            "Candor removed a javascript: address (the link keeps its words) from this email: "
            "mail clients would not run it, and it could only do harm.",
            "An image from evil.example that looks like a tracking pixel loads when the email "
            f"is opened: that site can see opens {NOT_COVERED}.",
        ]


class TestRemovedBecauseTheyCanOnlyHarm:
    def test_a_script_goes_with_its_content_and_every_other_byte_stays(self) -> None:
        html = '<p class=a>Hi&nbsp;<b>Anna</b></p>\r\n<SCRIPT type="x">if (a < b) {}</SCRIPT>\n<p>Bye</p>'
        assert check_html(html).html == "<p class=a>Hi&nbsp;<b>Anna</b></p>\r\n\n<p>Bye</p>"

    def test_an_unclosed_script_takes_the_rest_of_the_document_as_a_browser_reads_it(
        self,
    ) -> None:
        assert check_html("<p>Hi</p><script>x<p>never shown").html == "<p>Hi</p>"

    def test_event_handlers_go_and_the_other_attributes_stay_as_written(self) -> None:
        html = """<img src="https://cdn.example/logo.png" onerror='steal()' alt=Logo ONLOAD=x>"""
        result = check_html(html)
        assert result.html == '<img src="https://cdn.example/logo.png" alt=Logo>'
        assert "2 event-handler attributes (onerror and onload)" in result.notes()[0]

    def test_javascript_addresses_go_however_they_are_disguised(self) -> None:
        for href in (
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java&#x09;script:alert(1)",
            "&#106;avascript:alert(1)",
            "vbscript:msgbox(1)",
        ):
            assert check_html(f'<a href="{href}" title=t>words</a>').html == "<a title=t>words</a>"

    def test_of_two_hrefs_only_the_javascript_one_goes(self) -> None:
        html = '<a href="https://example.com/" href="javascript:x()">w</a>'
        assert check_html(html).html == '<a href="https://example.com/">w</a>'

    def test_frames_objects_and_embeds_go_with_their_content(self) -> None:
        html = (
            '<iframe src="https://x.example/"><b>inside</b></iframe>'
            "<object data=a.swf><param name=q><embed src=a.swf></object>"
            "<embed src=b.swf><p>kept</p>"
        )
        result = check_html(html)
        assert result.html == "<p>kept</p>"
        assert result.notes()[0].startswith(
            "Candor removed 3 embedded frames and objects (iframe, object and embed)"
        )

    def test_a_meta_refresh_goes_and_other_meta_tags_stay(self) -> None:
        html = '<meta charset="utf-8"><meta http-equiv="Refresh" content="0;url=https://x.example">'
        assert check_html(html).html == '<meta charset="utf-8">'

    def test_what_a_cut_joins_together_is_checked_again(self) -> None:
        result = check_html("<<script></script>script>alert(1)<</script>/script>")
        assert "<script" not in result.html.lower()

    def test_markup_in_comments_and_raw_text_is_not_markup_and_stays(self) -> None:
        html = (
            "<!--[if mso]><script>x</script><![endif]-->"
            "<textarea><script>y</script></textarea><title><iframe></title>"
        )
        assert check_html(html) == ForeignCheck(html=html, found=())


class TestKeptButNamed:
    def test_a_remote_image_is_named_by_its_host(self) -> None:
        result = check_html('<img src="https://cdn.example/logo.png" width="120" alt="Logo">')
        assert result.html == '<img src="https://cdn.example/logo.png" width="120" alt="Logo">'
        assert result.notes() == [
            "An image from cdn.example loads when the email is opened: that site can see "
            f"opens {NOT_COVERED}."
        ]

    def test_hidden_or_tiny_images_are_called_tracking_pixels(self) -> None:
        for img in (
            '<img src="https://t.example/o?id=7" width="1" height="1">',
            '<img src="https://t.example/o?id=7" style="display:none">',
            '<img src="https://t.example/o?id=7" style="width: 1px; height: 1px">',
            '<img src="https://t.example/o?id=7" hidden>',
            '<img src="https://t.example/e/pixel.gif">',
            '<img src="https://t.example/open/abc123">',
        ):
            assert kinds(img) == ["pixel"], img

    def test_ordinary_images_are_not_called_pixels(self) -> None:
        for img in (
            '<img src="https://cdn.example/open-house.jpg" width="100">',
            '<img src="https://cdn.example/team.png" style="width:100px;max-width:100%">',
        ):
            assert kinds(img) == ["image"], img

    def test_every_way_an_email_loads_a_remote_file_is_found(self) -> None:
        html = (
            '<style>@import "https://fonts.example/f.css"; '
            "p { background: url('//bg.example/a.png') }</style>"
            '<link rel="stylesheet" href="https://css.example/s.css">'
            '<link rel="canonical" href="https://example.com/">'
            '<img srcset="https://a.example/1x.png 1x, https://b.example/2x.png 2x">'
            '<td background="https://c.example/bg.jpg" style="background-image:url(https://d.example/x)">'
            '<img src="cid:logo"><img src="data:image/gif;base64,R0lGOD"><img src="/relative.png">'
        )
        hosts = [item.host for item in check_html(html).found]
        assert hosts == [
            "fonts.example",
            "bg.example",
            "css.example",
            "a.example",
            "b.example",
            "d.example",
            "c.example",
        ]

    def test_an_image_outlook_loads_from_a_conditional_comment_is_named_and_kept(
        self,
    ) -> None:
        html = (
            '<!--[if mso]><v:image src="https://vml.example/bg.png" /><![endif]-->'
            '<!-- an ordinary comment: <img src="https://nobody.example/x.png"> -->'
        )
        result = check_html(html)
        assert result.html == html
        assert [(item.kind, item.host) for item in result.found] == [("image", "vml.example")]

    def test_several_hosts_of_one_class_share_one_sentence(self) -> None:
        html = '<img src="https://a.example/x.png"><img src="https://b.example/y.png"><img src="https://a.example/z.png">'
        assert check_html(html).notes() == [
            "Images from a.example and b.example load when the email is opened: those sites "
            f"can see opens {NOT_COVERED}."
        ]

    def test_a_form_is_named_with_where_it_sends(self) -> None:
        result = check_html('<form action="https://forms.example/in"><input name=q></form>')
        assert result.notes() == [
            "A form in this email sends what is typed into it to forms.example: Candor's "
            "footer and opt-out do not cover that."
        ]

    def test_an_untracked_email_says_its_footer_would_not_be_true(self) -> None:
        notes = check_html('<img src="https://t.example/p.gif" width=1 height=1>').notes(
            untracked=True
        )
        assert notes[-1].startswith("The footer tells this person that nothing in this email")

    def test_an_untracked_email_with_nothing_foreign_has_no_notes(self) -> None:
        assert check_html("<p>Hello</p>").notes(untracked=True) == []


class TestOtherServicesLinks:
    def test_shorteners_redirects_and_mail_services_trackers_are_named(self) -> None:
        for url, host in (
            ("https://bit.ly/3abcDEF", "bit.ly"),
            ("https://r.example/out?url=https%3A%2F%2Fexample.com%2Fpricing", "r.example"),
            ("https://www.google.com/url?q=https://example.com/&sa=D", "www.google.com"),
            (
                "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fexample.com",
                "eur01.safelinks.protection.outlook.com",
            ),
            ("https://acme.us1.list-manage.com/track/click?u=1&id=2", "acme.us1.list-manage.com"),
            ("https://u123.ct.sendgrid.net/ls/click?upn=abc", "u123.ct.sendgrid.net"),
            ("https://url9.acme.example/ls/click?upn=abc", "url9.acme.example"),
            ("https://click.acme.example/?qs=abc", "click.acme.example"),
        ):
            assert foreign_link(url) == host, url

    def test_ordinary_links_are_not(self) -> None:
        for url in (
            "https://example.com/pricing?plan=team&seats=5",
            "https://example.com/pricing?utm_source=email&utm_campaign=q4",
            "https://example.com/search?q=privacy+policy",
            "https://example.com/login?next=/account",
            "https://www.example.com/login?next=https://example.com/account",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://calendly.com/rita/30min",
            "https://track.dhl.example/parcel/123",
            "mailto:rita@example.com",
        ):
            assert foreign_link(url) is None, url

    def test_a_tracked_link_is_kept_and_named(self) -> None:
        result = check_html('<a href="https://bit.ly/x">offer</a>')
        assert result.html == '<a href="https://bit.ly/x">offer</a>'
        assert result.notes() == [
            "A link goes through bit.ly (another service's click tracker, redirect or link "
            f"shortener): it sees clicks {NOT_COVERED}."
        ]

    def test_the_text_part_links_are_checked_and_the_text_never_changed(self) -> None:
        result = check_email(None, "Book here: https://bit.ly/x. Or https://example.com/a.")
        assert result.html == ""
        assert [(item.kind, item.host) for item in result.found] == [("tracked_link", "bit.ly")]


# Pieces of email and what the check makes of each, on its own and among others.
SAFE = [
    "<p>Hello Anna,</p>",
    "<b>bold</b> &amp; <i>it&eacute;</i>",
    '<a href="https://example.com/pricing?plan=team">pricing</a>',
    '<img src="https://cdn.example/logo.png" alt="Logo">',
    "<!-- a comment <script>x</script> -->",
    "<table><tr><td style='color:red'>cell</td></tr></table>",
    "\r\n",
    "<br/>",
    "text with a > sign",
]
HARMFUL = [
    ("<script>alert(1)</script>", ""),
    ("<iframe src='https://x.example/'>no</iframe>", ""),
    ("<embed src=a.swf>", ""),
    ('<meta http-equiv="refresh" content="0">', ""),
    ('<a href="javascript:go()">words</a>', "<a>words</a>"),
    ("<img src=x onerror=alert(1) alt=y>", "<img src=x alt=y>"),
    ('<div onclick="a()" class="c">d</div>', '<div class="c">d</div>'),
]


class _Markup(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed") or any(
            name.startswith("on")
            or (name in ("href", "src") and (value or "").strip().lower().startswith("javascript:"))
            for name, value in attrs
        ):
            self.bad.append(tag)


class TestLargeHostileInput:
    """Read in one pass: a rescan per unclosed ``url(`` or ``/*`` would take minutes here."""

    def test_unclosed_css_constructs_and_nested_objects_take_moments(self) -> None:
        for document in (
            "<p style='" + "url(" * 50_000 + "'>",
            "<style>" + "url(" * 50_000 + ")" + '@import "' * 50_000 + "/*" * 50_000,
            "<object>" * 20_000,
        ):
            started = time.perf_counter()
            result = check_html(document)
            assert time.perf_counter() - started < 10
            assert "<object" not in result.html


class TestAnyInput:
    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.sampled_from(SAFE), max_size=12))
    def test_html_with_nothing_harmful_comes_back_byte_for_byte(self, pieces: list[str]) -> None:
        html = "".join(pieces)
        assert check_html(html).html == html

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.sampled_from(SAFE + HARMFUL), max_size=12))  # type: ignore[arg-type]
    def test_only_the_harmful_pieces_change_and_each_as_the_table_says(
        self, pieces: list[str | tuple[str, str]]
    ) -> None:
        written = "".join(p if isinstance(p, str) else p[0] for p in pieces)
        expected = "".join(p if isinstance(p, str) else p[1] for p in pieces)
        result = check_html(written)
        assert result.html == expected
        assert len([f for f in result.found if f.removed]) == sum(
            not isinstance(p, str) for p in pieces
        )

    @settings(max_examples=300, deadline=None)
    @given(
        st.lists(
            st.sampled_from(
                ["<", ">", "/", "=", '"', "'", " ", "script", "iframe", "a", "img", "onclick",
                 "href", "javascript:", "x", "<!--", "-->", "style", "&#106;", "\n"]
            ),
            max_size=40,
        ).map("".join)
    )  # fmt: skip
    def test_whatever_is_written_nothing_that_runs_is_left_and_a_second_check_finds_nothing(
        self, html: str
    ) -> None:
        result = check_html(html)
        again = check_html(result.html)
        assert again.html == result.html
        assert not any(item.removed for item in again.found)
        markup = _Markup()
        markup.feed(result.html)
        markup.close()
        assert markup.bad == []
