"""HR103 deprecated-generic-alias."""

from __future__ import annotations

import ast

from flake8_house_rules.fixes import Fix, edits
from flake8_house_rules.rule import Example, FixExample
from flake8_house_rules.rules.hr1xx_typing.aliases import GENERIC_ALIASES, PEP_585
from flake8_house_rules.rules.hr1xx_typing.base import TypingRule


class DeprecatedGenericAlias(TypingRule):
    """## What it does
    Checks for the deprecated `typing` aliases of built-in and standard-library generics (`List`, `Dict`,
    `Set`, `FrozenSet`, `Tuple`, `Type`, `Deque`, `DefaultDict`, `OrderedDict`, `Counter`, `ChainMap`,
    and the `collections.abc` ones such as `Callable`, `Iterable`, `Mapping`, `Sequence`) when they are
    used as a type in an annotation or subscripted, in code and inside string annotations
    (`def f() -> "List[str]"`, reported at the string).

    ## Why is this bad?
    Since PEP 585 (Python 3.9) the built-in classes are generic themselves: `list[str]`, `dict[str, Any]`.
    The `typing` aliases are deprecated duplicates. "Use `list[str]` not `List[str]` (PEP 585)" (001);
    "`list[str]` over `List[str]`" (000); "Use `dict[K, V]` not `Dict[K, V]`" (003).

    A use that is neither a type in an annotation nor a subscript (`isinstance(x, typing.Callable)`, a
    value inside an annotation such as `Annotated[list, Field(default_factory=List)]`) is not reported;
    the import itself is HR104's concern.

    ## Example
    ```python
    from typing import Dict, List

    def group(rows: List[Row]) -> Dict[str, List[Row]]: ...
    ```

    Use instead:
    ```python
    def group(rows: list[Row]) -> dict[str, list[Row]]: ...
    ```
    """

    code = "HR103"
    name = "deprecated-generic-alias"
    message = "use the built-in generic instead of the deprecated `typing` alias"
    fix = "safe"
    min_target_version = PEP_585
    source = "000 Type Annotations; 001 Type Hints; 002 Type Hints; 003 Type Hints"
    valid = (
        "def group(rows: list[int]) -> dict[str, list[int]]: ...",
        "from collections.abc import Callable\n\nhandler: Callable[[int], None]",
        "import typing\n\nok = isinstance(print, typing.Callable)",
        "from app.models import List\n\nitems: List[int] = List()",
        "def f(List: type) -> None:\n    x = List[int]",
        Example("from typing import List\n\nx: List[int] = []", options={"hr-target-version": "3.8"}),
        "from typing import Annotated, Sequence\nfrom pydantic import Field\n\n"
        "x: Annotated[list, Field(default_factory=Sequence)] = []",
        "from typing import Literal\n\nx: Literal['List[int]'] = 'List[int]'",
        "from typing import Annotated\n\nx: Annotated[int, 'List[int]'] = 1",
        "def f(rows: 'list[int]') -> 'dict[str, int]': ...",
    )
    invalid = (
        "from typing import Dict, List\n\ndef group(rows: List[int]) -> Dict[str, int]: ...  # error: HR103, HR103",
        "import typing\n\nhandler: typing.Callable[[int], None]  # error: HR103",
        "from typing import Tuple\n\nPair = Tuple[int, int]  # error: HR103",
        "from typing import Sequence\n\ndef f(rows: Sequence) -> None: ...  # error: HR103",
        "from typing import List\n\ndef f() -> 'List[str]': ...  # error: HR103",
        "import typing\n\nclass A:\n    rows: 'typing.Dict[str, int]'  # error: HR103",
        "from __future__ import annotations\n\nfrom typing import List\n\n"
        "def f(x: \"List['List[str]']\") -> None: ...  # error: HR103, HR103",
    )

    references = frozenset(GENERIC_ALIASES)
    string_annotations = True

    def visit_reference(self, node: ast.Name | ast.Attribute, name: str) -> None:
        """An alias, bare (`List[int]`, `rows: Sequence`) or as a module attribute (`typing.List`, `t.Callable`);
        inside a string annotation (`"List[str]"`), reported at the string.
        """
        positions = self.ctx.type_positions
        parent = positions.parent(node)
        if (isinstance(parent, ast.Subscript) and parent.value is node) or positions.in_type_position(node):
            self._report(positions.anchor(node), name, node)

    def _report(self, where: ast.AST, name: str, node: ast.Name | ast.Attribute) -> None:
        short = name.removeprefix("typing.")
        self.report(
            where, f"use `{GENERIC_ALIASES[name]}` instead of `{short}` from typing", lambda: self._fix(node, name)
        )

    def _fix(self, node: ast.Name | ast.Attribute, name: str) -> Fix | None:
        """The alias replaced by its replacement, imported when it needs an import and its name is free.

        A bare name that the replacement spells the same (`Callable`, `OrderedDict`, `Pattern`) is left to
        HR104's fix, which imports it from its new module instead of `typing`; the uses stay as they are.
        """
        replacement = GENERIC_ALIASES[name]
        module, _, short = replacement.rpartition(".")
        site = self.ctx.type_positions.anchor(node)
        if isinstance(node, ast.Name) and node.id == short:
            return None
        if not module:
            if edits.bound_as(self.ctx, short, site) is not None:
                return None  # `list` is shadowed here
            edit = edits.replace(self.ctx, node, short)
            return None if edit is None else Fix.safe(f"Replace with `{short}`", edit)
        spelled = edits.import_name(self.ctx, module, short, site)
        if spelled is None:
            return None
        spelling, import_edit = spelled
        edit = edits.replace(self.ctx, node, spelling)
        if edit is None:
            return None
        return Fix.safe(f"Replace with `{replacement}`", *([import_edit] if import_edit else []), edit)

    fixes = (
        FixExample(
            "from typing import Dict, List\n\ndef group(rows: List[int]) -> Dict[str, int]: ...  # error: HR103, HR103",
            "from typing import Dict, List\n\ndef group(rows: list[int]) -> dict[str, int]: ...",
        ),
        FixExample(
            "import typing\n\nhandler: typing.Callable[[int], None]  # error: HR103",
            "import typing\nfrom collections.abc import Callable\n\nhandler: Callable[[int], None]",
        ),
        FixExample(
            "import logging\nimport typing as t\n\nimport httpx\n\n"
            "def f(q: t.Deque[int], r: 't.List[str]') -> t.Iterator[int]: ...  # error: HR103, HR103, HR103",
            "import logging\nimport typing as t\nfrom collections import deque\n"
            "from collections.abc import Iterator\n\n"
            "import httpx\n\ndef f(q: deque[int], r: 'list[str]') -> Iterator[int]: ...",
        ),
    )
