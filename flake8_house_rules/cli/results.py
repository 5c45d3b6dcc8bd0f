"""What checking a file gives, and reading a file as flake8 does; light enough for a run that hits the cache."""

from __future__ import annotations

import io
import os
import tokenize
from dataclasses import dataclass
from typing import Any, NamedTuple

from flake8_house_rules.stamps import blake2b

#: Codes of the problems that stop a file from being checked, reported as flake8 (pycodestyle) names them.
SYNTAX_ERROR = "E999"
READ_ERROR = "E902"
PROBLEM_NAMES = {SYNTAX_ERROR: "syntax-error", READ_ERROR: "io-error"}
#: How much of a violation's own text its anchor digests, and of its enclosing definition's name is kept.
ANCHOR_CHARS = 200
SCOPE_CHARS = 200


class Diagnostic(NamedTuple):
    """One violation as the command reports it: 1-based lines, 0-based columns in characters.

    `scope` is the qualified name of the innermost definition around it (`""` at module level) and `anchor`
    a short digest of its own text (the message, for a report at a bare position): with the file and the
    code, what baselines and SARIF fingerprints match on, so that they survive lines moving. Both are
    bounded, whatever the length of the line: a result never holds a copy of its source line.
    """

    line: int
    col: int
    end_line: int
    end_col: int
    code: str
    message: str
    noqa_row: int
    scope: str = ""
    anchor: str = ""
    fix: tuple[Any, ...] | None = None  # Any: `Fix.to_data()`, plain tuples


@dataclass(frozen=True, slots=True)
class FileResult:
    """Everything one file gave: its content digest, its diagnostics, warnings, and internal errors."""

    digest: bytes
    diagnostics: tuple[Diagnostic, ...] = ()
    warnings: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    fixed: tuple[tuple[str, int], ...] = ()  # with --fix: fixes applied per code
    diff: str = ""  # with --diff: the file's unified diff

    def to_data(self) -> tuple[bytes, tuple[tuple[object, ...], ...], tuple[str, ...]]:
        """Plain tuples for the cache (results with internal errors are never cached)."""
        return self.digest, tuple(tuple(item) for item in self.diagnostics), self.warnings

    @classmethod
    def from_data(cls, data: tuple[bytes, tuple[tuple[object, ...], ...], tuple[str, ...]]) -> FileResult:
        """The inverse of `to_data`."""
        digest, diagnostics, found = data
        return cls(digest, tuple(Diagnostic(*item) for item in diagnostics), tuple(found))


def decode(data: bytes) -> str:
    """A file's text as flake8 reads it: the declared encoding (BOM stripped), else latin-1."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        text = data.decode("latin-1")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def encoding_problem(data: bytes) -> str | None:
    """Why Python would refuse this source's encoding (a BOM with another coding line, an unknown codec).

    `None` when it would not. Undecodable bytes are no such refusal: they are read as latin-1, as flake8 does.
    """
    try:
        tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        found = exc.msg
    else:
        return None
    import ast  # noqa: PLC0415 - only for such a file: the compiler's own words for it

    try:
        ast.parse(data)
    except (SyntaxError, ValueError) as exc:
        return getattr(exc, "msg", None) or str(exc)
    return found


def split_lines(text: str) -> list[str]:
    """Physical lines with their newline, split as a file is read (only at line feeds)."""
    return io.StringIO(text).readlines()


def relative_to(path: str, folder: str) -> str:
    """`path` relative to `folder` when it is under it, else unchanged (absolute)."""
    prefix = folder.rstrip(os.sep) + os.sep
    return path[len(prefix) :] if path.startswith(prefix) else path


def anchor(lines: list[str], line: int, col: int, end_line: int, end_col: int, message: str) -> str:
    """The digest of a violation's own text: its range's first and last lines' parts, whitespace collapsed.

    A report at a bare position (no range: a whole module, a comment) is anchored on its message, so that a
    line added above it (a licence header, `from __future__ import annotations`) changes nothing.
    """
    if (end_line, end_col) == (line, col) or not 0 < line <= len(lines) or not 0 < end_line <= len(lines):
        text = "\0" + message
    elif end_line == line:
        text = lines[line - 1][col : max(col, min(end_col, col + ANCHOR_CHARS))]
    else:
        last = lines[end_line - 1][max(0, end_col - ANCHOR_CHARS) : end_col]
        text = lines[line - 1][col : col + ANCHOR_CHARS] + "\0" + last
    return blake2b(" ".join(text.split()).encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
