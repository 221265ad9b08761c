"""The languages Candor speaks to prospects: catalogues, choosing one, dates in it.

What a prospect reads (the disclosure footer of an email, the transparency page) is
translated with gettext catalogues: ``service/locale/<language>/LC_MESSAGES/messages.po``,
shipped as package data and read once per process with Babel. There is no compile
step, so an editable install and a wheel read the very same files. English is the
source language: its catalogue holds the msgids, and a msgid with no translation is
shown as it is.

A prospect's ``language`` is a BCP 47 tag (``de``, ``de-AT``, ``en-GB``) whose
language has a catalogue. The words come from that catalogue; dates are formatted by
Babel in the full tag where Babel knows it (``de-AT`` says "Jänner", ``en-GB`` puts
the day first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib.resources import files
from io import BytesIO
from typing import Literal

from babel import Locale, UnknownLocaleError, negotiate_locale
from babel.dates import (
    format_date,
    format_datetime,
    get_date_format,
    get_datetime_format,
    get_time_format,
)
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

__all__ = [
    "DOMAIN",
    "N_",
    "SOURCE_LANGUAGE",
    "Language",
    "format_when",
    "from_accept_language",
    "language_for",
    "language_names",
    "languages",
    "supported_tag",
]

DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
# An Accept-Language header is read up to this many entries (a browser sends a handful).
_MAX_PREFERENCES = 20
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def N_(message: str) -> str:
    """Mark ``message`` for the catalogues without translating it (yet)."""
    return message


@lru_cache
def _catalogues() -> dict[str, Translations]:
    """Every shipped catalogue, by language code, read from the package's .po files."""
    found: dict[str, Translations] = {}
    root = files("service").joinpath("locale")
    for folder in root.iterdir():
        po = folder.joinpath("LC_MESSAGES").joinpath(f"{DOMAIN}.po")
        if not po.is_file():
            continue
        catalog = read_po(BytesIO(po.read_bytes()), locale=folder.name, domain=DOMAIN)
        compiled = BytesIO()
        write_mo(compiled, catalog)  # fuzzy entries are left out, as msgfmt does
        compiled.seek(0)
        found[folder.name] = Translations(compiled, domain=DOMAIN)
    if SOURCE_LANGUAGE not in found:
        raise RuntimeError(f"the {SOURCE_LANGUAGE} catalogue is missing from service/locale")
    return found


def languages() -> tuple[str, ...]:
    """The shipped languages, the source language first."""
    others = sorted(code for code in _catalogues() if code != SOURCE_LANGUAGE)
    return (SOURCE_LANGUAGE, *others)


def language_names() -> dict[str, str]:
    """Each shipped language in its own words, for a choice: ``{"de": "Deutsch", ...}``."""
    return {
        code: (Locale.parse(code).get_display_name(code) or code).capitalize()
        for code in languages()
    }


def supported_tag(value: str) -> str:
    """``value`` as a canonical BCP 47 tag (``de-AT``) of a shipped language.

    Raises:
        ValueError: not a tag Babel knows, or its language has no catalogue; the
            message lists the languages there are.
    """
    try:
        locale = Locale.parse(value.strip().replace("_", "-"), sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        locale = None
    if locale is None or locale.language not in languages():
        raise ValueError(
            f"must be a supported language: {', '.join(languages())}, "
            "optionally with a region (a BCP 47 tag such as de, de-AT or en-GB)"
        )
    return "-".join(part for part in (locale.language, locale.script, locale.territory) if part)


@dataclass(frozen=True)
class Language:
    """The words (a catalogue) and the date formats (a Babel locale) of one reader."""

    code: str  # the catalogue: a shipped language
    locale: Locale  # dates and numbers: the reader's full tag where Babel knows it

    @property
    def tag(self) -> str:
        """The BCP 47 tag of the formatting locale (for ``<html lang>``)."""
        parts = (self.locale.language, self.locale.script, self.locale.territory)
        return "-".join(part for part in parts if part)

    @property
    def translations(self) -> Translations:
        return _catalogues()[self.code]

    def gettext(self, message: str) -> str:
        """``message`` in this language (as it is when the catalogue lacks it)."""
        return str(self.translations.gettext(message))


def language_for(tag: str | None) -> Language:
    """The language of a stored or requested tag; the source language for none or a
    tag that is no longer (or never was) supported."""
    if tag:
        try:
            canonical = supported_tag(tag)
        except ValueError:
            canonical = None
        if canonical is not None:
            locale = Locale.parse(canonical, sep="-")
            return Language(code=str(locale.language), locale=locale)
    return Language(code=SOURCE_LANGUAGE, locale=Locale.parse(SOURCE_LANGUAGE))


def _preferences(header: str) -> list[str]:
    """The tags of an Accept-Language header, most wanted first (q=0 and ``*`` dropped)."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")[:_MAX_PREFERENCES]):
        tag, _, params = item.strip().partition(";")
        tag = tag.strip()
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and quality > 0 and re.fullmatch(r"[A-Za-z0-9-]{1,35}", tag):
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def from_accept_language(header: str | None) -> Language | None:
    """The best shipped language for a browser's Accept-Language, or None (Babel's
    ``negotiate_locale``: ``de-CH`` gets German, with Swiss dates)."""
    if not header:
        return None
    for tag in _preferences(header):
        match = negotiate_locale([tag], list(languages()), sep="-")
        if match is None:
            continue
        chosen = language_for(tag)
        if chosen.code != match.split("-")[0].lower():
            chosen = language_for(match)
        return chosen
    return None


def format_when(value: str | None, language: Language) -> str:
    """A shown time in the reader's language: a timeline's ``2026-11-30T09:15:00Z``,
    ``2026-11-30`` or ``2026-W48``, or a recorded ``2026-11-30 09:15 UTC``.

    Anything else is returned as it is (the template escapes it).
    """
    if not value:
        return ""
    week = _WEEK.match(value)
    if week:
        return language.gettext("week %(week)s of %(year)s") % {
            "week": int(week.group(2)),
            "year": week.group(1),
        }
    try:
        if len(value) == 10:
            return format_date(datetime.fromisoformat(value).date(), "long", locale=language.locale)
        moment = datetime.fromisoformat(value.removesuffix(" UTC").replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    # A time given to the minute is not shown with seconds it never had.
    time_length: Literal["medium", "short"] = "medium" if value.count(":") >= 2 else "short"
    pattern = str(get_datetime_format("medium", locale=language.locale)).format(
        get_time_format(time_length, locale=language.locale).pattern,
        get_date_format("medium", locale=language.locale).pattern,
    )
    shown = format_datetime(moment, pattern, tzinfo=UTC, locale=language.locale)
    return f"{shown} UTC"
