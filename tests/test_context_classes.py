"""Class facts: bases resolved through imports and, transitively, through the module's own classes."""

from __future__ import annotations

import ast

from test_context import context


def classes(source: str) -> tuple[object, dict[str, ast.ClassDef]]:
    ctx = context(source)
    return ctx, {node.name: node for node in ctx.nodes_of(ast.ClassDef)}


def test_direct_and_transitive_bases_through_imports_and_local_classes() -> None:
    ctx, found = classes(
        "import pydantic as pd\nfrom pydantic_settings import BaseSettings\n"
        "class Base(pd.BaseModel): ...\nclass User(Base): ...\nclass Admin(User): ...\n"
        "class Settings(BaseSettings): ...\nclass Plain: ...\n"
    )
    hierarchy = ctx.classes
    assert hierarchy.inherits(found["Admin"], "pydantic.BaseModel") is True
    assert hierarchy.inherits(found["Settings"], "pydantic_settings.BaseSettings") is True
    assert hierarchy.inherits(found["Settings"], "pydantic.BaseModel") is None  # BaseSettings' bases are unseen
    assert hierarchy.inherits(found["Plain"], "pydantic.BaseModel") is False
    assert hierarchy.ancestry(found["Admin"]).classes == (found["User"], found["Base"])
    assert [node.name for node in hierarchy.classes_inheriting("pydantic.BaseModel")] == ["Base", "User", "Admin"]


def test_unknown_bases_are_unknown_not_no() -> None:
    ctx, found = classes(
        "from .models import Base\nclass A(Base): ...\nclass B(make_base()): ...\nclass C(*bases): ...\n"
        "class D(**kw): ...\nclass E(Mystery): ...\n"
    )
    for name in "ABCD":
        assert ctx.classes.inherits(found[name], "pydantic.BaseModel") is None, name
    assert ctx.classes.inherits(found["E"], "pydantic.BaseModel") is False  # an unbound name is a builtin


def test_builtins_end_the_chain_and_subscripts_count_as_their_class() -> None:
    ctx, found = classes(
        "from typing import Generic, TypeVar\nfrom pydantic import RootModel\nT = TypeVar('T')\n"
        "class AppError(Exception): ...\nclass NotFound(AppError): ...\n"
        "class Box(Generic[T]): ...\nclass Items(RootModel[list[int]]): ...\n"
    )
    hierarchy = ctx.classes
    assert hierarchy.inherits(found["NotFound"], "builtins.Exception") is True
    assert hierarchy.inherits(found["NotFound"], "pydantic.BaseModel") is False
    assert "AppError" in hierarchy.ancestry(found["NotFound"]).names
    assert hierarchy.inherits(found["Box"], "typing.Generic") is True
    assert hierarchy.inherits(found["Items"], "pydantic.RootModel") is True


def test_cycles_and_rebound_names_do_not_loop_or_guess() -> None:
    ctx, found = classes("class A(B): ...\nclass B(A): ...\nclass C: ...\nC = make()\nclass D(C): ...\n")
    assert ctx.classes.inherits(found["A"], "x.Y") is False
    assert ctx.classes.inherits(found["D"], "x.Y") is None
    star = context("from lib import *\nclass A(Base): ...\n")
    assert star.classes.inherits(star.nodes_of(ast.ClassDef)[0], "x.Y") is None
