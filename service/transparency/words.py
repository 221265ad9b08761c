"""The words of the transparency page that come from data: kinds and evidence classes.

The page receives them in English (the JSON form keeps them so); these marks put each in
the catalogues, and ``translate_word`` turns one into the reader's language. Only the
words listed here are translated: anything else (a subject, a topic, a URL) is shown as
it is, escaped.
"""

from __future__ import annotations

from service.i18n import N_, Language

__all__ = ["WORDS", "translate_word"]

WORDS = frozenset(
    {
        # What was recorded (service.transparency.service.KIND_LABELS), and the kinds
        # of facts a salesperson sees, their underscores read as spaces.
        N_("email sent"),
        N_("email opened"),
        N_("link clicked"),
        N_("page visited"),
        # Evidence classes.
        N_("machine"),
        N_("bot"),
        N_("human"),
        N_("confirmed"),
        # The subject of visits to pages no topic names (policies.evaluate).
        N_("other pages"),
    }
)


def translate_word(word: object, language: Language) -> str:
    """``word`` in ``language`` when it is one of ``WORDS`` (underscores read as spaces),
    else as it is."""
    text = str(word) if word is not None else ""
    spaced = text.replace("_", " ")
    if spaced in WORDS:
        return language.gettext(spaced)
    return text
