"""HR615 session-without-context-manager."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.sqlalchemy import FACTORY_TYPES, SESSION_CLASSES, Sessions, imports_sql_package
from flake8_house_rules.rule import Example, Rule

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: Calls that take over a context manager: `stack.enter_async_context(factory())`, `closing(Session())`.
ENTERING = frozenset({"enter_context", "enter_async_context", "closing", "aclosing"})


class SessionWithoutContextManager(Rule):
    """## What it does
    Checks for a session opened without `with`/`async with`: a call of `Session(...)`/`AsyncSession(...)`
    (SQLAlchemy or SQLModel) or of a session factory the module binds (`SessionLocal = sessionmaker(...)`,
    `async_session = async_sessionmaker(...)`, a parameter or `self.<attr>` annotated `async_sessionmaker`)
    that is not the context expression of a `with` item. Also accepted:

    - a session assigned to a name that the same function then enters (`session = factory()`, then
      `async with session:`), returns, or hands to `enter_async_context`/`closing`;
    - `return factory()`: the caller owns the session (a factory wrapper);
    - a session stored on an object (`self.<attr> = factory()`, or any `<obj>.<attr> = session`) or in a
      module global declared `global` in the function (`_lock_session = factory()`), directly or through
      a local name first: an object or a module that owns a session for its whole life and closes it
      elsewhere (letta holds a Postgres advisory lock in one so).

    A factory imported from another module of the project (`from app.db import SessionLocal`) is what that
    module binds it to (`SessionLocal = sessionmaker(...)` there), read from its summary; a name from outside
    the project, or one the other module binds in ways that disagree, is unknown and not reported. Migration
    scripts (alembic's `versions/`, or a module importing `alembic.op`) are not checked: they
    are frozen history, and their `Session(bind=op.get_bind())` shares the migration's own connection.
    The FastAPI tutorial's `db = SessionLocal(); try: yield db; finally: db.close()` is reported: the
    house style spells it `with SessionLocal() as db: yield db`.

    ## Why is this bad?
    A session that is not closed keeps its connection checked out of the pool until the garbage collector
    finds it, and an exception between opening and closing skips the close. Style guide 002 (Database
    Session Management): "Always use async context managers for database operations"; 000/001 (Async
    Patterns): "Use `async with` for context managers (sessions, locks, clients)".

    ## Example
    ```python
    async def get_db() -> AsyncIterator[AsyncSession]:
        session = async_session()
        try:
            yield session
        finally:
            await session.close()
    ```

    Use instead:
    ```python
    async def get_db() -> AsyncIterator[AsyncSession]:
        async with async_session() as session:
            yield session
    ```
    """

    code = "HR615"
    name = "session-without-context-manager"
    message = "open the session with `async with factory() as session:` (or `with`) so that it is closed"
    source = "002 Store Layer Best Practices; 000/001 Async Patterns"
    valid = (
        Example(
            "import sqlalchemy.orm as orm\nfrom alembic import op\n\ndef upgrade():\n"
            "    session = orm.Session(bind=op.get_bind())\n    session.execute(UPDATE)",
            path="app/migrations/versions/89d4b8295536_latest_metrics.py",
        ),
        "from sqlalchemy.ext.asyncio import async_sessionmaker\n\nasync_session = async_sessionmaker(engine)\n\n"
        "async def get_db():\n    async with async_session() as session:\n        yield session",
        "from sqlalchemy.orm import Session\n\ndef run(engine):\n    with Session(engine) as s, s.begin():\n"
        "        s.flush()",
        "from sqlalchemy.orm import sessionmaker\n\nSessionLocal = sessionmaker()\n\n"
        "def new_session():\n    return SessionLocal()",
        "from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker\n\nclass Uow:\n"
        "    def __init__(self, factory: async_sessionmaker[AsyncSession]) -> None:\n"
        "        self.factory = factory\n\n    async def __aenter__(self):\n"
        "        self.session = self.factory()\n        return self",
        "from sqlalchemy.ext.asyncio import async_sessionmaker\n\nfactory = async_sessionmaker(engine)\n\n"
        "async def work(stack):\n    session = await stack.enter_async_context(factory())\n"
        "    other = factory()\n    async with other:\n        pass",
        "from sqlalchemy.ext.asyncio import async_sessionmaker\n\nfactory = async_sessionmaker(engine)\n\n"
        "async def work():\n    async with factory.begin() as session:\n        pass",
        "from app.db import SessionLocal\n\ndef get_db():\n    db = SessionLocal()\n    try:\n        yield db\n"
        "    finally:\n        db.close()",
        "from sqlalchemy.orm import Session\n\ndef typed(s: Session) -> Session:\n    return s",
        # letta: a session kept by the module for the process's life (an advisory lock), closed elsewhere
        "from sqlalchemy.ext.asyncio import async_sessionmaker\n\nfactory = async_sessionmaker(engine)\n"
        "_lock_session = None\n\nasync def start() -> None:\n    global _lock_session\n    s = factory()\n"
        "    await s.execute(q)\n    _lock_session = s\n\nasync def release() -> None:\n"
        "    await _lock_session.close()",
    )
    invalid = (
        "from sqlalchemy.orm import sessionmaker\n\nSessionLocal = sessionmaker(bind=engine)\n\n"
        "def get_db():\n    db = SessionLocal()  # error: HR615\n    try:\n        yield db\n"
        "    finally:\n        db.close()",
        "from sqlalchemy.ext.asyncio import AsyncSession\n\nasync def count(engine) -> int:\n"
        "    session = AsyncSession(engine)  # error: HR615\n    return await session.scalar(q)",
        # a module-level name that is not declared `global` is a local of the function
        "from sqlalchemy.ext.asyncio import async_sessionmaker\n\nfactory = async_sessionmaker(engine)\n"
        "held = None\n\nasync def start() -> None:\n    held = factory()  # error: HR615\n    await held.execute(q)",
        "from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker\n\nclass Store:\n"
        "    def __init__(self, factory: 'async_sessionmaker[AsyncSession]') -> None:\n"
        "        self.factory = factory\n\n    async def rows(self):\n"
        "        return await self.factory().scalars(q)  # error: HR615",
    )

    calls = SESSION_CLASSES
    references = FACTORY_TYPES

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only modules that import SQLAlchemy or SQLModel, migration scripts aside."""
        return imports_sql_package(ctx) and not ctx.is_migration_module()

    def start(self) -> None:
        """Per module: the session constructions seen, and whether any factory is in sight."""
        self._constructions: list[ast.Call] = []
        self._factories = False
        self._uses: dict[str, list[ast.Name]] | None = None

    def visit_call(self, node: ast.Call, name: str) -> None:
        """Collect `Session(...)` and `AsyncSession(...)`."""
        self._constructions.append(node)

    def visit_reference(self, node: ast.Name | ast.Attribute, name: str) -> None:
        """Note that a factory type is in sight (`orm.sessionmaker`): its calls are looked for at the end."""
        self._factories = True

    def finish(self) -> None:
        """Report the sessions opened outside a `with` item."""
        calls = list(self._constructions)
        sessions = self.ctx.fact(Sessions)
        if (
            self._factories
            or any(not origins.isdisjoint(FACTORY_TYPES) for origins in self.ctx.import_names.values())
            or sessions.imports_factory
        ):
            calls.extend(
                call
                for call in self.ctx.nodes_of(ast.Call)
                if isinstance(call.func, ast.Name | ast.Attribute) and sessions.is_factory(call.func)
            )
        for call in calls:
            if not self._managed(call):
                self.report(call)

    def _managed(self, call: ast.Call) -> bool:
        parent = self.ctx.parent(call)
        if isinstance(parent, ast.withitem) and parent.context_expr is call:
            return True
        if isinstance(parent, ast.Return) or _entered_by_call(parent, call):
            return True
        if isinstance(parent, ast.Await):
            return False
        if isinstance(parent, ast.Assign | ast.AnnAssign) and parent.value is call:
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            if len(targets) != 1:
                return False
            target = targets[0]
            if isinstance(target, ast.Attribute) or self._global(call, target):
                return True
            if isinstance(target, ast.Name):
                return self._name_managed(call, target.id)
        return False

    def _global(self, node: ast.AST, target: ast.expr) -> bool:
        """Whether an assignment target is a name the enclosing function declares `global`."""
        function = self.ctx.enclosing_function(node)
        scope = self.ctx.scope_of_node.get(function) if function is not None else None
        return isinstance(target, ast.Name) and scope is not None and target.id in scope.globals

    def _name_managed(self, call: ast.Call, name: str) -> bool:
        """Whether the function that binds the session enters it, returns it, or hands it to a stack."""
        function = self.ctx.enclosing_function(call)
        if function is None:
            return False
        if self._uses is None:
            self._uses = {}
            for node in self.ctx.nodes_of(ast.Name):
                self._uses.setdefault(node.id, []).append(node)
        for node in self._uses.get(name, ()):
            if self.ctx.enclosing_function(node) is not function:
                continue
            parent = self.ctx.parent(node)
            if isinstance(parent, ast.withitem) and parent.context_expr is node:
                return True
            if isinstance(parent, ast.Return) or _entered_by_call(parent, node):
                return True
            if isinstance(parent, ast.Assign) and parent.value is node and len(parent.targets) == 1:
                target = parent.targets[0]
                if isinstance(target, ast.Attribute) or self._global(node, target):
                    return True  # kept by an object or the module, for its whole life
        return False


def _entered_by_call(parent: ast.AST | None, node: ast.AST) -> bool:
    """Whether the node is an argument of `enter_context`/`enter_async_context`/`closing`/`aclosing`."""
    if not isinstance(parent, ast.Call) or node not in parent.args:
        return False
    func = parent.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in ENTERING
