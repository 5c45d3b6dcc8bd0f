"""HR011 relative-import."""

from __future__ import annotations

import ast
import functools
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from flake8_house_rules.fixes import Edit, Fix, edits
from flake8_house_rules.paths import force_included
from flake8_house_rules.rule import Example, FixExample, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import is_generated_or_vendored

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: Vendored trees: copied into a package from elsewhere, they must import relatively to work where they land.
#: How many folders up a package is looked for, at most.
MAX_PACKAGE_DEPTH = 30
#: How many imported names the message spells out.
MAX_NAMES = 3
#: How many folders above the top package are checked for an `__init__.py` (a package the climb missed).
NAMESPACE_LOOKUP = 3


@functools.lru_cache(maxsize=1024)
def package_of(folder: str) -> tuple[str, ...]:
    """The dotted package a folder is (`("app", "users")`), climbing while folders hold an `__init__.py`.

    A folder without one inside a package (`litellm/llms/azure_ai/`, a namespace portion under the regular
    `litellm.llms`) is climbed through too. Empty (unknown) when the climb ends below another package
    (namespace folders two deep): the top package cannot be told, and a wrong name would break the import.
    """
    parts: list[str] = []
    here = Path(folder)
    while len(parts) < MAX_PACKAGE_DEPTH and here.name and _in_package(here):
        parts.append(here.name)
        here = here.parent
    above = here
    for _ in range(NAMESPACE_LOOKUP):
        above = above.parent
        if (above / "__init__.py").is_file():
            return ()
    return tuple(reversed(parts))


def _in_package(folder: Path) -> bool:
    """Whether a folder is a package: it holds an `__init__.py`, or its parent does (a namespace portion)."""
    return (folder / "__init__.py").is_file() or (folder.parent / "__init__.py").is_file()


def absolute_module(package: tuple[str, ...], node: ast.ImportFrom) -> str | None:
    """The absolute module a relative import names from inside a package, or `None` when it climbs out."""
    if node.level - 1 >= len(package):
        return None
    parts = list(package[: len(package) - (node.level - 1)])
    if node.module:
        parts.append(node.module)
    return ".".join(parts)


