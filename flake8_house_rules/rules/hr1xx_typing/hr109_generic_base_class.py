"""HR109 generic-base-class."""

from __future__ import annotations

import ast

from flake8_house_rules.rule import Example
from flake8_house_rules.rules.hr1xx_typing.aliases import PEP_695, TYPING_MODULES
from flake8_house_rules.rules.hr1xx_typing.base import TypingRule


class GenericBaseClass(TypingRule):
    """## What it does
    Checks for a `Generic[T]` base class, and for `from typing import Generic`, when the target Python
    is 3.12 or later. The base is reported at the base expression; the import at the import statement.

    ## Why is this bad?
    With PEP 695 a class declares its type parameters in its header, `class Repository[T: Model]:`, and
    `Generic` is implied. Style guide 003: "ALWAYS: Use new syntax `class Foo[T]:` instead of
    `Generic[T]`" and "NEVER: `from typing import Generic`".

    ## Example
    ```python
    from typing import Generic, TypeVar

    T = TypeVar("T")

    class Page(Generic[T]):
        items: list[T]
    ```

    Use instead:
    ```python
    class Page[T]:
        items: list[T]
    ```
    """

    code = "HR109"
    name = "generic-base-class"
    message = "declare the type parameters in the class header (`class C[T]:`) instead of `Generic[T]`"
    min_target_version = PEP_695
    source = "003 Generics (PEP 695)"
    valid = (
        Example("class Page[T]:\n    items: list[T]", python=(3, 12)),
        Example("from typing import Generic\n\nclass A(Generic[T]): ...", options={"hr-target-version": "3.11"}),
        "from app.base import Generic\n\nclass A(Generic[T]): ...",
        "from typing import Annotated\nfrom pydantic import Field\n\n"
        "class Page(BaseModel):\n    kind: Annotated[str, Field(description='Generic[T] page')] = ''",
        "from app.repo import Repository\n\nclass UserRepository(Repository[User]): ...",
    )
    invalid = (
        "from typing import Generic  # error: HR109\n\nclass Page(Generic[T]):  # error: HR109\n    pass",
        "import typing\n\nclass Box(Base, typing.Generic[T]): ...  # error: HR109",
    )

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """Report each `Generic[...]` base."""
        for base in node.bases:
            if isinstance(base, ast.Subscript) and self.ctx.resolves_to(base.value, "typing.Generic"):
                self.report(base)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        """Report `from typing import Generic`."""
        if not node.level and node.module in TYPING_MODULES and any(a.name == "Generic" for a in node.names):
            self.report(node, "do not import `Generic`: declare type parameters in the class header instead")
