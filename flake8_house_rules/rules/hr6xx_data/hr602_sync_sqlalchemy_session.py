"""HR602 sync-sqlalchemy-session."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Rule
from flake8_house_rules.rules.hr6xx_data.common import decorator_names

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

SYNC_CALLS = {
    "sqlalchemy.orm.Session": "AsyncSession",
    "sqlalchemy.orm.session.Session": "AsyncSession",
    "sqlmodel.Session": "AsyncSession",
    "sqlalchemy.orm.sessionmaker": "async_sessionmaker",
    "sqlalchemy.orm.session.sessionmaker": "async_sessionmaker",
    "sqlalchemy.create_engine": "create_async_engine",
    "sqlalchemy.engine.create_engine": "create_async_engine",
    "sqlalchemy.engine.create.create_engine": "create_async_engine",
    "sqlmodel.create_engine": "create_async_engine",
    "sqlalchemy.orm.scoped_session": "async_scoped_session",
    "sqlalchemy.orm.scoping.scoped_session": "async_scoped_session",
}


class SyncSqlalchemySession(Rule):
    """## What it does
    Checks for a call of SQLAlchemy's synchronous `Session(...)`, `sessionmaker(...)`, `create_engine(...)`
    or `scoped_session(...)` (also as re-exported by `sqlmodel`) in a module that defines an `async def`.
    Calls inside a `@staticmethod` whose name starts with `sync_` are exempt: style guide 002 asks for such
    synchronous twins of store methods for Celery tasks.

    `sessionmaker(class_=AsyncSession)`, the SQLAlchemy 1.4 spelling of an async factory, is reported too:
    2.0 spells it `async_sessionmaker(...)`. Modules without any `async def` (scripts, migrations, sync
    services) are not checked.

    ## Why is this bad?
    A sync session or engine in async code blocks the event loop on every query. Style guide 001
    (SQLAlchemy Patterns): "Always use `async_sessionmaker` and `AsyncSession`".

    ## Example
    ```python
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    engine = create_engine(settings.database_url)
    SessionLocal = sessionmaker(bind=engine)

    async def get_db():
        with SessionLocal() as session:
            yield session
    ```

    Use instead:
    ```python
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    engine = create_async_engine(settings.database_url)
    async_session = async_sessionmaker(engine, expire_on_commit=False)

    async def get_db():
        async with async_session() as session:
            yield session
    ```
    """

    code = "HR602"
    name = "sync-sqlalchemy-session"
    message = "use `AsyncSession`, `async_sessionmaker` and `create_async_engine` in a module with async code"
    source = "001 SQLAlchemy Patterns; 002 Synchronous Methods for Background Tasks"
    valid = (
        "from sqlalchemy import create_engine\nfrom sqlalchemy.orm import sessionmaker\n\n"
        "engine = create_engine(URL)\nSessionLocal = sessionmaker(bind=engine)\n\n"
        "def migrate() -> None:\n    with SessionLocal() as s:\n        s.flush()",
        "from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine\n\n"
        "engine = create_async_engine(URL)\nfactory = async_sessionmaker(engine)\n\nasync def f() -> None: ...",
        "from sqlalchemy.orm import Session\n\nclass UserStore:\n    async def get_one(self, payload): ...\n\n"
        "    @staticmethod\n    def sync_create_batch(engine, payloads):\n"
        "        with Session(engine) as session:\n            session.add_all(payloads)",
        "from app.db import create_engine, Session\n\nasync def f() -> None:\n    Session(create_engine(URL))",
        "import sqlalchemy\n\nasync def f(session: sqlalchemy.orm.Session) -> None:\n    await g(session)",
    )
    invalid = (
        "from sqlalchemy import create_engine\nfrom sqlalchemy.orm import sessionmaker\n\n"
        "engine = create_engine(URL)  # error: HR602\nSessionLocal = sessionmaker(bind=engine)  # error: HR602\n\n"
        "async def get_db():\n    with SessionLocal() as session:\n        yield session",
        "import sqlalchemy as sa\nimport sqlalchemy.orm\n\nasync def handler() -> None:\n"
        "    with sqlalchemy.orm.Session(sa.create_engine(URL)) as s:  # error: HR602, HR602\n        s.flush()",
        "from sqlalchemy.ext.asyncio import AsyncSession\nfrom sqlalchemy.orm import sessionmaker\n\n"
        "async_session = sessionmaker(engine, class_=AsyncSession)  # error: HR602\n\nasync def f() -> None: ...",
        "from sqlmodel import Session, create_engine\n\nclass Store:\n    @staticmethod\n"
        "    def create(engine) -> None:\n        Session(engine)  # error: HR602\n\nasync def f() -> None: ...",
    )

    calls = frozenset(SYNC_CALLS)

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only modules that define an `async def`."""
        return bool(ctx.nodes_of(ast.AsyncFunctionDef))

    def visit_call(self, node: ast.Call, name: str) -> None:
        """Report a sync session, factory or engine built outside a `@staticmethod def sync_*` helper."""
        function = self.ctx.enclosing_function(node)
        while function is not None:
            if (
                isinstance(function, ast.FunctionDef)
                and function.name.startswith("sync_")
                and "staticmethod" in decorator_names(self.ctx, function)
            ):
                return
            function = self.ctx.enclosing_function(function)
        self.report(
            node, f"use `{SYNC_CALLS[name]}` instead of `{name.rpartition('.')[2]}` in a module with async code"
        )
