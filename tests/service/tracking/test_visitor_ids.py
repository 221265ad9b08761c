"""A click's visitor id joins the destination's query; nothing else about it changes."""

from __future__ import annotations

import pytest

from service.tracking.service import with_visitor_id


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
