"""Reading `# type: ignore` comments, shared by HR111 and HR112, and waivers of HR105 and HR106."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from flake8_house_rules.context.text import explains as explains_in_words
from flake8_house_rules.rules.hr0xx_hygiene.common import waived

if TYPE_CHECKING:
    import ast
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


#: mypy's error code for an unannotated `def` (`--disallow-untyped-defs`), in `# type: ignore[...]`.
UNTYPED_DEF_RE = re.compile(r"#\s*type:\s*ignore\s*\[[^\]]*(?<![\w-])no-untyped-def(?![\w-])")


def untyped_def_waived(
    ctx: ModuleContext, node: ast.FunctionDef | ast.AsyncFunctionDef, codes: tuple[str, ...]
) -> bool:
    """Whether a `def`'s signature lines waive mypy's or ruff's check that it is annotated.

    `# type: ignore[no-untyped-def]` (mypy's code for exactly this check) or a `# noqa:` naming one of ruff's
    `codes` (`ANN001`) on a line from the `def` to the line before its body: the project decided that this
    signature stays unannotated (a property patched onto an untyped library class). A bare `# type: ignore`
    is no such decision.
    """
    first = node.lineno
    last = max(first, node.body[0].lineno - 1) if node.body else first
    for line in range(first, last + 1):
        if any(UNTYPED_DEF_RE.search(comment) for _, comment in ctx.comments_on(line)):
            return True
        if waived(ctx, line, codes):
            return True
    return False
