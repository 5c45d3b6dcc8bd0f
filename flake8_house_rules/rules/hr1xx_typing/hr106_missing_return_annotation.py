"""HR106 missing-return-annotation."""

from __future__ import annotations

import ast

from flake8_house_rules.fixes import Fix, edits
from flake8_house_rules.rule import FixExample, Rule


class MissingReturnAnnotation(Rule):
    """## What it does
    Checks for functions and methods without a return annotation, `__init__` included (it returns
    `None`, and says so). Reported on the `def` line.

    ## Why is this bad?
    A missing return type makes every caller's type unknown. "Type all return values (even None)" (003);
    "annotate all parameters and return type" (000); "Type hints on all functions" (004).

    When the body has no `return <value>` and no `yield`, the message says to write `-> None`.

    ## Example
    ```python
    class Cache:
        def __init__(self, size: int):
            self.size = size
    ```

    Use instead:
    ```python
    class Cache:
        def __init__(self, size: int) -> None:
            self.size = size
    ```
    """

    code = "HR106"
    name = "missing-return-annotation"
    message = "add a return annotation"
    fix = "safe"
    source = "000 Type Annotations; 003 Type Hints; 004 Type Hints"
    valid = (
        "def f() -> None: ...",
        "class A:\n    def __init__(self) -> None:\n        self.x = 1",
        "handler = lambda: None",
        "from pydantic import Field\n\nx: list[int] = Field(default_factory=lambda: [1])",
        "class Api:\n    def __init__(self, client: object) -> None:\n        self._client = client",
    )
    invalid = (
        "def f():  # error: HR106\n    return 1",
        "class A:\n    def __init__(self, x: int):  # error: HR106\n        self.x = x",
        "@decorator\nasync def stream(n: int):  # error: HR106\n    yield n",
        "def outer() -> int:\n    def inner():  # error: HR106\n        pass\n    return 1",
    )

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """Report an unannotated `def`, suggesting `-> None` when nothing is returned."""
        if node.returns is not None:
            return
        scope = self.ctx.scope_of_node.get(node)
        if scope is not None and not scope.returns_value and not scope.yields:
            self.report(node, "add a return annotation: `-> None`", lambda: self._fix(node))
        else:
            self.report(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def _fix(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Fix | None:
        """`-> None` after the parameters, for a function that returns no value and never yields."""
        position = edits.after_parameters(self.ctx, node)
        if position is None:
            return None
        return Fix.safe("Add `-> None`", edits.insert_at(position, " -> None"))

    fixes = (
        FixExample(
            "class A:\n    def __init__(self, x: int):  # error: HR106\n        self.x = x",
            "class A:\n    def __init__(self, x: int) -> None:\n        self.x = x",
        ),
        FixExample(
            "def outer() -> int:\n    async def inner(  # error: HR106\n        a: int = (1),\n    ):\n"
            "        pass\n    return 1",
            "def outer() -> int:\n    async def inner(\n        a: int = (1),\n    ) -> None:\n"
            "        pass\n    return 1",
        ),
        FixExample("def f[T](x: T): pass  # error: HR106", "def f[T](x: T) -> None: pass", python=(3, 12)),
    )
