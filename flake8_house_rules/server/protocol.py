"""The pack's findings in the Language Server Protocol's terms: diagnostics, `# noqa` edits, hover text.

Positions: the engine counts columns in characters (code points) of the line, as ruff does; a client counts
in the position encoding agreed at start-up (UTF-16 unless it offers another). `Units` turns each column into
the client's units (and back), so a line with non-ASCII text does not shift the underline; an ASCII line, the
usual case, costs no conversion at all.
"""

from __future__ import annotations

import functools
import inspect
import re
from typing import TYPE_CHECKING

from lsprotocol import types

from flake8_house_rules.cli.noqa import NOQA_INLINE
from flake8_house_rules.cli.output import rule_url as output_rule_url
from flake8_house_rules.cli.results import PROBLEM_NAMES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from flake8_house_rules.cli.results import Diagnostic
    from flake8_house_rules.rule import Rule

SOURCE = "house-rules"
_CODE_IN_NOQA = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)
_SECTION = re.compile(r"^## (.+)$", re.MULTILINE)


class Units:
    """Columns in the client's position encoding (UTF-16 unless the client chose UTF-8 or UTF-32).

    The engine counts columns in characters; a line that is all ASCII has the same number in every
    encoding, so only a line with other text is encoded to count its units.
    """

    __slots__ = ("encoding", "name")

    def __init__(self, name: object = None) -> None:
        self.name = name
        value = str(getattr(name, "value", name) or "utf-16")
        self.encoding = {"utf-8": "utf-8", "utf-32": ""}.get(value, "utf-16-le")

    def of(self, text: str, column: int) -> int:
        """The client's units for the first `column` characters of a line."""
        if not self.encoding or text.isascii():
            return column
        units = len(text[:column].encode(self.encoding, "surrogatepass"))
        return units // 2 if self.encoding == "utf-16-le" else units

    def column(self, text: str, units: int) -> int:
        """The character column of a position the client gave in its units (clamped to the line)."""
        if not self.encoding or text.isascii():
            return min(units, len(text))
        count = 0
        for index, char in enumerate(text):
            if count >= units:
                return index
            count += len(char.encode(self.encoding, "surrogatepass")) // (2 if self.encoding == "utf-16-le" else 1)
        return len(text)

    def position(self, lines: Sequence[str], line: int, column: int, *, wrap: bool = False) -> types.Position:
        """A 1-based line and a character column as an LSP position, the column clamped to the line.

        With `wrap`, a column past the line's end (an edit that takes the line break) is the next line's start.
        """
        row = max(0, line - 1)
        if row >= len(lines):  # past the last line: the end of the text
            if not lines:
                return types.Position(0, 0)
            last = lines[-1]
            if last.endswith(("\n", "\r")):
                return types.Position(len(lines), 0)
            return types.Position(len(lines) - 1, self.of(last, len(last)))
        text = lines[row].rstrip("\r\n")
        if wrap and column > len(text) and row + 1 < len(lines):
            return types.Position(row + 1, 0)
        return types.Position(row, self.of(text, max(0, min(column, len(text)))))


@functools.cache
def rule_url(code: str) -> str | None:
    """The address of a rule's page, as the command's outputs link it (`None` for pattern rules)."""
    from flake8_house_rules.rule import load_rules  # noqa: PLC0415 - loaded by the first lint already

    return output_rule_url(code, load_rules().get(code))


def to_diagnostic(found: Diagnostic, lines: Sequence[str], units: Units) -> types.Diagnostic:
    """One finding as an LSP diagnostic: code, message, a warning, a link to the rule's page, and its range.

    `data` holds the line whose `# noqa` silences it when that is not the finding's own first line (a finding
    inside a multi-line string is silenced at the string's last line).
    """
    start = units.position(lines, found.line, found.col)
    end = units.position(lines, found.end_line, found.end_col)
    if (end.line, end.character) <= (start.line, start.character):  # a point: underline to the line's end
        text = lines[start.line].rstrip("\r\n") if start.line < len(lines) else ""
        end = types.Position(start.line, units.of(text, len(text)))
        if (end.line, end.character) <= (start.line, start.character):
            end = types.Position(start.line, start.character + 1)
    url = rule_url(found.code)
    problem = found.code in PROBLEM_NAMES  # the file could not be read or parsed: it is not checked
    return types.Diagnostic(
        range=types.Range(start=start, end=end),
        message=found.message,
        severity=types.DiagnosticSeverity.Error if problem else types.DiagnosticSeverity.Warning,
        code=found.code,
        code_description=_description(url) if url else None,
        source=SOURCE,
        data={"noqa_row": found.noqa_row} if found.noqa_row != start.line + 1 else None,
    )


