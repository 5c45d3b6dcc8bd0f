"""HR012 module-name-style."""

from __future__ import annotations

import ast
import posixpath
import re
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import is_migration

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: Where a name's words meet: a camelCase boundary (`userService`), or anything that is not a letter or
#: digit (`my module`, `2023-08-28`).
CAMEL_RE = re.compile(r"(?<=[^\W_A-Z])(?=[A-Z])")
SEPARATORS_RE = re.compile(r"[\W_]+")


def is_snake(stem: str) -> bool:
    """snake_case, read by Unicode case: letters without upper case, digits and underscores.

    `0001_initial`, `test__locale` (for `_locale`) and `caf\u00e9` pass.
    """
    return stem == stem.lower() and stem.replace("_", "a").isalnum()


def is_kebab(stem: str) -> bool:
    """kebab-case: leading underscores, then lower-case words of letters and digits joined by single `-`."""
    words = stem.lstrip("_").split("-")
    return stem == stem.lower() and all(word and word.isalnum() for word in words)


def split_words(stem: str) -> list[str]:
    """A file name's words in lower case: `UserService` and `my module` give `user, service` and `my, module`."""
    return [word for word in SEPARATORS_RE.split(CAMEL_RE.sub("_", stem).lower()) if word]


class ModuleNameStyle(Rule):
    """## What it does
    Checks that a module's file name follows `hr-module-naming`: `snake` (the default: `user_service.py`)
    or `kebab` (`user-service.py`). Reported on line 1.

    Dunder files (`__init__.py`, `__main__.py`) and leading underscores of private modules are fine in both
    styles; names with digits are fine (`0001_initial.py`, `oauth2.py`); a one-word name fits both. Under
    `kebab`, test modules (`hr-test-modules`: `test_users.py`, `conftest.py`) keep their snake_case names,
    because pytest only collects `test_*.py` files, and no module can be imported under a kebab-case name,
    so only choose `kebab` for files that are run, not imported. Code read from stdin without a file name
    is not checked, nor are migration scripts (the `migration` role, and Django migrations), whose file
    names alembic's `file_template` generates (`2023-08-28_initial_migration.py`) and loads by path, nor
    executable scripts (a first line starting with `#!`, such as a hook run as `mlflow-suggest-hook.py`):
    they are run by their path, never imported. Case is read by Unicode
    category (`café.py` is snake_case); the name suggested always fits the style (`my module.py` gives
    `my_module.py`).

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
        Example("#!/usr/bin/env python3\nx = 1", path="skills/hooks/mlflow-suggest-hook.py"),
        Example("x = 1", path="app/__init__.py"),
        Example("x = 1", path="app/_compat.py"),
        Example("x = 1", path="migrations/versions/0001_initial.py"),
        Example("x = 1", path="tests/test__locale.py"),
        Example("x = 1", path="app/usage-tracker.py", options={"hr-module-naming": "kebab"}),
        Example("x = 1", path="tests/test_usage_tracker.py", options={"hr-module-naming": "kebab"}),
        Example("x = 1", path="app/__main__.py", options={"hr-module-naming": "kebab"}),
        Example("x = 1", path="stdin"),
        Example("x = 1", path="app/caf\u00e9.py"),
        Example("from alembic import op\n", path="app/db/revisions/2023-08-28_initial_migration.py"),
        Example("x = 1", path="migrations/versions/2023-08-28_initial_migration.py"),
    )
    invalid = (
        Example("x = 1  # error: HR012", path="app/services/UserService.py"),
        Example("x = 1  # error: HR012", path="app/usage-tracker.py"),
        Example("x = 1  # error: HR012", path="app/usage_tracker.py", options={"hr-module-naming": "kebab"}),
        Example("# error: HR012\nx = 1", path="app/userService.py"),
        Example("x = 1  # error: HR012", path="app/my module.py"),
        Example("x = 1  # error: HR012", path="app/Caf\u00e9.py"),
        Example("x = 1  # error: HR012", path="app/2023-08-28_initial.py"),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only modules read from a file with a name, not migration scripts nor scripts with a `#!` line."""
        if ctx.path is None or is_migration(ctx):
            return False
        return not (ctx.lines and ctx.lines[0].startswith("#!"))

    def visit_Module(self, node: ast.Module) -> None:
        """Check the file name against the configured style, once per module."""
        path = self.ctx.path
        if path is None:
            return
        stem, extension = posixpath.splitext(posixpath.basename(path))
        if extension not in {".py", ".pyi"} or (stem.startswith("__") and stem.endswith("__")):
            return
        bare = stem.lstrip("_")
        prefix = stem[: len(stem) - len(bare)]
        if self.ctx.config.module_naming == "kebab":
            if self.ctx.is_test_module() or is_kebab(stem):
                return
            wanted = prefix + "-".join(split_words(bare))
        else:
            if is_snake(stem):
                return
            wanted = prefix + "_".join(split_words(bare))
        self.report((1, 0), f"rename the module file to `{wanted}{extension}` ({self.ctx.config.module_naming} case)")
