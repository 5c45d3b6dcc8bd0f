"""HR613 sql-string-formatting."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.sqlalchemy import imports_sql_package
from flake8_house_rules.rule import Rule
from flake8_house_rules.rules.hr6xx_data.common import sql_formatting

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

KIND_WORDS = {"f-string": "an f-string", "%": "`%` formatting", ".format()": "`.format()`", "+": "concatenation"}
TEXT_CALLS = frozenset({"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text", "sqlmodel.text"})


class SqlStringFormatting(Rule):
    """## What it does
    Checks for SQL text built by string formatting (an f-string, `%`, `.format()` or `+` concatenation)
    and passed to `sqlalchemy.text(...)`, `.execute(...)` or `.exec_driver_sql(...)`, in a module that
    imports SQLAlchemy or SQLModel. The text is followed through a variable that the same function binds
    (`sql = f"... {name}"`, `sql += f" AND {column} = :v"`; `sql = sql + " AND x = :x"` builds from
    constants only and is fine).

    Formatting counts only when a formatted value could carry input. Safe values: constants, names bound
    once to a constant, names spelled as constants (`DEFAULT_WORKSPACE`, `Status.ACTIVE.value`: PEP 8's
    UPPER_SNAKE_CASE, imported or not), loop variables over constants (`for table in TABLES:`), numbers
    (`int(x)`, `len(x)`, `max(1, n)`, `math.ceil(t)`), a model's `__tablename__`, and identifiers quoted by
    the dialect's quoting helper (`dialect.identifier_preparer.quote(name)`, `.quote_identifier(...)`,
    `.quote_schema(...)`); `text("... :param")` with bound parameters is the fix. Concatenating names that
    are not known to be strings (`base + where`) is not read as text. Calls outside any function (a
    column's `server_default=text(f"'{DEFAULT}'")` in a model class, a module constant) run at import,
    before any input exists, and are not reported.

    ## Why is this bad?
    A value formatted into SQL is SQL: a quote in it ends the literal and the rest runs as a statement.
    Bound parameters (`text("... WHERE email = :email")` with `{"email": email}`) are sent apart from the
    statement and cannot change it. Style guide 002 (Security Best Practices): "Use parameterized queries
    to prevent SQL injection".

    ## Example
    ```python
    async def find(db: AsyncSession, email: str) -> Row | None:
        sql = f"SELECT * FROM users WHERE email = '{email}'"
        return (await db.execute(text(sql))).first()
    ```

    Use instead:
    ```python
    async def find(db: AsyncSession, email: str) -> Row | None:
        sql = text("SELECT * FROM users WHERE email = :email")
        return (await db.execute(sql, {"email": email})).first()
    ```
    """

    code = "HR613"
    name = "sql-string-formatting"
    message = "pass values as bound parameters (`text('... :name')`, `{'name': value}`), not by formatting SQL"
    source = "002 Security Best Practices"
    valid = (
        "from sqlalchemy import text\n\nasync def find(db, email: str):\n"
        "    return await db.execute(text('SELECT * FROM users WHERE email = :email'), {'email': email})",
        "from sqlalchemy import text\n\nTABLE = 'users'\n\ndef count(conn):\n"
        "    return conn.execute(text(f'SELECT count(*) FROM {TABLE}'))",
        "from sqlalchemy import text\n\ndef drop(conn, name: str):\n"
        "    quoted = conn.dialect.identifier_preparer.quote(name)\n"
        "    conn.execute(text(f'DROP TABLE {conn.dialect.identifier_preparer.quote(name)}'))",
        "from sqlalchemy import text\n\ndef page(conn, limit):\n"
        "    return conn.execute(text(f'SELECT * FROM t LIMIT {int(limit)}'))",
        "from sqlalchemy import text\n\ndef search(conn, flag: bool):\n    sql = 'SELECT * FROM t'\n"
        "    if flag:\n        sql += ' WHERE a = :a'\n        sql = sql + ' AND b = :b'\n"
        "    return conn.execute(text(sql), {'a': 1, 'b': 2})",
        "from sqlalchemy import text\n\ndef count(conn):\n"
        "    return conn.execute(text(f'SELECT count(*) FROM {User.__tablename__}'))",
        # mlflow: DDL defaults at import time, loops over constant tables, numbers
        "import sqlalchemy as sa\nfrom mlflow.constants import DEFAULT_WORKSPACE\n\nclass Run(Base):\n"
        "    workspace = sa.Column(sa.String, server_default=sa.text(f\"'{DEFAULT_WORKSPACE}'\"))",
        "from sqlalchemy import text\n\nTABLES = ('a', 'b')\n\ndef purge(session, uid):\n    for table in TABLES:\n"
        "        session.execute(text(f'DELETE FROM {table} WHERE user_id = :uid'), {'uid': uid})",
        "import math\nimport sqlalchemy\n\ndef lock(conn, timeout):\n"
        "    conn.exec_driver_sql(f'SET SESSION lock_wait_timeout = {max(1, math.ceil(timeout))}')",
        "from sqlalchemy import text\n\ndef active(conn):\n"
        "    return conn.execute(text(f\"SELECT * FROM t WHERE s = '{Status.ACTIVE.value}'\"))",
        # not SQLAlchemy's text(), and a module that imports neither package
        "from textwrap import dedent as text\n\ndef f(name):\n    return text(f'hello {name}')",
        "def run(cursor, name):\n    cursor.execute(f\"SELECT * FROM t WHERE n = '{name}'\")",
        "import sqlalchemy\n\ndef f(pool, name):\n    pool.execute(run_job, name)",
    )
    invalid = (
        "from sqlalchemy import text\n\nasync def find(db, email: str):\n"
        "    sql = f\"SELECT * FROM users WHERE email = '{email}'\"\n"
        "    return (await db.execute(text(sql))).first()  # error: HR613",
        "import sqlalchemy as sa\n\ndef find(conn, name):\n"
        "    return conn.execute(sa.text('SELECT * FROM t WHERE n = ' + name))  # error: HR613",
        "from sqlalchemy import text\n\ndef find(conn, name):\n"
        "    return conn.execute(text(\"SELECT * FROM t WHERE n = '%s'\" % name))  # error: HR613",
        "from sqlalchemy import text\n\nQUERY = 'SELECT * FROM {table}'\n\ndef find(conn, table):\n"
        "    return conn.execute(text(QUERY.format(table=table)))  # error: HR613",
        "from sqlalchemy.orm import Session\n\ndef find(session: Session, column: str):\n"
        "    sql = 'SELECT * FROM t WHERE 1 = 1'\n    sql += f' AND {column} IS NOT NULL'\n"
        "    return session.execute(sql)  # error: HR613",
        "import sqlalchemy\n\ndef vacuum(engine, table):\n    with engine.connect() as conn:\n"
        "        conn.exec_driver_sql(f'VACUUM {table}')  # error: HR613",
        # shlex quotes for a shell, not for SQL
        "import sqlalchemy\nimport shlex\n\ndef f(conn, name):\n"
        "    conn.execute(f'SELECT {shlex.quote(name)}')  # error: HR613",
    )

    calls = TEXT_CALLS
    methods = frozenset({"execute", "exec_driver_sql"})

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only modules that import SQLAlchemy or SQLModel."""
        return imports_sql_package(ctx)

    def visit_call(self, node: ast.Call, name: str) -> None:
        """Check the text given to `text(...)`."""
        self._check(node)

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """Check the statement given to `.execute(...)` and `.exec_driver_sql(...)`."""
        self._check(node)

    def _check(self, node: ast.Call) -> None:
        if not node.args or isinstance(node.args[0], ast.Starred) or self.ctx.enclosing_function(node) is None:
            return
        kind = sql_formatting(self.ctx, node.args[0], node)
        if kind is not None:
            how = KIND_WORDS.get(kind, kind)
            self.report(node, f"pass values as bound parameters (`text('... :name')`), not by {how} of the SQL")
