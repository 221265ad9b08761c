"""The lint's second opinion ships as package data and reads sentences offline."""

from __future__ import annotations

from policies.coach.model import THRESHOLD, features, probability


class TestModel:
    def test_word_classes_generalise_over_the_words_of_a_class(self) -> None:
        assert "c2:<my> <art>" in features("did you read my proposal?")
        assert "c2:<my> <art>" in features("did you read our whitepaper?")

    def test_it_is_sure_of_a_plain_trap_and_of_a_plain_reveal(self) -> None:
        assert probability("trap", "did you get a chance to read my email?") >= THRESHOLD
        assert probability("surveillance", "i saw you opened my email twice.") >= THRESHOLD

    def test_it_is_not_sure_of_an_honest_question(self) -> None:
        assert probability("trap", "what did you think of the proposal?") < THRESHOLD
        assert probability("surveillance", "what did you think of the proposal?") < THRESHOLD
