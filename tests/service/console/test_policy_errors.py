"""The policy editor ties each validation error to the line of the document it is about."""

from __future__ import annotations

import pytest
from fastapi import HTTPException

from service.compliance.policy_service import parse_document
from service.console.policy_errors import document_errors, line_of

DOCUMENT = """\
name: quiet
description: Reps see little.
rules:
  - name: reps
    roles: [rep]
    show:
      email_opened:
        detail: lots
"""


def errors_of(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(HTTPException) as raised:
        parse_document(text)
    return [(e.line, e.message) for e in document_errors(text, raised.value.detail)]


class TestLineOf:
    def test_a_nested_field_is_found_on_its_own_line(self) -> None:
        assert line_of(DOCUMENT, ["rules", 0, "show", "email_opened", "detail"]) == 8

    def test_a_missing_field_points_at_the_deepest_part_that_exists(self) -> None:
        assert line_of(DOCUMENT, ["rules", 0, "segments"]) == 4

    def test_text_that_is_not_yaml_has_no_line(self) -> None:
        assert line_of("name: [x", ["name"]) is None


class TestDocumentErrors:
    def test_a_bad_value_is_reported_at_its_line_with_the_field_named(self) -> None:
        [(line, message)] = errors_of(DOCUMENT)
        assert line == 8
        assert message.startswith("rules.0.show.email_opened.detail:")

    def test_a_yaml_syntax_error_keeps_the_line_the_parser_gave(self) -> None:
        [(line, message)] = errors_of("name: x\nrules:\n  - name: [a\n")
        assert line is not None and line >= 3
        assert "not valid YAML" in message

    def test_every_problem_is_listed_an_unknown_field_at_its_key(self) -> None:
        found = errors_of("name: x\n\nbogus: 1\n")
        assert (1, "rules: is required") in found
        assert any(line == 3 and message.startswith("bogus:") for line, message in found)
