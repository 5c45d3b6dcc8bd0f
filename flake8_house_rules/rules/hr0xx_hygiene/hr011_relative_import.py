"""HR011 relative-import."""

from __future__ import annotations

import ast
import os
import re

from flake8_house_rules.fixes import Edit, Fix, edits
from flake8_house_rules.rule import FixExample, Rule


class RelativeImport(Rule):
    """## What it does
    Checks for relative imports: `from . import x`, `from .models import User`, `from ..core import db`.
    Reported at the import statement.

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
    )
    invalid = (
        "from .models import User  # error: HR011",
        "from . import models  # error: HR011",
        "from ..core.db import get_session  # error: HR011",
        "def f() -> None:\n    from .lazy import thing  # error: HR011",
    )

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        """Report an import with leading dots."""
        if node.level:
            module = "." * node.level + (node.module or "")
            self.report(node, f"use an absolute import instead of the relative `from {module} import ...`")

    def fix_for(self, node: ast.AST | tuple[int, int]) -> Fix | None:
        """The dots replaced by the package they stand for, read from the `__init__.py` files above the module
        on disk (`from .models import User` in `app/api/users.py` becomes `from app.api.models import User`).
        Unsafe: it picks a module name, which is right only when the project is imported from that root.
        """
        if not isinstance(node, ast.ImportFrom) or not node.level:
            return None
        package = _package_of(self.ctx.filename, self.ctx.config.cwd)
        if not package or node.level > len(package):
            return None
        base = package[: len(package) - node.level + 1]
        absolute = ".".join([*base, *([node.module] if node.module else [])])
        text = self.ctx.lines[node.lineno - 1]
        start = edits.char_column(self.ctx, node.lineno, node.col_offset)
        found = RELATIVE_RE.match(text, start)
        if found is None or found.group("dots") != "." * node.level or found.group("module") != (node.module or ""):
            return None
        edit = Edit(absolute, (node.lineno, found.start("dots")), (node.lineno, found.end("module")))
        return Fix.unsafe(f"Import from `{absolute}`", edit)

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


def _package_of(filename: str, root: str) -> list[str]:
    """The dotted package a module file belongs to, from the `__init__.py` files of its folders (`[]` if none).

    A relative file name is under the project root the run was configured from (else the working folder).
    """
    path = filename if os.path.isabs(filename) else os.path.join(root, filename)
    if not os.path.exists(path):
        path = os.path.abspath(filename)
    folder = os.path.dirname(path)
    parts: list[str] = []
    for _ in range(64):
        if not os.path.isfile(os.path.join(folder, "__init__.py")):
            break
        parts.append(os.path.basename(folder))
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return parts[::-1]
