"""HR101 optional-annotation."""

from __future__ import annotations

import ast

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr1xx_typing.aliases import PEP_604


class OptionalAnnotation(Rule):
    """## What it does
    Checks for `typing.Optional[X]` (also through `typing_extensions`, `import typing as t`, or an alias
    such as `from typing import Optional as Opt`).

    ## Why is this bad?
    PEP 604 spells an optional type `X | None`, which reads as what it means and needs no import. Every
    style guide the pack draws on asks for it: "Use `X | None` not `Optional[X]` (PEP 604)" (001),
    "`str | None` over `Optional[str]`" (000), "Use `X | None` not `Optional[X]`" (003).

    Only a name that resolves to `typing.Optional` is reported: a project's own `Optional`, or a
    parameter of that name, is left alone. The rule is silent when the target Python is older than 3.10,
    where `X | None` fails at run time outside annotations.

    ## Example
    ```python
    from typing import Optional

    def find_user(user_id: str) -> Optional[User]: ...
    ```

    Use instead:
    ```python
    def find_user(user_id: str) -> User | None: ...
    ```
    """

    code = "HR101"
    name = "optional-annotation"
    message = "use `X | None` instead of `Optional[X]`"
    fix = "safe"
    min_target_version = PEP_604
    source = "000 Type Annotations; 001 Type Hints; 003 Type Hints"
    valid = (
        "def find(user_id: str) -> int | None: ...",
        "from app.types import Optional\n\ndef find(user_id: Optional[int]) -> None: ...",
        "from typing import Optional\n\ndef find(Optional: dict) -> None:\n    return Optional['key']",
        "import typing\n\nOptional = dict\nx: Optional[str, int] = {}",
        "class Optional:\n    def __class_getitem__(cls, item: object) -> type: ...\n\nx: Optional[int]",
        Example("from typing import Optional\n\nx: Optional[int] = None", options={"hr-target-version": "3.9"}),
    )
    invalid = (
        "from typing import Optional\n\ndef find(user_id: str) -> Optional[int]: ...  # error: HR101",
        "import typing as t\n\nx: t.Optional[str] = None  # error: HR101",
        "from typing_extensions import Optional as Opt\n\ny: Opt[int] = None  # error: HR101",
        "def f() -> None:\n    from typing import Optional\n    z: Optional[bytes] = None  # error: HR101",
    )

    references = frozenset({"typing.Optional"})

    def visit_reference(self, node: ast.Name | ast.Attribute, name: str) -> None:
        """Report `Optional[X]`, naming `X` in the message when it is short."""
        parent = self.ctx.parent(node)
        if isinstance(parent, ast.Subscript) and parent.value is node:
            inner = self.ctx.segment(parent.slice)
            self.report(parent, f"use `{inner} | None` instead of `Optional[{inner}]`" if inner else None)
