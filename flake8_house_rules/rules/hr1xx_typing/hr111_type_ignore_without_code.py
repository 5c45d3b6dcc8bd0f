"""HR111 type-ignore-without-code."""

from __future__ import annotations

import ast

from flake8_house_rules.rules.hr1xx_typing.base import TypingRule
from flake8_house_rules.rules.hr1xx_typing.comments import type_ignores


class TypeIgnoreWithoutCode(TypingRule):
    """## What it does
    Checks for `# type: ignore` comments without an error code in brackets.

    ## Why is this bad?
    A bare ignore silences every error on the line, including ones nobody has seen yet. "Use
    `# type: ignore[<code>]` sparingly, with specific error code" (000); "`# type: ignore` — always add
    explanation: `# type: ignore[arg-type] - httpx stub incomplete`" (001).

    Only real comments count: the text inside a string is not a comment. Every `# type: ignore` on a
    line is checked, not only the first.

    ## Example
    ```python
    client = make_client()  # type: ignore
    ```

    Use instead:
    ```python
    client = make_client()  # type: ignore[no-untyped-call] - vendor SDK has no stubs
    ```
    """

    code = "HR111"
    name = "type-ignore-without-code"
    message = "name the error code: `# type: ignore[code]`"
    source = "000 mypy Compliance; 001 Special Comments"
    valid = (
        "x = f()  # type: ignore[arg-type] - stub is wrong",
        "text = '# type: ignore'",
        "x = f()  # type: ignored by design, not a pragma",
        'def f() -> None:\n    """Example.\n\n    x = g()  # type: ignore\n    """',
        "x = f()  # type: ignore[arg-type]  # type: ignore[misc] - stubs lag behind",
        "from pydantic import Field\n\nnote: str = Field(description='add # type: ignore to silence')",
    )
    invalid = (
        "x = f()  # type: ignore  # error: HR111",
        "y = g()  # noqa: E501  # type: ignore  # error: HR111",
        "z = h()  # type:ignore # error: HR111",
        "w = k()  # type: ignore[attr-defined]  # type: ignore  # error: HR111",
        "v = m()  # type: ignore  # type: ignore[misc]  # error: HR111",
        "u = n()  # type: ignore  # type: ignore  # error: HR111, HR111",
    )

    def visit_Module(self, node: ast.Module) -> None:
        """Scan the module's comments once."""
        for line, col, codes, _ in type_ignores(self.ctx):
            if codes is None:
                self.report((line, col))
