"""Pydantic facts: models and settings classes, their fields and descriptions, merged config, model instances."""

from __future__ import annotations

import ast

from test_context import context

from flake8_house_rules.context.pydantic import PydanticModels, imports_pydantic, unwrap_optional


def facts(source: str) -> tuple[object, PydanticModels, dict[str, ast.ClassDef]]:
    ctx = context(source)
    return ctx, ctx.fact(PydanticModels), {node.name: node for node in ctx.nodes_of(ast.ClassDef)}


def test_models_settings_and_what_is_not_a_model() -> None:
    _, found, classes = facts(
        "import pydantic\nfrom pydantic import RootModel\nfrom pydantic_settings import BaseSettings\n"
        "from sqlmodel import SQLModel\nfrom app.base import AppModel\n"
        "class Base(pydantic.BaseModel): ...\nclass User(Base): ...\nclass Tags(RootModel[list[str]]): ...\n"
        "class Settings(BaseSettings): ...\nclass Hero(SQLModel): ...\nclass HeroTable(Hero, table=True): ...\n"
        "class HeroChild(HeroTable): ...\nclass Imported(AppModel): ...\nclass Plain: ...\n"
    )
    names = [model.node.name for model in found.models]
    assert names == ["Base", "User", "Tags", "Settings", "Hero"]
    assert [model.node.name for model in found.settings] == ["Settings"]
    assert found.model_of(classes["Tags"]).root is True
    for unknown in ("HeroTable", "HeroChild", "Imported", "Plain"):
        assert found.model_of(classes[unknown]) is None, unknown


def test_no_pydantic_import_means_no_models() -> None:
    ctx, found, _ = facts("class BaseModel: ...\nclass User(BaseModel):\n    name: str\n")
    assert not imports_pydantic(ctx)
    assert found.models == []


def test_fields_skip_class_vars_private_names_and_model_config() -> None:
    _, found, classes = facts(
        "from typing import ClassVar\nimport typing as t\nfrom pydantic import BaseModel, ConfigDict\n"
        "class User(BaseModel):\n    model_config = ConfigDict(frozen=True)\n    kind: ClassVar[str] = 'u'\n"
        "    other: t.ClassVar[int] = 1\n    quoted: 'ClassVar[int]' = 2\n    _cache: dict = {}\n"
        "    name: str\n    age: int = 0\n    plain = 'not annotated'\n"
    )
    fields = found.model_of(classes["User"]).fields
    assert [(field.name, ast.unparse(field.default) if field.default else None) for field in fields] == [
        ("name", None),
        ("age", "0"),
    ]


def test_described_fields_in_default_annotated_and_alias() -> None:
    _, found, classes = facts(
        "from typing import Annotated, Optional\nfrom pydantic import BaseModel, Field\n"
        "Name = Annotated[str, Field(description='A name')]\n"
        "class User(BaseModel):\n"
        "    a: int = Field(1, description='x')\n"
        "    b: Annotated[int, Field(description='x')] = 1\n"
        "    c: Optional[Annotated[int, Field(gt=0, description='x')]] = None\n"
        "    d: Name\n"
        "    e: int = Field(1)\n"
        "    f: Annotated[int, Field(gt=0)]\n"
        "    g: int\n"
    )
    described = {field.name: field.described for field in found.model_of(classes["User"]).fields}
    assert described == {"a": True, "b": True, "c": True, "d": True, "e": False, "f": False, "g": False}


def test_description_unknown_when_out_of_sight() -> None:
    _, found, classes = facts(
        "from typing import Annotated\nfrom pydantic import BaseModel, Field\nfrom app.fields import helper, META\n"
        "class User(BaseModel):\n"
        "    a: int = Field(1, **extra)\n"
        "    b: int = helper(1)\n"
        "    c: Annotated[int, META]\n"
        "    d: Annotated[int, helper()]\n"
        "    e: list[int] = list()\n"
    )
    described = {field.name: field.described for field in found.model_of(classes["User"]).fields}
    assert described == {"a": None, "b": None, "c": None, "d": None, "e": False}


def test_attribute_docstrings_count_only_with_the_config_key() -> None:
    _, found, classes = facts(
        "from pydantic import BaseModel, ConfigDict\n"
        "class Base(BaseModel):\n    model_config = ConfigDict(use_attribute_docstrings=True)\n"
        "class User(Base):\n    name: str\n    '''The name.'''\n    age: int\n"
        "class Other(BaseModel):\n    name: str\n    '''Not read by pydantic.'''\n"
    )
    assert [f.described for f in found.model_of(classes["User"]).fields] == [True, False]
    assert [f.described for f in found.model_of(classes["Other"]).fields] == [False]


