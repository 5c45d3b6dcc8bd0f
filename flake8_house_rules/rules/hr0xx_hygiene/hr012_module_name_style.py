"""HR012 module-name-style."""

from __future__ import annotations

import ast
import posixpath
import re
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: snake_case file names: lower-case letters, digits and underscores (`0001_initial.py` included; doubled
#: underscores too: `test__locale.py` tests `_locale`).
SNAKE_RE = re.compile(r"^[a-z0-9_]+$")
#: kebab-case file names: lower-case letters, digits and hyphens.
KEBAB_RE = re.compile(r"^_*[a-z0-9]+(?:-[a-z0-9]+)*$")


def split_words(stem: str) -> str:
    """A file name in lower case with its camelCase words split by `_`: `UserService` -> `user_service`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", stem).lower()


class ModuleNameStyle(Rule):
    """## What it does
    Checks that a module's file name follows `hr-module-naming`: `snake` (the default: `user_service.py`)
    or `kebab` (`user-service.py`). Reported on line 1.

    Dunder files (`__init__.py`, `__main__.py`) and leading underscores of private modules are fine in both
    styles; names with digits are fine (`0001_initial.py`, `oauth2.py`); a one-word name fits both. Under
    `kebab`, test modules (`hr-test-modules`: `test_users.py`, `conftest.py`) keep their snake_case names,
    because pytest only collects `test_*.py` files, and no module can be imported under a kebab-case name,
    so only choose `kebab` for files that are run, not imported. Code read from stdin without a file name
    is not checked.

    ## Why is this bad?
    A mix of styles makes files hard to find and imports hard to guess. 001 Naming: "Functions/variables:
    `snake_case`" (PEP 8 asks the same of modules); 003 Naming asks the opposite: "Modules: kebab-case
    usage-tracker.py" (a team following 003 sets `module-naming = "kebab"`).

    ## Example
    ```text
    app/services/UserService.py
    ```

    Use instead:
    ```text
    app/services/user_service.py
    ```
    """

    code = "HR012"
    name = "module-name-style"
    message = "rename the module file to match `hr-module-naming`"
    tier = "opt-in"
    source = "001 Naming; 003 Naming"
    options = ("hr-module-naming", "hr-test-modules")
    valid = (
        Example("x = 1", path="app/services/user_service.py"),
        Example("x = 1", path="app/__init__.py"),
        Example("x = 1", path="app/_compat.py"),
        Example("x = 1", path="migrations/versions/0001_initial.py"),
        Example("x = 1", path="tests/test__locale.py"),
        Example("x = 1", path="app/usage-tracker.py", options={"hr-module-naming": "kebab"}),
        Example("x = 1", path="tests/test_usage_tracker.py", options={"hr-module-naming": "kebab"}),
        Example("x = 1", path="app/__main__.py", options={"hr-module-naming": "kebab"}),
        Example("x = 1", path="stdin"),
    )
    invalid = (
        Example("x = 1  # error: HR012", path="app/services/UserService.py"),
        Example("x = 1  # error: HR012", path="app/usage-tracker.py"),
        Example("x = 1  # error: HR012", path="app/usage_tracker.py", options={"hr-module-naming": "kebab"}),
        Example("# error: HR012\nx = 1", path="app/userService.py"),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only modules read from a file with a name."""
        return ctx.path is not None

    def visit_Module(self, node: ast.Module) -> None:
        """Check the file name against the configured style, once per module."""
        path = self.ctx.path
        if path is None:
            return
        stem, extension = posixpath.splitext(posixpath.basename(path))
        if extension not in {".py", ".pyi"} or (stem.startswith("__") and stem.endswith("__")):
            return
        if self.ctx.config.module_naming == "kebab":
            if self.ctx.is_test_module() or KEBAB_RE.match(stem):
                return
            bare = stem.lstrip("_")
            wanted = stem[: len(stem) - len(bare)] + split_words(bare).replace("_", "-")
        else:
            if SNAKE_RE.match(stem):
                return
            wanted = split_words(stem).replace("-", "_")
        self.report((1, 0), f"rename the module file to `{wanted}{extension}` ({self.ctx.config.module_naming} case)")
