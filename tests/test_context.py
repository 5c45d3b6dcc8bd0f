"""The shared per-module facts: resolution through imports and scopes, paths and roles, comments."""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import pytest

from flake8_house_rules.config import Config, build_config
from flake8_house_rules.context import ModuleContext, find_comment, imported_modules
from flake8_house_rules.context.surroundings import always_raises, argument_nodes
from flake8_house_rules.paths import (
    matches,
    module_roles,
    normalise_path,
    pydantic_major_from_pyproject,
    version_from_pyproject,
)
from flake8_house_rules.rule import load_rules

CONFIG = build_config({"hr-target-version": "3.12"}, frozenset(load_rules()), cwd="/work/project")


def context(source: str, filename: str = "app/mod.py", config: Config = CONFIG) -> ModuleContext:
    return ModuleContext(ast.parse(source), source.splitlines(keepends=True), filename, config)


def qualnames(source: str) -> dict[str, str | None]:
    """The resolution of every `Load` name or attribute chain spelled in the module, by its source text."""
    ctx = context(source)
    found = {}
    for node in [*ctx.nodes_of(ast.Attribute), *ctx.nodes_of(ast.Name)]:
        if isinstance(node, ast.Attribute | ast.Name) and isinstance(node.ctx, ast.Load):
            found[ast.unparse(node) + f"@{node.lineno}"] = ctx.qualname(node)
    return found


def test_import_forms_resolve() -> None:
    found = qualnames(
        "import typing as t\nimport os.path\nfrom httpx import AsyncClient as C\nfrom typing_extensions import List\n"
        "t.Optional\nos.path.join\nC\nList\n"
    )
    assert found["t.Optional@5"] == "typing.Optional"
    assert found["os.path.join@6"] == "os.path.join"
    assert found["C@7"] == "httpx.AsyncClient"
    assert found["List@8"] == "typing.List"


def test_local_bindings_shadow_imports() -> None:
    source = (
        "from typing import Optional\n"
        "def f(Optional):\n    return Optional\n"
        "def g():\n    Optional = 1\n    return Optional\n"
        "def h():\n    return Optional\n"
        "class C:\n    Optional = 2\n    x = Optional\n    def m(self):\n        return Optional\n"
    )
    found = qualnames(source)
    assert found["Optional@3"] is None
    assert found["Optional@6"] is None
    assert found["Optional@8"] == "typing.Optional"
    assert found["Optional@11"] is None
    assert found["Optional@13"] == "typing.Optional"  # class scope does not enclose methods


def test_ambiguous_module_binding_is_not_resolved() -> None:
    found = qualnames("from typing import List\nList = list\nx: List[int]\n")
    assert found["List@3"] is None
    fallback = "try:\n    from typing import List\nexcept ImportError:\n    from typing_extensions import List\nList\n"
    assert qualnames(fallback)["List@5"] == "typing.List"


def test_global_assignment_in_function_counts_at_module_level() -> None:
    found = qualnames("import httpx\ndef reset():\n    global httpx\n    httpx = None\nhttpx.Client\n")
    assert found["httpx.Client@5"] is None


def test_decorators_and_defaults_are_outside_the_function() -> None:
    source = "from typing import Any\ndef f(Any: Any = Any) -> Any:\n    return Any\n"
    found = qualnames(source)
    assert found["Any@2"] == "typing.Any"
    assert found["Any@3"] is None


def test_relative_and_star_imports_do_not_resolve_to_absolute_names() -> None:
    found = qualnames("from .typing import Optional\nfrom typing import *\nOptional\nList\n")
    assert found["Optional@3"] == ".typing.Optional"
    assert found["List@4"] is None


def test_scope_facts_for_return_annotation_advice() -> None:
    ctx = context("def a():\n    return\ndef b():\n    return 1\ndef c():\n    yield\n")
    functions = ctx.nodes_of(ast.FunctionDef)
    facts = [(ctx.scope_of_node[f].returns_value, ctx.scope_of_node[f].yields) for f in functions]
    assert facts == [(False, False), (True, False), (False, True)]


def test_async_context_is_the_innermost_function() -> None:
    ctx = context("async def outer():\n    def inner():\n        a = 1\n    b = lambda: 2\n    c = 3\n")
    values = {node.value: node for node in ctx.nodes_of(ast.Constant)}
    assert not ctx.in_async_function(values[1])
    assert not ctx.in_async_function(values[2])
    assert ctx.in_async_function(values[3])


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("stdin", None),
        ("-", None),
        ("./app/x.py", "app/x.py"),
        ("/work/project/app/x.py", "app/x.py"),
        ("/elsewhere/app/x.py", "/elsewhere/app/x.py"),
        ("app\\win\\x.py", "app/win/x.py"),
        ("app/../lib/x.py", "lib/x.py"),
    ],
)
def test_normalise_path(filename: str, expected: str | None) -> None:
    assert normalise_path(filename, "/work/project") == expected


