"""Email instrumentation speed on a realistic ~100 KB HTML email with 200 distinct links.

    python bench/instrument.py [--runs 200] [--links 200] [--kilobytes 100]

Generates a newsletter-style email (nested tables, a style block, MSO conditional
comments, entities in text and in hrefs, repeated links, mailto:/tel:/#anchor links,
links inside comments and styles that must stay untouched) and times
``pixel.instrument.instrument_email`` with a trivial ``track`` callback that returns a
fixed-length fake tracked URL, footer, honeypot and pixel included as the service passes
them. For scale it also times the standard library's ``HTMLParser`` reading the same
document, which the instrumenter builds on. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pixel.instrument import instrument_email  # noqa: E402

GOAL_MS = 20.0
WARMUP = 5
TRACKED_PREFIX = "https://candor.example.com/c/"
TOKEN_LENGTH = 40

WORDS = [
    "honest",
    "outreach",
    "pricing",
    "security",
    "quarterly",
    "review",
    "customers",
    "onboarding",
    "roadmap",
    "integration",
    "analytics",
    "teams",
    "workflow",
    "migration",
    "support",
    "partner",
    "webinar",
    "release",
    "compliance",
    "invoice",
    "renewal",
    "feedback",
    "dashboard",
    "export",
    "automation",
]

STYLE = """<style type="text/css">
  body { margin: 0; padding: 0; background: #f4f4f7; font-family: Helvetica, Arial, sans-serif; }
  a { color: #2557d6; text-decoration: none; }  /* not a link: https://example.com/in-style */
  .wrapper { width: 100%; table-layout: fixed; }
  .column { width: 50%; vertical-align: top; }
  @media only screen and (max-width: 600px) { .column { display: block !important; width: 100% !important; } }
  .footer td { font-size: 11px; color: #6b7280; }
</style>"""


def paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text.capitalize() + " &mdash; caf&eacute; &amp; co.&nbsp;&#8217;s notes."


def destination(number: int) -> str:
    """A distinct http(s) URL, often with a query string (written with &amp; in HTML)."""
    scheme = "https" if number % 7 else "http"
    host = ("www.example.com", "docs.example.com", "blog.example.org", "shop.example.net")[
        number % 4
    ]
    query = (
        f"?utm_source=candor&amp;utm_medium=email&amp;utm_campaign=q{number % 4 + 1}&amp;id={number}"
        if number % 3
        else ""
    )
    return f"{scheme}://{host}/articles/{number}/{WORDS[number % len(WORDS)]}{query}"


def build_email(links: int, kilobytes: int, seed: int = 11) -> str:
    """The document: ``links`` distinct trackable hrefs, each used once or twice."""
    rng = random.Random(seed)
    head = (
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\">\n<html lang='en'>\n"
        '<head>\n<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>The quarterly digest</title>\n{STYLE}\n"
        "<!--[if mso]><xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch>"
        "</o:OfficeDocumentSettings></xml><![endif]-->\n</head>\n"
        '<body style="margin:0;padding:0">\n<a name="top" id="top"></a>\n'
        '<table role="presentation" class="wrapper" cellpadding="0" cellspacing="0" border="0">\n'
    )
    blocks: list[str] = []
    for number in range(links - 1):  # the unsubscribe link in the footer is the last one
        url = destination(number)
        block = (
            "<tr>\n  <td class='column' style=\"padding:16px 24px\">\n"
            f'    <h2><a href="{url}" target="_blank">'
            f"<span class='t'>{WORDS[number % len(WORDS)].title()} #{number}</span></a></h2>\n"
            f'    <p style="margin:0 0 12px;line-height:1.5">{paragraph(rng, 8)}</p>\n'
        )
        if number % 5 == 0:
            block += f"    <!-- kept for reference: <a href='https://old.example.com/{number}'>old</a> -->\n"
        if number % 4 == 0:  # a second link to the same place, unquoted, raw ampersands
            block += (
                f'    <table role="presentation"><tr><td><a href={url.replace("&amp;", "&")} '
                'style="padding:8px 14px;background:#2557d6;color:#fff">'
                "Read&nbsp;more&nbsp;&rarr;</a></td></tr></table>\n"
            )
        if number % 10 == 0:
            block += (
                f'    <p>Questions? <a href="mailto:team{number}@example.com?subject=Hello%20there">'
                f'write to us</a> or call <a href="tel:+44-20-7946-{number:04d}">our desk</a>. '
                '<a href="#top">Back to top</a></p>\n'
            )
        if number % 25 == 0:
            block += (
                f'    <img src="https://cdn.example.com/img/{number}.png" width="560" alt="Figure {number}" '
                'usemap="#map" style="display:block">\n'
                f'    <map name="map"><area shape="rect" coords="0,0,80,80" href="{url}" alt="x"></map>\n'
            )
        block += "  </td>\n</tr>\n"
        blocks.append(block)
    footer = (
        '<tr class="footer"><td style="padding:24px">Example Ltd &middot; 1 Example Street'
        ' &middot; <a href="https://www.example.com/unsubscribe?u=1&amp;l=2">Unsubscribe</a>'
        "</td></tr>\n</table>\n</body>\n</html>\n"
    )
    document = head + "".join(blocks) + footer
    # Pad with prose (no links) spread between sections until the target size is reached.
    target = kilobytes * 1024
    filler: list[str] = []
    while len(document) + sum(len(part) for part in filler) < target:
        filler.append(f'<tr><td><p style="color:#333">{paragraph(rng, 40)}</p></td></tr>\n')
    step = max(1, len(blocks) // max(1, len(filler)))
    mixed: list[str] = []
    for index, block in enumerate(blocks):
        mixed.append(block)
        if filler and index % step == 0:
            mixed.append(filler.pop())
    mixed.extend(filler)
    return head + "".join(mixed) + footer


def make_track() -> Callable[[str], str]:
    counter = 0

    def track(_destination: str) -> str:
        nonlocal counter
        counter += 1
        return TRACKED_PREFIX + str(counter).zfill(TOKEN_LENGTH)

    return track


def timed(function: Callable[[], object], runs: int) -> list[float]:
    for _ in range(WARMUP):
        function()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--links", type=int, default=200)
    parser.add_argument("--kilobytes", type=int, default=100)
    args = parser.parse_args()

    document = build_email(args.links, args.kilobytes)
    size = len(document.encode("utf-8"))
    footer = '<p style="font-size:11px">This email records opens. <a href="https://candor.example.com/p/x">See what is recorded</a>.</p>'

    def instrument() -> object:
        return instrument_email(
            document,
            None,
            track=make_track(),
            pixel_url=TRACKED_PREFIX.replace("/c/", "/o/") + "0" * TOKEN_LENGTH + ".gif",
            honeypot_url=TRACKED_PREFIX + "h" * TOKEN_LENGTH,
            footer_html=footer,
        )

    def parse_only() -> object:
        reader = HTMLParser(convert_charrefs=True)
        reader.feed(document)
        reader.close()
        return reader

    result = instrument_email(
        document, None, track=make_track(), pixel_url="https://candor.example.com/o/x.gif"
    )
    instrument_ms = timed(instrument, args.runs)
    parse_ms = timed(parse_only, args.runs)

    print("## Email instrumentation\n")
    print(
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC · {platform.platform()} · "
        f"{platform.processor() or platform.machine()} · {os.cpu_count()} CPUs · "
        f"Python {platform.python_version()}\n"
    )
    tracked = result.html.count(TRACKED_PREFIX)
    kept = ("mailto:", "tel:", 'href="#top"', "old.example.com", "in-style", "cdn.example.com")
    untouched = all(result.html.count(text) == document.count(text) for text in kept)
    print(
        f"Email: {size / 1024:.1f} KB of HTML, {document.count('<a ')} `<a>` tags and "
        f"{document.count('<area ')} `<area>`, {len(result.destinations)} distinct destinations "
        f"tracked ({tracked} hrefs rewritten); mailto:/tel:/#anchor links, links in comments "
        f"and style, and image sources {'left as written' if untouched else 'CHANGED'}. {args.runs} timed runs after {WARMUP} warm-up runs. "
        f"Goal: p95 < {GOAL_MS:g} ms.\n"
    )
    print("| measured | p50 ms | p95 ms | p99 ms | MB/s at p50 | p95 / goal |")
    print("|---|---:|---:|---:|---:|---:|")
    parse_p50 = statistics.median(parse_ms)
    for name, samples in (
        ("`pixel.instrument.instrument_email`", instrument_ms),
        ("stdlib `HTMLParser.feed` alone (the floor)", parse_ms),
    ):
        cuts = statistics.quantiles(samples, n=100, method="inclusive")
        p50, p95, p99 = cuts[49], cuts[94], cuts[98]
        print(
            f"| {name} | {p50:.2f} | {p95:.2f} | {p99:.2f} | {size / 1e6 / (p50 / 1000):.1f} "
            f"| {p95 / GOAL_MS:.2f} |"
        )
    print(
        f"\nInstrumentation costs {statistics.median(instrument_ms) / parse_p50:.2f} times "
        "a bare parse of the same document."
    )


if __name__ == "__main__":
    main()
