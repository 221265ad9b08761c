"""Tracking primitives as a plain library: tokens, the GIF, URL safety, email
instrumentation, the site snippet and the evidence classifier. No web framework, no
database: keys and callbacks are passed in."""

from pixel.classify import Evidence, Hit, Verdict, classify, truncate_ip
from pixel.gif import GIF_HEADERS, TRANSPARENT_GIF
from pixel.instrument import InstrumentedEmail, instrument_email
from pixel.snippet import render_snippet
from pixel.tokens import BadToken, Purpose, TokenSigner, generate_key, new_ref
from pixel.urls import safe_redirect_target, trackable_url

__all__ = [
    "GIF_HEADERS",
    "TRANSPARENT_GIF",
    "BadToken",
    "Evidence",
    "Hit",
    "InstrumentedEmail",
    "Purpose",
    "TokenSigner",
    "Verdict",
    "classify",
    "generate_key",
    "instrument_email",
    "new_ref",
    "render_snippet",
    "safe_redirect_target",
    "trackable_url",
    "truncate_ip",
]
