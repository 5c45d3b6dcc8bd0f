"""Quick fixes and fix-all for the language server: the rules' fixes as `WorkspaceEdit`s in the client's units.

A document's lint at one version is kept as a `Snapshot`: the text the engine saw, its findings (with their
fixes) and the LSP diagnostics made of them, side by side, so that a code action finds the fix of the
diagnostic the client sends back, and a second request at the same version costs no lint.

- A quick fix is one finding's fix. It is offered only where the command would mark the finding `[*]`: a safe
  fix, or an unsafe one when the client's `fix-unsafe` or the project's `unsafe-fixes` allows it; a code the
  project's `fixable`/`unfixable` leaves out gets none. The fix is applied to the text first, and an edit whose
  result does not parse (and compile, where the buffer compiled) on the file's target Python is never offered.
- Fix-all applies every allowed fix as `house-rules check --fix` does (`fixes.apply.fix_source`: rounds of
  non-overlapping fixes, linted again between rounds, the result verified to parse), and gives the change as
  one edit of the lines between the first and the last that changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lsprotocol import types

from flake8_house_rules.fixes.apply import apply_fixes, parse_error
from flake8_house_rules.fixes.model import Fix
from flake8_house_rules.rule import Violation

if TYPE_CHECKING:
    from flake8_house_rules.cli.results import Diagnostic
    from flake8_house_rules.server.linting import ProjectLinter
    from flake8_house_rules.server.protocol import Units

#: What a fix-all that found nothing to change is cached as.
NOTHING = ""


@dataclass(slots=True)
class Snapshot:
    """One version of a document as linted: the engine's text (LF line ends) and lines, findings, diagnostics."""

    version: int | None
    source: str  # the buffer as the client holds it
    text: str  # the buffer as the engine read it: line ends made `\n`
    lines: list[str]
    found: tuple[Diagnostic, ...]
    diagnostics: list[types.Diagnostic]
    _index: dict[tuple[str, int, int, int, int], int] | None = None
    _parses: dict[int, bool] = field(default_factory=dict)
    _compiles: bool | None = None
    fixed_all: str | None = None  # the fix-all result (`NOTHING` when there was nothing to change)

    def finding(self, diagnostic: types.Diagnostic) -> int | None:
        """The index of the finding a diagnostic the client sent back was made of (by code and range)."""
        if self._index is None:
            self._index = {}
            for index, item in enumerate(self.diagnostics):
                self._index.setdefault(_key(item), index)
        return self._index.get(_key(diagnostic))

    def compiles(self, target: tuple[int, int]) -> bool:
        """Whether the buffer compiles as it is (else a fix's result is held to parsing only, as the command does)."""
        if self._compiles is None:
            self._compiles = parse_error(self.text, target) is None
        return self._compiles

    def fix_parses(self, index: int, fix: Fix, target: tuple[int, int]) -> bool:
        """Whether the text with this one fix applied still parses on the target (worked out once per version)."""
        known = self._parses.get(index)
        if known is None:
            found = self.found[index]
            violation = Violation(found.line, found.col, found.code, found.message, fix=fix)
            new, applied = apply_fixes(self.text, [(violation, fix)])
            known = bool(applied) and new != self.text
            known = known and parse_error(new, target, compiles=self.compiles(target)) is None
            self._parses[index] = known
        return known


def _key(diagnostic: types.Diagnostic) -> tuple[str, int, int, int, int]:
    start, end = diagnostic.range.start, diagnostic.range.end
    return str(diagnostic.code), start.line, start.character, end.line, end.character


def allowed_fix(linter: ProjectLinter, found: Diagnostic) -> Fix | None:
    """A finding's fix when this project and client allow it (`[*]` in the command), else `None`."""
    fix = Fix.from_data(found.fix)
    if fix is None or not linter.fixes.allows(found.code, fix.applicability):
        return None
    return fix


