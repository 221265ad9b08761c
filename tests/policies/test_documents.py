"""Every built-in policy document passes its own YAML test cases (policies/cases/)."""

from __future__ import annotations

import pytest

from policies import builtin_names, builtin_policy
from policies.cases import Case, load_cases, parse_cases, run_case

CASES = [
    pytest.param(name, case, id=f"{name}: {case.name}")
    for name in builtin_names()
    for case in load_cases(name)
]


@pytest.mark.parametrize(("name", "case"), CASES)
def test_document_case(name: str, case: Case) -> None:
    problems = run_case(builtin_policy(name), case)
    assert not problems, "\n".join(problems)


class TestCaseFiles:
    @pytest.mark.parametrize("name", builtin_names())
    def test_every_builtin_ships_at_least_eight_cases_with_unique_names(self, name: str) -> None:
        names = [case.name for case in load_cases(name)]
        assert len(names) >= 8
        assert len(set(names)) == len(names)

    @pytest.mark.parametrize("name", builtin_names())
    def test_the_cases_exercise_every_rule_and_default_deny(self, name: str) -> None:
        expected_rules = {case.expect.rule for case in load_cases(name)}
        assert expected_rules == {rule.name for rule in builtin_policy(name).rules} | {None}

    def test_a_policy_without_a_case_file_raises_file_not_found(self) -> None:
        with pytest.raises(FileNotFoundError):
            load_cases("no-such-policy")


class TestRunCase:
    CASE_FILE = """
policy: default
cases:
  - name: wrong on purpose
    viewer: {role: rep}
    prospect: {industry: retail}
    events:
      - {kind: open, hours_ago: 30, subject: Hello}
      - {kind: open, hours_ago: 30, subject: Hello}
    expect:
      rule: reps-in-high-trust-barrier-industries
      facts:
        - {kind: email_opened, count: 3, when: null}
      absent_kinds: [email_opened]
"""

    def test_a_failing_case_reports_every_mismatch(self) -> None:
        policy_name, cases = parse_cases(self.CASE_FILE)
        problems = run_case(builtin_policy(policy_name), cases[0])
        assert problems == [
            "expected rule 'reps-in-high-trust-barrier-industries', got 'reps'",
            "fact 0 (email_opened): expected count 3, got 2",
            "fact 0 (email_opened): expected when None, got '2026-11-19'",
            "expected no email_opened facts, got some: "
            "[{'kind': 'email_opened', 'subject': None, 'detail': 'count', 'count': 2, "
            "'when': '2026-11-19', 'evidence': 'human'}]",
        ]

    def test_an_extra_fact_is_a_mismatch(self) -> None:
        no_facts = self.CASE_FILE.replace(
            "      facts:\n        - {kind: email_opened, count: 3, when: null}\n",
            "      facts: []\n",
        )
        _, cases = parse_cases(no_facts)
        problems = run_case(builtin_policy("default"), cases[0])
        assert any(problem.startswith("expected 0 facts, got 1") for problem in problems)

    def test_an_unknown_field_in_a_case_is_an_error(self) -> None:
        with pytest.raises(ValueError, match="colour"):
            parse_cases(self.CASE_FILE.replace("{role: rep}", "{role: rep, colour: red}"))
