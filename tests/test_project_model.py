"""The project model: roots, module names, summaries, and what an imported name is across modules."""

from __future__ import annotations

import ast
import os
from typing import TYPE_CHECKING

import pytest

from flake8_house_rules.config import build_config
from flake8_house_rules.context import ModuleContext
from flake8_house_rules.context import project as project_module
from flake8_house_rules.context.project import module_name, project_root
from flake8_house_rules.context.summary import absolute, summarise
from flake8_house_rules.rule import load_rules

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from pytest_flake8_path import Flake8Path


@pytest.fixture(autouse=True)
def fresh_projects(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("HOUSE_RULES_SUMMARY_CACHE", "off")
    project_module.reset()
    yield
    project_module.reset()


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def context_of(root: Path, name: str) -> ModuleContext:
    config = build_config({"hr-target-version": "3.12"}, frozenset(load_rules()), cwd=str(root))
    source = (root / name).read_text()
    return ModuleContext(ast.parse(source), source.splitlines(keepends=True), name, config)


def classes(ctx: ModuleContext) -> dict[str, ast.ClassDef]:
    return {node.name: node for node in ctx.nodes_of(ast.ClassDef)}


APP = {
    "pyproject.toml": "[project]\nname = 'app'\n",
    "app/__init__.py": "",
    "app/core/__init__.py": "from .schema import Schema as Schema\n",
    "app/core/schema.py": "from pydantic import BaseModel as _Base\n\nclass Schema(_Base):\n    pass\n",
    "app/core/errors.py": (
        "class AppError(Exception): ...\n\nclass NotFound(AppError): ...\n\nclass Plain(Exception): ...\n"
    ),
    "app/db.py": (
        "from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine\n"
        "from sqlalchemy.orm import DeclarativeBase, declarative_base\n\n"
        "engine = create_async_engine('sqlite://')\nSessionLocal = async_sessionmaker(engine)\n"
        "class Base(DeclarativeBase): ...\nLegacy = declarative_base()\n"
    ),
    "app/users/__init__.py": "",
    "app/users/models.py": (
        "from app.core import Schema\nfrom app.db import Base, Legacy\n\n"
        "class UserOut(Schema): ...\nclass User(Base): ...\nclass Old(Legacy): ...\n"
    ),
}


def test_root_and_module_names(tmp_path: Path) -> None:
    write(tmp_path, {**APP, "src/pkg/__init__.py": "", "src/pkg/mod.py": "", "scripts/run.py": ""})
    root = str(tmp_path)
    assert project_root(str(tmp_path / "app" / "users")) == root
    assert module_name(str(tmp_path / "app/users/models.py"), root) == ("app.users.models", False, root)
    assert module_name(str(tmp_path / "app/core/__init__.py"), root) == ("app.core", True, root)
    assert module_name(str(tmp_path / "src/pkg/mod.py"), root) == ("pkg.mod", False, str(tmp_path / "src"))
    assert module_name(str(tmp_path / "scripts/run.py"), root)[0] == "scripts.run"  # a namespace package
    assert absolute("..core.Schema", "app.users.models", package=False) == "app.core.Schema"
    assert absolute(".models", "app.users", package=True) == "app.users.models"
    assert absolute("...x", "app.users.models", package=False) == "x"
    assert absolute("....x", "app.users.models", package=False) is None


def test_no_root_marker_means_no_project(tmp_path: Path) -> None:
    write(tmp_path, {"app/models.py": "from app.base import Schema\n\nclass A(Schema): ...\n"})
    ctx = context_of(tmp_path, "app/models.py")
    if project_root(str(tmp_path)) is None:  # the temporary folder is under no repository
        assert ctx.in_project.project is None
        assert ctx.classes.inherits(classes(ctx)["A"], "pydantic.BaseModel") is None


def test_bases_across_modules_and_re_exports(tmp_path: Path) -> None:
    write(tmp_path, APP)
    ctx = context_of(tmp_path, "app/users/models.py")
    found = classes(ctx)
    hierarchy = ctx.classes
    assert hierarchy.inherits(found["UserOut"], "pydantic.BaseModel") is True
    assert hierarchy.inherits(found["User"], "pydantic.BaseModel") is None  # DeclarativeBase's bases: unseen
    assert hierarchy.inherits(found["User"], "sqlalchemy.orm.DeclarativeBase") is True
    assert hierarchy.inherits(found["Old"], "sqlalchemy.orm.DeclarativeBase") is True
    view = ctx.in_project
    assert view.is_orm_model("app.users.models.User") is True
    assert view.is_orm_model("app.users.models.UserOut") is False
    assert view.is_orm_model("app.core.Schema") is False
    assert view.is_orm_model("fastapi.FastAPI") is None


def test_exception_hierarchy_through_imports(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            **APP,
            "app/quota.py": (
                "from app.core.errors import NotFound, Plain\n\nclass A(NotFound): ...\nclass B(Plain): ...\n"
            ),
        },
    )
    ctx = context_of(tmp_path, "app/quota.py")
    found = classes(ctx)
    a, b = ctx.classes.ancestry(found["A"]), ctx.classes.ancestry(found["B"])
    assert a.complete and "app.core.errors.AppError" in a.names and "builtins.Exception" in a.names
    assert b.complete and not any(name.endswith("AppError") for name in b.names)


