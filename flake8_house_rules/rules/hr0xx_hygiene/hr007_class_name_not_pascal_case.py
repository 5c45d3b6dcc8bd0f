"""HR007 class-name-not-pascal-case."""

from __future__ import annotations

import ast
import re

from flake8_house_rules.rule import Rule

#: PascalCase: a capital first letter, then letters and digits; leading underscores mark a private class, and
#: runs of capitals (`HTTPClient`, `URL`) are allowed.
PASCAL_RE = re.compile(r"^_*[A-Z][A-Za-z0-9]*$")


def pascal_case(name: str) -> str:
    """The PascalCase spelling of a name: `usage_tracker` and `usageTracker` give `UsageTracker`."""
    stripped = name.lstrip("_")
    parts = [part for part in stripped.split("_") if part]
    return name[: len(name) - len(stripped)] + "".join(part[0].upper() + part[1:] for part in parts)


class ClassNameNotPascalCase(Rule):
    """## What it does
    Checks for class names that are not PascalCase: a name must start with a capital letter (after any
    leading underscores) and hold only letters and digits, so `user_service`, `userService` and
    `User_Service` are reported. Acronyms may stay capitalised (`HTTPClient`, `URLPattern`). Reported on
    the `class` line.

    ## Why is this bad?
    Readers tell classes from functions and variables by their case. 001 Naming: "Classes: `PascalCase`";
    003 Naming: "Classes: PascalCase UsageTracker".

    ## Example
    ```python
    class usage_tracker:
        ...
    ```

    Use instead:
    ```python
    class UsageTracker:
        ...
    ```
    """

    code = "HR007"
    name = "class-name-not-pascal-case"
    message = "name the class in PascalCase"
    source = "001 Naming; 003 Naming"
    valid = (
        "class UsageTracker:\n    pass",
        "class _PrivateHelper:\n    pass",
        "class HTTPClient:\n    pass",
        "class URL:\n    pass",
        "class OAuth2Token:\n    pass",
        "def usage_tracker() -> None:\n    pass",
    )
    invalid = (
        "class usage_tracker:  # error: HR007\n    pass",
        "class usageTracker:  # error: HR007\n    pass",
        "class Usage_Tracker:  # error: HR007\n    pass",
        "def build() -> None:\n    class _helper:  # error: HR007\n        pass",
    )

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """Report a class whose name is not PascalCase."""
        if not PASCAL_RE.match(node.name):
            self.report(node, f"name the class in PascalCase: `{pascal_case(node.name)}`")
