"""The site snippet: a preflight-free beacon that honours privacy signals."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from pixel.snippet import render_snippet

HARNESS = """
const sent = [];
let cookie = "";
global.Blob = class { constructor(parts, options) { this.text = parts.join(""); this.type = options.type; } };
global.window = {
  location: { hostname: "shop.example", protocol: "https:", search: SEARCH, pathname: "/pricing",
              hash: "", href: "https://shop.example/pricing" + SEARCH },
  history: { state: null, replaceState(s, t, url) { window.location.search = url.split("?")[1] ? "?" + url.split("?")[1] : "";
             window.location.href = "https://shop.example" + url; }, pushState() {} },
  addEventListener() {},
};
global.navigator = { globalPrivacyControl: GPC, sendBeacon(url, blob) { sent.push([url, blob.type, JSON.parse(blob.text)]); return true; } };
window.navigator = navigator;
global.document = { currentScript: { getAttribute: () => "example.com" }, title: "Pricing", referrer: "",
                    get cookie() { return cookie; }, set cookie(v) { cookie = v.split(";")[0]; } };
SNIPPET
console.log(JSON.stringify({ sent, cookie, search: window.location.search }));
"""


def run_in_node(*, search: str, gpc: bool) -> dict[str, object]:
    script = (
        HARNESS.replace("SEARCH", json.dumps(search))
        .replace("GPC", "true" if gpc else "false")
        .replace("SNIPPET", render_snippet("https://collector.example"))
    )
    output = subprocess.run(
        ["node", "-e", script], capture_output=True, text=True, check=True, timeout=30
    )
    return dict(json.loads(output.stdout))


class TestSnippetSource:
    def test_the_collector_url_is_written_in_as_a_safe_literal(self) -> None:
        source = render_snippet('https://c.example/"</script><script>alert(1)//')
        assert "</script>" not in source
        assert "\\u003c/script\\u003e" in source

    def test_it_sends_text_plain_beacons_and_checks_privacy_signals(self) -> None:
        source = render_snippet("https://c.example")
        assert "sendBeacon" in source and "text/plain" in source
        assert "globalPrivacyControl" in source and "doNotTrack" in source


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed to run the snippet")
class TestSnippetInABrowserLikeRuntime:
    def test_the_visitor_id_from_the_landing_url_is_kept_and_sent(self) -> None:
        result = run_in_node(search="?plan=team&cnd_vid=Abc123_-xyz", gpc=False)
        [[url, kind, body]] = result["sent"]  # type: ignore[misc]
        assert url == "https://collector.example/v" and kind == "text/plain"
        assert body["vid"] == "Abc123_-xyz" and body["site"] == "example.com"
        assert "cnd_vid" not in body["url"]
        assert result["cookie"] == "cnd_vid=Abc123_-xyz"
        assert result["search"] == "?plan=team"

    def test_of_two_visitor_ids_the_one_the_redirect_appended_last_is_kept(self) -> None:
        result = run_in_node(
            search="?cnd_vid=TheSitesOwn1&plan=team&cnd_vid=Candors_id_9", gpc=False
        )
        [[_, _, body]] = result["sent"]  # type: ignore[misc]
        assert body["vid"] == "Candors_id_9"
        assert result["cookie"] == "cnd_vid=Candors_id_9"
        assert result["search"] == "?plan=team"

    def test_nothing_is_sent_or_stored_under_global_privacy_control(self) -> None:
        result = run_in_node(search="?cnd_vid=Abc123_-xyz", gpc=True)
        assert result["sent"] == [] and result["cookie"] == ""
