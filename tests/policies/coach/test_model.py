"""The lint's second opinion ships as package data and reads sentences offline."""

from __future__ import annotations

from policies.coach.model import features, probability, threshold


class TestModel:
    def test_word_classes_generalise_over_the_words_of_a_class(self) -> None:
        assert "c2:<my> <art>" in features("did you read my proposal?")
        assert "c2:<my> <art>" in features("did you read our whitepaper?")

    def test_it_is_sure_of_a_plain_trap_and_of_a_plain_reveal(self) -> None:
        assert probability("trap", "did you get a chance to read my email?") >= threshold("trap")
        reveal = "i saw you opened my email twice."
        assert probability("surveillance", reveal) >= threshold("surveillance")

    def test_it_is_not_sure_of_an_honest_question(self) -> None:
        assert probability("trap", "what did you think of the proposal?") < threshold("trap")
        question = "what did you think of the proposal?"
        assert probability("surveillance", question) < threshold("surveillance")

    def test_each_kind_ships_a_threshold_with_its_weights(self) -> None:
        for kind in ("trap", "surveillance"):
            assert 0.5 <= threshold(kind) <= 1.0
