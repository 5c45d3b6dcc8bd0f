"""HR110 quoted-annotation."""

from __future__ import annotations

import ast

from flake8_house_rules.fixes import Fix, edits
from flake8_house_rules.rule import Example, FixExample
from flake8_house_rules.rules.hr1xx_typing.base import TypingRule

QUOTES = ("'", '"')
TRIPLE_QUOTES = ("'''", '"""')


class QuotedAnnotation(TypingRule):
    """## What it does
    Checks for string (quoted) annotations, `def f() -> "User"`, `list["User"]` or `"User | None"`, in a
    module without `from __future__ import annotations`. Reported at the string.

    Only a string that stands where a type can stand is an annotation (see `context/annotations.py`):
    strings that are values inside an annotation are never reported: the arguments and keywords of a call
    anywhere in it (`typer.Option(help="How many to show")`, `Query(description="Free text")`,
    `Field(pattern="^[a-z]+$")`), the members of `Literal[...]`, and the metadata of `Annotated[T, ...]` at
    any depth, and array shapes (jaxtyping's `Float[Array, "batch"]`, nptyping's `Shape["N"]`). The first
    element of `Annotated["Node", ...]` is a type and is reported. A string that does
    not read as a type (`"the user id"`, `"1"`, text that does not parse) is not an annotation either.
    Type alias values, type parameter bounds and `cast("T", x)` are not annotations and are not checked.

    A module that imports SQLModel and defines a table model (`class Team(SQLModel, table=True)`) is not
    checked: SQLModel cannot map relationships under the future import, so quoting is the form that works.

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
        # phoenix: ariadne-codegen's client, written to `__generated__/` without a header
        Example("def f(user: 'User') -> None: ...", path="src/app/graphql/__generated__/input_types.py"),
        "from typing import Literal\n\ndef f(mode: Literal['r', 'w']) -> None: ...",
        "from typing import Annotated\n\nx: Annotated[int, 'metadata'] = 1",
        "x = cast('Node', y)",
        "def f(x: int = 'default') -> None: ...",
        "from typing import Annotated\nfrom pydantic import Field\n\n"
        "class Image:\n    name: Annotated[str, Field(description='The image name')]",
        "from typing import Annotated\nimport typer\n\n"
        "def main(limit: Annotated[int, typer.Option(help='How many to show')] = 10) -> None: ...",
        "from typing import Annotated\nfrom fastapi import Query\n\n"
        "async def search(q: Annotated[str, Query(description='Free text')] = '') -> list: ...",
        "from typing import Annotated\nfrom pydantic import Field\n\n"
        "def f(x: Annotated[str, Field(pattern=r'^\\d+$')]) -> None: ...",
        "import typing as t\n\nx: t.Annotated[int, t.Annotated[str, 'deep metadata'], {'k': 'v'}] = 1",
        "from typing_extensions import Literal as L\n\ndef f(mode: L['fast', 'slow']) -> None: ...",
        "from typing import Annotated\nfrom fastapi import Depends\n\n"
        "def handler(db: Annotated[Session, Depends(get_db, use_cache='yes')]) -> None: ...",
        "def f(user_id: 'the id of the user') -> None: ...",
        "def f(x: '1') -> None: ...",
        "x: dict[str, str] = {'a': 'b'}",
        "from typing import TypeAlias\n\nNodeRef: TypeAlias = 'Node'",
        Example("type Pair = tuple['Node', 'Node']", python=(3, 12)),
        Example("def f[T: 'Node'](x: T) -> T: ...", python=(3, 12)),
        "from mypy_extensions import Arg\n\nx: Arg('str', 'name')",
        "from jaxtyping import Array, Float\n\ndef norm(x: Float[Array, 'batch']) -> Float[Array, '']: ...",
        "from nptyping import NDArray, Shape, Int\n\ngrid: NDArray[Shape['N'], Int]",
        # zenml: SQLModel table models cannot take the future import
        "from typing import Optional\nfrom sqlmodel import Field, Relationship, SQLModel\n\n"
        "class Team(SQLModel, table=True):\n    id: int = Field(primary_key=True)\n"
        "    owner: Optional['User'] = Relationship(back_populates='teams')",
    )
    invalid = (
        "class Node:\n    def children(self) -> list['Node']: ...  # error: HR110",
        "def f(user: 'User') -> None: ...  # error: HR110",
        "owner: 'User | None' = None  # error: HR110",
        # a SQLModel model that is no table
        "from sqlmodel import SQLModel\n\nclass TeamRead(SQLModel):\n    owner: 'User'  # error: HR110",
        "from typing import Annotated\n\nx: Annotated['Node', 'meta'] = 1  # error: HR110",
        "from typing import Annotated\nfrom pydantic import Field\n\n"
        "x: Annotated['Node', Field(description='a node')] = 1  # error: HR110",
        "from typing import Callable\n\nhandler: Callable[['Event'], None]  # error: HR110",
        "def f(*args: 'str', **kwargs: 'int') -> None: ...  # error: HR110, HR110",
        "def f() -> 'Literal[0]#': ...  # error: HR110",
        "def f(x: \"list['Node']\") -> None: ...  # error: HR110",
    )

    def visit_Module(self, node: ast.Module) -> None:
        """Report each string annotation of the module, read off the shared type positions."""
        if self.ctx.future_annotations or self._defines_sqlmodel_table(node):
            return
        for string in self.ctx.type_positions.strings:
            self.report(string, fix=lambda string=string: self._fix(string))

    def _defines_sqlmodel_table(self, node: ast.Module) -> bool:
        """Whether the module imports SQLModel and defines a table model (`class Team(SQLModel, table=True)`).

        SQLModel cannot map relationships under `from __future__ import annotations` (its documentation
        advises against the import), so the quotes are the only form that works there.
        """
        if not any(
            origin == "sqlmodel" or origin.startswith("sqlmodel.")
            for origins in self.ctx.import_names.values()
            for origin in origins
        ):
            return False
        return any(
            keyword.arg == "table" and isinstance(keyword.value, ast.Constant) and keyword.value.value is True
            for cls in self.ctx.nodes_of(ast.ClassDef)
            for keyword in cls.keywords
        )

    def _fix(self, string: ast.Constant) -> Fix | None:
        """The quotes removed, and `from __future__ import annotations` added once (shared by every string's fix).

        Only a plain one-line literal whose text is its value (no prefix, escape, comment or line break) is
        unquoted: its value then reads as the same expression in place.
        """
        literal = self.ctx.segment(string, limit=10_000)
        value = string.value
        if (
            literal is None
            or len(literal) < len(value) + 2
            or literal[0] not in QUOTES
            or literal[1:-1] != value
            or literal.startswith(TRIPLE_QUOTES)
            or "#" in value
            or "\\" in literal
            or value != value.strip()
        ):
            return None
        future = edits.import_name(self.ctx, "__future__", "annotations", self.ctx.tree.body[0])
        if future is None or future[1] is None:
            return None
        edit = edits.replace(self.ctx, string, value)
        message = "Add `from __future__ import annotations` and unquote"
        return None if edit is None else Fix.safe(message, future[1], edit)

    fixes = (
        FixExample(
            '"""Nodes."""\n\nimport os\n\nclass Node:\n    def children(self) -> list["Node"]: ...  # error: HR110',
            '"""Nodes."""\n\nfrom __future__ import annotations\n\nimport os\n\nclass Node:\n'
            "    def children(self) -> list[Node]: ...",
        ),
        FixExample(
            "def f(user: 'User', *args: 'str') -> 'User | None': ...  # error: HR110, HR110, HR110",
            "from __future__ import annotations\n\ndef f(user: User, *args: str) -> User | None: ...",
        ),
        FixExample(
            "from __future__ import division\n\nx: 'Node' = 1  # error: HR110",
            "from __future__ import division, annotations\n\nx: Node = 1",
        ),
    )
