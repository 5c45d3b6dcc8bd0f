"""HR013 function-too-long."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import (
    docstring_node,
    functions,
    is_generated_or_vendored,
    is_migration,
)

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: The statements that hold nested statement lists, and those lists' fields (a handler's or case's body is
#: read through `handlers` and `cases`).
BLOCKS: dict[type[ast.stmt], tuple[str, ...]] = {
    ast.If: ("body", "orelse"),
    ast.For: ("body", "orelse"),
    ast.AsyncFor: ("body", "orelse"),
    ast.While: ("body", "orelse"),
    ast.With: ("body",),
    ast.AsyncWith: ("body",),
    ast.Try: ("body", "orelse", "finalbody", "handlers"),
    ast.TryStar: ("body", "orelse", "finalbody", "handlers"),
    ast.Match: ("cases",),
}


def count_statements(node: ast.FunctionDef | ast.AsyncFunctionDef, limit: int) -> int:
    """The statements in a function body, nested blocks included, stopping once past `limit` (`-1`: never).

    A nested `def` or `class` counts as one statement: its own body is its own length. The docstring does
    not count. Iterative, over statement lists only (never expressions).
    """
    pending: list[ast.AST] = list(node.body)
    if docstring_node(node) is not None:
        pending = pending[1:]
    count = 0
    blocks = BLOCKS
    while pending and (limit < 0 or count <= limit):
        item = pending.pop()
        kind = type(item)
        if kind is ast.ExceptHandler or kind is ast.match_case:
            pending.extend(item.body)  # type: ignore[attr-defined] - both kinds have a body
            continue
        count += 1
        fields = blocks.get(kind)
        if fields is not None:
            for field in fields:
                pending.extend(getattr(item, field))
    return count


def body_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """How many lines a function's statements span, from the first statement after its docstring."""
    body = node.body
    first = body[1] if len(body) > 1 and docstring_node(node) is not None else body[0]
    return (node.end_lineno or 0) - first.lineno + 1


class FunctionTooLong(Rule):
    """## What it does
    Checks for functions and methods whose body holds more than `hr-max-statements` statements (default
    50). Every statement counts, those nested in `if`, `for`, `while`, `with`, `try` and `match` blocks
    too; a nested `def` or `class` counts as one (its body is measured on its own); the docstring does not
    count. Reported on the `def` line with the count and the limit ("60 statements, limit 50").
    Migration scripts (the `migration` role, and Django migrations) are not checked: an `upgrade()` that
    adds sixty columns is generated, linear and frozen history.

    Only a body spanning more lines than the limit is counted: that keeps the rule free on the short functions
    that make up nearly all code, and a shorter body can only hold more statements than lines by packing
    them (`a = 1; b = 2`, `if x: return`), which other tools reject anyway.

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
        Example(
            '"""Add the report columns."""\nimport sqlalchemy as sa\nfrom alembic import op\n\n\n'
            "def upgrade() -> None:\n" + '    op.add_column("reports", sa.Column("m", sa.Integer()))\n' * 60,
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

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Migration scripts, generated and vendored modules are not checked."""
        return not is_migration(ctx) and not is_generated_or_vendored(ctx)

    def visit_Module(self, node: ast.Module) -> None:
        """Count the statements of the functions whose body spans more lines than the limit."""
        limit = self.ctx.config.max_statements
        long = [item for item in functions(self.ctx) if (item.end_lineno or 0) - item.body[0].lineno >= limit]
        long = [item for item in long if body_lines(item) > limit]
        for function in long:
            if count_statements(function, limit) > limit:
                count = count_statements(function, -1)
                message = f"split the function: its body has {count} statements, limit {limit} (`hr-max-statements`)"
                self.report(function, message)
