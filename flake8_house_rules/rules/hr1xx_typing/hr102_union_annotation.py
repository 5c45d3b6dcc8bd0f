"""HR102 union-annotation."""

from __future__ import annotations

import ast

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr1xx_typing.aliases import PEP_604


class UnionAnnotation(Rule):
    """## What it does
    Checks for `typing.Union[X, Y, ...]`, resolved through the module's imports.

    ## Why is this bad?
    PEP 604 writes a union as `X | Y`. The guides ask for it: "`X | Y` over `Union[X, Y]`" (000), and
    "NEVER: Old-style `Union[X, Y]` (use `X | Y`)" (003).

    The rule is silent when the target Python is older than 3.10.

    ## Example
    ```python
    from typing import Union

    def parse(raw: Union[str, bytes]) -> dict: ...
    ```

    Use instead:
    ```python
    def parse(raw: str | bytes) -> dict: ...
    ```
    """

    code = "HR102"
    name = "union-annotation"
    message = "use `X | Y` instead of `Union[X, Y]`"
    fix = "safe"
    min_target_version = PEP_604
    source = "000 Type Annotations; 003 Type Hints"
    valid = (
        "def parse(raw: str | bytes) -> int: ...",
        "from sqlalchemy import Union\n\nstatement = Union[0]",
        Example("from typing import Union\n\nx: Union[int, str] = 0", options={"hr-target-version": "3.8"}),
    )
    invalid = (
        "from typing import Union\n\ndef parse(raw: Union[str, bytes]) -> int: ...  # error: HR102",
        "import typing\n\nValue = typing.Union[int, float, None]  # error: HR102",
    )

    references = frozenset({"typing.Union"})

    def visit_reference(self, node: ast.Name | ast.Attribute, name: str) -> None:
        """Report `Union[...]`, spelling the `|` form in the message when it is short."""
        subscript = self.ctx.parent(node)
        if isinstance(subscript, ast.Subscript) and subscript.value is node:
            self._check(subscript)

    def _check(self, node: ast.Subscript) -> None:
        members = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        parts = [self.ctx.segment(member) for member in members]
        inner = self.ctx.segment(node.slice)
        if inner and all(parts):
            self.report(node, f"use `{' | '.join(part for part in parts if part)}` instead of `Union[{inner}]`")
        else:
            self.report(node)
