"""A click's visitor id joins the destination's query; nothing else about it changes."""

from __future__ import annotations

import re

import pytest

from service.tracking.service import _RandomIds, new_visitor_id, with_visitor_id


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://e.com/pricing", "https://e.com/pricing?cnd_vid=V"),
        ("https://e.com", "https://e.com?cnd_vid=V"),
        ("https://e.com/a?plan=team", "https://e.com/a?plan=team&cnd_vid=V"),
        ("https://e.com/a?", "https://e.com/a?cnd_vid=V"),
        ("https://e.com/a?x=1&", "https://e.com/a?x=1&cnd_vid=V"),
        ("https://e.com/a#top", "https://e.com/a?cnd_vid=V#top"),
        ("https://e.com/a?b=%20c#f?g", "https://e.com/a?b=%20c&cnd_vid=V#f?g"),
    ],
)
def test_the_visitor_id_joins_the_query_and_every_other_byte_is_kept(
    url: str, expected: str
) -> None:
    assert with_visitor_id(url, "V") == expected


def test_visitor_ids_are_url_safe_unguessable_and_never_repeat_across_pool_refills() -> None:
    ids = _RandomIds(size=12, batch=7)  # refilled every seven ids
    drawn = [ids() for _ in range(1000)]
    assert len(set(drawn)) == 1000
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{16}", vid) for vid in drawn)  # 96 random bits


def test_a_visitor_id_leads_with_its_second_so_ids_are_stored_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("service.tracking.service.time.time", lambda: 1_800_000_000.7)
    first = new_visitor_id()
    monkeypatch.setattr("service.tracking.service.time.time", lambda: 1_800_000_001.2)
    later = new_visitor_id()
    assert first.startswith(f"{1_800_000_000:08x}") and later.startswith(f"{1_800_000_001:08x}")
    assert first < later and len(first) == 24
    assert first[8:] != later[8:]
