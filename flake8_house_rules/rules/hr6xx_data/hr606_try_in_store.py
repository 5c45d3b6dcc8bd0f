"""HR606 try-in-store."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.sqlalchemy import imports_sql_package
from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr6xx_data.common import single_layer

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

ORM_PACKAGES = ("sqlalchemy.", "sqlmodel.")
LOOPS = (ast.For, ast.AsyncFor, ast.While)
#: SQLAlchemy's errors of building things, not of data access: a bad URL or argument (`make_url(...)`), a
#: missing dialect plugin, an object that cannot be inspected, a construct that cannot be compiled.
NOT_DATA_ACCESS_ERRORS = frozenset(
    {"ArgumentError", "NoSuchModuleError", "NoInspectionAvailable", "CompileError", "UnsupportedCompilationError"}
)


class TryInStore(Rule):
    """## What it does
    Checks for a `try` statement in a function of a store module (`hr-store-modules`) that imports
    SQLAlchemy or SQLModel, whose handlers catch one of SQLAlchemy's exceptions (`NoResultFound`,
    `IntegrityError`, `sqlalchemy.exc.DBAPIError`, ...): the ORM errors the guide asks the store to let
    through. Handlers of other errors (parsing a page token, an artifact upload, an optional import, a
    broad `except Exception` around a call of another system) are not about the ORM and are not reported,
    nor are SQLAlchemy's errors of building things rather than accessing data (`ArgumentError` from
    `make_url(...)` in a configuration validator, `NoSuchModuleError`, `CompileError`);
    nor is `try`/`finally` (cleanup, not handling), nor a `try` around a savepoint (`with
    session.begin_nested():`), which is how style guide 001 catches an expected duplicate (see HR614).
    A module without SQLAlchemy (a YAML- or Redis-backed "store", a REST client) is no data-access layer in
    the guide's sense, and a module whose path matches two layers (`app/api/routes/job_state_store.py`) is
    ambiguous: neither is checked. A `try` at module level guards an import rather than data access and is
    not reported. Nor is a `try` whose every ORM handler rolls the transaction back (`except IntegrityError:
    session.rollback()`, then a re-fetch, a merge or a retry): mlflow's stores recover that way from a
    concurrent insert, which is not translating an error for a caller; the savepoint such a recovery
    should use is HR614's to ask for. Nor is a `try` that is a statement of a loop's body whose ORM handlers
    neither raise nor return (they log and go on with the next item): a failure kept to one item of a batch
    (mlflow's trace archival), not an error translated for a caller. Nor is a `try` whose every ORM handler
    ends by raising the caught error again (`exc.hide_parameters = True; raise`: skyvern keeps bound
    parameters out of its logs), which lets the ORM's error through.

    ## Why is this bad?
    The store is raw data access: the service above it knows what a missing row or a violated constraint
    means to the caller and turns it into a domain error. A store that catches hides the ORM's exception
    from the one layer that can translate it. Style guide 002 (Store Layer): "Store methods should let
    database/ORM exceptions propagate (e.g., `NoResultFound`)" and "No exception handling or transformation
    should happen at this layer".

    ## Example
    ```python
    class UserStore:
        async def get_one(self, payload: UserGetPayload) -> User | None:
            try:
                return (await self.db.execute(stmt)).scalar_one()
            except NoResultFound:
                return None
    ```

    Use instead:
    ```python
    class UserStore:
        async def get_one(self, payload: UserGetPayload) -> User:
            return (await self.db.execute(stmt)).scalar_one()  # let NoResultFound propagate
    ```
    """

    code = "HR606"
    name = "try-in-store"
    message = "let errors propagate from the store; catch and translate them in the service"
    source = "002 Store Layer"
    options = ("hr-store-modules",)
    valid = (
        # skyvern: the ORM's error re-raised, only kept out of the logs' parameters
        Example(
            "from sqlalchemy.exc import StatementError\nfrom sqlalchemy.orm import Session\n\n"
            "class RunStore:\n    def save(self, session: Session, run) -> None:\n        try:\n"
            "            session.flush()\n        except StatementError as exc:\n"
            "            exc.hide_parameters = True\n            raise\n",
            path="app/stores/runs.py",
        ),
        # zenml: a configuration validator parsing the database URL
        Example(
            "from pydantic import BaseModel, model_validator\nfrom sqlalchemy.engine import make_url\n"
            "from sqlalchemy.exc import ArgumentError\nfrom sqlalchemy.orm import Session\n\n"
            "class StoreConfig(BaseModel):\n    url: str\n\n    @model_validator(mode='after')\n"
            "    def _check_url(self) -> 'StoreConfig':\n        try:\n            make_url(self.url)\n"
            "        except ArgumentError as e:\n            raise ValueError(str(e)) from e\n        return self\n\n"
            "def count(session: Session) -> int:\n    return 0\n",
            path="app/stores/sql_store.py",
        ),
        Example(
            "class UserStore:\n    async def get_one(self, payload):\n"
            "        return (await self.db.execute(stmt)).scalar_one()",
            path="app/users/store.py",
        ),
        Example(
            "class UserService:\n    async def get_one(self, payload):\n        try:\n"
            "            return await self.store.get_one(payload)\n        except NoResultFound:\n"
            "            raise UserNotFoundError(payload.uuid)",
            path="app/users/service.py",
        ),
        Example(
            "try:\n    import orjson as json\nexcept ImportError:\n    import json",
            path="app/users/store.py",
        ),
        Example(
            "class UserStore:\n    def export(self, rows):\n        try:\n            import pyarrow\n"
            "        except ModuleNotFoundError:\n            return None\n        return pyarrow.table(rows)",
            path="app/users/store.py",
        ),
        Example(
            "import sqlalchemy\n\nclass UserStore:\n    async def stream(self):\n        try:\n"
            "            yield self.db\n        finally:\n            await self.db.close()",
            path="app/users/store.py",
        ),
        # a pydantic models module and a router named `*_store.py` under `*/api/*`: two layers, no layer rule
        Example(
            "import json\nimport sqlalchemy\nfrom pydantic import BaseModel, field_validator\n\n"
            "class JobStateBody(BaseModel):\n    value: str\n\n    @field_validator('value')\n    @classmethod\n"
            "    def value_is_json(cls, v: str) -> str:\n        try:\n            json.loads(v)\n"
            "        except ValueError:\n            raise ValueError('not JSON') from None\n        return v",
            path="app/api/datamodels/job_state_store.py",
        ),
        Example(
            "import sqlalchemy\nfrom fastapi import APIRouter, HTTPException\n\nrouter = APIRouter()\n\n"
            "@router.put('/{key}', status_code=204)\ndef set_value(key: str, value: str) -> None:\n    try:\n"
            "        backend.set(key, value)\n    except KeyError as e:\n"
            "        raise HTTPException(status_code=404) from e",
            path="app/api/routes/job_state_store.py",
        ),
        # mlflow: handlers of other errors than the ORM's, and a savepoint around an expected duplicate
        Example(
            "import base64\nfrom sqlalchemy.exc import IntegrityError\n\nclass RunStore:\n"
            "    def runs(self, page_token: str):\n        try:\n"
            "            created, run_id = base64.b64decode(page_token).decode().split(':', 1)\n"
            "        except ValueError as e:\n            raise InvalidToken(page_token) from e\n\n"
            "    def archive(self, repo, data):\n        try:\n            repo.upload(data)\n"
            "        except Exception as e:\n            raise ArchivalFailed() from e\n\n"
            "    def grant(self, session, role):\n        try:\n            with session.begin_nested():\n"
            "                session.add(role)\n        except IntegrityError:\n            pass",
            path="mlflow/server/auth/sqlalchemy_store.py",
        ),
        # mlflow: a concurrent insert recovered from by rolling back and fetching again
        Example(
            "from sqlalchemy.exc import IntegrityError\n\nclass TraceStore:\n    def start(self, session, trace):\n"
            "        session.add(trace)\n        try:\n            session.flush()\n        except IntegrityError:\n"
            "            session.rollback()\n            return self.get(session, trace.id)\n",
            path="mlflow/store/tracking/sqlalchemy_store.py",
        ),
        # mlflow: a batch that logs the item it could not archive and goes on
        Example(
            "import logging\nfrom sqlalchemy.exc import SQLAlchemyError\n\nclass TraceStore:\n"
            "    def archive(self, candidates):\n        for candidate in candidates:\n            try:\n"
            "                self._archive(candidate)\n            except SQLAlchemyError:\n"
            "                logging.warning('not archived: %s', candidate, exc_info=True)\n",
            path="mlflow/store/tracking/sqlalchemy_store.py",
        ),
        # a store that is not SQL: profiles in a YAML file
        Example(
            "from pathlib import Path\n\nimport yaml\n\nclass ProfileStore:\n    def load(self, path: Path) -> dict:\n"
            "        try:\n            return yaml.safe_load(path.read_text())\n        except OSError as e:\n"
            "            raise ValueError(f'cannot read {path}') from e",
            path="app/cli/services/profiles/store.py",
        ),
    )
    invalid = (
        Example(
            "from sqlalchemy.exc import NoResultFound\n\nclass UserStore:\n    def names(self, ids):\n"
            "        for user_id in ids:\n            try:  # error: HR606\n                yield self.get(user_id)\n"
            "            except NoResultFound:\n                return\n",
            path="app/users/store.py",
        ),
        Example(
            "from sqlalchemy.exc import IntegrityError, NoResultFound\n\nclass TraceStore:\n"
            "    def start(self, session, trace):\n        session.add(trace)\n        try:  # error: HR606\n"
            "            session.flush()\n        except IntegrityError:\n            session.rollback()\n"
            "        except NoResultFound:\n            return None\n",
            path="app/traces/store.py",
        ),
        Example(
            "from sqlalchemy.exc import NoResultFound\n\nclass UserStore:\n    async def get_one(self, payload):\n"
            "        try:  # error: HR606\n            return (await self.db.execute(stmt)).scalar_one()\n"
            "        except NoResultFound:\n            return None",
            path="app/users/store.py",
        ),
        Example(
            "import sqlalchemy.exc\nfrom sqlalchemy.orm import Session\n\ndef delete_run(session: Session, run_id):\n"
            "    try:  # error: HR606\n        session.delete(run_id)\n"
            "    except (KeyError, sqlalchemy.exc.IntegrityError):\n        pass",
            path="app/stores/runs.py",
        ),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only store modules."""
        return single_layer(ctx) == "store" and imports_sql_package(ctx)

    def visit_Try(self, node: ast.Try) -> None:
        """Report a `try` with handlers in a function."""
        self._check(node)

    def visit_TryStar(self, node: ast.TryStar) -> None:
        """Report a `try` with `except*` handlers in a function."""
        self._check(node)

    def _check(self, node: ast.Try | ast.TryStar) -> None:
        if not node.handlers or self.ctx.enclosing_function(node) is None:
            return
        orm_handlers = [handler for handler in node.handlers if self._catches_orm_error(handler)]
        if not orm_handlers or _around_savepoint(node):
            return
        if all(handler in self._rolling_back() for handler in orm_handlers):
            return  # a conflict recovered from: the transaction rolled back, then a retry or a re-fetch (HR614)
        if all(_re_raises(handler) for handler in orm_handlers):
            return  # `exc.hide_parameters = True; raise`: the ORM's error goes on, only dressed for the logs
        if self._isolates_loop_item(node, orm_handlers):
            return
        self.report(node)

    def _isolates_loop_item(self, node: ast.Try | ast.TryStar, handlers: list[ast.ExceptHandler]) -> bool:
        """A `try` that is a loop's body statement, whose ORM handlers neither raise nor return: one item fails.

        mlflow's archival pass logs a trace it could not archive and goes on with the next: a failure kept to
        one item of a batch, not an error translated for a caller.
        """
        loop = self.ctx.parent(node)
        if type(loop) not in LOOPS or node not in loop.body:  # type: ignore[attr-defined] - a loop has a body
            return False
        exits = self._exits()
        return not any(handler in exits for handler in handlers)

    def _exits(self) -> set[ast.AST]:
        """The `except` handlers of the module with a `raise` or `return` of their own (found once)."""
        ctx = self.ctx
        return ctx.derived(
            "hr606.exits", lambda: _handlers_around(ctx, [*ctx.nodes_of(ast.Raise), *ctx.nodes_of(ast.Return)])
        )

    def _rolling_back(self) -> set[ast.AST]:
        """The `except` handlers of the module that call `.rollback()` (found once, from the module's calls)."""
        ctx = self.ctx
        return ctx.derived(
            "hr606.rolling_back",
            lambda: _handlers_around(
                ctx,
                [
                    call
                    for call in ctx.nodes_of(ast.Call)
                    if type(call.func) is ast.Attribute and call.func.attr == "rollback"
                ],
            ),
        )

    def _catches_orm_error(self, handler: ast.ExceptHandler) -> bool:
        """Whether a handler catches an exception of SQLAlchemy's (`NoResultFound`, `IntegrityError`, ...)."""
        caught = handler.type
        names = caught.elts if isinstance(caught, ast.Tuple) else [caught] if caught is not None else []
        for name in names:
            qualname = self.ctx.qualname(name) or ""
            if qualname.startswith(ORM_PACKAGES) and qualname.rpartition(".")[2] not in NOT_DATA_ACCESS_ERRORS:
                return True
        return False


def _handlers_around(ctx: ModuleContext, nodes: list[ast.AST]) -> set[ast.AST]:
    """The `except` handlers each node sits in, within its own function."""
    return {above for node in nodes for above in ctx.ancestors_in_function(node) if type(above) is ast.ExceptHandler}


def _around_savepoint(node: ast.Try | ast.TryStar) -> bool:
    """`try: with session.begin_nested(): ...`: the savepoint HR614 asks for around an expected duplicate."""
    return any(
        isinstance(statement, ast.With | ast.AsyncWith)
        and any(
            isinstance(item.context_expr, ast.Call)
            and isinstance(item.context_expr.func, ast.Attribute)
            and item.context_expr.func.attr == "begin_nested"
            for item in statement.items
        )
        for statement in node.body
    )


def _re_raises(handler: ast.ExceptHandler) -> bool:
    """Whether a handler ends by raising the exception it caught (`raise`, or `raise exc` of `as exc`), with no
    other `raise` or `return` in its own statements: the error propagates as it was.
    """
    body = handler.body
    if not body or not isinstance(body[-1], ast.Raise) or body[-1].cause is not None:
        return False
    last = body[-1].exc
    if last is not None and not (isinstance(last, ast.Name) and last.id == handler.name):
        return False
    return not any(isinstance(statement, ast.Raise | ast.Return) for statement in body[:-1])
