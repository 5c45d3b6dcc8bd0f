"""`# noqa` exactly as flake8 7 reads it, without flake8.

flake8 (`flake8/defaults.py`, `flake8/violation.py`, `flake8/processor.py`) searches one regular expression
in the text of the violation's *noqa line*: the physical lines from one NEWLINE/NL token to the next joined
together, so a `# noqa` after a multi-line string or a backslash continuation covers every line of it
(inside brackets every physical line ends with an NL token and is a range of its own). A match without
codes is a blanket `# noqa`; with codes, a violation is ignored when its code equals one of them or starts
with one (`# noqa: HR1` ignores HR101), compared case-sensitively after a case-insensitive match. A line
`# flake8: noqa` (alone at the start of a line) ignores the whole file.

Tokenizing costs as much as parsing, so it happens only when a violation's range may span lines. Inside
brackets every line is a range of its own; a range spans lines only through a backslash at a line's end or
a string token over several lines. So a violation's line is a range alone when neither it nor the line
before ends with a backslash, it holds no triple quote, and the file has no triple-quoted f-string (a node
can start inside one of those, and only there inside a string). Otherwise the file is tokenized once, as
flake8 does it. The same ranges give the row where a `# noqa` belongs (ruff's `noqa_row`).
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
_TRIPLE_QUOTES = re.compile(r"\"\"\"|'''")
_FILE_NOQA_ANYWHERE = re.compile(r"# flake8[:=]\s*noqa", re.IGNORECASE)
#: ruff's file-level exemption comment on a line of its own, bare (every code) or with codes (`HR001, HR3`).
#: Codes are separated by a comma or blanks, so there is one way to split them: no backtracking blows up.
RUFF_FILE = re.compile(
    r"[ \t]*#[ \t]*ruff[ \t]*:[ \t]*noqa"
    r"(?:[ \t]*:[ \t]*(?P<codes>[A-Z]+[0-9]*(?:(?:[ \t]*,[ \t]*|[ \t]+)[A-Z]+[0-9]*)*+))?"
    r"[ \t]*,?[ \t]*(?:#.*)?$",
    re.IGNORECASE | re.MULTILINE,
)
_RUFF_FILE_ANYWHERE = re.compile(r"#[ \t]*ruff[ \t]*:[ \t]*noqa", re.IGNORECASE)


def has_triple_quoted_fstring(source: str) -> bool:
    """Whether some triple quote is opened with an `f` or `t` prefix (`f\"\"\"`, `rf'''`, `Tr\"\"\"`)."""
    for match in _TRIPLE_QUOTES.finditer(source):
        prefix = source[max(0, match.start() - 2) : match.start()].lower()
        if prefix.endswith(("f", "t")) or prefix in {"fr", "rf", "tr", "rt"}:
            return True
    return False


def source_is_ignored(source: str) -> bool:
    """Whether a line `# flake8: noqa` tells flake8 to skip the file; a fast search first, then the line."""
    for match in _FILE_NOQA_ANYWHERE.finditer(source):
        start = source.rfind("\n", 0, match.start()) + 1
        if NOQA_FILE.match(source, start):
            return True
    return False


def ruff_file_exemptions(source: str) -> tuple[str, ...] | None:
    """The code prefixes `# ruff: noqa: ...` lines exempt in the whole file; `("",)` for a bare one; else `None`.

    ruff reads them (a code or prefix per item, separated by commas or spaces); the command honours them for HR
    codes, so one comment serves both tools. A fast search first, then the line it is on.
    """
    found: list[str] = []
    seen = False
    for match in _RUFF_FILE_ANYWHERE.finditer(source):
        start = source.rfind("\n", 0, match.start()) + 1
        line = RUFF_FILE.match(source, start)
        if line is None:
            continue
        seen = True
        codes = line.group("codes")
        if codes is None:
            return ("",)
        found.extend(item.upper() for item in re.split(r"[,\s]+", codes) if item)
    return tuple(found) if seen else None


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

    def __init__(self, lines: Sequence[str], source: str) -> None:
        self.lines = lines
        self._ranges: dict[int, tuple[int, int]] | None = None
        self.source = source
        self._fstrings: bool | None = None
        self._alone_lines: dict[int, bool] = {}  # many results on one long line ask once, not once each

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
        found = None if self._alone(line) else self._line_ranges().get(line)
        if found is None:
            return self.lines[line - 1] if 0 < line <= len(self.lines) else None
        first, last = found
        return "".join(self.lines[first - 1 : last])

    def row_for(self, line: int) -> int:
        """The line a `# noqa` comment for `line` goes on: the last line of its range (ruff's `noqa_row`)."""
        found = None if self._alone(line) else self._line_ranges().get(line)
        return found[1] if found else line

    def _alone(self, line: int) -> bool:
        """Whether `line` is surely a token range of its own, so that tokenizing can be skipped."""
        if self._ranges is not None:
            return False
        if self._fstrings is None:
            self._fstrings = has_triple_quoted_fstring(self.source)
        if self._fstrings:
            return False
        if not 0 < line <= len(self.lines):
            return True
        found = self._alone_lines.get(line)
        if found is None:
            text = self.lines[line - 1]
            found = not ('"""' in text or "'''" in text or _continued(text))
            found = found and (line == 1 or not _continued(self.lines[line - 2]))
            self._alone_lines[line] = found
        return found


def _continued(text: str) -> bool:
    """Whether a physical line ends with a backslash (the next line continues it)."""
    return text.rstrip("\r\n").endswith("\\")


def without_noqa(violations: Sequence[Violation], noqa: NoqaLines, source: str) -> list[Violation]:
    """The violations not silenced by a `# noqa`; tokenizes only when the source has a `# noqa` at all."""
    if not violations or NOQA_INLINE.search(source) is None:
        return list(violations)
    return [violation for violation in violations if not ignores(violation.code, noqa.text_for(violation.line))]
