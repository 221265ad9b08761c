"""The lean collector path's own helpers."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from service.tracking.fast import _URL_SAFE, _location


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])))
def test_the_location_header_is_the_destination_percent_encoded_only_where_needed(
    path: str,
) -> None:
    url = f"https://example.com/{path}"
    assert _location(url) == quote(url, safe=_URL_SAFE).encode("ascii")