def text_edits(fix: Fix, lines: list[str], units: Units) -> list[types.TextEdit]:
    """A fix's edits as LSP text edits, positions in the client's units."""
    edits = []
    for edit in fix.sorted_edits():
        start = units.position(lines, *edit.start, wrap=True)
        end = units.position(lines, *edit.end, wrap=True)
        if edit.end[0] > len(lines):  # to the end of the text
            end = _end_of(lines, units)
        edits.append(types.TextEdit(range=types.Range(start, end), new_text=edit.content))
    return edits


def quick_fixes(
    snapshot: Snapshot, asked: list[types.Diagnostic], linter: ProjectLinter, path: str, uri: str, units: Units
) -> list[types.CodeAction]:
    """One quick fix per asked diagnostic whose finding has an allowed fix that leaves the buffer parsing."""
    actions = []
    target = linter.target(path)
    done: set[int] = set()
    for diagnostic in asked:
        index = snapshot.finding(diagnostic)
        if index is None or index in done:
            continue
        done.add(index)
        found = snapshot.found[index]
        fix = allowed_fix(linter, found)
        if fix is None or not snapshot.fix_parses(index, fix, target):
            continue
        unsafe = fix.applicability != "safe"
        title = f"{found.code}: {fix.message}" + (" (unsafe)" if unsafe else "")
        edit = types.WorkspaceEdit(changes={uri: text_edits(fix, snapshot.lines, units)})
        actions.append(
            types.CodeAction(
                title=title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                edit=edit,
                is_preferred=not unsafe,
            )
        )
    return actions


def has_allowed_fix(snapshot: Snapshot, linter: ProjectLinter) -> bool:
    """Whether any finding of the snapshot has a fix this project and client allow."""
    return any(found.fix and allowed_fix(linter, found) is not None for found in snapshot.found)


def fix_all(snapshot: Snapshot, linter: ProjectLinter, path: str) -> tuple[str, str | None]:
    """The engine's text with every allowed fix applied as `check --fix` does (`NOTHING`: no change), and any error.

    An error (a fix that would leave the buffer unparsable) means nothing is changed.
    """
    from flake8_house_rules.fixes.apply import fix_source  # noqa: PLC0415 - only when a fix-all is asked

    if snapshot.fixed_all is not None:
        return snapshot.fixed_all, None

    def lint(text: str) -> list[Violation]:
        return [_violation(found) for found in linter.lint_text(text, path).diagnostics]

    def allowed(violation: Violation) -> bool:
        fix = violation.fix
        return fix is not None and linter.fixes.allows(violation.code, fix.applicability)

    first = [_violation(found) for found in snapshot.found]
    outcome = fix_source(snapshot.text, lint, allowed, linter.target(path), first)
    if outcome.error is not None:
        return NOTHING, outcome.error
    snapshot.fixed_all = outcome.source if outcome.changed and outcome.source != snapshot.text else NOTHING
    return snapshot.fixed_all, None


def _violation(found: Diagnostic) -> Violation:
    return Violation(found.line, found.col, found.code, found.message, fix=Fix.from_data(found.fix))


def _end_of(lines: list[str], units: Units) -> types.Position:
    """The position just after the last character of the text."""
    if not lines:
        return types.Position(0, 0)
    last = lines[-1]
    if last.endswith("\n"):
        return types.Position(len(lines), 0)
    return types.Position(len(lines) - 1, units.of(last, len(last)))


def whole_lines_edit(snapshot: Snapshot, new_text: str, units: Units) -> types.TextEdit | None:
    """One edit turning the snapshot's text into `new_text`: the lines from the first to the last that differ.

    The new lines take the buffer's line ends (CRLF when it has them); `None` when nothing differs.
    """
    from flake8_house_rules.cli.results import split_lines  # noqa: PLC0415 - light, and only for a fix-all

    old, new = snapshot.lines, split_lines(new_text)
    if old == new:
        return None
    head = 0
    while head < len(old) and head < len(new) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < len(old) - head and tail < len(new) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    replaced = "".join(new[head : len(new) - tail])
    if "\r\n" in snapshot.source:
        replaced = replaced.replace("\n", "\r\n")
    start = types.Position(head, 0)
    end = types.Position(len(old) - tail, 0) if tail else _end_of(old, units)
    return types.TextEdit(range=types.Range(start, end), new_text=replaced)
