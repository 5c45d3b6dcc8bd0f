"""HR602 sync-sqlalchemy-session."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.sqlalchemy import session_like_uses
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
#: What a project module's synchronous session factory is bound to a call of (see `context/summary.py`).
SYNC_FACTORIES = frozenset({"sqlalchemy.orm.sessionmaker", "sqlalchemy.orm.session.sessionmaker"})


class SyncSqlalchemySession(Rule):
    """## What it does
    Checks for a call of SQLAlchemy's synchronous `Session(...)`, `sessionmaker(...)`, `create_engine(...)`
    or `scoped_session(...)` (also as re-exported by `sqlmodel`) that async code uses: a call inside an
    `async def`, or one bound to a name that an `async def` of the module reads, directly or through another
    such name (`engine = create_engine(...)` feeding `SessionLocal = sessionmaker(bind=engine)`). Calls
    inside a `@staticmethod` whose name starts with `sync_` are exempt: style guide 002 asks for such
    synchronous twins of store methods for Celery tasks.

    A session factory imported from another module of the project is followed there: calling it inside an
    `async def` is reported when that module binds it to a synchronous `sessionmaker(...)` (no `class_=`, or
    SQLAlchemy's own `Session`). Only imported names the module uses like sessions (in a `with`, called into
    a name like `session`, given a session's method) are looked up. A factory bound any other way, or that
    the project model cannot see, stays unknown and is not reported.

    `sessionmaker(engine, class_=AsyncSession)`, the SQLAlchemy 1.4 spelling of an async factory, is not
    reported: its sessions are asynchronous, and on 1.4 (which has no `async_sessionmaker`) it is the only
    spelling there is. Sync sessions and engines that only sync code uses (a metrics
    callback, a test engine, a factory chosen for a sync `Engine` beside an async one, stored on an
    attribute) are synchronous by design and not reported, even beside async code; modules without any
    `async def` (scripts, migrations, sync services) are not checked.

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
        # the 1.4 spelling of an async factory (fides, on SQLAlchemy 1.4): its sessions are asynchronous
        "from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine\n"
        "from sqlalchemy.orm import sessionmaker\n\nengine = create_async_engine(URL)\n"
        "async_session = sessionmaker(engine, class_=AsyncSession)\n\n"
        "async def f() -> None:\n    async with async_session() as session:\n        await session.flush()",
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
        # a sync gauge callback beside unrelated async code, a sync engine only sync code uses
        "from sqlalchemy import func, select\nfrom sqlalchemy.orm import Session\n\n"
        "def count_users(engine, users) -> int:\n    with Session(engine) as session:\n"
        "        return session.execute(select(func.count()).select_from(users)).scalar()\n\n"
        "async def metrics_middleware(request, call_next):\n    return await call_next(request)",
        "from sqlalchemy import create_engine\nfrom sqlalchemy.orm import sessionmaker\n\n"
        "sync_engine = create_engine(URL)\nsync_session = sessionmaker(sync_engine)\n\n"
        "def get_sync_db():\n    with sync_session() as s:\n        yield s\n\n"
        "async def get_db():\n    async with async_session() as s:\n        yield s",
        # sqladmin: a sync factory for a sync `Engine`, an async one otherwise
        "from sqlalchemy.engine import Engine\nfrom sqlalchemy.ext.asyncio import async_sessionmaker\n"
        "from sqlalchemy.orm import Session, sessionmaker\n\nclass Admin:\n    def __init__(self, engine) -> None:\n"
        "        if isinstance(engine, Engine):\n            self.maker = sessionmaker(bind=engine, class_=Session)\n"
        "        else:\n            self.maker = async_sessionmaker(bind=engine)\n\n"
        "    async def count(self): ...",
    )
    invalid = (
        "from sqlalchemy import create_engine\nfrom sqlalchemy.orm import sessionmaker\n\n"
        "engine = create_engine(URL)  # error: HR602\nSessionLocal = sessionmaker(bind=engine)  # error: HR602\n\n"
        "async def get_db():\n    with SessionLocal() as session:\n        yield session",
        "import sqlalchemy as sa\nimport sqlalchemy.orm\n\nasync def handler() -> None:\n"
        "    with sqlalchemy.orm.Session(sa.create_engine(URL)) as s:  # error: HR602, HR602\n        s.flush()",
        "from sqlmodel import Session, create_engine\n\nclass Store:\n    @staticmethod\n"
        "    async def create(engine) -> None:\n        Session(engine)  # error: HR602",
    )

    calls = frozenset(SYNC_CALLS)

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only modules that define an `async def`."""
        return bool(ctx.nodes_of(ast.AsyncFunctionDef))

    def start(self) -> None:
        """Per module: the sync constructors seen, reported in `finish()` once their uses are known."""
        self._candidates: list[tuple[ast.Call, str]] = []

    def visit_call(self, node: ast.Call, name: str) -> None:
        """Collect a sync session, factory or engine built outside a `@staticmethod def sync_*` helper."""
        if not self._in_sync_helper(node) and not self._async_class(node):
            self._candidates.append((node, name))

    def finish(self) -> None:
        """Report the constructors built in an `async def`, or bound to a name that async code uses (directly,
        or through another such name: `sessionmaker(bind=engine)`); and calls in an `async def` of a
        synchronous factory imported from another project module.
        """
        self._imported_factories()
        if not self._candidates:
            return
        bound: dict[str, list[ast.Call]] = {}  # name -> the constructors its binding builds
        targets: dict[ast.AST, str] = {}  # the binding's target node -> its name
        for node, _ in self._candidates:
            for target in self._bound_names(node):
                bound.setdefault(target.id, []).append(node)
                targets[target] = target.id
        used = self._used_in_async(bound, targets)
        for node, name in self._candidates:
            if self.ctx.in_async_function(node) or any(node in bound[target] for target in used):
                self.report(
                    node, f"use `{SYNC_CALLS[name]}` instead of `{name.rpartition('.')[2]}` in a module with async code"
                )

    def _imported_factories(self) -> None:
        """Report `SessionLocal()` in an `async def` when its project module binds it to a sync `sessionmaker`."""
        ctx = self.ctx
        place = ctx.in_project
        if place.project is None:
            return
        factories: dict[str, str] = {}  # local name -> its origin, for imports of sync factories
        for local in session_like_uses(ctx):  # only names used like sessions are looked up in the project
            origins = ctx.import_names.get(local, ())
            if len(origins) == 1:
                origin = next(iter(origins))
                if place.bound_call(origin) in SYNC_FACTORIES:
                    factories[local] = origin
        if not factories:
            return
        for call in ctx.nodes_of(ast.Call):
            func = call.func
            if not isinstance(func, ast.Name) or func.id not in factories or not ctx.in_async_function(call):
                continue
            if ctx.qualname(func) != factories[func.id] or self._in_sync_helper(call):
                continue
            module = factories[func.id].rpartition(".")[0]
            self.report(
                call,
                f"`{func.id}` is a synchronous `sessionmaker` (`{module}`): use `async_sessionmaker` "
                "and `AsyncSession` in async code",
            )

    def _in_sync_helper(self, node: ast.AST) -> bool:
        function = self.ctx.enclosing_function(node)
        while function is not None:
            if (
                isinstance(function, ast.FunctionDef)
                and function.name.startswith("sync_")
                and "staticmethod" in decorator_names(self.ctx, function)
            ):
                return True
            function = self.ctx.enclosing_function(function)
        return False

    def _async_class(self, node: ast.Call) -> bool:
        """`sessionmaker(..., class_=AsyncSession)`: the 1.4 spelling of `async_sessionmaker`, not synchronous."""
        return any(
            keyword.arg == "class_" and (self.ctx.qualname(keyword.value) or "").endswith(".AsyncSession")
            for keyword in node.keywords
        )

    def _bound_names(self, node: ast.Call) -> list[ast.Name]:
        """The names the assignment holding a constructor binds (`engine = create_engine(...)`), if any."""
        for ancestor in self.ctx.ancestors_in_function(node):
            if isinstance(ancestor, ast.Assign):
                return [target for target in ancestor.targets if isinstance(target, ast.Name)]
            if isinstance(ancestor, ast.AnnAssign):
                return [ancestor.target] if isinstance(ancestor.target, ast.Name) else []
            if isinstance(ancestor, ast.stmt):
                return []
        return []

    def _used_in_async(self, bound: dict[str, list[ast.Call]], targets: dict[ast.AST, str]) -> set[str]:
        """The bound names that an `async def` reads, directly or through the value of another bound name."""
        if not bound:
            return set()
        ctx = self.ctx
        used: set[str] = set()
        feeds: dict[str, set[str]] = {}  # name -> the bound names whose value reads it
        for name in ctx.nodes_of(ast.Name):
            if name.id not in bound or not isinstance(name.ctx, ast.Load):
                continue
            if not any(binding.node in targets for binding in ctx.lookup(name) or ()):
                continue
            if ctx.in_async_function(name):
                used.add(name.id)
                continue
            for ancestor in ctx.ancestors_in_function(name):
                if isinstance(ancestor, ast.Assign | ast.AnnAssign):
                    assigned = ancestor.targets if isinstance(ancestor, ast.Assign) else [ancestor.target]
                    feeds.setdefault(name.id, set()).update(targets[target] for target in assigned if target in targets)
                    break
                if isinstance(ancestor, ast.stmt):
                    break
        pending = list(used)
        while pending:  # what feeds a used name is used too
            current = pending.pop()
            for source, fed in feeds.items():
                if current in fed and source not in used:
                    used.add(source)
                    pending.append(source)
        return used
