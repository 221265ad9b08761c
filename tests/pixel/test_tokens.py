"""Tokens: unforgeable, purpose-bound, rotatable, short, and never a crash."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pixel.tokens import BadToken, Purpose, TokenSigner, generate_key, new_ref

SIGNER = TokenSigner(["newest-key", "older-key"])


class TestSigningAndVerifying:
    def test_a_signed_token_verifies_to_its_reference(self) -> None:
        ref = new_ref()
        assert SIGNER.verify(Purpose.CLICK, SIGNER.sign(Purpose.CLICK, ref)) == ref

    def test_a_token_is_url_safe_and_under_100_characters(self) -> None:
        token = SIGNER.sign(Purpose.OPEN, new_ref())
        assert len(token) < 100
        assert all(c.isalnum() or c in "-_" for c in token)

    def test_references_are_random_not_sequential(self) -> None:
        refs = {new_ref() for _ in range(1000)}
        assert len(refs) == 1000 and all(len(ref) == 16 for ref in refs)

    def test_every_single_character_change_is_rejected(self) -> None:
        token = SIGNER.sign(Purpose.CLICK, new_ref())
        for index, char in enumerate(token):
            for replacement in {"A", "b", "0", "-"} - {char}:
                tampered = token[:index] + replacement + token[index + 1 :]
                with pytest.raises(BadToken):
                    SIGNER.verify(Purpose.CLICK, tampered)

    def test_truncated_and_extended_tokens_are_rejected(self) -> None:
        token = SIGNER.sign(Purpose.CLICK, new_ref())
        for bad in (token[:-1], token[1:], token + "A", token + token):
            with pytest.raises(BadToken):
                SIGNER.verify(Purpose.CLICK, bad)

    def test_a_token_of_one_purpose_never_verifies_as_another(self) -> None:
        ref = new_ref()
        for made in Purpose:
            token = SIGNER.sign(made, ref)
            for used in set(Purpose) - {made}:
                with pytest.raises(BadToken):
                    SIGNER.verify(used, token)

    def test_a_reference_that_new_ref_could_not_make_is_refused(self) -> None:
        for ref in ("", "short", "x" * 17, "a/b+c=d/e+f=g/h+", "ünïcödé-ünïcödé!"):
            with pytest.raises(ValueError):
                SIGNER.sign(Purpose.OPEN, ref)


class TestRememberingValidTokens:
    """A signer skips the HMAC for a token it already found valid, and only then."""

    def test_a_remembered_token_still_belongs_to_its_purpose_alone(self) -> None:
        signer = TokenSigner(["a-key"])
        ref = new_ref()
        token = signer.sign(Purpose.OPEN, ref)
        assert signer.verify(Purpose.OPEN, token) == ref
        assert signer.verify(Purpose.OPEN, token) == ref
        for used in set(Purpose) - {Purpose.OPEN}:
            with pytest.raises(BadToken):
                signer.verify(used, token)

    def test_a_token_one_character_away_from_a_remembered_one_is_rejected(self) -> None:
        signer = TokenSigner(["a-key"])
        token = signer.sign(Purpose.CLICK, new_ref())
        signer.verify(Purpose.CLICK, token)
        tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
        with pytest.raises(BadToken):
            signer.verify(Purpose.CLICK, tampered)

    def test_the_memory_is_bounded_and_forgetting_changes_no_answer(self) -> None:
        signer = TokenSigner(["a-key"], remember=2)
        refs = [new_ref() for _ in range(5)]
        tokens = [signer.sign(Purpose.OPEN, ref) for ref in refs]
        for _ in range(2):
            assert [signer.verify(Purpose.OPEN, token) for token in tokens] == refs
        assert all(len(valid) <= 2 for valid in signer._valid.values())

    def test_a_string_subclass_is_never_taken_for_a_remembered_token(self) -> None:
        signer = TokenSigner(["a-key"])
        token = signer.sign(Purpose.OPEN, new_ref())
        signer.verify(Purpose.OPEN, token)

        class Sly(str):
            def __eq__(self, other: object) -> bool:
                return True

            def __hash__(self) -> int:
                return hash(token)

        with pytest.raises(BadToken):
            signer.verify(Purpose.OPEN, Sly("x" * 40))


class TestRotation:
    def test_a_token_from_the_old_key_verifies_while_the_old_key_is_listed(self) -> None:
        ref = new_ref()
        old_token = TokenSigner(["older-key"]).sign(Purpose.OPEN, ref)
        assert SIGNER.verify(Purpose.OPEN, old_token) == ref

    def test_a_token_from_a_removed_key_is_rejected(self) -> None:
        old_token = TokenSigner(["retired-key"]).sign(Purpose.OPEN, new_ref())
        with pytest.raises(BadToken):
            SIGNER.verify(Purpose.OPEN, old_token)

    def test_the_newest_key_signs(self) -> None:
        ref = new_ref()
        token = SIGNER.sign(Purpose.OPEN, ref)
        assert TokenSigner(["newest-key"]).verify(Purpose.OPEN, token) == ref
        with pytest.raises(BadToken):
            TokenSigner(["older-key"]).verify(Purpose.OPEN, token)

    def test_no_key_or_a_blank_key_is_a_configuration_error(self) -> None:
        for keys in ([], [""], ["  "], ["ok", ""]):
            with pytest.raises(ValueError):
                TokenSigner(keys)

    def test_generated_keys_are_long_and_distinct(self) -> None:
        keys = {generate_key() for _ in range(50)}
        assert len(keys) == 50 and all(len(key) >= 40 for key in keys)


class TestHostileInput:
    @pytest.mark.parametrize(
        "token", ["", "../../etc/passwd", "%00", "a" * 10_000, "\x00" * 40, "é" * 40]
    )
    def test_garbage_is_a_bad_token(self, token: str) -> None:
        with pytest.raises(BadToken):
            SIGNER.verify(Purpose.OPEN, token)

    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=200))
    def test_any_text_is_a_bad_token_and_never_another_error(self, token: str) -> None:
        with pytest.raises(BadToken):
            SIGNER.verify(Purpose.CLICK, token)