@functools.cache
def _description(url: str) -> types.CodeDescription:
    return types.CodeDescription(href=url)


class Converted:
    """The LSP diagnostics of the previous version of a document, to reuse for the findings that did not move.

    A finding at the same place, with the same message and the same text on its lines, gives the same
    diagnostic: an edit elsewhere in a long buffer converts only what it changed. Only the last version's
    diagnostics are kept.
    """

    __slots__ = ("_made",)

    def __init__(self) -> None:
        self._made: dict[tuple[object, ...], types.Diagnostic] = {}

    def convert(self, found: Sequence[Diagnostic], lines: Sequence[str], units: Units) -> list[types.Diagnostic]:
        """The diagnostics of a version's findings, reusing the previous version's where they are the same."""
        previous, made = self._made, {}
        count = len(lines)
        result = []
        for item in found:
            first, last = item.line, item.end_line
            if not (0 < first <= count and 0 < last <= count):  # at the end of the text: made afresh
                result.append(to_diagnostic(item, lines, units))
                continue
            key = (*item[:7], lines[first - 1], lines[last - 1] if last != first else None)
            diagnostic = previous.get(key)
            if diagnostic is None:
                diagnostic = to_diagnostic(item, lines, units)
            made[key] = diagnostic
            result.append(diagnostic)
        self._made = made
        return result


def noqa_edit(lines: Sequence[str], row: int, code: str) -> types.TextEdit | None:
    """The edit that adds `code` to the `# noqa` of 1-based line `row` (a new comment when it has none).

    `None` when the line already silences the code (or holds a blanket `# noqa`, which silences all).
    Positions are code points, which is what the client's units are for ASCII lines; callers convert them.
    """
    if not 0 < row <= len(lines):
        return None
    text = lines[row - 1].rstrip("\r\n")
    match = NOQA_INLINE.search(text)
    if match is None:
        stripped = text.rstrip()
        start = types.Position(row - 1, len(stripped))
        end = types.Position(row - 1, len(text))
        return types.TextEdit(range=types.Range(start, end), new_text=f"  # noqa: {code}")
    codes = match.group("codes")
    if codes is None:
        return None
    listed = [item.upper() for item in _CODE_IN_NOQA.findall(codes)]
    if code in listed or code.startswith(tuple(listed)):
        return None
    end_of_codes = match.start("codes") + len(codes.rstrip(", \t"))
    at = types.Position(row - 1, end_of_codes)
    return types.TextEdit(range=types.Range(at, at), new_text=f", {code}")


def noqa_code_at(line: str, character: int) -> str | None:
    """The code under the cursor when it stands inside the line's `# noqa: ...` comment."""
    match = NOQA_INLINE.search(line)
    if match is None or match.group("codes") is None:
        return None
    for found in _CODE_IN_NOQA.finditer(line, match.start("codes"), match.end("codes")):
        if found.start() <= character <= found.end():
            return found.group().upper()
    return None


def _section(doc: str, title: str) -> str:
    """The text of one `## title` section of a rule's page (empty when it has none)."""
    headings = list(_SECTION.finditer(doc))
    for index, heading in enumerate(headings):
        if heading.group(1).strip().lower() == title.lower():
            end = headings[index + 1].start() if index + 1 < len(headings) else len(doc)
            return doc[heading.end() : end].strip()
    return ""


def hover_text(rule: type[Rule]) -> str:
    """What a hover shows: the rule's code and name, what it reports, what to write instead, and its page."""
    doc = inspect.cleandoc(rule.__doc__ or "")
    what = _section(doc, "What it does").split("\n\n")[0].strip()
    parts = [f"**{rule.code}** `{rule.name}` ({rule.tier} tier, fix: {rule.fix})", what, f"Instead: {rule.message}."]
    url = rule_url(rule.code)
    if url:
        parts.append(f"[Rule page]({url})")
    return "\n\n".join(part for part in parts if part)
