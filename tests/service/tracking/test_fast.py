"""The lean collector path's own helpers."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from service.tracking.collector import _URL_SAFE, location_header


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])))
def test_the_location_header_is_the_destination_percent_encoded_only_where_needed(
    path: str,
) -> None:
    url = f"https://example.com/{path}"
    assert location_header(url) == quote(url, safe=_URL_SAFE).encode("ascii")
