"""`# noqa` exactly as flake8 7 reads it, without flake8.

flake8 (`flake8/defaults.py`, `flake8/violation.py`, `flake8/processor.py`) searches one regular expression
in the text of the violation's *noqa line*: the physical lines from one NEWLINE/NL token to the next joined
together, so a `# noqa` after a multi-line string or a backslash continuation covers every line of it
(inside brackets every physical line ends with an NL token and is a range of its own). A match without
codes is a blanket `# noqa`; with codes, a violation is ignored when its code equals one of them or starts
with one (`# noqa: HR1` ignores HR101), compared case-sensitively after a case-insensitive match. A line
`# flake8: noqa` (alone at the start of a line) ignores the whole file.

Tokenizing costs as much as parsing, so it happens only for a file that has violations and a `# noqa`
somewhere; the rows where a `# noqa` belongs (ruff's `noqa_row`) are read from the same ranges when the
file was tokenized, and from a cheap look at the line otherwise.
"""

from __future__ import annotations

import io
import re
import tokenize
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from flake8_house_rules.rule import Violation

NOQA_INLINE = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.IGNORECASE)
NOQA_FILE = re.compile(r"\s*# flake8[:=]\s*noqa", re.IGNORECASE)
_SPLIT = re.compile(r"[,\s]")


def file_is_ignored(lines: Sequence[str]) -> bool:
    """Whether a line `# flake8: noqa` (or `# flake8= noqa`) tells flake8 to skip the whole file."""
    return any(NOQA_FILE.match(line) for line in lines)


def ignores(code: str, noqa_text: str | None) -> bool:
    """Whether the noqa line's text silences `code`: a blanket `# noqa`, or a listed code or prefix."""
    if not noqa_text:
        return False
    match = NOQA_INLINE.search(noqa_text)
    if match is None:
        return False
    codes_text = match.group("codes")
    if codes_text is None:
        return True
    codes = tuple(item.strip() for item in _SPLIT.split(codes_text) if item.strip())
    return code in codes or code.startswith(codes)


class NoqaLines:
    """The text flake8 searches for `# noqa` for each line of one module, and where a `# noqa` belongs."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self._ranges: dict[int, tuple[int, int]] | None = None

    def _line_ranges(self) -> dict[int, tuple[int, int]]:
        """Each line's (first, last) line of its token range, as flake8's `_noqa_line_mapping` builds it."""
        if self._ranges is not None:
            return self._ranges
        ranges: dict[int, tuple[int, int]] = {}
        total = len(self.lines)
        first, last = total + 2, -1
        try:
            for kind, _, (start, _), (end, _), _ in tokenize.generate_tokens(io.StringIO("".join(self.lines)).readline):
                if start > total:
                    break
                if kind in {tokenize.ENDMARKER, tokenize.DEDENT}:
                    continue
                first, last = min(first, start), max(last, end)
                if kind in {tokenize.NL, tokenize.NEWLINE}:
                    for number in range(first, last + 1):
                        ranges[number] = (first, last)
                    first, last = total + 2, -1
        except (tokenize.TokenError, SyntaxError):  # flake8 then falls back to the physical line
            ranges = {}
        self._ranges = ranges
        return ranges

    def text_for(self, line: int) -> str | None:
        """The text flake8 searches for a violation on `line` (its whole token range, else the line)."""
        found = self._line_ranges().get(line)
        if found is None:
            return self.lines[line - 1] if 0 < line <= len(self.lines) else None
        first, last = found
        return "".join(self.lines[first - 1 : last])

    def row_for(self, line: int) -> int:
        """The line a `# noqa` comment for `line` goes on: the last line of its range (ruff's `noqa_row`)."""
        if self._ranges is None and not self._may_continue(line):
            return line
        found = self._line_ranges().get(line)
        return found[1] if found else line

    def _may_continue(self, line: int) -> bool:
        """Whether `line` may share a token range with the next: a triple-quoted string or a backslash."""
        if not 0 < line <= len(self.lines):
            return False
        text = self.lines[line - 1]
        return '"""' in text or "'''" in text or text.rstrip("\r\n").endswith("\\")


def without_noqa(violations: Sequence[Violation], noqa: NoqaLines, source: str) -> list[Violation]:
    """The violations not silenced by a `# noqa`; tokenizes only when the source has a `# noqa` at all."""
    if not violations or NOQA_INLINE.search(source) is None:
        return list(violations)
    return [violation for violation in violations if not ignores(violation.code, noqa.text_for(violation.line))]
