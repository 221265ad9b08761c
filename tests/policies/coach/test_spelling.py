"""Typos of the lint's key words are repaired; real words and offsets are kept."""

from __future__ import annotations

import pytest

from policies.coach.spelling import normalise, repair


class TestRepair:
    @pytest.mark.parametrize(
        ("typo", "word"),
        [("chnace", "chance"), ("oppertunity", "opportunity"), ("propsal", "proposal")],
    )
    def test_a_typo_of_a_key_word_becomes_the_word(self, typo: str, word: str) -> None:
        assert repair(typo) == word

    @pytest.mark.parametrize(
        "word", ["change", "preview", "opener", "realised", "game", "least", "working", "delivered"]
    )
    def test_a_real_word_near_a_key_word_is_left_alone(self, word: str) -> None:
        assert repair(word) == word


class TestNormalise:
    def test_the_text_is_folded_and_each_character_knows_where_it_came_from(self) -> None:
        text = "Did You see my Propsal\u2019s summary?"
        normal = normalise(text)
        assert normal.text == "did you see my proposal's summary?"
        start = normal.text.index("proposal")
        assert normal.span(start, start + len("proposal")) == (15, 22)
        assert text[15:22] == "Propsal"
        assert normal.span(0, len(normal.text)) == (0, len(text))
