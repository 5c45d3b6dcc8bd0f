"""What a fix is: edits of the source text, with how safe applying them is.

Positions are `(line, column)`: 1-based lines, 0-based columns counted in characters (not the UTF-8 bytes
the AST counts), end exclusive. An insertion has `start == end`; a deletion has empty `content`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Applicability = Literal["safe", "unsafe"]
Position = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text from `start` to `end` with `content`."""

    content: str
    start: Position
    end: Position

    @property
    def is_insertion(self) -> bool:
        """Whether the edit only inserts text (it removes nothing)."""
        return self.start == self.end


@dataclass(frozen=True, slots=True)
class Fix:
    """One rule's fix for one violation: its edits (applied together or not at all) and what it does.

    Insertions at one point land in the order the edits are listed (list an import first).
    """

    applicability: Applicability
    message: str
    edits: tuple[Edit, ...]

    @classmethod
    def safe(cls, message: str, *edits: Edit) -> Fix:
        """A fix that keeps behaviour."""
        return cls("safe", message, tuple(edits))

    @classmethod
    def unsafe(cls, message: str, *edits: Edit) -> Fix:
        """A fix that may change behaviour, applied only with `--unsafe-fixes`."""
        return cls("unsafe", message, tuple(edits))

    def sorted_edits(self) -> tuple[Edit, ...]:
        """The edits in source order."""
        return tuple(sorted(self.edits, key=lambda edit: (edit.start, edit.end)))

    def to_data(self) -> tuple[Any, ...]:  # Any: plain, marshal-able parts
        """The fix as plain tuples, for worker processes and the cache: `(applicability, message, edits)`."""
        edits = tuple((edit.content, *edit.start, *edit.end) for edit in self.sorted_edits())
        return self.applicability, self.message, edits

    @classmethod
    def from_data(cls, data: Any) -> Fix | None:  # Any: what `to_data` gave, maybe read back from the cache
        """The inverse of `to_data` (`None` for no fix)."""
        if not data:
            return None
        applicability, message, edits = data
        return cls(
            applicability,
            message,
            tuple(Edit(content, (line, col), (end_line, end_col)) for content, line, col, end_line, end_col in edits),
        )