def test_roles_from_paths() -> None:
    assert module_roles("tests/test_api.py", CONFIG) == {"test"}
    assert module_roles("src/app/tests/helpers.py", CONFIG) == {"test"}
    assert module_roles("app/settings.py", CONFIG) == {"settings"}
    assert module_roles("app/users/store.py", CONFIG) == {"store"}
    assert module_roles("app/api/users.py", CONFIG) == {"router"}
    assert module_roles(None, CONFIG) == frozenset()
    assert not matches("app/restore_points.py", ("*store.py",))


def test_target_version_from_pyproject_text() -> None:
    assert version_from_pyproject('[tool.ruff]\ntarget-version = "py312"\n') == (3, 12)
    assert version_from_pyproject('[project]\nrequires-python = ">=3.11,<4"\n') == (3, 11)
    assert version_from_pyproject('[project]\nrequires-python = "~=3.13"\n') == (3, 13)
    assert version_from_pyproject("[project]\nname = 'x'\n") is None
    assert version_from_pyproject("not toml [") is None


@pytest.mark.parametrize(
    ("line", "col"),
    [
        ("x = 1  # c\n", 7),
        ("x = '#'  # c\n", 9),
        ('x = "a\\"#"  # c\n', 12),
        ("x = '''#'''\n", None),
        ("x = '''start #\n", None),
        ("# only\n", 0),
        ("x = f'{a}#' + 'b'  # c\n", 19),
    ],
)
def test_find_comment(line: str, col: int | None) -> None:
    assert find_comment(line) == col


