"""SQLAlchemy facts: sessions and session factories through bindings, and where imports lead (HR6xx)."""

from __future__ import annotations

import ast

from test_context import context

from flake8_house_rules.context.sqlalchemy import ImportTargets, Sessions, imports_sql_package, layer_of


def kinds(source: str, filename: str = "app/mod.py") -> dict[str, str | None]:
    """The kind of every receiver of a `.probe()` call, by its source text and line: `db.probe()` -> `db@4`."""
    ctx = context(source, filename)
    ctx.references()  # as the engine does before any rule asks
    sessions = ctx.fact(Sessions)
    found = {}
    for call in ctx.nodes_of(ast.Call):
        if isinstance(call.func, ast.Attribute) and call.func.attr == "probe":
            receiver = call.func.value
            found[f"{ast.unparse(receiver)}@{receiver.lineno}"] = sessions.kind(receiver)
    return found


def test_annotated_parameters_and_attributes_are_sessions() -> None:
    found = kinds(
        "from __future__ import annotations\n"  # 1
        "from typing import Annotated, Optional\n"  # 2
        "import sqlalchemy.orm as orm\n"  # 3
        "from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker\n"  # 4
        "from sqlmodel import Session as ModelSession\n"  # 5
        "def f(a: orm.Session, b: AsyncSession | None, c: Optional[ModelSession], d: 'AsyncSession',\n"  # 6
        "      e: Annotated[AsyncSession, Depends(get_db)], g: async_sessionmaker[AsyncSession]):\n"  # 7
        "    a.probe(); b.probe(); c.probe(); d.probe(); e.probe(); g.probe()\n"  # 8
        "class Store:\n"  # 9
        "    db: AsyncSession\n"  # 10
        "    def __init__(self, session: orm.Session, factory: 'async_sessionmaker[AsyncSession]') -> None:\n"
        "        self.session = session\n"  # 12
        "        self.factory = factory\n"  # 13
        "    def m(self) -> None:\n"  # 14
        "        self.db.probe(); self.session.probe(); self.factory.probe()\n"  # 15
    )
    assert found == {
        "a@8": "session",
        "b@8": "session",
        "c@8": "session",
        "d@8": "session",
        "e@8": "session",
        "g@8": "factory",
        "self.db@15": "session",
        "self.session@15": "session",
        "self.factory@15": "factory",
    }


def test_factories_and_the_sessions_they_produce() -> None:
    found = kinds(
        "from sqlalchemy.orm import Session, sessionmaker, scoped_session\n"  # 1
        "from sqlalchemy.ext.asyncio import async_sessionmaker\n"  # 2
        "SessionLocal = sessionmaker(bind=engine)\n"  # 3
        "async_session = async_sessionmaker(engine)\n"  # 4
        "registry = scoped_session(SessionLocal)\n"  # 5
        "def f():\n"  # 6
        "    s = SessionLocal()\n"  # 7
        "    with SessionLocal() as t, Session(engine) as u, SessionLocal.begin() as v:\n"  # 8
        "        s.probe(); t.probe(); u.probe(); v.probe(); registry.probe(); SessionLocal.probe()\n"  # 9
        "async def g():\n"  # 10
        "    async with async_session() as session:\n"  # 11
        "        session.probe()\n"  # 12
        "    async with session.begin() as tx:\n"  # 13
        "        tx.probe()\n"  # 14
    )
    assert found == {
        "s@9": "session",
        "t@9": "session",
        "u@9": "session",
        "v@9": "session",
        "registry@9": "session",
        "SessionLocal@9": "factory",
        "session@12": "session",
        "tx@14": None,  # a SessionTransaction, not a session
    }


