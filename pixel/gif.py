"""The open pixel: a 1x1 transparent GIF and the headers that keep it uncached."""

from __future__ import annotations

__all__ = ["GIF_HEADERS", "GIF_MEDIA_TYPE", "TRANSPARENT_GIF"]

# GIF89a, logical screen 1x1, a two-colour global table, a graphic control extension
# marking colour 0 transparent, one 1x1 image, trailer: the classic 43-byte pixel that
# every mail client renders and none shows.
TRANSPARENT_GIF: bytes = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff"
    b"!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)

GIF_MEDIA_TYPE = "image/gif"

# Every fetch must reach the collector: a cached pixel would hide later opens. ``private``
# keeps shared caches out; ``Pragma`` and ``Expires`` cover HTTP/1.0 proxies. The content
# type is kept apart (``GIF_MEDIA_TYPE``) because the collector's responses set it
# themselves (Starlette's ``media_type``, the raw ASGI fast path); listing it here too
# would send the header twice.
GIF_HEADERS: dict[str, str] = {
    "Cache-Control": "no-store, no-cache, must-revalidate, private",
    "Pragma": "no-cache",
    "Expires": "0",
}
