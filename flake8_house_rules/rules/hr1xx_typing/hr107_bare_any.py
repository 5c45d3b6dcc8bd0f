"""HR107 bare-any."""

from __future__ import annotations

import ast

from flake8_house_rules.rule import Rule


class BareAny(Rule):
    """## What it does
    Checks for `typing.Any` in a parameter, return or variable annotation when no comment explains it:
    neither on the annotation's line nor on a comment-only line just above it. Markers such as
    `# noqa: ...`, `# type: ignore[...]` and `# pragma: ...` are not explanations.

    ## Why is this bad?
    `Any` switches type checking off. Sometimes that is the honest type (a JSON blob, a third-party object
    without stubs), and then the reason belongs next to it. Style guide 003: "NEVER: Bare `Any` without
    comment".

    Reading a comment on the line above as an explanation is this pack's choice: it keeps long signatures
    readable and avoids reporting code that does explain itself.

    ## Example
    ```python
    from typing import Any

    def handle(payload: dict[str, Any]) -> None: ...
    ```

    Use instead:
    ```python
    def handle(payload: dict[str, Any]) -> None:  # Any: webhook JSON, validated downstream
        ...
    ```
    or a precise type (`TypedDict`, a pydantic model, `object`).
    """

    code = "HR107"
    name = "bare-any"
    message = "explain this `Any` in a comment on its line, or use a precise type"
    source = "003 Type Hints (NEVER list)"
    valid = (
        "from typing import Any\n\ndef f(payload: dict[str, Any]) -> None: ...  # Any: raw webhook JSON",
        "from typing import Any\n\n# Any: third-party object without stubs\nclient: Any = None",
        "from typing import Any\n\nx = cast(Any, y)",
        "from app import Any\n\ndef f(x: Any) -> None: ...",
        "def f(x: object) -> None: ...",
    )
    invalid = (
        "from typing import Any\n\ndef f(payload: dict[str, Any]) -> None: ...  # error: HR107",
        "import typing\n\nx: typing.Any = None  # noqa: E501  # error: HR107",
        "from typing import Any\n\ndef f(*args: Any) -> Any: ...  # error: HR107, HR107",
    )

    references = frozenset({"typing.Any"})

    def visit_reference(self, node: ast.Name | ast.Attribute, name: str) -> None:
        """`Any` imported from typing, `typing.Any`, `t.Any`."""
        if not self.ctx.in_annotation(node):
            return
        line = node.lineno
        if self.ctx.has_explaining_comment(line):
            return
        if self.ctx.is_comment_only_line(line - 1) and self.ctx.has_explaining_comment(line - 1):
            return
        self.report(node)