def test_comments_on_agrees_with_the_tokenizer_on_this_package() -> None:
    for path in sorted(Path(__file__).resolve().parent.parent.joinpath("flake8_house_rules").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        ctx = context(source)
        expected: dict[int, list[tuple[int, str]]] = {}
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                expected.setdefault(token.start[0], []).append((token.start[1], token.string))
        found = {line: ctx.comments_on(line) for line in range(1, len(ctx.lines) + 1) if ctx.comments_on(line)}
        assert found == expected, path


def test_imported_modules() -> None:
    statements = ast.parse("import a.b, c\nfrom d.e import f\nfrom . import g\nfrom .h import i\n").body
    assert [imported_modules(s) for s in statements] == [["a.b", "c"], ["d.e"], [], []]  # type: ignore[arg-type] - imports


def test_ancestors_in_function_stop_at_the_nearest_def_or_lambda() -> None:
    ctx = context("def f():\n    try:\n        g(lambda: h(1))\n    except E:\n        pass\n")
    one = next(node for node in ctx.nodes_of(ast.Constant) if getattr(node, "value", None) == 1)
    assert [type(a).__name__ for a in ctx.ancestors_in_function(one)] == ["Call"]
    call = next(node for node in ctx.nodes_of(ast.Call) if getattr(node.func, "id", "") == "g")  # type: ignore[attr-defined] - a Call
    assert [type(a).__name__ for a in ctx.ancestors_in_function(call)] == ["Expr", "Try"]


def test_the_walk_sees_every_node_ast_walk_sees_except_operator_and_context_singletons() -> None:
    source = (Path(__file__).resolve().parent.parent / "flake8_house_rules" / "engine.py").read_text()
    source += "\nmatch x:\n    case {'a': 1, **rest}: pass\n    case P(a=1, b=[*_]): pass\n{**d, 'k': 1}\n"
    source += "def kw(*, a, b=1): ...\nglobal g\n"
    ctx = context(source)
    skipped = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
    expected = [node for node in ast.walk(ctx.tree) if not isinstance(node, skipped)]
    walked = [node for nodes in ctx.nodes.values() for node in nodes]
    assert len(walked) == len(set(map(id, walked)))
    imports = [node for node in ast.walk(ctx.tree) if isinstance(node, ast.Import | ast.ImportFrom)]
    aliases = {id(alias) for node in imports for alias in node.names}
    assert {id(node) for node in walked} == {id(node) for node in expected} - aliases
    for node in walked:
        if node is not ctx.tree:
            assert node in ctx.parents, ast.dump(node)[:80]
    for statement_type in (ast.FunctionDef, ast.Assign, ast.Expr):  # statements of a type come in source order
        positions = [(node.lineno, node.col_offset) for node in ctx.nodes_of(statement_type)]
        assert positions == sorted(positions)


def test_references_resolve_every_imported_name_and_chain_once() -> None:
    source = "import typing as t\nfrom os import path\nx: t.Optional[int]\npath.join('a')\ndef f(t):\n    t.Optional\n"
    ctx = context(source)
    found = sorted((ast.unparse(node), node.lineno, name) for node, name in ctx.references())
    assert found == [
        ("path", 4, "os.path"),
        ("path.join", 4, "os.path.join"),
        ("t", 3, "typing"),
        ("t.Optional", 3, "typing.Optional"),
    ]
    assert ctx.references() is ctx.references()


def test_call_name_knows_builtins_unless_shadowed() -> None:
    ctx = context("import time\nopen('x')\ntime.sleep(1)\ndef f(open):\n    open('y')\nself.open()\nunknown()\n")
    names = [ctx.call_name(call) for call in ctx.nodes_of(ast.Call)]
    assert names == ["builtins.open", "time.sleep", None, None, None]
    starred = context("from os import *\nopen('x')\n")
    assert [starred.call_name(call) for call in starred.nodes_of(ast.Call)] == [None]


def test_facts_are_built_once_per_module_and_shared() -> None:
    built = []

    class Counted:
        def __init__(self, ctx: object) -> None:
            built.append(ctx)

    ctx = context("x = 1\n")
    assert ctx.fact(Counted) is ctx.fact(Counted)
    assert len(built) == 1
    assert ctx.classes is ctx.classes


def test_qualname_gives_the_same_answer_before_and_after_references() -> None:
    source = (
        "import typing as t\nfrom os import path\nfrom . import rel\nx: t.Optional[int]\npath.join('a').upper()\n"
        "def f(t):\n    t.Optional\n    global path\n    path = 1\nclass C:\n    rel = rel.x\n    def m(self):\n"
        "        return rel.y, self.z, t.List\n"
    )
    lazy, eager = context(source), context(source)
    eager.references()
    for one, two in zip(
        [*lazy.nodes_of(ast.Name), *lazy.nodes_of(ast.Attribute), *lazy.nodes_of(ast.Call)],
        [*eager.nodes_of(ast.Name), *eager.nodes_of(ast.Attribute), *eager.nodes_of(ast.Call)],
        strict=True,
    ):
        assert lazy.qualname(one) == eager.qualname(two), ast.unparse(one)


def test_argument_nodes_look_only_into_the_call_and_stop_at_the_limit() -> None:
    """A call's own arguments and keyword values, bounded: never the callee, never beyond `limit` nodes."""
    call = ast.parse("f(a, b=g(c), *d)").body[0].value  # type: ignore[attr-defined]
    names = [node.id for node in argument_nodes(call, 100) if isinstance(node, ast.Name)]
    assert sorted(names) == ["a", "c", "d", "g"]
    assert len(list(argument_nodes(call, 2))) == 2


def test_migration_role_from_path_or_alembic_op() -> None:
    assert module_roles("app/alembic/versions/1a2b_add_users.py", CONFIG) == {"migration"}
    assert module_roles("migrations/versions/0001_init.py", CONFIG) == {"migration"}
    assert module_roles("app/migrations.py", CONFIG) == frozenset()
    assert context("from alembic import op\n", "app/db/revision_0001.py").is_migration_module()
    assert context("import alembic.op\n", "app/db/revision_0001.py").is_migration_module()
    assert not context("from alembic import command\n", "app/cli.py").is_migration_module()
    assert not context("op = 1\n", "app/ops.py").is_migration_module()


def test_always_raises_follows_if_branches_within_its_limit() -> None:
    def body(source: str) -> list[ast.stmt]:
        return ast.parse(source).body

    assert always_raises(body("x = 1\nraise E"))
    assert always_raises(body("if a:\n    raise E\nelse:\n    raise F"))
    assert not always_raises(body("if a:\n    raise E"))
    assert not always_raises(body("raise E\nx = 1"))
    assert not always_raises(body("if a:\n    raise E\nelse:\n    raise F"), limit=0)  # past the limit: unknown


def test_pydantic_kept_below_2_from_pyproject_text() -> None:
    def major(text: str) -> int | None:
        return pydantic_major_from_pyproject(text)

    assert major('[project]\ndependencies = ["pydantic~=1.10.26"]') == 1
    assert major("[project]\ndependencies = [\"pydantic[email]>=1.8,<2.0.0; python_version > '3.8'\"]") == 1
    assert major('[tool.poetry.dependencies]\npydantic = "^1.10"') == 1
    assert major('[tool.poetry.dependencies]\npydantic = {version = "==1.10.2", extras = ["email"]}') == 1
    assert major('[project]\ndependencies = ["pydantic>=2.5"]') is None
    assert major('[project]\ndependencies = ["pydantic>=1.10,<3"]') is None
    assert major('[project]\ndependencies = ["pydantic>=1.10,<2.12"]') is None
    assert major('[project]\ndependencies = ["pydantic-settings~=1.0"]') is None
    assert major("not toml [") is None
