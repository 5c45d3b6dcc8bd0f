"""HR104 deprecated-typing-import."""

from __future__ import annotations

import ast

from flake8_house_rules.fixes import Fix, edits
from flake8_house_rules.rule import Example, FixExample
from flake8_house_rules.rules.hr1xx_typing.aliases import DEPRECATED_IMPORTS, GENERIC_ALIASES, TYPING_MODULES
from flake8_house_rules.rules.hr1xx_typing.base import TypingRule

#: Names a module may import to compare annotations' origins with (`get_origin(t) is Union`).
RUNTIME_INSPECTED = frozenset({"typing.Union", "typing.Optional"})


class DeprecatedTypingImport(TypingRule):
    """## What it does
    Checks for `from typing import ...` (or `typing_extensions`) of a name that HR101-HR103 replace:
    `Optional`, `Union`, `List`, `Dict`, `Tuple`, `Callable`, ... One report per import statement names
    every such name in it.

    ## Why is this bad?
    The import is where the old spelling enters a module; style guide 003 lists it among the things never
    to write: "NEVER: `from typing import Optional, List, Dict`". Names with no modern replacement
    (`Any`, `TypeVar`, `Protocol`, `Literal`, ...) are not reported. A name is reported only when the
    target Python supports its replacement (3.10 for `Optional`/`Union`, 3.9 for the generic aliases).
    Nor is `Union` or `Optional` when the module uses it only as a value, never subscripted nor in an
    annotation (airflow's `get_origin(annotation) is Union`): `int | None` has another origin before Python
    3.14, so the import is needed to inspect annotations.

    ## Example
    ```python
    from typing import Any, Dict, Optional
    ```

    Use instead:
    ```python
    from typing import Any
    ```
    and write `dict[...]` and `X | None` where the names were used.
    """

    code = "HR104"
    name = "deprecated-typing-import"
    message = "do not import deprecated typing names"
    fix = "safe"
    source = "003 Type Hints (NEVER list)"
    valid = (
        "from typing import Any, Protocol, TypeVar",
        "from collections.abc import Callable, Iterable",
        "from app.typing import List",
        "import typing",
        Example("from typing import Optional", options={"hr-target-version": "3.9"}),
        "from typing import Annotated, Literal\nfrom pydantic import Field\n\n"
        "x: Annotated[str, Field(description='from typing import List')] = ''",
        "import typing_inspect\nfrom typing_extensions import Annotated, TypedDict",
        # airflow: `Union` inspected at run time, never written as a type
        "from typing import Union, get_origin\n\ndef optional(annotation: object) -> bool:\n"
        "    return get_origin(annotation) is Union",
    )
    invalid = (
        "from typing import Any, Dict, Optional  # error: HR104",
        "from typing_extensions import Union  # error: HR104",
        "from typing import (  # error: HR104\n    Callable,\n    List as L,\n)",
    )

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        """Report the statement once, naming each deprecated name it imports."""
        if node.level or node.module not in TYPING_MODULES:
            return
        version = self.ctx.target_version
        names = [
            alias.name
            for alias in node.names
            if alias.name in DEPRECATED_IMPORTS
            and version >= DEPRECATED_IMPORTS[alias.name]
            and f"typing.{alias.name}" not in self._runtime_only()
        ]
        if names:
            listed = ", ".join(f"`{name}`" for name in names)
            self.report(
                node, f"{listed} imported from {node.module}: use the built-in syntax instead", lambda: self._fix(node)
            )

    def _runtime_only(self) -> frozenset[str]:
        """`typing.Union`/`typing.Optional` when every use of it is a value: neither subscripted nor a type."""

        def build() -> frozenset[str]:
            uses: dict[str, bool] = {}
            for node, name in self.ctx.references():
                if name in RUNTIME_INSPECTED:
                    value = not isinstance(self.ctx.parent(node), ast.Subscript) and not self.ctx.in_annotation(node)
                    uses[name] = uses.get(name, True) and value
            return frozenset(name for name, value in uses.items() if value)

        return self.ctx.derived("hr104.runtime_only", build)

    def _fix(self, node: ast.ImportFrom) -> Fix | None:
        """Drop the deprecated names nothing uses any more; import a used one that keeps its name from its new
        module (`Callable` from `collections.abc`). A used name whose replacement is spelled differently
        (`List`) stays until HR103's fix has rewritten its uses.
        """
        version = self.ctx.target_version
        used = edits.names_in_use(self.ctx)
        dropped: list[ast.alias] = []
        moved: dict[str, list[str]] = {}
        for alias in node.names:
            if alias.name not in DEPRECATED_IMPORTS or version < DEPRECATED_IMPORTS[alias.name]:
                continue
            if (alias.asname or alias.name) not in used:
                dropped.append(alias)
                continue
            module, _, short = GENERIC_ALIASES.get(f"typing.{alias.name}", "").rpartition(".")
            if module and short == alias.name and alias.asname is None:
                dropped.append(alias)
                moved.setdefault(module, []).append(short)
        if not dropped:
            return None
        removal = edits.remove_aliases(self.ctx, node, dropped)
        if removal is None:
            return None
        additions = []
        for module, names in moved.items():
            addition = edits.add_import(self.ctx, module, ", ".join(names))
            if addition is None:
                return None
            additions.append(addition)
        names = ", ".join(f"`{alias.name}`" for alias in dropped)
        return Fix.safe(f"Remove {names} from the `{node.module}` import", *removal, *additions)

    fixes = (
        FixExample(
            "from typing import Any, Dict, Optional  # error: HR104\n\nx: Any = 1",
            "from typing import Any\n\nx: Any = 1",
        ),
        FixExample(
            "import os\nfrom typing import Callable, List  # error: HR104\n\nf: Callable[[], None]\nrows: list = []",
            "import os\nfrom collections.abc import Callable\n\nf: Callable[[], None]\nrows: list = []",
        ),
        FixExample(
            "from typing import (  # error: HR104\n    Callable,\n    List as L,\n    cast,\n)\n\ny = cast(int, 0)",
            "from typing import (\n    cast,\n)\n\ny = cast(int, 0)",
        ),
        FixExample(
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from typing import Dict  # error: HR104\n",
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    pass\n",
        ),
    )
