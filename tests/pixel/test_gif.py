"""The open pixel is the smallest valid transparent GIF, never cached."""

from __future__ import annotations

import struct

from pixel.gif import GIF_HEADERS, TRANSPARENT_GIF


class TestTransparentGif:
    def test_it_is_a_43_byte_gif89a_of_one_by_one_pixel(self) -> None:
        assert len(TRANSPARENT_GIF) == 43
        assert TRANSPARENT_GIF[:6] == b"GIF89a"
        assert struct.unpack("<HH", TRANSPARENT_GIF[6:10]) == (1, 1)
        assert TRANSPARENT_GIF.endswith(b";")

    def test_it_declares_a_transparent_colour(self) -> None:
        extension = TRANSPARENT_GIF.index(b"!\xf9\x04")
        assert TRANSPARENT_GIF[extension + 3] & 1 == 1

    def test_its_headers_forbid_every_cache(self) -> None:
        assert GIF_HEADERS["Cache-Control"] == "no-store, no-cache, must-revalidate, private"
