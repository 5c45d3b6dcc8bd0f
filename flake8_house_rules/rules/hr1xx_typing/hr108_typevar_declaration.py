"""HR108 typevar-declaration."""

from __future__ import annotations

import ast

from flake8_house_rules.rule import Example
from flake8_house_rules.rules.hr1xx_typing.aliases import PEP_695
from flake8_house_rules.rules.hr1xx_typing.base import TypingRule

DECLARATIONS = ("typing.TypeVar", "typing.ParamSpec", "typing.TypeVarTuple")
PEP_696 = (3, 13)


class TypeVarDeclaration(TypingRule):
    """## What it does
    Checks for `T = TypeVar(...)`, `P = ParamSpec(...)` and `Ts = TypeVarTuple(...)` declarations when
    the target Python is 3.12 or later. A `TypeVar` with a `default=` is reported only from 3.13, the
    first version whose type-parameter syntax can say `[T = int]`.

    ## Why is this bad?
    PEP 695 declares type parameters where they are used: `def first[T](items: list[T]) -> T`, `class
    Box[T]:`. Style guide 003 (Generics, Python 3.12+): "NEVER: `TypeVar("T")` declarations".

    ## Example
    ```python
    from typing import TypeVar

    T = TypeVar("T")

    def first(items: list[T]) -> T: ...
    ```

    Use instead:
    ```python
    def first[T](items: list[T]) -> T: ...
    ```
    """

    code = "HR108"
    name = "typevar-declaration"
    message = "declare type parameters with PEP 695 syntax (`def f[T](...)`, `class C[T]:`) instead"
    min_target_version = PEP_695
    source = "003 Generics (PEP 695)"
    valid = (
        Example("def first[T](items: list[T]) -> T: ...", python=(3, 12)),
        Example("from typing import TypeVar\n\nT = TypeVar('T')", options={"hr-target-version": "3.11"}),
        Example(
            "from typing import TypeVar\n\nT = TypeVar('T', default=int)",
            options={"hr-target-version": "3.12"},
        ),
        "from app.generics import TypeVar\n\nT = TypeVar('T')",
        "from typing import Annotated, TypeVar\nfrom pydantic import Field\n\n"
        "x: Annotated[str, Field(description='T = TypeVar(T)')] = ''\nregister(TypeVar('T'))",
    )
    invalid = (
        "from typing import TypeVar\n\nT = TypeVar('T')  # error: HR108",
        "import typing_extensions as te\n\nP = te.ParamSpec('P')  # error: HR108",
        "from typing import TypeVarTuple\n\nTs = TypeVarTuple('Ts')  # error: HR108",
    )

    calls = frozenset(DECLARATIONS)

    def visit_call(self, node: ast.Call, name: str) -> None:
        """Report a declaration call whose value is bound to a name."""
        if not isinstance(self.ctx.parent(node), ast.Assign | ast.AnnAssign):
            return
        if self.ctx.target_version < PEP_696 and any(keyword.arg == "default" for keyword in node.keywords):
            return
        self.report(node)
