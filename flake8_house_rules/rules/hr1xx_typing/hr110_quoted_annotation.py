"""HR110 quoted-annotation."""

from __future__ import annotations

import ast

from flake8_house_rules.rule import Rule

NOT_TYPES = frozenset({"Literal", "Annotated"})


class QuotedAnnotation(Rule):
    """## What it does
    Checks for string (quoted) annotations, `def f() -> "User"` or `list["User"]`, in a module without
    `from __future__ import annotations`. Strings that are values rather than types are not annotations:
    the members of `Literal[...]` and the metadata of `Annotated[T, ...]` are never reported.

    ## Why is this bad?
    Quoting forward references by hand is noisy and easy to get wrong; one future import makes every
    annotation lazy. "Use `from __future__ import annotations` for forward references when needed" (000);
    003 asks the same.

    ## Example
    ```python
    class Node:
        def children(self) -> list["Node"]: ...
    ```

    Use instead:
    ```python
    from __future__ import annotations

    class Node:
        def children(self) -> list[Node]: ...
    ```
    """

    code = "HR110"
    name = "quoted-annotation"
    message = "add `from __future__ import annotations` and remove the quotes"
    fix = "safe"
    source = "000 Type Annotations; 003 Type Hints"
    valid = (
        "from __future__ import annotations\n\ndef f() -> 'Node': ...",
        "from typing import Literal\n\ndef f(mode: Literal['r', 'w']) -> None: ...",
        "from typing import Annotated\n\nx: Annotated[int, 'metadata'] = 1",
        "x = cast('Node', y)",
        "def f(x: int = 'default') -> None: ...",
    )
    invalid = (
        "class Node:\n    def children(self) -> list['Node']: ...  # error: HR110",
        "def f(user: 'User') -> None: ...  # error: HR110",
        "owner: 'User | None' = None  # error: HR110",
        "from typing import Annotated\n\nx: Annotated['Node', 'meta'] = 1  # error: HR110",
    )

    def visit_Constant(self, node: ast.Constant) -> None:
        """Report a string constant that stands for a type inside an annotation."""
        if self.ctx.future_annotations or not isinstance(node.value, str):
            return
        if not self.ctx.in_annotation(node) or self._is_value_position(node):
            return
        self.report(node)

    def _is_value_position(self, node: ast.AST) -> bool:
        """Whether the string sits in `Literal[...]` or the metadata of `Annotated[...]`."""
        child, parent = node, self.ctx.parent(node)
        while isinstance(parent, ast.expr):
            if isinstance(parent, ast.Subscript) and child is parent.slice:
                spelled = parent.value.attr if isinstance(parent.value, ast.Attribute) else None
                spelled = parent.value.id if isinstance(parent.value, ast.Name) else spelled
                if spelled == "Literal":
                    return True
                if spelled == "Annotated":
                    first = parent.slice.elts[0] if isinstance(parent.slice, ast.Tuple) else parent.slice
                    return node is not first and not any(a is first for a in self.ctx.ancestors(node))
            child, parent = parent, self.ctx.parent(parent)
        return False
