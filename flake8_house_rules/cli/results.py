"""What checking a file gives, and reading a file as flake8 does; light enough for a run that hits the cache."""

from __future__ import annotations

import io
import os
import tokenize
from dataclasses import dataclass
from typing import NamedTuple

try:  # hashlib's own BLAKE2, without loading OpenSSL (which costs a cached run a third of its start-up)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b


class Diagnostic(NamedTuple):
    """One violation as the command reports it: 1-based line, 0-based columns as flake8 counts them."""

    line: int
    col: int
    end_line: int
    end_col: int
    code: str
    message: str
    noqa_row: int
    source_line: str


@dataclass(frozen=True, slots=True)
class FileResult:
    """Everything one file gave: its content digest, its diagnostics, warnings, and internal errors."""

    digest: bytes
    diagnostics: tuple[Diagnostic, ...] = ()
    warnings: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()

    def to_data(self) -> tuple[bytes, tuple[tuple[object, ...], ...], tuple[str, ...]]:
        """Plain tuples for the cache (results with internal errors are never cached)."""
        return self.digest, tuple(tuple(item) for item in self.diagnostics), self.warnings

    @classmethod
    def from_data(cls, data: tuple[bytes, tuple[tuple[object, ...], ...], tuple[str, ...]]) -> FileResult:
        """The inverse of `to_data`."""
        digest, diagnostics, found = data
        return cls(digest, tuple(Diagnostic(*item) for item in diagnostics), tuple(found))


def content_digest(data: bytes) -> bytes:
    """The cache key of a file's content."""
    return blake2b(data, digest_size=16).digest()


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


def split_lines(text: str) -> list[str]:
    """Physical lines with their newline, split as a file is read (only at line feeds)."""
    return io.StringIO(text).readlines()


def relative_to(path: str, folder: str) -> str:
    """`path` relative to `folder` when it is under it, else unchanged (absolute)."""
    prefix = folder.rstrip(os.sep) + os.sep
    return path[len(prefix) :] if path.startswith(prefix) else path
