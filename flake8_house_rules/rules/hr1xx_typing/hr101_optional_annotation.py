"""HR101 optional-annotation."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, FixExample
from flake8_house_rules.rules.hr1xx_typing.aliases import PEP_604
from flake8_house_rules.rules.hr1xx_typing.base import TypingRule
from flake8_house_rules.rules.hr1xx_typing.pep604 import spell_members
from flake8_house_rules.rules.hr1xx_typing.rewrites import union_fix

if TYPE_CHECKING:
    from collections.abc import Callable

    from flake8_house_rules.fixes import Fix


class OptionalAnnotation(TypingRule):
    """## What it does
    Checks for `typing.Optional[X]` (also through `typing_extensions`, `import typing as t`, or an alias
    such as `from typing import Optional as Opt`), in code and inside string annotations
    (`x: "Optional[int]"`, reported at the string).

    ## Why is this bad?
    PEP 604 spells an optional type `X | None`, which reads as what it means and needs no import. Every
    style guide the pack draws on asks for it: "Use `X | None` not `Optional[X]` (PEP 604)" (001),
    "`str | None` over `Optional[str]`" (000), "Use `X | None` not `Optional[X]`" (003).

    Only a name that resolves to `typing.Optional` is reported: a project's own `Optional`, or a
    parameter of that name, is left alone.

    **When the rewrite is safe, per target version.** Below Python 3.10 `X | None` fails at run time
    wherever it is evaluated, so the rule is silent there. From 3.10 on it is reported only when `X | None`
    works at run time, because annotations are evaluated: when the function or class is defined (without
    `from __future__ import annotations`, before 3.14), and later by whoever reads them
    (`typing.get_type_hints`, pydantic, FastAPI) in every case. So these are not reported:
    `Optional[NamedTuple]` and `Optional[TypedDict]` (functions, not types: `NamedTuple | None` raises),
    `Optional[None]` (`None | None` raises), and `Optional["User"]` where it is evaluated (`"User" | None`
    raises). Where the annotation is deferred (the future import, a 3.14+ target, or inside a string
    annotation), `Optional["User"]` is reported and the rewrite drops the inner quotes: `User | None`.

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
        "from typing import NamedTuple, Optional\n\na: Optional[NamedTuple] = None",
        "import typing\n\na: typing.Optional[typing.NamedTuple] = None",
        "from typing import Optional, TypedDict\n\ndef f(x: Optional[TypedDict]) -> None: ...",
        "from typing import Optional\n\nclass A:\n    owner: Optional['User'] = None",
        "from typing import Optional\n\nUserRef = Optional['User']",
        "from typing import Optional\n\nfoo: Optional[None] = None",
        "from typing import NamedTuple, Optional\n\nx: 'Optional[NamedTuple]' = None",
        "from typing import Optional\n\ndef f(x: Optional[int, str]) -> None: ...",
        "from typing import Optional\n\ndef f(x: Optional[lambda: int]) -> None: ...",
        "from typing import Annotated\nfrom pydantic import Field\n\n"
        "name: Annotated[str, Field(description='Optional[str] in a description')] = ''",
        "from typing import Optional\n\nx: 'Literal[\"Optional[int]\"]' = 'Optional[int]'",
    )
    invalid = (
        "from typing import Optional\n\ndef find(user_id: str) -> Optional[int]: ...  # error: HR101",
        "import typing as t\n\nx: t.Optional[str] = None  # error: HR101",
        "from typing_extensions import Optional as Opt\n\ny: Opt[int] = None  # error: HR101",
        "def f() -> None:\n    from typing import Optional\n    z: Optional[bytes] = None  # error: HR101",
        "from typing import Optional\n\nx: 'Optional[int]' = None  # error: HR101",
        "import typing\n\ndef f() -> 'typing.Optional[str]': ...  # error: HR101",
        "from __future__ import annotations\n\nfrom typing import Optional\n\n"
        "def f(owner: Optional['User']) -> None: ...  # error: HR101",
        "from typing import Optional\n\ndef f(owner: 'Optional[\"User\"]') -> None: ...  # error: HR101",
        Example(
            "from typing import Optional\n\ndef f(owner: Optional['User']) -> None: ...  # error: HR101",
            options={"hr-target-version": "3.14"},
        ),
        "from typing import Optional\n\nclass Tree:\n    parent: Optional[list['Tree']] = None  # error: HR101",
    )

    references = frozenset({"typing.Optional"})
    string_annotations = True

    def visit_reference(self, node: ast.Name | ast.Attribute, name: str) -> None:
        """`Optional[X]` in code, or in a string annotation (reported at the string)."""
        self._check(node)

    def _check(self, node: ast.AST) -> None:
        """Report `Optional[X]` when `X | None` works at run time, naming `X` in the message when it is short."""
        positions = self.ctx.type_positions
        parent = positions.parent(node)
        if not (isinstance(parent, ast.Subscript) and parent.value is node) or isinstance(parent.slice, ast.Tuple):
            return
        spelled = spell_members(self.ctx, [parent.slice], parent)
        if spelled is None:
            return
        inner = positions.segment(parent.slice)
        where = positions.anchor(parent)
        fix = self._fixer(parent)
        if spelled[0] and inner:
            self.report(where, f"use `{spelled[0]} | None` instead of `Optional[{inner}]`", fix)
        else:
            self.report(where, fix=fix)

    def _fixer(self, subscript: ast.Subscript) -> Callable[[], Fix | None]:
        """The fix: `Optional[X]` becomes `X | None`, `X`'s text kept."""
        return lambda: union_fix(self.ctx, subscript, [subscript.slice], "Rewrite as `X | None`", ("None",))

    fixes = (
        FixExample(
            "from typing import Optional\n\ndef find(user_id: str) -> Optional[User]: ...  # error: HR101",
            "from typing import Optional\n\ndef find(user_id: str) -> User | None: ...",
        ),
        FixExample(
            "from typing import Optional\n\nx: 'Optional[int]' = None  # error: HR101",
            "from typing import Optional\n\nx: 'int | None' = None",
        ),
        FixExample(
            "from __future__ import annotations\n\nimport typing as t\n\n"
            "def f(owner: t.Optional['User'], n: t.Optional[int | str] = 0) -> None: ...  # error: HR101, HR101",
            "from __future__ import annotations\n\nimport typing as t\n\n"
            "def f(owner: User | None, n: int | str | None = 0) -> None: ...",
        ),
        FixExample(
            "from typing import Optional\n\nx: Optional[  # error: HR101\n    dict[str, int]\n] = None",
            "from typing import Optional\n\nx: dict[str, int] | None = None",
        ),
    )
