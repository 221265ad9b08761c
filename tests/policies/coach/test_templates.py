"""Templates are data that compliance can tune, validated when loaded."""

from __future__ import annotations

import pytest

from policies.coach import TemplateError, load_templates, recommend


class TestTemplates:
    def test_the_built_in_templates_load(self) -> None:
        assert len(load_templates().templates) >= 5

    def test_custom_templates_drive_the_recommendations(self) -> None:
        custom = load_templates(
            "templates:\n"
            "  - {id: a, text: 'What would help your team most this quarter?', why: open}\n"
            "  - {id: b, text: 'Where should we start, {name}?', why: open}\n"
        )
        assert [o.text for o in recommend([], prospect_name="Anna", templates=custom)] == [
            "What would help your team most this quarter?",
            "Where should we start, Anna?",
        ]

    @pytest.mark.parametrize(
        ("document", "words"),
        [
            ("templates: [{id: a, text: 'Hi {email}', why: x}]", ["templates.0.text", "email"]),
            (
                "templates: [{id: a, text: 'x', why: x, when: {kinds: [clicks]}}]",
                ["kinds", "clicks"],
            ),
            ("templates: [{id: a, text: 'x'}]", ["why"]),
            ("templates: []", ["templates"]),
        ],
    )
    def test_an_invalid_template_names_the_problem(self, document: str, words: list[str]) -> None:
        with pytest.raises(TemplateError) as error:
            load_templates(document)
        for word in words:
            assert word in str(error.value)
