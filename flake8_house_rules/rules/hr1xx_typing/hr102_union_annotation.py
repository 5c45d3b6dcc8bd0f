"""HR102 union-annotation."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, FixExample
from flake8_house_rules.rules.hr1xx_typing.aliases import PEP_604
from flake8_house_rules.rules.hr1xx_typing.base import TypingRule
from flake8_house_rules.rules.hr1xx_typing.pep604 import members_of, spell_members
from flake8_house_rules.rules.hr1xx_typing.rewrites import union_fix

if TYPE_CHECKING:
    from flake8_house_rules.fixes import Fix


class UnionAnnotation(TypingRule):
    """## What it does
    Checks for `typing.Union[X, Y, ...]`, resolved through the module's imports, in code and inside string
    annotations (`x: "Union[int, str]"`, reported at the string).

    ## Why is this bad?
    PEP 604 writes a union as `X | Y`. The guides ask for it: "`X | Y` over `Union[X, Y]`" (000), and
    "NEVER: Old-style `Union[X, Y]` (use `X | Y`)" (003).

    **When the rewrite is safe, per target version.** Below Python 3.10 the rule is silent: `X | Y` fails
    at run time. From 3.10 on a union is reported only when every member can stand in `X | Y` at run time
    (annotations are evaluated at definition without `from __future__ import annotations` before 3.14, and
    by `typing.get_type_hints`, pydantic or FastAPI in any case). Not reported: a `NamedTuple` or
    `TypedDict` member (`NamedTuple | int` raises), a string member where it is evaluated
    (`Union["User", None]`: `"User" | None` raises), a starred member (`Union[*Ts]` has no `|`
    spelling), a member that may be several types at run time (`Union[types]` for a parameter or a tuple),
    a call, lambda or nested tuple, and unions that start with two `None` (`None | None` raises). Where the
    annotation is deferred (the future import, a 3.14+ target, a string annotation), string members are
    reported and spelled without their quotes.

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
        "from typing import NamedTuple, Union\n\na: Union[NamedTuple, int] = None",
        "import typing_extensions as te\n\nb: te.Union[None, te.NamedTuple] = None",
        "from typing import Union\n\ndef f(user: Union['User', None]) -> None: ...",
        "from typing import Union\n\nValue = Union[int, 'Decimal']",
        "from typing import Union\n\nclass Collection(Protocol[*Ts]):\n"
        "    def __iter__(self) -> Iterator[Union[*Ts]]: ...",
        "from typing import Union\n\ndef f(types: tuple[type, ...]) -> object:\n    return Union[types]",
        "from typing import Union\n\nMODELS = (A, B)\nAnyModel = Union[MODELS]",
        "from typing import Union\n\nx: Union[None, None, int] = None",
        "from typing import Union\n\nx: Union[()] = None",
        "from typing import Union\n\nx: Union[(str, int), float] = 0",
        "from typing import Union\n\ndef f(x: Union[x := int]) -> None: ...",
        "from typing import NamedTuple, Union\n\nx: 'Union[NamedTuple, int]' = None",
    )
    invalid = (
        "from typing import Union\n\ndef parse(raw: Union[str, bytes]) -> int: ...  # error: HR102",
        "import typing\n\nValue = typing.Union[int, float, None]  # error: HR102",
        "from typing import Union\n\ndef f(x: 'Union[str, int]') -> None: ...  # error: HR102",
        "from __future__ import annotations\n\nfrom typing import Union\n\n"
        "def f(user: Union['User', None]) -> None: ...  # error: HR102",
        "from typing import Union\n\nx: \"tuple[Union[int, 'AClass', None], str]\"  # error: HR102",
        "from typing import Union\n\nx: Union[None, int] = None  # error: HR102",
    )

    references = frozenset({"typing.Union"})
    string_annotations = True

    def visit_reference(self, node: ast.Name | ast.Attribute, name: str) -> None:
        """`Union[...]` in code, or in a string annotation (reported at the string)."""
        self._check(node)

    def _check(self, node: ast.AST) -> None:
        """Report `Union[...]` when `X | Y` works at run time, spelling it in the message when it is short."""
        positions = self.ctx.type_positions
        subscript = positions.parent(node)
        if not (isinstance(subscript, ast.Subscript) and subscript.value is node):
            return
        members = members_of(subscript)
        if any(isinstance(member, ast.Tuple) for member in members):
            return
        spelled = spell_members(self.ctx, members, subscript)
        if spelled is None:
            return
        inner = positions.segment(subscript.slice)
        where = positions.anchor(subscript)

        def fix() -> Fix | None:
            return union_fix(self.ctx, subscript, members, "Rewrite as `X | Y`")

        if inner and all(spelled):
            self.report(where, f"use `{' | '.join(spelled)}` instead of `Union[{inner}]`", fix)
        else:
            self.report(where, fix=fix)

    fixes = (
        FixExample(
            "from typing import Union\n\ndef parse(raw: Union[str, bytes]) -> int: ...  # error: HR102",
            "from typing import Union\n\ndef parse(raw: str | bytes) -> int: ...",
        ),
        FixExample(
            "import typing\n\nValue = typing.Union[int, float, None]  # error: HR102\n"
            "Name = typing.Union[str]  # error: HR102",
            "import typing\n\nValue = int | float | None\nName = str",
        ),
        FixExample(
            "from typing import Union\n\ndef f(x: 'Union[str, int]') -> None: ...  # error: HR102",
            "from typing import Union\n\ndef f(x: 'str | int') -> None: ...",
        ),
    )
