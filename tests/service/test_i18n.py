"""The languages shipped to prospects: complete catalogues, in step with the code."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from service import i18n

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "service" / "locale"


def catalogue(code: str) -> dict[str, str]:
    """msgid -> msgstr of one shipped catalogue (the header entry left out)."""
    path = LOCALE / code / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with path.open("rb") as file:
        return {
            str(message.id): str(message.string)
            for message in read_po(file)
            if message.id and not message.fuzzy
        }


def extracted() -> set[str]:
    """Every msgid marked in the code, as `pybabel extract -F babel.cfg` finds them."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as file:
        method_map, options_map = parse_mapping_cfg(file)
    return {
        str(message if isinstance(message, str) else message[0])
        for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, options_map)
    }


class TestCatalogues:
    def test_english_and_german_are_shipped(self) -> None:
        assert i18n.languages()[:1] == ("en",)
        assert "de" in i18n.languages()
        assert i18n.language_names()["de"] == "Deutsch"

    def test_every_msgid_has_a_german_translation(self) -> None:
        german = catalogue("de")
        assert german, "the German catalogue is empty"
        untranslated = sorted(msgid for msgid, text in german.items() if not text.strip())
        assert untranslated == []

    def test_every_catalogue_holds_exactly_the_strings_the_code_marks(self) -> None:
        marked = extracted()
        assert "Stop recording my opens and clicks" in marked  # the template is read
        assert "See what is recorded, or opt out" in marked  # and the footer's Python
        for code in i18n.languages():
            assert set(catalogue(code)) == marked, code

    def test_the_placeholders_of_a_translation_are_the_msgids(self) -> None:
        german = catalogue("de")
        for msgid, text in german.items():
            assert sorted(_placeholders(text)) == sorted(_placeholders(msgid)), msgid

    def test_a_catalogue_is_read_from_the_package_at_run_time(self) -> None:
        german = i18n.language_for("de")
        assert german.gettext("Opt out") == catalogue("de")["Opt out"] != "Opt out"
        assert i18n.language_for("en").gettext("Opt out") == "Opt out"


def _placeholders(text: str) -> list[str]:
    return re.findall(r"%\((\w+)\)s", text)


class TestTags:
    @pytest.mark.parametrize(
        ("sent", "stored"),
        [("de", "de"), ("de-at", "de-AT"), ("DE_AT", "de-AT"), ("en-GB", "en-GB"), (" en ", "en")],
    )
    def test_a_supported_tag_is_stored_in_its_canonical_form(self, sent: str, stored: str) -> None:
        assert i18n.supported_tag(sent) == stored

    @pytest.mark.parametrize("sent", ["fr", "xx", "de-XX", "german", "", "de--at", "<b>"])
    def test_an_unsupported_tag_is_refused_listing_what_is_shipped(self, sent: str) -> None:
        with pytest.raises(ValueError, match="must be a supported language: en, de"):
            i18n.supported_tag(sent)

    def test_a_stored_tag_no_longer_supported_falls_back_to_english(self) -> None:
        assert i18n.language_for("fr").code == "en"
        assert i18n.language_for(None).code == "en"
        assert i18n.language_for("de-AT").code == "de"
        assert i18n.language_for("de-AT").tag == "de-AT"


class TestAcceptLanguage:
    @pytest.mark.parametrize(
        ("header", "code", "tag"),
        [
            ("de-DE,de;q=0.9,en;q=0.8", "de", "de-DE"),
            ("fr-FR,fr;q=0.9,de;q=0.5", "de", "de"),
            ("en-GB,en;q=0.9", "en", "en-GB"),
            ("de;q=0.2, en;q=0.8", "en", "en"),
            ("de-CH", "de", "de-CH"),
        ],
    )
    def test_the_best_shipped_language_is_chosen(self, header: str, code: str, tag: str) -> None:
        chosen = i18n.from_accept_language(header)
        assert chosen is not None
        assert (chosen.code, chosen.tag) == (code, tag)

    @pytest.mark.parametrize("header", [None, "", "fr,it;q=0.5", "*", "de;q=0", ";;,,q=x"])
    def test_nothing_shipped_asked_for_is_none(self, header: str | None) -> None:
        assert i18n.from_accept_language(header) is None


class TestDates:
    def test_a_timeline_day_is_a_long_date_in_the_readers_language(self) -> None:
        assert i18n.format_when("2026-11-30", i18n.language_for("de")) == "30. November 2026"
        assert i18n.format_when("2026-11-30", i18n.language_for("en")) == "November 30, 2026"

    def test_an_exact_time_and_a_recorded_time_are_dated_in_utc(self) -> None:
        german = i18n.language_for("de")
        assert i18n.format_when("2026-11-30T09:15:00Z", german).startswith("30.11.2026")
        assert i18n.format_when("2026-11-30T09:15:00Z", german).endswith("09:15:00 UTC")
        assert "Nov 30, 2026" in i18n.format_when("2026-11-30 09:15 UTC", i18n.language_for("en"))

    def test_a_time_given_to_the_minute_gets_no_seconds(self) -> None:
        german, british = i18n.language_for("de"), i18n.language_for("en-GB")
        assert i18n.format_when("2026-11-30 09:15 UTC", german) == "30.11.2026, 09:15 UTC"
        assert i18n.format_when("2026-11-30 09:15 UTC", british) == "30 Nov 2026, 09:15 UTC"

    def test_a_week_is_named_in_words(self) -> None:
        assert i18n.format_when("2026-W48", i18n.language_for("en")) == "week 48 of 2026"
        assert "48" in i18n.format_when("2026-W48", i18n.language_for("de"))
        assert "week" not in i18n.format_when("2026-W48", i18n.language_for("de"))

    def test_anything_else_is_left_as_it_is(self) -> None:
        assert i18n.format_when("soon", i18n.language_for("de")) == "soon"
        assert i18n.format_when(None, i18n.language_for("de")) == ""


def test_catalogues_parse_without_babel_warnings() -> None:
    for code in i18n.languages():
        data = (LOCALE / code / "LC_MESSAGES" / f"{i18n.DOMAIN}.po").read_bytes()
        read_po(BytesIO(data), abort_invalid=True)
