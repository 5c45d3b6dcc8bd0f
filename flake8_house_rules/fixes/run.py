"""Fixing a source string in-process, as the command does for a file: for tests, docs and tools."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flake8_house_rules.fixes.apply import FixOutcome, fix_source

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping

    from flake8_house_rules.rule import Violation


def fix_string(
    source: str,
    path: str = "app/module.py",
    options: Mapping[str, str] | None = None,
    *,
    codes: Collection[str] | None = None,
    unsafe: bool = True,
) -> FixOutcome:
    """Fix a source string with the rules `lint_source` runs (target 3.13 unless set), as `--fix` would.

    `codes` limits the fixes applied to those codes (all fixable codes when `None`); `unsafe` allows unsafe
    fixes too. No `# noqa` is applied (a violation on a `# noqa` line is fixed like any other).
    """
    from flake8_house_rules.engine import lint_source  # noqa: PLC0415 - the engine imports the rules, which import this package

    values = dict(options or {})
    target = tuple(int(part) for part in values.get("hr-target-version", "3.13").split("."))

    def lint(text: str) -> list[Violation]:
        return lint_source(text, path, values, fixes=True)

    def allowed(violation: Violation) -> bool:
        fix = violation.fix
        return (
            fix is not None and (codes is None or violation.code in codes) and (unsafe or fix.applicability == "safe")
        )

    return fix_source(source, lint, allowed, (target[0], target[1]))
