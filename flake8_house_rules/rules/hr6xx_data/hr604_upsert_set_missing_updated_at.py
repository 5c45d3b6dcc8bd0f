"""HR604 upsert-set-missing-updated-at."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.sqlalchemy import imports_sql_package
from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr6xx_data.hr603_upsert_without_set import set_argument

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext


def column_name(key: ast.expr | None) -> str | None:
    """The column a `set_` key names: `"updated_at"`, `Model.updated_at`, `table.c.updated_at`."""
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return key.value
    if isinstance(key, ast.Attribute):
        return key.attr
    return None


TIMESTAMP_FUNCTIONS = frozenset(
    {"now", "utcnow", "current_timestamp", "localtimestamp", "sysdate", "getdate", "getutcdate", "clock_timestamp"}
    | {"statement_timestamp", "transaction_timestamp", "time", "time_ns", "today"}
)


def stamps_time(value: ast.expr | None) -> bool:
    """Whether a `set_` value is a timestamp call (`func.now()`, `datetime.now(UTC)`, `sa.func.current_timestamp()`):
    the column it goes to is the row's update time, whatever it is called.
    """
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name.lower() in TIMESTAMP_FUNCTIONS


def set_columns(value: ast.expr) -> list[str] | None:
    """The columns of a literal `set_` mapping (`{...}` or `dict(a=...)`), or `None` when one may be hidden
    (`**other`, a key held in a variable) or the mapping is not a literal.
    """
    if isinstance(value, ast.Dict):
        if any(stamps_time(item) for item in value.values):
            return None  # the update time is set, under another name (`updated`, `modified_on`)
        names = [column_name(key) for key in value.keys]
    elif (
        isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict" and not value.args
    ):
        if any(stamps_time(keyword.value) for keyword in value.keywords):
            return None
        names = [keyword.arg for keyword in value.keywords]
    else:
        return None
    if any(name is None for name in names):
        return None
    return [name for name in names if name is not None]


def _no_op(value: ast.expr) -> bool:
    """Whether a literal `set_` mapping sets every column to its own current value (`count=Bucket.count`).

    `stmt.excluded.count` is the new row's value, not the current one: that is an update.
    """
    if isinstance(value, ast.Dict):
        pairs = [(column_name(key), item) for key, item in zip(value.keys, value.values, strict=True)]
    elif isinstance(value, ast.Call):
        pairs = [(keyword.arg, keyword.value) for keyword in value.keywords]
    else:
        return False
    return bool(pairs) and all(
        isinstance(item, ast.Attribute) and item.attr == name and not _excluded(item.value) for name, item in pairs
    )


def _excluded(node: ast.expr) -> bool:
    """`stmt.excluded` or `excluded`: the row proposed for insertion."""
    return (isinstance(node, ast.Attribute) and node.attr == "excluded") or (
        isinstance(node, ast.Name) and node.id == "excluded"
    )


class UpsertSetMissingUpdatedAt(Rule):
    """## What it does
    Checks for `on_conflict_do_update(set_=...)` whose `set_` is a literal mapping (`{...}` or
    `dict(name=...)`) that leaves out a column of `hr-upsert-columns` (default `updated_at`). Keys are read
    as column names from strings (`"updated_at"`) and attributes (`Price.updated_at`, `prices.c.updated_at`).
    A mapping built elsewhere, spread from another (`**values`), or with a key held in a variable may hold
    the column and is not reported; so is a module that imports neither SQLAlchemy nor SQLModel, and a
    mapping that already sets a column to a timestamp call (`"updated": func.now()`, `modified_on=
    datetime.now(UTC)`): that column is the row's update time under another name. Nor is a mapping that
    sets each column to itself (`set_=dict(count=Bucket.count)`, as prefect writes it so that `RETURNING`
    gives the existing row): nothing changes, so there is no update time to record.

    ## Why is this bad?
    Python-side column defaults and `onupdate=` hooks do not run for the update half of an upsert: the
    row keeps its old `updated_at` although its values changed. Style guide 001 (SQLAlchemy Patterns):
    "Remember: Python-side column defaults are NOT applied on conflict update—include `updated_at`
    explicitly".

    ## Example
    ```python
    stmt = stmt.on_conflict_do_update(
        index_elements=["sku"],
        set_={"amount": stmt.excluded.amount},
    )
    ```

    Use instead:
    ```python
    stmt = stmt.on_conflict_do_update(
        index_elements=["sku"],
        set_={"amount": stmt.excluded.amount, "updated_at": func.now()},
    )
    ```
    """

    code = "HR604"
    name = "upsert-set-missing-updated-at"
    message = "add the `updated_at` column to `set_`: column defaults do not run on conflict update"
    source = "001 SQLAlchemy Patterns"
    options = ("hr-upsert-columns",)
    valid = (
        "from sqlalchemy import func\nfrom sqlalchemy.dialects.postgresql import insert\n\n"
        "stmt = insert(Price).values(r)\nstmt = stmt.on_conflict_do_update(\n    index_elements=['sku'],\n"
        "    set_={'amount': stmt.excluded.amount, 'updated_at': func.now()},\n)",
        "from sqlalchemy import func\nfrom sqlalchemy.dialects.postgresql import insert\n\n"
        "stmt = insert(Price).values(r).on_conflict_do_update(\n    index_elements=['sku'],\n"
        "    set_={Price.amount: 1, Price.updated_at: func.now()},\n)",
        "from sqlalchemy.dialects.postgresql import insert\n\n"
        "def upsert(stmt, values: dict):\n    return stmt.on_conflict_do_update(index_elements=['id'], set_=values)",
        "from sqlalchemy.dialects.postgresql import insert\n\n"
        "def upsert(stmt, values: dict):\n"
        "    return stmt.on_conflict_do_update(index_elements=['id'], set_={**values, 'name': 'x'})",
        "from sqlalchemy.dialects.postgresql import insert\n\n"
        "def upsert(stmt, column: str):\n"
        "    return stmt.on_conflict_do_update(index_elements=['id'], set_={column: 1, 'name': 'x'})",
        # mlflow: a mapping built by a comprehension is not a literal
        "from sqlalchemy.dialects.postgresql import insert\n\ndef upsert(table, rows, pk, columns):\n"
        "    stmt = insert(table).values(rows)\n    return stmt.on_conflict_do_update(\n"
        "        index_elements=pk, set_={col: stmt.excluded[col] for col in columns}\n    )",
        # the update time under another name
        "from sqlalchemy import func\nfrom sqlalchemy.dialects.postgresql import insert\n\n"
        "def upsert(bucket, values: dict):\n    stmt = insert(bucket).values(**values)\n"
        "    return stmt.on_conflict_do_update(\n        index_elements=['key'],\n"
        "        set_={'count': stmt.excluded.count, 'updated': func.now()},\n    )",
        # prefect: a no-op update, so that RETURNING gives the existing row
        "from sqlalchemy.dialects.postgresql import insert\n\n"
        "stmt = insert(Bucket).values(key=k, count=1).on_conflict_do_update(\n"
        "    index_elements=[Bucket.key], set_=dict(count=Bucket.count)\n)",
        Example(
            "from sqlalchemy.dialects.postgresql import insert\n\n"
            "stmt = insert(T).on_conflict_do_update(index_elements=['id'], set_=dict(name='x', modified=now()))",
            options={"hr-upsert-columns": "modified"},
        ),
    )
    invalid = (
        "from sqlalchemy.dialects.postgresql import insert\n\nstmt = insert(Price).values(r)\n"
        "stmt = stmt.on_conflict_do_update(\n    index_elements=['sku'],\n"
        "    set_={'amount': stmt.excluded.amount},  # error: HR604\n)",
        "from sqlalchemy.dialects.postgresql import insert\n\n"
        "stmt = insert(T).on_conflict_do_update(index_elements=['id'], set_=dict(name='x'))  # error: HR604",
        "from sqlalchemy.dialects.postgresql import insert\n\n"
        "stmt = insert(T).on_conflict_do_update(\n"
        "    index_elements=['id'], set_=dict(count=stmt.excluded.count)  # error: HR604\n)",
        "from sqlalchemy.dialects.postgresql import insert\n\n"
        "stmt = insert(T).on_conflict_do_update(index_elements=[T.id], set_={T.name: 'x'})  # error: HR604",
    )

    methods = frozenset({"on_conflict_do_update"})

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only modules that import SQLAlchemy or SQLModel."""
        return imports_sql_package(ctx)

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """Report a literal `set_` without the configured columns, at the mapping."""
        value = set_argument(node)
        if not isinstance(value, ast.expr):
            return
        columns = set_columns(value)
        if columns is None or _no_op(value):
            return
        missing = [column for column in self.ctx.config.upsert_columns if column not in columns]
        if missing:
            names = ", ".join(f"`{column}`" for column in missing)
            self.report(value, f"add {names} to `set_`: column defaults do not run on conflict update")