def test_config_merged_over_local_ancestors_from_every_spelling() -> None:
    _, found, classes = facts(
        "from pydantic import BaseModel, ConfigDict\nfrom pydantic_settings import BaseSettings, SettingsConfigDict\n"
        "class Base(BaseSettings):\n    model_config = SettingsConfigDict(env_nested_delimiter='__')\n"
        "class App(Base, env_prefix='APP_'):\n    model_config = {'extra': 'ignore'}\n"
        "class V1(BaseModel):\n    class Config:\n        orm_mode = True\n"
    )
    app = found.model_of(classes["App"])
    assert sorted(app.config) == ["env_nested_delimiter", "env_prefix", "extra"]
    assert app.config_known is True
    assert sorted(app.own_config) == ["env_prefix", "extra"]
    v1 = found.model_of(classes["V1"])
    assert list(v1.config) == ["orm_mode"]
    assert [node.name for node in v1.config_classes] == ["Config"]


def test_config_unknown_when_it_cannot_be_read() -> None:
    _, found, classes = facts(
        "from pydantic import BaseModel, ConfigDict\nfrom app.config import BASE, Mixin\n"
        "class A(BaseModel):\n    model_config = BASE\n"
        "class B(BaseModel):\n    model_config = ConfigDict(**BASE)\n"
        "class C(BaseModel, Mixin): ...\n"
        "class D(A): ...\n"
        "class E(BaseModel):\n    model_config = ConfigDict(frozen=True)\n"
    )
    known = {name: found.model_of(classes[name]).config_known for name in "ABCDE"}
    assert known == {"A": False, "B": False, "C": False, "D": False, "E": True}


def test_instances_by_call_annotation_and_parameter() -> None:
    ctx, found, _ = facts(
        "from pydantic import BaseModel\nfrom app.models import Other\n"
        "class User(BaseModel): ...\n"
        "def f(u: User, v: User | None, w, o: Other, row) -> None:\n"
        "    x = User()\n    y: User = make()\n    z = User.model_validate({})\n"
        "    r = row\n    use(u, v, w, o, x, y, z, r)\n"
    )
    call = next(node for node in ctx.nodes_of(ast.Call) if getattr(node.func, "id", None) == "use")
    answers = {arg.id: found.instance_model(arg) for arg in call.args}
    assert {name for name, model in answers.items() if model is not None} == {"u", "v", "x", "y", "z"}
    assert answers["u"].node.name == "User"


def test_instances_unknown_when_a_name_is_bound_two_ways() -> None:
    ctx, found, _ = facts(
        "from pydantic import BaseModel\nclass User(BaseModel): ...\n"
        "def f(flag: bool) -> None:\n    u = User() if flag else None\n    v = User()\n    v = load()\n"
        "    use(u, v)\n"
    )
    call = next(node for node in ctx.nodes_of(ast.Call) if getattr(node.func, "id", None) == "use")
    assert [found.instance_model(arg) for arg in call.args] == [None, None]


def test_enums_are_local_classes_only() -> None:
    ctx, found, _ = facts(
        "import enum\nfrom enum import StrEnum\nfrom pydantic import BaseModel\nfrom app.enums import Color\n"
        "class Status(enum.Enum):\n    ON = 1\nclass Kind(StrEnum):\n    A = 'a'\nclass Plain: ...\n"
        "use(Status, Kind, Color, Plain)\n"
    )
    call = next(node for node in ctx.nodes_of(ast.Call) if getattr(node.func, "id", None) == "use")
    assert [getattr(found.enum_named(arg), "name", None) for arg in call.args] == ["Status", "Kind", None, None]


def test_unwrap_optional_sees_through_wrappers() -> None:
    ctx = context(
        "from typing import Annotated, Optional, Union\n"
        "a: Optional[str]\nb: str | None\nc: None | str\nd: Union[str, None]\ne: Annotated[str | None, 1]\n"
        "f: Union[str, int]\n"
    )
    unwrapped = {
        node.target.id: ast.unparse(unwrap_optional(ctx, node.annotation)) for node in ctx.nodes_of(ast.AnnAssign)
    }
    assert unwrapped == {"a": "str", "b": "str", "c": "str", "d": "str", "e": "str", "f": "Union[str, int]"}