def test_kinds_of_module_level_names(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            **APP,
            "app/api/__init__.py": "",
            "app/api/base.py": "from fastapi import APIRouter\n\nclass AppRouter(APIRouter): ...\n",
            "app/api/users.py": "from app.api.base import AppRouter\n\nrouter = AppRouter(prefix='/u')\n",
            "app/log.py": (
                "import structlog\n\ndef get_logger(name: str):\n    return structlog.get_logger(name)\n\n"
                "log = get_logger(__name__)\n"
            ),
            "app/twice.py": "try:\n    import orjson as json\nexcept ImportError:\n    json = None\n",
            "app/star.py": "from app.db import *\n",
        },
    )
    view = context_of(tmp_path, "app/users/models.py").in_project
    assert view.kind("app.db.SessionLocal") == "factory"
    assert view.kind("app.db.engine") == "engine"
    assert view.kind("app.api.users.router") == "router"
    assert view.built_by("app.api.base.AppRouter") == "router"
    assert view.kind("app.log.get_logger") == "returns:structlog_logger"
    assert view.kind("app.log.log") == "structlog_logger"
    assert view.kind("app.twice.json") is None
    assert view.kind("app.star.SessionLocal") is None  # a star import: unknown, not guessed
    assert view.kind("app.missing.thing") is None
    assert view.kind("httpx.AsyncClient") is None


def test_import_cycles_end_in_unknown(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "",
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import B as A\nfrom pkg.b import C\n\nclass D(C): ...\n",
            "pkg/b.py": "from pkg.a import A as B\nfrom pkg.a import D as C\n",
            "pkg/use.py": "from pkg.a import A, D\n\nclass X(A): ...\nclass Y(D): ...\n",
        },
    )
    ctx = context_of(tmp_path, "pkg/use.py")
    found = classes(ctx)
    assert ctx.classes.inherits(found["X"], "pydantic.BaseModel") is None
    assert ctx.classes.inherits(found["Y"], "pydantic.BaseModel") is None


def test_relative_imports_and_type_checking_imports(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            **APP,
            "app/users/schemas.py": (
                "from typing import TYPE_CHECKING\nfrom ..core.schema import Schema\n"
                "if TYPE_CHECKING:\n    from .models import User\n\nclass UserIn(Schema): ...\n"
            ),
        },
    )
    ctx = context_of(tmp_path, "app/users/schemas.py")
    assert ctx.classes.inherits(classes(ctx)["UserIn"], "pydantic.BaseModel") is True
    assert ctx.in_project.is_orm_model(".models.User") is True


def test_summary_is_small_plain_data_and_only_reached_modules_are_read(tmp_path: Path) -> None:
    write(tmp_path, {**APP, "app/broken.py": "def (:\n"})
    tree = ast.parse((tmp_path / "app/db.py").read_text())
    summary = summarise(tree, "app.db", package=False)
    assert summary.names["SessionLocal"] == ("call", "sqlalchemy.ext.asyncio.async_sessionmaker")
    assert summary.names["Base"] == ("class", ("sqlalchemy.orm.DeclarativeBase",), "", ())
    assert "s" in summary.evidence
    ctx = context_of(tmp_path, "app/users/models.py")
    ctx.classes.ancestry(classes(ctx)["UserOut"])
    project = ctx.in_project.project
    assert project is not None
    read = {os.path.relpath(path, tmp_path) for path in project._summaries}
    # the linted module's own summary comes from its tree; of the others only what the import reached
    assert read == {"app/users/models.py", "app/core/__init__.py", "app/core/schema.py"}
    assert ctx.in_project.kind("app.broken.x") is None


