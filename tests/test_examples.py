"""Every rule's own examples: invalid ones report exactly the marked lines, valid look-alikes nothing."""

from __future__ import annotations

import sys

import pytest
from conftest import as_example, split_markers

from flake8_house_rules.engine import lint_source
from flake8_house_rules.rule import Rule, load_rules

RULES = load_rules()


def _cases(kind: str) -> list[pytest.param]:
    return [
        pytest.param(rule, example, id=f"{code}-{index}")
        for code, rule in RULES.items()
        for index, example in enumerate(getattr(rule, kind))
    ]


def _run(rule: type[Rule], example: object) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    example = as_example(example)
    if sys.version_info < example.python:
        pytest.skip(f"needs Python {example.python}")
    code, expected = split_markers(example.code)
    options = {"hr-enable": rule.code, **example.options}
    found = [(v.line, v.code) for v in lint_source(code, example.path, options) if v.code == rule.code]
    return sorted(found), expected


@pytest.mark.parametrize(("rule", "example"), _cases("invalid"))
def test_invalid_example_reports_marked_lines(rule: type[Rule], example: object) -> None:
    found, expected = _run(rule, example)
    assert expected, "an invalid example needs at least one `# error:` marker"
    assert found == expected


@pytest.mark.parametrize(("rule", "example"), _cases("valid"))
def test_valid_example_reports_nothing(rule: type[Rule], example: object) -> None:
    found, expected = _run(rule, example)
    assert not expected, "a valid example must not carry `# error:` markers"
    assert found == []
