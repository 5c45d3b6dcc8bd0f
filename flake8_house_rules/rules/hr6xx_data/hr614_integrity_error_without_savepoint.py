"""HR614 integrity-error-without-savepoint."""

from __future__ import annotations

import ast

from flake8_house_rules.rule import Rule

INTEGRITY_ERRORS = frozenset({"sqlalchemy.exc.IntegrityError", "sqlalchemy.IntegrityError"})
SAVEPOINT = "begin_nested"


class IntegrityErrorWithoutSavepoint(Rule):
    """## What it does
    Checks for an `except` handler that catches SQLAlchemy's `IntegrityError` (alone or in a tuple) when
    its `try` is not guarded by a savepoint: neither inside `async with <session>.begin_nested():` (or
    `with`), nor holding a `begin_nested()` call in its own body (`try: async with s.begin_nested(): ...`,
    or a savepoint begun and rolled back by hand). Django's, `sqlite3`'s and the driver's own
    `IntegrityError` are other classes and are not reported.

    A handler that ends by raising (`except IntegrityError as e: raise UserExistsError(...) from e`)
    translates the error and abandons the transaction, as style guide 002's service layer does: nothing
    goes on with the session there, so a savepoint would buy nothing, and it is not reported. The rule
    is about handlers that carry on after the error (retry, reread, skip a duplicate).

    ## Why is this bad?
    A failed `INSERT` aborts the whole transaction: without a savepoint, the session that caught the error
    can only be rolled back entirely, losing the work done before it, and PostgreSQL refuses every further
    statement in the meantime. A savepoint rolls back just the failed statement. Style guide 001
    (SQLAlchemy Patterns): "Use `begin_nested()` for savepoints when catching `IntegrityError`".

    ## Example
    ```python
    try:
        session.add(tag)
        await session.flush()
    except IntegrityError:
        tag = await self.get_one(TagGetPayload(name=tag.name))
    ```

    Use instead:
    ```python
    try:
        async with session.begin_nested():
            session.add(tag)
    except IntegrityError:
        tag = await self.get_one(TagGetPayload(name=tag.name))
    ```
    """

    code = "HR614"
    name = "integrity-error-without-savepoint"
    message = "run the statement inside `async with session.begin_nested():` when catching `IntegrityError`"
    source = "001 SQLAlchemy Patterns"
    valid = (
        "from sqlalchemy.exc import IntegrityError\n\nasync def add(session, tag):\n    try:\n"
        "        async with session.begin_nested():\n            session.add(tag)\n"
        "    except IntegrityError:\n        return None",
        "from sqlalchemy.exc import IntegrityError\n\nasync def add(session, tag):\n"
        "    async with session.begin_nested():\n        try:\n            session.add(tag)\n"
        "            await session.flush()\n        except IntegrityError:\n            return None",
        "import sqlalchemy.exc\n\ndef add(session, tag):\n    savepoint = session.begin_nested()\n    try:\n"
        "        session.add(tag)\n        session.flush()\n    except sqlalchemy.exc.IntegrityError:\n"
        "        savepoint.rollback()",
        "import sqlalchemy.exc\n\ndef add(session, tag):\n    try:\n        nested = session.begin_nested()\n"
        "        session.add(tag)\n        nested.commit()\n    except sqlalchemy.exc.IntegrityError:\n"
        "        nested.rollback()",
        # mlflow: translated into a domain error, the transaction abandoned
        "from sqlalchemy.exc import IntegrityError\n\ndef create(session, name):\n    try:\n"
        "        session.flush()\n    except IntegrityError as e:\n"
        "        raise AlreadyExists(f'{name} already exists') from e",
        # khoj: Django's IntegrityError, and the stdlib's
        "from django.db import IntegrityError\n\ndef add(user):\n    try:\n        user.save()\n"
        "    except IntegrityError:\n        pass",
        "import sqlite3\n\ndef add(conn):\n    try:\n        conn.execute('INSERT ...')\n"
        "    except sqlite3.IntegrityError:\n        pass",
    )
    invalid = (
        "from sqlalchemy.exc import IntegrityError\n\nasync def add(session, tag):\n    try:\n"
        "        session.add(tag)\n        await session.flush()\n"
        "    except IntegrityError:  # error: HR614\n        await session.rollback()",
        "import sqlalchemy\n\ndef add(session, tag):\n    try:\n        session.add(tag)\n"
        "    except (ValueError, sqlalchemy.exc.IntegrityError) as e:  # error: HR614\n"
        "        log(e)\n        return get(session, tag)",
        "from sqlalchemy.exc import IntegrityError\n\nasync def add(session, tag):\n"
        "    async with session.begin():\n        try:\n            session.add(tag)\n"
        "        except IntegrityError:  # error: HR614\n            pass",
    )

    references = INTEGRITY_ERRORS
    methods = frozenset({SAVEPOINT})

    def start(self) -> None:
        """Per module: the handlers catching `IntegrityError`, and the savepoints begun."""
        self._handlers: list[ast.ExceptHandler] = []
        self._savepoints: list[ast.Call] = []

    def visit_reference(self, node: ast.Name | ast.Attribute, name: str) -> None:
        """Collect the handlers whose caught type is, or lists, `IntegrityError`."""
        parent = self.ctx.parent(node)
        if isinstance(parent, ast.Tuple):
            node, parent = parent, self.ctx.parent(parent)
        if isinstance(parent, ast.ExceptHandler) and parent.type is node:
            self._handlers.append(parent)

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """Collect `begin_nested()` calls."""
        self._savepoints.append(node)

    def finish(self) -> None:
        """Report the handlers whose `try` no savepoint guards."""
        for handler in self._handlers:
            statement = self.ctx.parent(handler)
            if not isinstance(statement, ast.Try | ast.TryStar) or isinstance(handler.body[-1], ast.Raise):
                continue
            if not self._guarded(statement):
                self.report(handler)

    def _guarded(self, statement: ast.Try | ast.TryStar) -> bool:
        for ancestor in self.ctx.ancestors_in_function(statement):
            if isinstance(ancestor, ast.With | ast.AsyncWith) and any(
                _is_savepoint(item.context_expr) for item in ancestor.items
            ):
                return True
        function = self.ctx.enclosing_function(statement)
        body = {id(node) for node in statement.body}
        for call in self._savepoints:
            child: ast.AST = call
            for ancestor in self.ctx.ancestors_in_function(call):
                if ancestor is statement:
                    if id(child) in body:
                        return True
                    break
                child = ancestor
            else:
                # a savepoint begun before the `try`, in the same function (`sp = s.begin_nested()`)
                if self.ctx.enclosing_function(call) is function and _before(call, statement):
                    return True
        return False


def _is_savepoint(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == SAVEPOINT


def _before(call: ast.AST, statement: ast.AST) -> bool:
    return (getattr(call, "lineno", 0), getattr(call, "col_offset", 0)) < (
        getattr(statement, "lineno", 0),
        getattr(statement, "col_offset", 0),
    )