def test_unknown_is_unknown() -> None:
    found = kinds(
        "import pandas as pd\n"  # 1
        "from app.db import SessionLocal, session\n"  # 2
        "from myorm import Session\n"  # 3
        "from sqlalchemy.orm import Session as SASession\n"  # 4
        "def f(es, frame: pd.DataFrame, mine: Session, flag: bool, typed: SASession):\n"  # 5
        "    with SessionLocal() as s:\n"  # 6
        "        s.probe()\n"  # 7
        "    if flag:\n"  # 8
        "        typed = other()\n"  # 9
        "    es.probe(); frame.probe(); mine.probe(); session.probe(); typed.probe(); SASession.probe()\n"  # 10
        "class C:\n"  # 11
        "    def m(self, db: SASession) -> None:\n"  # 12
        "        self.db = db if db else make()\n"  # 13
        "    def n(self) -> None:\n"  # 14
        "        self.db.probe(); self.other.probe()\n"  # 15
        "        def inner():\n"  # 16
        "            self.db.probe()\n"  # 17
    )
    assert found == {
        "s@7": None,  # the factory is imported: its value is in another module
        "es@10": None,
        "frame@10": None,
        "mine@10": None,
        "session@10": None,
        "typed@10": None,  # bound two ways
        "SASession@10": None,  # the class itself, not a session
        "self.db@15": None,  # assigned a conditional expression
        "self.other@15": None,
        "self.db@17": None,  # a nested function's `self` is not the method's
    }


def test_builds_session_and_cycles() -> None:
    ctx = context(
        "from sqlalchemy.orm import Session, sessionmaker\n"
        "factory = sessionmaker()\n"
        "a = b\nb = a\n"
        "Session(engine)\nfactory()\nfactory.begin()\na()\n"
    )
    sessions = ctx.fact(Sessions)
    calls = [node for node in ctx.nodes_of(ast.Call) if isinstance(ctx.parent(node), ast.Expr)]
    assert [sessions.builds_session(call) for call in calls] == [True, True, False, False]
    assert imports_sql_package(ctx) is True
    assert imports_sql_package(context("import sqlalchemyish\nfrom app import sqlalchemy_utils\n")) is False


def targets(source: str, filename: str) -> list[tuple[list[str], set[str]]]:
    ctx = context(source, filename)
    facts = ctx.fact(ImportTargets)
    statements = [*ctx.nodes_of(ast.Import), *ctx.nodes_of(ast.ImportFrom)]
    statements.sort(key=lambda node: node.lineno)
    return [(facts.targets(node), facts.layers(node)) for node in statements]


def test_import_targets_absolute_and_relative() -> None:
    found = targets(
        "import app.users.store\nfrom app.users import store, helpers\nfrom .service import UserService\n"
        "from ..stores import users\nfrom . import routes\nfrom app.deps import get_user_store\n",
        "app/users/routes.py",
    )
    assert found[0] == (["app/users/store.py", "app/users/store/__init__.py"], {"store"})
    assert found[1] == (
        ["app/users.py", "app/users/__init__.py", "app/users/store.py", "app/users/store/__init__.py"],
        {"store"},
    )
    assert found[2] == (["app/users/service.py", "app/users/service/__init__.py"], {"service"})
    assert found[3] == (["app/stores.py", "app/stores/__init__.py"], {"store"})
    assert found[4] == (
        ["app/users.py", "app/users/__init__.py", "app/users/routes.py", "app/users/routes/__init__.py"],
        {"router"},
    )
    assert found[5] == (["app/deps.py", "app/deps/__init__.py"], set())  # a function, not a module


def test_import_targets_unknown_without_a_path() -> None:
    assert targets("from .store import X\nfrom ...store import Y\n", "stdin") == [([], set()), ([], set())]
    assert targets("from ..store import X\n", "routes.py") == [([], set())]
    assert targets("from .store import X\n", "routes.py") == [(["store.py", "store/__init__.py"], {"store"})]


def test_layer_of_is_unique_or_unknown() -> None:
    assert layer_of(frozenset({"store", "test"})) == "store"
    assert layer_of(frozenset({"store", "router"})) is None
    assert layer_of(frozenset()) is None
