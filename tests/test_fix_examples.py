"""Every fixable rule's before/after examples: the fix gives exactly the after text, which is clean."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import split_markers

from flake8_house_rules.engine import lint_source
from flake8_house_rules.fixes.run import fix_string
from flake8_house_rules.rule import FixExample, Rule, load_rules

RULES = load_rules()
ROOT = Path(__file__).resolve().parent.parent
CASES = [
    pytest.param(rule, example, id=f"{code}-fix-{index}")
    for code, rule in RULES.items()
    for index, example in enumerate(rule.fixes)
]


@pytest.mark.parametrize("code", [code for code, rule in RULES.items() if rule.fix != "-"])
def test_every_fixable_rule_has_fix_examples(code: str) -> None:
    assert RULES[code].fixes, f"{code} is fixable but shows no before/after example"


@pytest.mark.parametrize("code", [code for code, rule in RULES.items() if rule.fix == "-"])
def test_an_unfixable_rule_has_no_fix_examples(code: str) -> None:
    assert not RULES[code].fixes


@pytest.fixture(autouse=True)
def _in_the_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    """HR011's fix reads the packages on disk: its examples are paths of this checkout."""
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_fix_gives_the_after_text(rule: type[Rule], example: FixExample) -> None:
    if sys.version_info < example.python:
        pytest.skip(f"needs Python {example.python}")
    before, expected = split_markers(example.before)
    assert expected, "a fix example's before text needs `# error:` markers"
    assert {code for _, code in expected} == {rule.code}
    options = {"hr-enable": rule.code, **example.options}
    outcome = fix_string(before, example.path, options, codes={rule.code})
    assert outcome.error is None
    after = example.after if example.after.endswith("\n") else example.after + "\n"
    assert outcome.source == after
    assert outcome.fixed[rule.code] == len(expected)
    left = [v for v in lint_source(after, example.path, options) if v.code == rule.code]
    assert left == [], "the after text must be clean"
    assert fix_string(after, example.path, options, codes={rule.code}).source == after, "fixing is idempotent"


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_fix_applicability_matches_the_rule(rule: type[Rule], example: FixExample) -> None:
    if sys.version_info < example.python:
        pytest.skip(f"needs Python {example.python}")
    before, expected = split_markers(example.before)
    options = {"hr-enable": rule.code, **example.options}
    found = [v for v in lint_source(before, example.path, options, fixes=True) if v.code == rule.code]
    assert sorted((v.line, v.code) for v in found) == expected
    assert any(v.fix is not None for v in found)
    assert {v.fix.applicability for v in found if v.fix is not None} == {rule.fix}
