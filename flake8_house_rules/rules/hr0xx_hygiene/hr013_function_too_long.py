"""HR013 function-too-long."""

from __future__ import annotations

import ast

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import docstring_node

#: Statement fields that hold nested statement lists, and the nodes that hold a body of their own.
BODY_FIELDS = ("body", "orelse", "finalbody")
NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def count_statements(node: ast.FunctionDef | ast.AsyncFunctionDef, limit: int) -> int:
    """The statements in a function body, nested blocks included, stopping once past `limit`.

    A nested `def` or `class` counts as one statement: its own body is its own length. The docstring does
    not count. Iterative, over statement lists only (never expressions).
    """
    pending: list[ast.stmt] = list(node.body)
    if docstring_node(node) is not None:
        pending = pending[1:]
    count = 0
    while pending and count <= limit:
        statement = pending.pop()
        count += 1
        if isinstance(statement, NESTED_SCOPES):
            continue
        for field in BODY_FIELDS:
            block = getattr(statement, field, None)
            if block:
                pending.extend(block)
        if isinstance(statement, ast.Try | ast.TryStar):
            for handler in statement.handlers:
                pending.extend(handler.body)
        elif isinstance(statement, ast.Match):
            for case in statement.cases:
                pending.extend(case.body)
    return count


class FunctionTooLong(Rule):
    """## What it does
    Checks for functions and methods whose body holds more than `hr-max-statements` statements (default
    50). Every statement counts, those nested in `if`, `for`, `while`, `with`, `try` and `match` blocks
    too; a nested `def` or `class` counts as one (its body is measured on its own); the docstring does not
    count. Reported on the `def` line with the count.

    ## Why is this bad?
    A long function does several things, and each needs the whole function in mind to change. 002:
    "Functions should be small and do one thing well."; "Keep functions focused on a single
    responsibility".

    ## Example
    ```python
    def import_users(path: str) -> None:
        # 80 statements: read, validate, deduplicate, save and notify
        ...
    ```

    Use instead:
    ```python
    def import_users(path: str) -> None:
        rows = read_rows(path)
        users = validate(rows)
        save_new(deduplicate(users))
        notify_admins(users)
    ```
    """

    code = "HR013"
    name = "function-too-long"
    message = "split the function: its body has more statements than `hr-max-statements` allows"
    tier = "opt-in"
    source = "002 Principles (Functions should be small); 002 Code Style"
    options = ("hr-max-statements",)
    valid = (
        "def f() -> None:\n" + "    x = 1\n" * 50,
        Example('def f() -> None:\n    """Docs."""\n' + "    x = 1\n" * 3, options={"hr-max-statements": "3"}),
        Example(
            "def f() -> None:\n    def g() -> None:\n" + "        x = 1\n" * 3 + "    x = 2\n    return None",
            options={"hr-max-statements": "3"},
        ),
    )
    invalid = (
        "def f() -> None:  # error: HR013\n" + "    x = 1\n" * 51,
        Example(
            "def f(items: list[int]) -> None:  # error: HR013\n    for item in items:\n        if item:\n"
            "            print(item)\n        else:\n            pass",
            options={"hr-max-statements": "3"},
        ),
        Example(
            "class A:\n    async def run(self) -> None:  # error: HR013\n        try:\n            a = 1\n"
            "        except ValueError:\n            b = 2\n        finally:\n            c = 3",
            options={"hr-max-statements": "3"},
        ),
    )

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        """Count the body's statements, up to just past the limit."""
        limit = self.ctx.config.max_statements
        if count_statements(node, limit) > limit:
            self.report(node, f"split the function: its body has more than {limit} statements (`hr-max-statements`)")

    visit_AsyncFunctionDef = visit_FunctionDef
