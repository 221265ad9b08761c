"""The public URLs written into emails, each carrying a signed token of one purpose."""

from __future__ import annotations

from pixel.tokens import Purpose, TokenSigner

__all__ = ["click_url", "page_url", "pixel_url"]


def pixel_url(signer: TokenSigner, public_url: str, message_ref: str) -> str:
    """The open pixel of a message."""
    return f"{public_url}/o/{signer.sign(Purpose.OPEN, message_ref)}.gif"


def click_url(signer: TokenSigner, public_url: str, link_ref: str) -> str:
    """The tracked address of one link."""
    return f"{public_url}/c/{signer.sign(Purpose.CLICK, link_ref)}"


def page_url(signer: TokenSigner, public_url: str, prospect_ref: str) -> str:
    """The prospect's transparency page."""
    return f"{public_url}/p/{signer.sign(Purpose.PAGE, prospect_ref)}"
