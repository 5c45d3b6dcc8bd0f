"""HR112 type-ignore-without-reason."""

from __future__ import annotations

import ast

from flake8_house_rules.rules.hr1xx_typing.base import TypingRule
from flake8_house_rules.rules.hr1xx_typing.comments import explains, type_ignores


class TypeIgnoreWithoutReason(TypingRule):
    """## What it does
    Checks for `# type: ignore[code]` with no explanation after it on the same line (each one on a line is
    checked). An explanation says why in words: at least two words after the bracket
    (`- stub incomplete`, `# vendor bug`); `noqa` and `pragma` markers, bare codes and `# OK` do not count.

    ## Why is this bad?
    The next reader needs to know why the checker is wrong here and when the ignore can go. Style guide
    001: "`# type: ignore` — always add explanation: `# type: ignore[arg-type] - httpx stub incomplete`".

    ## Example
    ```python
    response = client.send(request)  # type: ignore[arg-type]
    ```

    Use instead:
    ```python
    response = client.send(request)  # type: ignore[arg-type] - httpx stub incomplete
    ```
    """

    code = "HR112"
    name = "type-ignore-without-reason"
    message = "say why after the ignore: `# type: ignore[code] - reason`"
    tier = "opt-in"
    source = "001 Special Comments"
    valid = (
        "x = f()  # type: ignore[arg-type] - httpx stub incomplete",
        "x = f()  # type: ignore[arg-type]  # vendor stubs are wrong",
        "x = f()  # type: ignore",
        "from pydantic import Field\n\nnote: str = Field(description='# type: ignore[misc]')",
    )
    invalid = (
        "x = f()  # type: ignore[arg-type]  # error: HR112",
        "y = g()  # type: ignore[misc]  # noqa: E501  # error: HR112",
        "z = h()  # type: ignore[misc]  # OK  # error: HR112",
    )

    def visit_Module(self, node: ast.Module) -> None:
        """Scan the module's comments once."""
        for line, col, codes, rest in type_ignores(self.ctx):
            if codes is not None and not explains(rest):
                self.report((line, col))
