"""HR0xx cost stays linear in the input: a big generated module against a small one, as a ratio."""

from __future__ import annotations

import time

import pytest

from flake8_house_rules.engine import lint_source
from flake8_house_rules.rules.hr0xx_hygiene import hr005_magic_number

HR005 = {"hr-enable": "HR005"}


def _table(size: int) -> str:
    numbers = ", ".join(str(index + 3) for index in range(size))
    return f'"""Data."""\n\n\ndef table() -> list[int]:\n    """Numbers."""\n    return [{numbers}]\n'


def _sum(size: int) -> str:
    return '"""Data."""\n\n\ndef total(x: int) -> int:\n    """Sum."""\n    return x' + " + 7" * size + "\n"


def test_a_table_of_numbers_is_read_once_not_once_per_number(monkeypatch: pytest.MonkeyPatch) -> None:
    """7.2: `is_table` re-scanned the whole display for each number in it (quadratic)."""
    calls = 0
    entry = hr005_magic_number._is_entry

    def counting(node: object) -> bool:
        nonlocal calls
        calls += 1
        return entry(node)  # type: ignore[arg-type] - the nodes the rule passes

    monkeypatch.setattr(hr005_magic_number, "_is_entry", counting)
    counts = []
    for size in (1250, 10000):
        calls = 0
        assert lint_source(_table(size), options=HR005) == []
        counts.append(calls)
    assert counts[1] / counts[0] < 10  # 8 times the numbers: about 8 times the work, not 64


def _best_time(source: str) -> float:
    """The best of several runs in this process's CPU time (a busy machine moves wall-clock figures)."""
    best = float("inf")
    for _ in range(9):
        start = time.process_time()
        lint_source(source, options=HR005)
        best = min(best, time.process_time() - start)
    return best


def test_a_long_expression_is_climbed_once() -> None:
    """Each number of `x + 7 + 7 ...` climbed the whole expression to its statement (quadratic)."""
    small, big = _best_time(_sum(300)), _best_time(_sum(1200))
    assert big / small < 10  # 4 times the terms: linear gives about 4, quadratic 16
