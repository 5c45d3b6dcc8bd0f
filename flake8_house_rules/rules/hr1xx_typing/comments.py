"""Reading `# type: ignore` comments, shared by HR111 and HR112."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from flake8_house_rules.context import ModuleContext

TYPE_IGNORE_RE = re.compile(r"(?:^|#)\s*(type:\s*ignore)(?![\w-])(\s*\[[^\]]*\])?(.*)$", re.IGNORECASE)
MARKERS_RE = re.compile(r"noqa(:[\s,A-Z0-9]*)?|pragma:[^#]*", re.IGNORECASE)


def type_ignores(ctx: ModuleContext) -> Iterator[tuple[int, int, str | None, str]]:
    """Each `# type: ignore` comment as `(line, column, "[codes]" or None, text after it)`."""
    candidates = [number for number, text in enumerate(ctx.lines, start=1) if "type:" in text and "#" in text]
    if not candidates:
        return
    for line in candidates:
        for col, text in ctx.comments_on(line):
            found = TYPE_IGNORE_RE.search(text)
            if found is not None:
                yield line, col + found.start(1), found.group(2), found.group(3)


def explains(rest: str) -> bool:
    """Whether the text after `# type: ignore[code]` says something beyond tool markers."""
    return re.search(r"[A-Za-z]{2}", MARKERS_RE.sub(" ", rest)) is not None
