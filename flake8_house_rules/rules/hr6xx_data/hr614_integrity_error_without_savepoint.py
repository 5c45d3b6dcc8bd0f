"""HR614 integrity-error-without-savepoint."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.sqlalchemy import Sessions, imports_sql_package
from flake8_house_rules.context.surroundings import always_raises
from flake8_house_rules.rule import Rule

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

INTEGRITY_ERRORS = frozenset({"sqlalchemy.exc.IntegrityError", "sqlalchemy.IntegrityError"})
SAVEPOINT = "begin_nested"
COMMIT = "commit"
#: Methods only a session (or a connection) has: a call of one in the `try` is a statement run on it.
SESSION_METHODS = frozenset(
    {"flush", "add_all", "merge", "refresh", "scalars", "execute", "bulk_save_objects", "bulk_insert_mappings"}
    | {"bulk_update_mappings", COMMIT}
)
#: Methods other objects have too (`set.add`, `dict.get`): counted only on a proven session.
SHARED_METHODS = frozenset({"add", "delete", "get", "scalar"})
#: Further session methods a handler may call to go on with the session after the error.
FOLLOW_UP_METHODS = frozenset({"rollback", "query", "expunge_all", "expunge", "begin", "connection"})
ROLLBACK = "rollback"
MAX_DEPTH = 20


class IntegrityErrorWithoutSavepoint(Rule):
    """## What it does
    Checks for an `except` handler that catches SQLAlchemy's `IntegrityError` (alone or in a tuple) when
    its `try` is not guarded by a savepoint: neither inside `async with <session>.begin_nested():` (or
    `with`), nor holding a `begin_nested()` call in its own body (`try: async with s.begin_nested(): ...`,
    or a savepoint begun and rolled back by hand). Django's, `sqlite3`'s and the driver's own
    `IntegrityError` are other classes and are not reported.

    Only a `try` that runs statements on a session is checked: its body calls `flush()`, `add_all()`,
    `execute()`, `merge()`, `refresh()`, `scalars()` (on anything), or `add()`, `delete()`, `get()` on a
    proven session; a `try` around a function that owns its own session (`await record_bulk(rows)`) has no
    transaction of its own to keep. A `try` that calls `commit()` is not reported either: the failed commit
    ends the transaction, and the handler deals with a finished one. Nor is a handler that leaves
    (`return`, `raise`, `break`, `continue`, or the end of the function right after the `try`) a session of
    its own (`with maker() as session:`) without
    going on with it, nor one that rolls the whole transaction back inside a loop to redo the unit of work
    (the full rollback is the point there). Nor is a `try` whose every session is opened by a `with` or
    `async with` in its own body (langflow's jobs: `try: async with session_scope() as s: s.add(row); await
    s.flush()`): the block rolls it back and closes it before the handler runs, so no transaction is left.

    A handler that ends by raising (`except IntegrityError as e: raise UserExistsError(...) from e`, or a
    final `if`/`else` whose every branch raises) translates the error and abandons the transaction, as
    style guide 002's service layer does: nothing goes on with the session there, so a savepoint would buy
    nothing, and it is not reported. The rule is about handlers that carry on after the error (retry,
    reread, skip a duplicate).

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
        # langflow: the session opened and closed inside the attempt
        "from sqlalchemy.exc import IntegrityError\n\nasync def save(row) -> None:\n    for _ in range(3):\n"
        "        try:\n            async with session_scope() as s:\n                s.add(row)\n"
        "                await s.flush()\n        except IntegrityError:\n            row = renamed(row)\n",
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
        # both branches raise: the handler translates and abandons the transaction
        "from fastapi import HTTPException\nfrom sqlalchemy.exc import IntegrityError\n\n"
        "async def create_input(session, row: object) -> None:\n    try:\n        session.add(row)\n"
        "        await session.flush()\n    except IntegrityError as exc:\n        if 'unique' in str(exc):\n"
        "            raise HTTPException(status_code=409)\n        else:\n"
        "            raise HTTPException(status_code=404)",
        # no session in the `try`: the callee owns its own
        "from sqlalchemy.exc import IntegrityError\n\nfrom app.recorder import record_bulk\n\n"
        "async def record_one(event: object) -> bool:\n    try:\n        await record_bulk([event])\n"
        "    except IntegrityError:\n        return False\n    return True",
        # a session of its own, left without going on with it; a whole-unit retry in a loop
        "from sqlalchemy.exc import IntegrityError\n\nclass Store:\n    def create(self, name):\n"
        "        with self.session_maker() as session:\n            try:\n"
        "                session.add(Model(name=name))\n"
        "                session.flush()\n                return name\n            except IntegrityError:\n"
        "                return self.get(name)",
        "from sqlalchemy.exc import IntegrityError\n\nclass Store:\n    def create(self, name):\n"
        "        with self.session_maker() as session:\n            try:\n"
        "                session.add(Model(name=name))\n"
        "                session.flush()\n                return name\n            except IntegrityError:\n"
        "                existing = self.get(name)\n                raise_already_exists(name, existing)",
        "from sqlalchemy.exc import IntegrityError\n\ndef create(session, rows) -> None:\n"
        "    for attempt in range(3):\n        try:\n            session.add_all(rows)\n            session.flush()\n"
        "            break\n        except IntegrityError:\n            session.rollback()",
        # the `try` commits: the failed commit ends the transaction, a savepoint would keep nothing
        "from sqlalchemy.exc import IntegrityError\n\ndef log_metrics(session, rows) -> None:\n    try:\n"
        "        session.add_all(rows)\n        session.commit()\n    except IntegrityError:\n"
        "        session.rollback()\n        log_one_by_one(session, rows)",
    )
    invalid = (
        "from sqlalchemy.exc import IntegrityError\n\nasync def add(session, tag):\n    try:\n"
        "        session.add(tag)\n        await session.flush()\n"
        "    except IntegrityError:  # error: HR614\n        await session.rollback()",
        "import sqlalchemy\nfrom sqlalchemy.orm import Session\n\ndef add(session: Session, tag):\n    try:\n"
        "        session.add(tag)\n    except (ValueError, sqlalchemy.exc.IntegrityError) as e:  # error: HR614\n"
        "        log(e)\n        return get(session, tag)",
        "from sqlalchemy.exc import IntegrityError\n\nasync def add(session, tag):\n"
        "    async with session.begin():\n        try:\n            session.add(tag)\n"
        "            await session.flush()\n        except IntegrityError:  # error: HR614\n            pass",
        # the caller's session, left broken for it
        "from sqlalchemy.exc import IntegrityError\n\ndef create(session, name):\n    try:\n"
        "        session.add(Model(name=name))\n        session.flush()\n"
        "    except IntegrityError:  # error: HR614\n        return None",
    )

    references = INTEGRITY_ERRORS
    methods = frozenset({SAVEPOINT}) | SESSION_METHODS | SHARED_METHODS | FOLLOW_UP_METHODS

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only modules that import SQLAlchemy (its `IntegrityError` with them)."""
        return imports_sql_package(ctx)

    def start(self) -> None:
        """Per module: the handlers catching `IntegrityError`, the savepoints begun, the session calls."""
        self._handlers: list[ast.ExceptHandler] = []
        self._savepoints: list[ast.Call] = []
        self._session_calls: list[tuple[ast.Call, str]] = []

    def visit_reference(self, node: ast.Name | ast.Attribute, name: str) -> None:
        """Collect the handlers whose caught type is, or lists, `IntegrityError`."""
        parent = self.ctx.parent(node)
        if isinstance(parent, ast.Tuple):
            node, parent = parent, self.ctx.parent(parent)
        if isinstance(parent, ast.ExceptHandler) and parent.type is node:
            self._handlers.append(parent)

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """Collect `begin_nested()` calls, and the calls that run statements on a session."""
        if method == SAVEPOINT:
            self._savepoints.append(node)
        else:
            self._session_calls.append((node, method))

    def finish(self) -> None:
        """Report the handlers whose `try` runs statements on a session, commits nothing, and no savepoint
        guards.
        """
        for handler in self._handlers:
            statement = self.ctx.parent(handler)
            if not isinstance(statement, ast.Try | ast.TryStar) or always_raises(handler.body, limit=MAX_DEPTH):
                continue
            receivers = self._receivers_in(statement, statement.body, proven=True)
            if not receivers or COMMIT in receivers.values() or self._opened_inside(statement, receivers):
                continue
            follow_up = self._receivers_in(handler, handler.body, proven=False)
            used_after = {method for receiver, method in follow_up.items() if receiver in receivers}
            if (
                not used_after
                and (_leaves(handler.body) or self._ends_function(statement))
                and not any(
                    self._mentions(handler, receiver) or self._from_caller(receiver, statement)
                    for receiver in receivers
                )
            ):
                continue  # the handler leaves a session of its own without going on with it
            if ROLLBACK in used_after and self._in_loop(statement):
                continue  # rolled back whole to redo the unit of work in the loop: the full rollback is the point
            if not self._guarded(statement):
                if self.ctx.in_async_function(handler):
                    self.report(handler)
                else:  # a sync session: `with`, not `async with`
                    self.report(handler, self.message.replace("`async with ", "`with "))

    def _opened_inside(self, statement: ast.Try | ast.TryStar, receivers: dict[str, str]) -> bool:
        """Whether every session the `try` uses is opened by a `with`/`async with` in its own body
        (`async with session_scope() as s:`): it is rolled back and closed before the handler runs, and the
        next attempt opens a new one, so there is no transaction left to keep.
        """
        names = set(receivers)
        if any("." in name for name in names):
            return False
        opened: set[str] = set()
        for node in (*self.ctx.nodes_of(ast.With), *self.ctx.nodes_of(ast.AsyncWith)):
            bound = {item.optional_vars.id for item in node.items if isinstance(item.optional_vars, ast.Name)} & names
            if (
                bound
                and statement in self.ctx.ancestors_in_function(node)
                and not any(node in self.ctx.ancestors_in_function(handler) for handler in statement.handlers)
            ):
                opened |= bound
        return opened == names

    def _mentions(self, handler: ast.ExceptHandler, receiver: str) -> bool:
        """Whether the handler reads the session otherwise (`return get(session, tag)`)."""
        head, _, attr = receiver.partition(".")
        candidates = (
            [node for node in self.ctx.nodes_of(ast.Attribute) if node.attr == attr]
            if attr
            else [node for node in self.ctx.nodes_of(ast.Name) if node.id == head]
        )
        for node in candidates:
            if attr and not (isinstance(node.value, ast.Name) and node.value.id == head):
                continue
            if handler in self.ctx.ancestors_in_function(node):
                return True
        return False

    def _from_caller(self, receiver: str, statement: ast.Try | ast.TryStar) -> bool:
        """Whether the session is the caller's (a parameter, or an attribute such as `self.session`), which
        the caller goes on with after the handler returns.
        """
        if "." in receiver:
            return True
        function = self.ctx.enclosing_function(statement)
        return any(
            binding.kind == "param"
            for node, _ in self._session_calls
            if isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == receiver
            and self.ctx.enclosing_function(node) is function
            for binding in self.ctx.lookup(node.func.value) or ()
        )

    def _ends_function(self, statement: ast.Try | ast.TryStar) -> bool:
        """Whether nothing runs after the `try` in its function (it is last, in `with` and `if` blocks that
        are last): a handler that falls through leaves the function.
        """
        child: ast.AST = statement
        for ancestor in [*self.ctx.ancestors_in_function(statement), self.ctx.enclosing_function(statement)]:
            if isinstance(ancestor, ast.With | ast.AsyncWith | ast.FunctionDef | ast.AsyncFunctionDef):
                if ancestor.body[-1] is not child:
                    return False
                if not isinstance(ancestor, ast.With | ast.AsyncWith):
                    return True
            elif isinstance(ancestor, ast.If):
                if child not in {ancestor.body[-1], ancestor.orelse[-1] if ancestor.orelse else None}:
                    return False
            else:
                return False
            child = ancestor
        return False

    def _in_loop(self, statement: ast.Try | ast.TryStar) -> bool:
        return any(
            isinstance(node, ast.For | ast.AsyncFor | ast.While) for node in self.ctx.ancestors_in_function(statement)
        )

    def _receivers_in(self, owner: ast.AST, block: list[ast.stmt], *, proven: bool) -> dict[str, str]:
        """The session calls in one block of a `try` statement (its body, or a handler's), by receiver
        (`session`, `self.session`) to one of the methods called on it (`commit` when it is called). With
        `proven`, the names other objects have too (`add`, `get`) count only on a proven session.
        """
        block_ids = {id(node) for node in block}
        sessions = self.ctx.fact(Sessions)
        found: dict[str, str] = {}
        for call, method in self._session_calls:
            func = call.func
            if not isinstance(func, ast.Attribute) or (key := _receiver_key(func.value)) is None:
                continue
            if proven and method in SHARED_METHODS and not sessions.is_session(func.value):
                continue
            if proven and method in FOLLOW_UP_METHODS:
                continue
            child: ast.AST = call
            for ancestor in self.ctx.ancestors_in_function(call):
                if ancestor is owner:
                    if id(child) in block_ids and found.get(key) != COMMIT:
                        found[key] = method
                    break
                child = ancestor
        return found

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


def _receiver_key(expr: ast.expr) -> str | None:
    """`session` or `self.session`: the receiver of a session call, to match calls on the same one."""
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        return f"{expr.value.id}.{expr.attr}"
    return None


def _leaves(body: list[ast.stmt]) -> bool:
    """Whether a block ends by leaving (`return`, `raise`, `break`, `continue`) rather than falling through."""
    return bool(body) and isinstance(body[-1], ast.Return | ast.Raise | ast.Break | ast.Continue)


def _is_savepoint(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == SAVEPOINT


def _before(call: ast.AST, statement: ast.AST) -> bool:
    return (getattr(call, "lineno", 0), getattr(call, "col_offset", 0)) < (
        getattr(statement, "lineno", 0),
        getattr(statement, "col_offset", 0),
    )
