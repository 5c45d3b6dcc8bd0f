"""HR011 relative-import."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.paths import matches
from flake8_house_rules.rule import Example, Rule

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: Vendored trees: copied into a package from elsewhere, they must import relatively to work where they land.
VENDORED_PATHS = ("*/_vendor/*", "_vendor/*", "*/_vendored/*", "_vendored/*", "*/vendor/*", "vendor/*")


class RelativeImport(Rule):
    """## What it does
    Checks for relative imports: `from . import x`, `from .models import User`, `from ..core import db`.
    Reported at the import statement.

    Not checked: vendored code (a module under a `_vendor/`, `_vendored/` or `vendor/` folder), copied into a
    package from elsewhere, which must import relatively to work wherever it is copied. Other trees that
    must (a package vendored into several distributions under another name) belong in flake8's
    `per-file-ignores` (`app/_shared/*: HR011`).

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
        """Vendored code is not checked."""
        return not matches(ctx.path, VENDORED_PATHS)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        """Report an import with leading dots."""
        if node.level:
            module = "." * node.level + (node.module or "")
            self.report(node, f"use an absolute import instead of the relative `from {module} import ...`")
