"""The open pixel: a 1x1 transparent GIF and the headers that keep it uncached."""

from __future__ import annotations

__all__ = ["GIF_HEADERS", "TRANSPARENT_GIF"]

# GIF89a, 1x1, one transparent colour: the smallest image every mail client renders.
TRANSPARENT_GIF: bytes = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff"
    b"!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)

# Every fetch must reach the collector: a cached pixel would hide later opens.
GIF_HEADERS: dict[str, str] = {
    "Cache-Control": "no-store, no-cache, must-revalidate, private",
    "Pragma": "no-cache",
    "Expires": "0",
}
