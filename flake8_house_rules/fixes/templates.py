"""A pattern rule's `fix` template (ast-grep's rewrite syntax) as an edit of the node ast-grep matched.

`$NAME` in the template is the text its metavariable matched, `$$$NAME` the text from the first to the last
node of a multiple match (separators and spacing as written, empty when it matched nothing). A template
naming a metavariable the pattern did not bind gives no fix. Positions come from ast-grep's ranges (0-based
lines, character columns), which are the module's lines as the engine reads them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from flake8_house_rules.fixes.model import Edit, Fix

if TYPE_CHECKING:
    from collections.abc import Sequence

METAVARIABLE_RE = re.compile(r"\$\$\$([A-Z_][A-Z0-9_]*)|\$([A-Z_][A-Z0-9_]*)")


def template_fix(lines: Sequence[str], node: Any, template: str) -> Fix | None:  # Any: an ast-grep `SgNode`
    """The unsafe fix replacing a matched node with the expanded template, or `None`."""
    failed = False

    def expand(found: re.Match[str]) -> str:
        nonlocal failed
        many, one = found.group(1), found.group(2)
        if many is not None:
            nodes = node.get_multiple_matches(many)
            if not nodes:
                return ""
            return _text(lines, nodes[0].range().start, nodes[-1].range().end)
        match = node.get_match(one)
        if match is None:
            failed = True
            return ""
        return match.text()

    content = METAVARIABLE_RE.sub(expand, template)
    if failed:
        return None
    span = node.range()
    start, end = (span.start.line + 1, span.start.column), (span.end.line + 1, span.end.column)
    return Fix.unsafe(f"Rewrite as `{template}`", Edit(content, start, end))


def _text(lines: Sequence[str], start: Any, end: Any) -> str:  # Any: ast-grep positions
    """The module's text between two ast-grep positions."""
    if start.line == end.line:
        return lines[start.line][start.column : end.column]
    middle = lines[start.line + 1 : end.line]
    return "".join([lines[start.line][start.column :], *middle, lines[end.line][: end.column]])
