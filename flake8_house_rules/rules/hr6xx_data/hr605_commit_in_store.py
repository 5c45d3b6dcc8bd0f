"""HR605 commit-in-store."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.sqlalchemy import imports_sql_package
from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr6xx_data.common import single_layer

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext


class CommitInStore(Rule):
    """## What it does
    Checks for `.commit()` called in a store module (`hr-store-modules`) that imports SQLAlchemy or
    SQLModel. The receiver is not resolved: in a SQLAlchemy store the committed object is the session or
    connection the store was handed, whatever it is called. A store of another kind (a Prisma batch, a git
    repository) imports neither package and is not checked. `flush()` is fine.

    ## Why is this bad?
    The caller owns the transaction: a store that commits ends it in the middle of the caller's unit of
    work, so two store calls can no longer succeed or fail together. Style guide 001 (SQLAlchemy Patterns):
    "Repository methods should NOT call `commit()`—caller owns the transaction" and "Use `flush()` inside
    transactions, `commit()` at boundaries". Style guide 002 (Database Session Management) says the
    opposite ("Use `await self.db.commit()` for operations that modify data"): a team that follows 002
    ignores HR605.

    ## Example
    ```python
    class UserStore:
        async def create_one(self, payload: UserCreatePayload) -> User:
            user = User(**payload.model_dump())
            self.db.add(user)
            await self.db.commit()
            return user
    ```

    Use instead:
    ```python
    class UserStore:
        async def create_one(self, payload: UserCreatePayload) -> User:
            user = User(**payload.model_dump())
            self.db.add(user)
            await self.db.flush()
            return user
    ```
    """

    code = "HR605"
    name = "commit-in-store"
    message = "call `flush()` in the store and leave `commit()` to the caller that owns the transaction"
    source = "001 SQLAlchemy Patterns (vs 002 Database Session Management)"
    options = ("hr-store-modules",)
    valid = (
        Example(
            "from sqlalchemy.ext.asyncio import AsyncSession\n\nclass UserStore:\n"
            "    def __init__(self, db: AsyncSession) -> None:\n        self.db = db\n\n"
            "    async def create_one(self, payload) -> None:\n        self.db.add(payload)\n"
            "        await self.db.flush()",
            path="app/users/store.py",
        ),
        Example(
            "from sqlalchemy.ext.asyncio import AsyncSession\n\nasync def create(db: AsyncSession) -> None:\n"
            "    await db.commit()",
            path="app/users/service.py",
        ),
        # litellm: a Prisma batch in a repository module
        Example(
            "async def save(prisma_client, rows) -> None:\n    batch = prisma_client.db.batch_()\n"
            "    for row in rows:\n        batch.table.create(data=row)\n    await batch.commit()",
            path="app/repositories/unit_of_work.py",
        ),
    )
    invalid = (
        Example(
            "from sqlalchemy.ext.asyncio import AsyncSession\n\nclass UserStore:\n"
            "    def __init__(self, db: AsyncSession) -> None:\n        self.db = db\n\n"
            "    async def create_one(self, payload) -> None:\n        self.db.add(payload)\n"
            "        await self.db.commit()  # error: HR605",
            path="app/users/store.py",
        ),
        Example(
            "import sqlalchemy.orm\n\nclass RunStore:\n    def log(self, run) -> None:\n"
            "        with self.ManagedSessionMaker() as session:\n            session.add(run)\n"
            "            session.commit()  # error: HR605",
            path="mlflow/store/tracking/sqlalchemy_store.py",
        ),
    )

    methods = frozenset({"commit"})

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only store modules that import SQLAlchemy or SQLModel."""
        return single_layer(ctx) == "store" and imports_sql_package(ctx)

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """Report `.commit()` without arguments (a git or VCS commit takes a message)."""
        if not node.args and not node.keywords:
            self.report(node)
