"""HR603 upsert-without-set."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.sqlalchemy import imports_sql_package
from flake8_house_rules.rule import Rule

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: `on_conflict_do_update(constraint, index_elements, index_where, set_, where)`: `set_` is the fourth.
SET_POSITION = 3


def set_argument(node: ast.Call) -> ast.expr | bool | None:
    """The `set_` argument of an `on_conflict_do_update(...)` call; `None` when absent; `True` when it
    may be hidden in `*args`/`**kwargs`.
    """
    for keyword in node.keywords:
        if keyword.arg == "set_":
            return keyword.value
        if keyword.arg is None:
            return True
    if any(isinstance(arg, ast.Starred) for arg in node.args):
        return True
    return node.args[SET_POSITION] if len(node.args) > SET_POSITION else None


class UpsertWithoutSet(Rule):
    """## What it does
    Checks for `.on_conflict_do_update(...)` (PostgreSQL and SQLite `insert(...)` in SQLAlchemy) called
    without `set_=` (nor as the fourth positional argument), in a module that imports SQLAlchemy or
    SQLModel. A call that passes `**kwargs` or `*args` may carry it and is not reported.

    ## Why is this bad?
    The upsert's update half is the `set_` mapping: without it the statement cannot say which columns the
    conflict overwrites (SQLAlchemy refuses it at run time, far from the code that built it). Style guide
    001 (SQLAlchemy Patterns): "For upserts, use `pg_insert().on_conflict_do_update()` with explicit `set_`".

    ## Example
    ```python
    stmt = pg_insert(Price).values(rows).on_conflict_do_update(index_elements=["sku"])
    ```

    Use instead:
    ```python
    stmt = pg_insert(Price).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["sku"],
        set_={"amount": stmt.excluded.amount, "updated_at": func.now()},
    )
    ```
    """

    code = "HR603"
    name = "upsert-without-set"
    message = "pass the columns to overwrite as `set_={...}` to `on_conflict_do_update(...)`"
    source = "001 SQLAlchemy Patterns"
    valid = (
        "from sqlalchemy.dialects.postgresql import insert\n\n"
        "stmt = insert(T).values(r)\n"
        "stmt = stmt.on_conflict_do_update(index_elements=['id'], set_=dict(stmt.excluded))",
        "from sqlalchemy.dialects.sqlite import insert\n\n"
        "stmt = insert(T).on_conflict_do_update('pk', None, None, {'a': 1})",
        "from sqlalchemy.dialects.postgresql import insert\n\n"
        "def upsert(stmt, **options):\n    return stmt.on_conflict_do_update(**options)",
        "from sqlalchemy.dialects.postgresql import insert\n\n"
        "stmt = insert(T).on_conflict_do_nothing(index_elements=['id'])",
        # not SQLAlchemy: the module imports neither sqlalchemy nor sqlmodel
        "def upsert(builder):\n    return builder.on_conflict_do_update(index_elements=['id'])",
    )
    invalid = (
        "from sqlalchemy.dialects.postgresql import insert as pg_insert\n\n"
        "stmt = pg_insert(T).values(r).on_conflict_do_update(index_elements=['sku'])  # error: HR603",
        "import sqlalchemy.dialects.sqlite as sqlite\n\ndef upsert(stmt):\n"
        "    return stmt.on_conflict_do_update(  # error: HR603\n        index_elements=['id'],\n    )",
    )

    methods = frozenset({"on_conflict_do_update"})

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only modules that import SQLAlchemy or SQLModel."""
        return imports_sql_package(ctx)

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """Report an upsert without `set_`."""
        if set_argument(node) is None:
            self.report(node)
