"""HR104 deprecated-typing-import."""

from __future__ import annotations

import ast

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr1xx_typing.aliases import DEPRECATED_IMPORTS, TYPING_MODULES


class DeprecatedTypingImport(Rule):
    """## What it does
    Checks for `from typing import ...` (or `typing_extensions`) of a name that HR101-HR103 replace:
    `Optional`, `Union`, `List`, `Dict`, `Tuple`, `Callable`, ... One report per import statement names
    every such name in it.

    ## Why is this bad?
    The import is where the old spelling enters a module; style guide 003 lists it among the things never
    to write: "NEVER: `from typing import Optional, List, Dict`". Names with no modern replacement
    (`Any`, `TypeVar`, `Protocol`, `Literal`, ...) are not reported. A name is reported only when the
    target Python supports its replacement (3.10 for `Optional`/`Union`, 3.9 for the generic aliases).

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
            if alias.name in DEPRECATED_IMPORTS and version >= DEPRECATED_IMPORTS[alias.name]
        ]
        if names:
            listed = ", ".join(f"`{name}`" for name in names)
            self.report(node, f"{listed} imported from {node.module}: use the built-in syntax instead")
