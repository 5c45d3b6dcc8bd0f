"""Applying fixes to a module's text: non-overlapping edits in rounds, re-linted between rounds, then verified.

One round takes the fixes of the current violations in source order and keeps each whose edits touch no
edit already kept (an edit identical to a kept one, such as the same `import asyncio` two fixes need, is
shared); the others wait for the next round, which lints the new text again. Rounds stop when no fix is
left, when a round changes nothing, or after `MAX_ROUNDS`. The result must parse (and compile) on the
project's target Python. A round that breaks it is applied again one fix more at a time, keeping the
fixes that parse together (the others wait a round: a parameter may lose its default only once the earlier
ones have); when none does, the fix that breaks the text on its own is named with its rule and line, and
the file's fixing stops there with an error: nothing of it is to be written.
"""

from __future__ import annotations

import ast
import sys
import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from flake8_house_rules.fixes.model import Edit, Fix
    from flake8_house_rules.rule import Violation

MAX_ROUNDS = 10


@dataclass(slots=True)
class FixOutcome:
    """What fixing one module gave: its new text, fixes applied per code, what remains, and any error."""

    source: str
    fixed: Counter[str] = field(default_factory=Counter)
    remaining: list[Violation] = field(default_factory=list)
    error: str | None = None
    converged: bool = True

    @property
    def changed(self) -> bool:
        """Whether any fix was applied."""
        return bool(self.fixed)


def line_offsets(text: str) -> list[int]:
    """The offset of each line's first character (index 0 is line 1), lines split at line feeds."""
    offsets = [0]
    find = text.find
    position = find("\n")
    while position != -1:
        offsets.append(position + 1)
        position = find("\n", position + 1)
    return offsets


def _offset(offsets: list[int], text: str, position: tuple[int, int]) -> int:
    line, column = position
    if line > len(offsets):
        return len(text)
    return min(offsets[line - 1] + column, len(text))


def _conflicts(span: tuple[int, int, str], kept: list[tuple[int, int, str]]) -> bool:
    start, end, _ = span
    for other in kept:
        if other == span:
            continue
        if start <= other[1] and other[0] <= end:  # touching counts: the order of the two would matter
            return True
    return False


def apply_fixes(text: str, fixes: Sequence[tuple[Violation, Fix]]) -> tuple[str, list[Violation]]:
    """Apply the fixes that do not overlap (in source order); return the new text and the violations fixed."""
    offsets = line_offsets(text)
    kept: list[tuple[int, int, str]] = []
    applied: list[Violation] = []
    ordered = sorted(fixes, key=lambda item: (min(edit.start for edit in item[1].edits), item[0].code))
    for violation, fix in ordered:
        spans = [(_offset(offsets, text, e.start), _offset(offsets, text, e.end), e.content) for e in fix.edits]
        if any(start > end for start, end, _ in spans) or _self_overlapping(spans):
            continue
        if any(_conflicts(span, kept) for span in spans):
            continue
        kept.extend(span for span in spans if span not in kept)
        applied.append(violation)
    # forward, in order of position; insertions at one point in the order the fixes list them
    order = {span: index for index, span in reversed(list(enumerate(kept)))}
    pieces, cursor = [], 0
    for start, end, content in sorted(kept, key=lambda span: (span[0], span[1], order[span])):
        pieces.append(text[cursor:start])
        pieces.append(content)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), applied


def _self_overlapping(spans: list[tuple[int, int, str]]) -> bool:
    ordered = sorted(spans)
    return any(ordered[index][1] > ordered[index + 1][0] for index in range(len(ordered) - 1))


def parse_error(text: str, target: tuple[int, int], *, compiles: bool = True) -> str | None:
    """Why the text does not parse (and compile) on the target Python, as far as this interpreter can tell.

    The target's grammar is checked with `feature_version` (capped at the running interpreter's version).
    """
    version = min(target, sys.version_info[:2])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text, feature_version=version)
            if compiles:
                compile(tree, "<fixed>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        line = getattr(exc, "lineno", None)
        return f"{type(exc).__name__}: {getattr(exc, 'msg', exc)}" + (f" (line {line})" if line else "")
    return None


def fix_source(
    text: str,
    lint: Callable[[str], list[Violation]],
    allowed: Callable[[Violation], bool],
    target: tuple[int, int],
    violations: list[Violation] | None = None,
) -> FixOutcome:
    """Fix a module: lint, apply the allowed fixes, lint again, until nothing is left to fix.

    `lint` gives the violations of a text (after `# noqa`), `allowed` says which fixes may be applied
    (safe only, or unsafe too; the selected codes). `violations`, when given, are the first lint's.
    """
    outcome = FixOutcome(text)
    compiles = parse_error(text, target) is None  # a module that never compiled is held to parsing only
    current = lint(text) if violations is None else violations
    for _ in range(MAX_ROUNDS):
        fixes = [
            (violation, violation.fix) for violation in current if violation.fix is not None and allowed(violation)
        ]
        if not fixes:
            break
        new, applied = apply_fixes(outcome.source, fixes)
        if not applied or new == outcome.source:
            break
        problem = parse_error(new, target, compiles=compiles)
        if problem is not None:
            # keep the fixes that parse together (a parameter may lose its default only once the earlier ones
            # have), the others wait for the next round; when none does, nothing of the file is kept
            new, applied = _compatible(outcome.source, fixes, applied, target, compiles=compiles)
            if not applied:
                blamed = _blame(outcome.source, fixes, target, compiles=compiles)
                outcome.error = blamed or f"the fixes would leave the file unparsable: {problem}"
                outcome.source = text
                outcome.fixed.clear()
                outcome.remaining = current
                return outcome
        outcome.source = new
        outcome.fixed.update(violation.code for violation in applied)
        current = lint(new)
    else:
        outcome.converged = not any(v.fix is not None and allowed(v) for v in current)
    outcome.remaining = current
    return outcome


def _blame(text: str, fixes: list[tuple[Violation, Fix]], target: tuple[int, int], *, compiles: bool) -> str | None:
    """The error naming the fix that breaks the text on its own, if one does."""
    for violation, fix in sorted(fixes, key=lambda item: (item[0].line, item[0].col)):
        alone, _ = apply_fixes(text, [(violation, fix)])
        found = parse_error(alone, target, compiles=compiles)
        if found is not None:
            return f"the {violation.code} fix at line {violation.line} would leave the file unparsable: {found}"
    return None


def _compatible(
    text: str,
    fixes: list[tuple[Violation, Fix]],
    applied: list[Violation],
    target: tuple[int, int],
    *,
    compiles: bool,
) -> tuple[str, list[Violation]]:
    """Apply the round's fixes one more at a time, keeping each that still leaves the text parsing."""
    by_violation = {id(violation): fix for violation, fix in fixes}
    kept: list[tuple[Violation, Fix]] = []
    result = text
    for violation in applied:
        trial = [*kept, (violation, by_violation[id(violation)])]
        candidate, _ = apply_fixes(text, trial)
        if parse_error(candidate, target, compiles=compiles) is None:
            kept, result = trial, candidate
    return result, [violation for violation, _ in kept]


def edits_of(fix: Fix) -> tuple[Edit, ...]:
    """A fix's edits in source order."""
    return fix.sorted_edits()
