"""HR613 sql-string-formatting."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from flake8_house_rules.context.sqlalchemy import imports_sql_package
from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import waived
from flake8_house_rules.rules.hr6xx_data.sql_text import SqlValues, sql_formatting

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

KIND_WORDS = {"f-string": "an f-string", "%": "`%` formatting", ".format()": "`.format()`", "+": "concatenation"}
#: What to write where no bound parameter can stand (`SET`, `PRAGMA`, DDL).
UNBINDABLE_ADVICE = (
    "quote an identifier with the dialect's `identifier_preparer.quote(...)`, render a literal with "
    "`literal(value).compile(compile_kwargs={'literal_binds': True})` or convert a number with `int(...)` "
    "before formatting it in"
)
TEXT_CALLS = frozenset({"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text", "sqlmodel.text"})


#: bandit's waiver comment, with the codes it names, if any (`# nosec B608`, `# nosec: B608, B105`).
NOSEC_RE = re.compile(r"#\s*nosec\b([^#]*)", re.IGNORECASE)
BANDIT_CODE_RE = re.compile(r"\bB\d{3}\b")
#: ruff's code for SQL built from strings (flake8-bandit's `S608`).
RUFF_CODES = ("S608",)


class SqlStringFormatting(Rule):
    """## What it does
    Checks for SQL text built by string formatting (an f-string, `%`, `.format()` or `+` concatenation)
    and passed to `sqlalchemy.text(...)`, `.execute(...)`, `.executemany(...)` or `.exec_driver_sql(...)`,
    in a module that imports SQLAlchemy or SQLModel. The text is followed through a variable that the same
    function binds (`sql = f"... {name}"`, `sql += f" AND {column} = :v"`; `sql = sql + " AND x = :x"`
    builds from constants only and is fine).

    Formatting counts only when a formatted value can come from outside the function: a parameter, an
    attribute of an object (`self.table`, `request.name`), or the result of a function the module does not
    show. Each value is followed back through the function's own bindings (bounded in depth and in nodes
    visited; past the bound it is unknown and not reported), and these cannot carry input: constants and
    names bound to them, names spelled as constants (`DEFAULT_WORKSPACE`, `Status.ACTIVE.value`: PEP 8's
    UPPER_SNAKE_CASE, imported or not), attributes of imported modules and classes (configuration, a
    model's `__tablename__`), loop variables over constants (`for table, column in [("jobs", "id")]:`),
    the index `enumerate` counts (a bind-parameter *name* such as `f"tag_{i}"`), numbers (`int(x)`,
    `len(PREFIX) + 1`, `offset += 500`, a call of a function of the module annotated `-> int`), a lookup in a
    dict of constant templates (`TEMPLATES[dialect]`), a choice between constants (`"ASC" if asc else
    "DESC"`), SQLAlchemy's own SQL (`sa.false().compile(conn)`, a parameter annotated with a SQLAlchemy type
    such as `ColumnElement`, an ORM column's `key` beside its `class_.__tablename__`), identifiers quoted by
    the dialect's quoting helper (`dialect.identifier_preparer.quote(name)`, `.quote_identifier(...)`,
    `.quote_schema(...)`) or by a helper of the project whose name says so (`_safe_identifier(name)`,
    `quote_ident(name)`; `shlex.quote` and `html.escape` quote for something else and do not count), a name
    whose quotes were doubled or removed (`name.replace('"', '""')`), and a value checked by the `if` around
    its use (`if comparator in ("IN", "NOT IN"):`, `if re.fullmatch(PATTERN, value):`, `if value.isdigit():`,
    a narrow regex group of digits and separators). Concatenating names that are not known to be strings
    (`base + where`) is not read as text. Calls outside any function (a column's
    `server_default=text(f"'{DEFAULT}'")` in a model class, a module constant) run at import, before any
    input exists, and are not reported.

    The message says what fits where the value stands: in a value position, a bound parameter
    (`text("... :param")`); where a name stands (after `FROM`, `JOIN`, `UPDATE`, `TABLE`, `INTO`, `BY`, ...,
    inside double quotes or after a `.`) and in statements that take no bound parameters at all (`SET`,
    `PRAGMA`, `BEGIN`, `SHOW`, and DDL such as `CREATE`/`ALTER`/`DROP`), to quote the identifier with the
    dialect's `identifier_preparer.quote(...)`, since a bound parameter cannot stand there; in those
    statements also to render a literal with SQLAlchemy (`CREATE TYPE ... AS ENUM ('a', 'b')` from
    values) or convert a number with `int(...)`.

    A value wrapped in SQLAlchemy's `text(...)` (`f"{stmt} AND ({text(clause)})"`) is SQL composed from SQL
    objects, which the code declares as such: it is not reported as a formatted value.

    A call with bandit's waiver on one of its lines (`# nosec`, or `# nosec B608`; one naming only other
    checks does not count) or a noqa comment naming ruff's `S608` is not reported: the project reviewed that
    statement for the same injection and decided that it stays.

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
        # zenml's migrations: the statement reviewed for bandit's SQL-injection check
        "import sqlalchemy as sa\n\ndef rename(session, table_name: str) -> None:\n"
        '    session.execute(\n        sa.text(\n            f"""\n            UPDATE {table_name} SET name = :n\n'
        "            \"\"\"  # nosec B608\n        ),\n        params={'n': 'x'},\n    )\n",
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
        # fides' BigQuery connector: SQL composed from SQL objects
        "from sqlalchemy import text\nfrom sqlalchemy.sql.elements import TextClause\n\n"
        "def partitioned(conn, stmt: TextClause, clauses: list[str]):\n    for clause in clauses:\n"
        "        conn.execute(text(f'{stmt} AND ({text(clause)})'))",
        # values that cannot carry input: a bind-parameter name from an index, a dict of constant
        # templates, a choice between two constants, an integer counter
        "from sqlalchemy import text\n\n"
        "TEMPLATES = {'postgresql': \"value::text LIKE 'x%'\", 'sqlite': \"value LIKE 'x%'\"}\n\n"
        "def queries(conn, stmt, tag_ids: list[str], dialect: str, asc: bool):\n"
        "    for index, tag_id in enumerate(tag_ids):\n        param = f'tag_id_{index}'\n"
        "        stmt = stmt.where(text(f'tags.value = :{param}')).params(**{param: tag_id})\n"
        "    condition = TEMPLATES[dialect]\n"
        "    conn.execute(text(f'DELETE FROM results WHERE {condition}'))\n"
        "    direction = 'ASC' if asc else 'DESC'\n"
        "    conn.execute(text(f'SELECT * FROM users ORDER BY created_at {direction}'))\n"
        "    offset = 0\n    offset += 500\n"
        "    return conn.execute(text(f'SELECT * FROM events LIMIT 500 OFFSET {offset}'))",
        # migrations: a number from `len(CONST) + 1`, a loop over literal tuples, SQLAlchemy's own SQL
        Example(
            "import sqlalchemy as sa\nfrom alembic import op\n\nENCODED_PREFIX = 'enc:identity:'\n\n"
            "def upgrade() -> None:\n    conn = op.get_bind()\n"
            "    op.execute(f'UPDATE users SET token = SUBSTRING(token, {len(ENCODED_PREFIX) + 1})')\n"
            "    for table, column in [('jobs', 'id'), ('job_steps', 'job_id')]:\n"
            "        conn.execute(sa.text(f'UPDATE {table} SET {column} = LOWER({column})'))\n"
            "    op.execute(sa.text(f'UPDATE pools SET include_paused = {sa.false().compile(conn)}'))",
            path="migrations/versions/0003_lowercase_ids.py",
        ),
        # fides: the project's own quoting helper, a name quoted by doubling its quotes, a number from a
        # function annotated `-> int`, bind-parameter names of a comprehension over an index
        "from sqlalchemy import text\n\ndef rows(db, table: str):\n    safe_table = _safe_identifier(table)\n"
        "    return db.execute(text(f'SELECT id FROM {safe_table} WHERE parent_id IS NULL'))",
        "from sqlalchemy import text\n\ndef role(connection, config):\n"
        "    escaped = config.role.replace('\"', '\"\"')\n    quoted = f'\"{escaped}\"'\n"
        "    connection.execute(text(f'SET ROLE {quoted}'))",
        "from sqlalchemy import text\n\ndef _timeout_ms() -> int:\n    return 500\n\ndef check(db):\n"
        "    db.execute(text(f'SET LOCAL statement_timeout = {_timeout_ms()}'))",
        "from sqlalchemy import text\n\ndef matches(uses: list[str]):\n"
        "    return [text(f'data_use LIKE :pattern_{i}').bindparams(**{f'pattern_{i}': f'{u}.%'})\n"
        "            for i, u in enumerate(uses)]",
        # checked before use: a regex match of the whole value, a narrow regex group, a membership test
        "import re\nfrom sqlalchemy import func, text\n\ndef timestamp(expr: str):\n"
        "    if re.match(r'^\\d{4}-\\d{2}-\\d{2}$', expr):\n        return func.timestamp(text(f\"'{expr}'\"))\n"
        "    found = re.search(r\"'(\\d{4}-\\d{2}-\\d{2}\\s+\\d{2}:\\d{2})'\", expr)\n"
        "    if found:\n        value = found.group(1)\n        return func.timestamp(text(f\"'{value}'\"))",
        "import sqlalchemy as sa\n\ndef compare(comparator: str):\n    if comparator in ('IN', 'NOT IN'):\n"
        "        return sa.text(f'(name {comparator} :values)')",
        # SQLAlchemy objects render SQLAlchemy's SQL; quotes stripped from a quoted name
        "from typing import TYPE_CHECKING\nimport sqlalchemy as sa\n\nif TYPE_CHECKING:\n"
        "    from sqlalchemy import ColumnElement\n\ndef eq(column: 'ColumnElement', value: str):\n"
        "    ref = f'{column.class_.__tablename__}.{column.key}'\n"
        "    return sa.text(f'({ref} = :value)').bindparams(value=value)",
        "import sqlalchemy as sa\n\ndef in_list(column, value):\n"
        "    ref = f'{column.class_.__tablename__}.{column.key}'\n"
        "    return sa.text(f'(BINARY {ref} IN :values)').bindparams(sa.bindparam('values', value=value))",
        "from sqlalchemy import text\n\ndef describe(connection, qualified: str):\n"
        "    schema, table = qualified.replace('\"', '').split('.')\n"
        '    return connection.execute(text(f\'DESC TABLE "{schema}"."{table}"\'))',
        "from sqlalchemy import text\n\nCOLUMNS = ('a', 'b')\n\ndef update(bind):\n"
        "    sets = ', '.join(f'{c} = :{c}' for c in COLUMNS)\n"
        "    bind.execute(text(f'UPDATE t SET {sets} WHERE id = :id'), {'id': 1})",
    )
    invalid = (
        "import sqlalchemy as sa\n\ndef rename(session, table_name: str) -> None:\n"
        "    session.execute(sa.text(f'UPDATE {table_name} SET n = 1'))  # nosec B105  # error: HR613\n",
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
        # identifiers and SET: the message says to quote the name or convert the number
        "from sqlalchemy import text\n\ndef set_lock_timeout(conn, seconds: int) -> None:\n"
        "    conn.execute(text(f\"SET LOCAL lock_timeout = '{seconds}s'\"))  # error: HR613\n\n"
        "def drop_archive(conn, table: str) -> None:\n"
        "    conn.execute(text(f'DROP TABLE IF EXISTS {table}'))  # error: HR613",
        # `executemany` like `execute`; a value read from an attribute or an unknown call
        "import sqlalchemy\n\ndef insert(cursor, var):\n"
        "    cursor.executemany('INSERT INTO t VALUES (%s)' % var, [])  # error: HR613\n"
        "    cursor.execute('INSERT INTO t VALUES (%s)' % var)  # error: HR613",
        "from sqlalchemy import text\n\nclass Repo:\n    def rows(self, conn):\n"
        "        return conn.execute(text(f\"SELECT * FROM t WHERE k = '{self.key}'\"))  # error: HR613",
        "from sqlalchemy import text\n\ndef copy(conn):\n    for row in conn.execute(text('SELECT id, v FROM a')):\n"
        "        conn.execute(text(f\"UPDATE b SET v = '{row[1]}' WHERE id = '{row[0]}'\"))  # error: HR613",
        "from sqlalchemy import text\n\ndef find(conn, names: list[str]):\n"
        "    listed = ', '.join(f\"'{name}'\" for name in names)\n"
        "    return conn.execute(text(f'SELECT * FROM t WHERE n IN ({listed})'))  # error: HR613",
    )

    calls = TEXT_CALLS
    methods = frozenset({"execute", "executemany", "exec_driver_sql"})

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only modules that import SQLAlchemy or SQLModel."""
        return imports_sql_package(ctx)

    def start(self) -> None:
        """Per module: the tracker of where formatted values come from."""
        self._values = SqlValues(self.ctx)

    def visit_call(self, node: ast.Call, name: str) -> None:
        """Check the text given to `text(...)`."""
        self._check(node)

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """Check the statement given to `.execute(...)`, `.executemany(...)` and `.exec_driver_sql(...)`."""
        self._check(node)

    def _waived(self, node: ast.Call) -> bool:
        """Whether a line of the call says bandit's or ruff's SQL-injection check was waived there.

        `# nosec` (bare, or naming `B608`) or a `# noqa:` naming ruff's `S608`: the project reviewed this
        statement and decided that it stays.
        """
        for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
            for _, comment in self.ctx.comments_on(line):
                found = NOSEC_RE.search(comment)
                if found is not None and (not BANDIT_CODE_RE.search(found.group(1)) or "B608" in found.group(1)):
                    return True
            if waived(self.ctx, line, RUFF_CODES):
                return True
        return False

    def _check(self, node: ast.Call) -> None:
        if not node.args or isinstance(node.args[0], ast.Starred) or self.ctx.enclosing_function(node) is None:
            return
        found = sql_formatting(self.ctx, self._values, node.args[0], node)
        if found is None or self._waived(node):
            return
        if found.statement is not None:
            self.report(
                node,
                f"bound parameters cannot stand in `{found.statement}`: {UNBINDABLE_ADVICE}",
            )
        elif found.where == "identifier":
            self.report(
                node,
                "quote the identifier with the dialect's `identifier_preparer.quote(...)` before formatting it "
                "into the SQL: a bound parameter cannot stand for a name",
            )
        else:
            how = KIND_WORDS.get(found.kind, found.kind)
            self.report(node, f"pass values as bound parameters (`text('... :name')`), not by {how} of the SQL")
