"""Reading `# type: ignore` comments, shared by HR111 and HR112."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from flake8_house_rules.context.text import explains as explains_in_words

if TYPE_CHECKING:
    from collections.abc import Iterator

    from flake8_house_rules.context import ModuleContext

TYPE_IGNORE_RE = re.compile(r"#\s*(type:\s*ignore)(?![\w-])(\s*\[[^\]]*\])?", re.IGNORECASE)
#: A line that may hold such a comment, found in the whole source at once. Case-sensitive, as mypy reads the
#: comment: a literal prefix lets the regex engine skip through the text at C speed.
CANDIDATE_RE = re.compile(r"type:\s*ignore")


def type_ignores(ctx: ModuleContext) -> Iterator[tuple[int, int, str | None, str]]:
    """Each `# type: ignore` comment as `(line, column, "[codes]" or None, text after it)`.

    Every one on a line counts (`# type: ignore[misc]  # type: ignore`); the text after one runs up to the
    next. Candidate lines are found by searching the module's text once.
    """
    for line in ctx.derived("type-ignore-lines", lambda: _candidate_lines(ctx.source())):
        for col, text in ctx.comments_on(line):
            found = list(TYPE_IGNORE_RE.finditer(text))
            for index, match in enumerate(found):
                end = found[index + 1].start() if index + 1 < len(found) else len(text)
                yield line, col + match.start(1), match.group(2), text[match.end() : end]


def _candidate_lines(source: str) -> list[int]:
    """The lines on which `type: ignore` is written, from one search of the module's text."""
    candidates: list[int] = []
    line, counted = 1, 0
    for match in CANDIDATE_RE.finditer(source):
        line += source.count("\n", counted, match.start())
        counted = match.start()
        if not candidates or candidates[-1] != line:
            candidates.append(line)
    return candidates


def explains(rest: str) -> bool:
    """Whether the text after `# type: ignore[code]` says why in words (not `# noqa: E501`, not `# OK`)."""
    return explains_in_words(rest)
