"""policies.schema: the document model, its error messages, and the built-in documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from policies import (
    Detail,
    MinEvidence,
    Policy,
    PolicyError,
    TimeLevel,
    builtin_names,
    builtin_policy,
    load_policy,
    policy_to_document,
    policy_to_yaml,
    resolve_policy,
)
from policies.schema import MAX_DOCUMENT_CHARS

MINIMAL = {"name": "p", "rules": [{"name": "r", "roles": ["rep"]}]}


def with_rule(**fields: Any) -> dict[str, Any]:
    """A minimal document whose only rule has ``fields`` added."""
    return {"name": "p", "rules": [{"name": "r", "roles": ["rep"], **fields}]}


def only_error(document: Any) -> dict[str, Any]:
    with pytest.raises(PolicyError) as caught:
        load_policy(document)
    assert len(caught.value.errors) == 1, caught.value.errors
    return caught.value.errors[0]


class TestOrderedEnums:
    def test_detail_levels_are_ordered_from_hidden_to_full(self) -> None:
        assert [level.rank for level in Detail] == [0, 1, 2, 3, 4]
        assert Detail.HIDDEN < Detail.EXISTS < Detail.COUNT < Detail.TOPIC < Detail.FULL

    def test_levels_compare_by_rank_not_alphabetically(self) -> None:
        assert TimeLevel.WEEK < TimeLevel.DAY  # "week" > "day" as strings
        assert MinEvidence.HUMAN < MinEvidence.CONFIRMED
        assert max(TimeLevel.EXACT, TimeLevel.NONE) is TimeLevel.EXACT

    def test_a_level_compares_with_the_plain_string_of_its_value(self) -> None:
        assert Detail.COUNT >= "exists"
        assert Detail.COUNT.at_least("count")
        assert not Detail.COUNT.at_least(Detail.TOPIC)

    def test_at_least_rejects_an_unknown_value(self) -> None:
        with pytest.raises(ValueError):
            Detail.FULL.at_least("everything")


class TestLoadPolicy:
    def test_a_minimal_document_gets_the_documented_defaults(self) -> None:
        policy = load_policy(MINIMAL)
        assert (
            policy.retention_days,
            policy.honor_gpc,
            policy.disclosure_footer,
            policy.anonymous_visits,
        ) == (365, True, True, False)
        rule = policy.rules[0]
        assert (rule.delay_hours, rule.min_evidence, rule.segments) == (0, MinEvidence.HUMAN, {})

    def test_a_kind_absent_from_show_is_hidden(self) -> None:
        rule = load_policy(MINIMAL).rules[0]
        assert rule.visibility("page_visited").detail is Detail.HIDDEN

    def test_hidden_is_shorthand_for_detail_hidden(self) -> None:
        rule = load_policy(with_rule(show={"page_visited": "hidden"})).rules[0]
        assert rule.show["page_visited"].detail is Detail.HIDDEN

    def test_time_defaults_to_none(self) -> None:
        rule = load_policy(with_rule(show={"email_opened": {"detail": "count"}})).rules[0]
        assert rule.visibility("email_opened").time is TimeLevel.NONE

    def test_yaml_text_and_a_mapping_give_the_same_policy(self) -> None:
        text = "name: p\nrules:\n  - {name: r, roles: [rep]}\n"
        assert load_policy(text) == load_policy(MINIMAL)

    def test_an_empty_rule_list_is_valid_and_denies_everything(self) -> None:
        assert load_policy({"name": "p", "rules": []}).rules == []


class TestValidationErrors:
    """Every message names the field, the bad value and what is allowed."""

    def test_an_unknown_detail_lists_the_detail_levels(self) -> None:
        error = only_error(with_rule(show={"email_opened": {"detail": "sometimes"}}))
        assert error["loc"] == ("rules", 0, "show", "email_opened", "detail")
        assert error["input"] == "sometimes"
        assert error["msg"] == (
            "rules.0.show.email_opened.detail: 'sometimes' is not one of "
            "hidden, exists, count, topic, full"
        )

    def test_an_unknown_time_level_lists_the_time_levels(self) -> None:
        error = only_error(with_rule(show={"email_opened": {"detail": "count", "time": "hour"}}))
        assert error["msg"] == (
            "rules.0.show.email_opened.time: 'hour' is not one of none, week, day, exact"
        )

    def test_an_unknown_role_lists_the_roles(self) -> None:
        error = only_error({"name": "p", "rules": [{"name": "r", "roles": ["rep", "boss"]}]})
        assert error["loc"] == ("rules", 0, "roles", 1)
        assert "'boss'" in error["msg"]
        assert "rep, manager, compliance, admin" in error["msg"]

    def test_an_empty_role_list_is_rejected(self) -> None:
        error = only_error({"name": "p", "rules": [{"name": "r", "roles": []}]})
        assert error["loc"] == ("rules", 0, "roles")
        assert "at least one" in error["msg"]
        assert "rep, manager, compliance, admin" in error["msg"]

    def test_an_unknown_segment_key_names_the_allowed_keys(self) -> None:
        error = only_error(with_rule(segments={"country": ["de"]}))
        assert error["loc"] == ("rules", 0, "segments", "country")
        assert error["input"] == "country"
        assert "'country'" in error["msg"]
        assert "industry, region, company" in error["msg"]

    def test_an_unknown_kind_in_show_names_the_configurable_kinds(self) -> None:
        error = only_error(with_rule(show={"phone_called": {"detail": "full"}}))
        assert error["loc"] == ("rules", 0, "show", "phone_called")
        assert "'phone_called'" in error["msg"]
        assert "email_opened, link_clicked, page_visited" in error["msg"]

    def test_email_sent_cannot_be_configured_in_show(self) -> None:
        error = only_error(with_rule(show={"email_sent": "hidden"}))
        assert error["loc"] == ("rules", 0, "show", "email_sent")
        assert "always shown" in error["msg"]

    def test_a_visibility_that_is_neither_hidden_nor_a_mapping_explains_both_forms(self) -> None:
        error = only_error(with_rule(show={"page_visited": "visible"}))
        assert error["loc"] == ("rules", 0, "show", "page_visited")
        assert "'visible'" in error["msg"]
        assert "hidden" in error["msg"] and "detail" in error["msg"]

    @pytest.mark.parametrize(
        ("document", "loc", "allowed"),
        [
            ({**MINIMAL, "colour": "red"}, ("colour",), "name, description, retention_days"),
            (with_rule(colour="red"), ("rules", 0, "colour"), "name, roles, segments"),
            (
                with_rule(show={"email_opened": {"detail": "count", "when": "day"}}),
                ("rules", 0, "show", "email_opened", "when"),
                "detail, time",
            ),
        ],
        ids=["policy", "rule", "visibility"],
    )
    def test_an_extra_field_names_the_allowed_fields(
        self, document: dict[str, Any], loc: tuple[Any, ...], allowed: str
    ) -> None:
        error = only_error(document)
        assert error["loc"] == loc
        assert f"{loc[-1]!r} is not a known field" in error["msg"]
        assert allowed in error["msg"]

    def test_duplicate_rule_names_point_at_the_second_rule(self) -> None:
        document = {
            "name": "p",
            "rules": [
                {"name": "reps", "roles": ["rep"]},
                {"name": "other", "roles": ["rep"]},
                {"name": "reps", "roles": ["manager"]},
            ],
        }
        error = only_error(document)
        assert error["loc"] == ("rules", 2, "name")
        assert error["input"] == "reps"
        assert "rules.0" in error["msg"] and "unique" in error["msg"]

    def test_a_negative_delay_states_the_allowed_range(self) -> None:
        error = only_error(with_rule(delay_hours=-1))
        assert error["loc"] == ("rules", 0, "delay_hours")
        assert error["input"] == -1
        assert error["msg"].startswith("rules.0.delay_hours: -1 ")
        assert "from 0" in error["msg"]

    def test_an_infinite_delay_is_rejected(self) -> None:
        error = only_error(with_rule(delay_hours=float("inf")))
        assert "finite" in error["msg"]

    def test_an_unknown_min_evidence_lists_the_levels(self) -> None:
        error = only_error(with_rule(min_evidence="strong"))
        assert error["msg"] == "rules.0.min_evidence: 'strong' is not one of any, human, confirmed"

    def test_a_name_that_is_not_a_slug_explains_the_slug_rule(self) -> None:
        error = only_error({**MINIMAL, "name": "Bad Name"})
        assert error["loc"] == ("name",)
        assert "'Bad Name'" in error["msg"] and "lowercase" in error["msg"]

    def test_retention_outside_its_range_states_the_range(self) -> None:
        error = only_error({**MINIMAL, "retention_days": 5000})
        assert "5000" in error["msg"] and "1 to 3650" in error["msg"]

    def test_a_string_is_not_accepted_as_a_boolean(self) -> None:
        error = only_error({**MINIMAL, "honor_gpc": "yes"})
        assert error["msg"] == "honor_gpc: 'yes' is not true or false"

    @pytest.mark.parametrize("value", ["true", 1, 0, None, [True]])
    def test_anonymous_visits_is_strictly_true_or_false(self, value: Any) -> None:
        error = only_error({**MINIMAL, "anonymous_visits": value})
        assert error["loc"] == ("anonymous_visits",)
        assert error["msg"] == f"anonymous_visits: {value!r} is not true or false"

    def test_anonymous_visits_reads_as_yaml_booleans(self) -> None:
        text = "name: p\nanonymous_visits: true\nrules: [{name: r, roles: [rep]}]\n"
        assert load_policy(text).anonymous_visits is True

    def test_a_topic_needs_at_least_one_glob(self) -> None:
        error = only_error({**MINIMAL, "topics": {"pricing": []}})
        assert error["loc"] == ("topics", "pricing")

    def test_a_missing_field_is_named(self) -> None:
        error = only_error({"name": "p"})
        assert error == {"loc": ("rules",), "msg": "rules: is required", "input": {"name": "p"}}

    def test_every_problem_is_reported_not_only_the_first(self) -> None:
        with pytest.raises(PolicyError) as caught:
            load_policy({"name": "P", "rules": [{"name": "r", "roles": ["x"], "delay_hours": -2}]})
        assert {error["loc"] for error in caught.value.errors} == {
            ("name",),
            ("rules", 0, "roles", 0),
            ("rules", 0, "delay_hours"),
        }
        assert "3 errors" in str(caught.value)

    def test_a_yaml_syntax_error_gives_the_line_and_column(self) -> None:
        error = only_error("name: p\nrules: [\n  - {name: r\n")
        assert error["loc"] == ("document",)
        assert "line " in error["msg"] and "column " in error["msg"]

    def test_a_duplicate_yaml_key_is_an_error_not_a_silent_override(self) -> None:
        error = only_error("name: p\nrules: []\nname: q\n")
        assert error["loc"] == ("document",)
        assert "duplicate key 'name'" in error["msg"] and "line 3" in error["msg"]

    def test_yaml_aliases_are_refused_before_they_can_expand(self) -> None:
        laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{name}: &{name} [{', '.join([f'*{prior}'] * 9)}]\n"
            for prior, name in zip("abcdefgh", "bcdefghi", strict=True)
        )
        error = only_error(laughs)
        assert error["loc"] == ("document",)
        assert "aliases" in error["msg"] and "line 2" in error["msg"]

    def test_a_document_longer_than_any_policy_is_refused_unread(self) -> None:
        error = only_error("description: " + "x" * MAX_DOCUMENT_CHARS)
        assert error["loc"] == ("document",) and "at most" in error["msg"]

    @pytest.mark.parametrize(
        ("document", "got"),
        [("- a\n- b\n", "a list"), ("", "nothing"), ("just text", "a string"), ([1], "a list")],
    )
    def test_a_document_that_is_not_a_mapping_says_what_it_got(
        self, document: Any, got: str
    ) -> None:
        error = only_error(document)
        assert error["loc"] == ("document",)
        assert f"got {got}" in error["msg"]
        assert "name, description" in error["msg"]

    def test_policy_error_is_a_value_error(self) -> None:
        assert issubclass(PolicyError, ValueError)


class TestSerialisation:
    @pytest.mark.parametrize("name", builtin_names())
    def test_a_document_round_trips_through_load_policy(self, name: str) -> None:
        policy = builtin_policy(name)
        assert load_policy(policy_to_document(policy)) == policy
        assert load_policy(policy_to_yaml(policy)) == policy

    def test_the_document_is_plain_json_data(self) -> None:
        import json

        document = policy_to_document(builtin_policy("default"))
        assert json.loads(json.dumps(document)) == document


class TestBuiltins:
    def test_default_and_strict_ship_with_the_package(self) -> None:
        assert {"default", "strict"} <= set(builtin_names())

    def test_the_default_document_is_the_contract_example(self) -> None:
        policy = builtin_policy("default")
        assert [rule.name for rule in policy.rules] == [
            "reps-in-high-trust-barrier-industries",
            "reps",
        ]
        assert policy.topics == {"pricing": ["*/pricing*"], "security": ["*/security*", "*/trust*"]}

    @pytest.mark.parametrize("name", builtin_names())
    def test_every_builtin_says_outright_that_anonymous_visits_are_not_stored(
        self, name: str
    ) -> None:
        text = (Path(__file__).parents[2] / "policies" / f"{name}.yaml").read_text()
        assert "\nanonymous_visits: false" in text
        assert builtin_policy(name).anonymous_visits is False

    def test_each_document_is_named_after_its_file(self) -> None:
        for name in builtin_names():
            assert builtin_policy(name).name == name

    def test_strict_is_described_and_hides_page_visits_from_reps(self) -> None:
        policy = builtin_policy("strict")
        assert policy.description
        rep_rules = [rule for rule in policy.rules if "rep" in rule.roles]
        assert rep_rules and all(rule.visibility("page_visited").hidden for rule in rep_rules)

    def test_an_unknown_builtin_name_lists_the_builtins(self) -> None:
        with pytest.raises(PolicyError, match="default, strict"):
            builtin_policy("lenient")


class TestResolvePolicy:
    def test_a_builtin_name_resolves_to_the_builtin(self) -> None:
        assert resolve_policy("strict") == builtin_policy("strict")

    def test_a_path_resolves_to_the_document_in_the_file(self, tmp_path: Path) -> None:
        path = tmp_path / "mine.yaml"
        path.write_text("name: mine\nrules: []\n", encoding="utf-8")
        assert resolve_policy(str(path)) == Policy(name="mine", rules=[])

    def test_a_missing_file_raises_file_not_found(self, tmp_path: Path) -> None:
        with pytest.raises(FileNotFoundError):
            resolve_policy(str(tmp_path / "absent.yaml"))

    def test_an_unknown_bare_name_raises_a_policy_error_listing_the_builtins(self) -> None:
        with pytest.raises(PolicyError, match="built-in policies are"):
            resolve_policy("lenient")

    def test_an_invalid_file_raises_a_policy_error(self, tmp_path: Path) -> None:
        path = tmp_path / "bad.yaml"
        path.write_text("name: bad\n", encoding="utf-8")
        with pytest.raises(PolicyError, match="rules: is required"):
            resolve_policy(str(path))