def test_facts_for_rules_that_ask_about_imported_names(tmp_path: Path) -> None:
    from flake8_house_rules.context.pydantic import PydanticModels  # noqa: PLC0415
    from flake8_house_rules.context.sqlalchemy import Sessions  # noqa: PLC0415

    write(
        tmp_path,
        {
            **APP,
            "app/config.py": "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings): ...\n",
            "app/main.py": (
                "from app.config import Settings\nfrom app.db import SessionLocal\nfrom app.core import Schema\n\n"
                "settings = Settings()\nschema = Schema()\n\ndef f():\n    session = SessionLocal()\n"
            ),
        },
    )
    ctx = context_of(tmp_path, "app/main.py")
    facts = ctx.fact(PydanticModels)
    calls = {call.func.id: call for call in ctx.nodes_of(ast.Call) if isinstance(call.func, ast.Name)}
    assert facts.is_imported_settings(calls["Settings"].func)
    assert not facts.is_imported_settings(calls["Schema"].func)
    sessions = ctx.fact(Sessions)
    assert sessions.imports_factory
    assert sessions.builds_session(calls["SessionLocal"])


def test_class_summaries_name_their_methods() -> None:
    source = "class A(B):\n    def run(self): ...\n    async def stop(self): ...\n"
    source += "    if X:\n        def extra(self): ...\n"
    summary = summarise(ast.parse(source), "app.a", package=False)
    assert summary.names["A"][3] == ("extra", "run", "stop")


def test_short_string_constants_keep_their_value() -> None:
    source = 'TOKEN = "/oauth/token"\nDOC = "' + "x" * 300 + '"\nTWICE = "a"\nTWICE = "b"\n'
    summary = summarise(ast.parse(source), "app.urls", package=False)
    assert summary.names["TOKEN"] == ("text", "/oauth/token")
    assert summary.names["DOC"] == ("other",)  # a document is not kept
    assert summary.names["TWICE"] == ("other",)  # bound twice: unknown


def test_calls_inside_functions_are_kept_only_when_spelled_like_a_class() -> None:
    """An app factory's `MyApp()` may show a router; `get_cache()` in a body would only cost a module read."""
    source = (
        "from app.base import MyApp, get_cache\nlogger = get_logger()\n\n"
        "def create_app():\n    cache = get_cache()\n    app = MyApp()\n    return app\n"
    )
    summary = summarise(ast.parse(source), "app.main", package=False)
    assert summary.calls == ("app.base.MyApp", "builtins.get_logger")


#: litellm's guardrail hooks: a package (`repelloai/`) under two folders without `__init__.py` inside the
#: `litellm.proxy` package, in an unpacked wheel with no root marker.
GUARDRAIL_TREE = {
    "pkg/__init__.py": "",
    "pkg/proxy/__init__.py": "",
    "pkg/proxy/base.py": (
        '"""Bases."""\n\n\nclass Guardrail:\n    """A guardrail."""\n\n'
        '    def hook(self) -> None:\n        """Run the hook."""\n'
    ),
    "pkg/proxy/guardrails/hooks/repello/__init__.py": "",
    "pkg/proxy/guardrails/hooks/repello/impl.py": (
        '"""Repello."""\nfrom pkg.proxy.base import Guardrail\n\n\nclass Repello(Guardrail):\n'
        '    """Repello\'s guardrail."""\n\n    def hook(self) -> None:\n        pass\n'
    ),
}


def test_a_package_below_namespace_folders_inside_a_package(tmp_path: Path, flake8_path: Flake8Path) -> None:
    """Its modules are named through the namespace folders, and the tree above is one project."""
    write(tmp_path, GUARDRAIL_TREE)
    root = str(tmp_path)
    impl = str(tmp_path / "pkg/proxy/guardrails/hooks/repello/impl.py")
    assert project_module.package_start(os.path.dirname(impl)) == root
    assert module_name(impl, root) == ("pkg.proxy.guardrails.hooks.repello.impl", False, root)
    # three folders without `__init__.py` in a row are more than a namespace subpackage: a tree of its own
    deep = str(tmp_path / "pkg/proxy/a/b/c/leaf")
    os.makedirs(deep)
    (tmp_path / "pkg/proxy/a/b/c/leaf/__init__.py").write_text("")
    assert project_module.package_start(deep) == str(tmp_path / "pkg/proxy/a/b/c")
    # through flake8: the override of a documented base method needs no docstring of its own (HR001)
    for name, text in GUARDRAIL_TREE.items():
        (flake8_path / name).parent.mkdir(parents=True, exist_ok=True)
        (flake8_path / name).write_text(text)
    assert flake8_path.run_flake8(["--select", "HR001"]).out_lines == []