class RelativeImport(Rule):
    """## What it does
    Checks for relative imports: `from . import x`, `from .models import User`, `from ..core import db`.
    Reported at the import statement, with the absolute import to write when the module's folders are
    packages on disk (each holds an `__init__.py`): `from .models import User` in `app/users/routes.py`
    gives `from app.users.models import User`. A folder without `__init__.py` right inside a package is a
    namespace portion of it (`litellm/llms/azure_ai/` in `litellm.llms`); where the folders do not say which
    package is the top (namespace folders two deep inside a package), the message names no module and no
    fix is offered, as a wrong name would break the import.

    Not checked: vendored code (a module under a `_vendor/`, `_vendored/` or `vendor/` folder), copied into a
    package from elsewhere, which must import relatively to work wherever it is copied; and code the nearest
    `pyproject.toml` copies into a package with hatch's `force-include` tables, at either end that lies under
    that `pyproject.toml`'s folder (airflow builds
    `shared/logging/src/airflow_shared/logging` into `src/airflow/_shared/logging`: the same module runs
    under several package names, so only a relative import works in every copy). Other trees that must
    belong in flake8's `per-file-ignores` (`app/_shared/*: HR011`).

    ## Why is this bad?
    A relative import says where a module sits, not what it is: moving a file silently changes what it
    imports, and a reader has to work out the package from the folder layout. 001 Imports: "Use absolute
    imports within the api package".

    The fix (rewriting to the absolute module path) is unsafe: the absolute name depends on how the package
    is installed and run, so it needs review.

    ## Example
    ```python
    from ..core.db import get_session
    from .models import User
    ```

    Use instead:
    ```python
    from app.core.db import get_session
    from app.users.models import User
    ```
    """

    code = "HR011"
    name = "relative-import"
    message = "use an absolute import (`from app.users.models import User`) instead of a relative one"
    fix = "unsafe"
    source = "001 Imports"
    valid = (
        "from app.users.models import User",
        "import app.core.db",
        "from __future__ import annotations",
        Example("from .base import NullMetrics", path="app/_vendor/metrics/stats.py"),
        Example("from . import packaging", path="pip/_vendor/__init__.py"),
    )
    invalid = (
        "from .models import User  # error: HR011",
        "from . import models  # error: HR011",
        "from ..core.db import get_session  # error: HR011",
        "def f() -> None:\n    from .lazy import thing  # error: HR011",
        Example("from .base import NullMetrics  # error: HR011", path="app/vendors/stats.py"),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Vendored code, generated modules and code a build copies into other packages are not checked."""
        return not is_generated_or_vendored(ctx) and not force_included(ctx.path, ctx.config)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        """Report an import with leading dots, naming the absolute module when the packages on disk say it."""
        if not node.level:
            return
        path = self.ctx.path
        target = None
        if path is not None:
            folder = os.path.dirname(os.path.join(self.ctx.config.cwd, path))
            target = absolute_module(package_of(os.path.abspath(folder)), node)
        if target is None:
            module = "." * node.level + (node.module or "")
            self.report(node, f"use an absolute import instead of the relative `from {module} import ...`")
            return
        names = [alias.name + (f" as {alias.asname}" if alias.asname else "") for alias in node.names]
        shown = ", ".join(names[:MAX_NAMES]) + (", ..." if len(names) > MAX_NAMES else "")
        self.report(node, f"use an absolute import instead of a relative one: `from {target} import {shown}`")

    def fix_for(self, node: ast.AST | tuple[int, int]) -> Fix | None:
        """The dots replaced by the package they stand for, read from the `__init__.py` files above the module
        on disk (`from .models import User` in `app/api/users.py` becomes `from app.api.models import User`).
        Unsafe: it picks a module name, which is right only when the project is imported from that root.
        """
        if not isinstance(node, ast.ImportFrom) or not node.level:
            return None
        absolute = self._absolute(node)
        if absolute is None:
            return None
        text = self.ctx.lines[node.lineno - 1]
        start = edits.char_column(self.ctx, node.lineno, node.col_offset)
        found = RELATIVE_RE.match(text, start)
        if found is None or found.group("dots") != "." * node.level or found.group("module") != (node.module or ""):
            return None
        edit = Edit(absolute, (node.lineno, found.start("dots")), (node.lineno, found.end("module")))
        return Fix.unsafe(f"Import from `{absolute}`", edit)

    def _absolute(self, node: ast.ImportFrom) -> str | None:
        """The module the import names, from the packages on disk (as the message does; else beside the file)."""
        path = self.ctx.path
        if path is None:
            return None
        folder = os.path.dirname(os.path.join(self.ctx.config.cwd, path))
        if not os.path.isdir(folder):
            folder = os.path.dirname(os.path.abspath(self.ctx.filename))
        return absolute_module(package_of(os.path.abspath(folder)), node)

    fixes = (
        FixExample(
            "from .common import MAX_LENGTH  # error: HR011\nfrom ...rule import Rule  # error: HR011",
            "from flake8_house_rules.rules.hr0xx_hygiene.common import MAX_LENGTH\n"
            "from flake8_house_rules.rule import Rule",
            path="flake8_house_rules/rules/hr0xx_hygiene/example.py",
        ),
        FixExample(
            "from . import common  # error: HR011",
            "from flake8_house_rules.rules.hr0xx_hygiene import common",
            path="flake8_house_rules/rules/hr0xx_hygiene/__init__.py",
        ),
    )


#: `from ..models import`: the dots and the module, as the fix rewrites them.
RELATIVE_RE = re.compile(r"from\s+(?P<dots>\.+)\s*(?P<module>[\w.]*)\s+import\b")
