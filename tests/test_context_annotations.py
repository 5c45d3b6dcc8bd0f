"""Type positions: which parts of annotations are types, and string annotations parsed and resolved."""

from __future__ import annotations

import ast

import pytest
from test_context import context

from flake8_house_rules.config import build_config
from flake8_house_rules.context import ModuleContext
from flake8_house_rules.context.annotations import MAX_STRING, parse_annotation
from flake8_house_rules.engine import lint_source
from flake8_house_rules.rule import load_rules


def strings(source: str) -> list[str]:
    """The string annotations of a module, in source order."""
    found = context(source).type_positions.strings
    return [node.value for node in sorted(found, key=lambda node: (node.lineno, node.col_offset))]


def test_values_inside_annotations_are_not_types() -> None:
    source = (
        "from typing import Annotated, Literal\nimport typer\nfrom pydantic import Field\nfrom fastapi import Query\n"
        "def f(\n"
        "    name: Annotated[str, Field(description='The image name')],\n"
        "    limit: Annotated[int, typer.Option(help='How many to show')] = 10,\n"
        "    q: Annotated[str, Query(description='Free text')] = '',\n"
        "    digits: Annotated[str, Field(pattern=r'^\\d+$')] = '',\n"
        "    mode: Literal['r', 'w'] = 'r',\n"
        "    deep: Annotated[int, Annotated[str, 'x'], {'k': 'v'}, ['list']] = 0,\n"
        "    call: Depends('not a type') = None,\n"
        ") -> None: ...\n"
    )
    assert strings(source) == []


def test_strings_where_a_type_stands_are_annotations() -> None:
    source = (
        "from typing import Annotated, Callable\n"
        "def f(a: Annotated['Node', 'meta'], b: list['Node'], c: 'Node | None', d: Callable[['Event'], 'R']) -> 'X':\n"
        "    local: dict[str, 'Node'] = {}\n"
    )
    assert strings(source) == ["Node", "Node", "Node | None", "Event", "R", "X", "Node"]


def test_literal_and_annotated_resolve_through_imports_and_spelling() -> None:
    source = (
        "from typing_extensions import Literal as L\nimport typing as t\n"
        "a: L['x']\nb: t.Annotated[int, 'meta']\nc: t.Literal['y']\nd: other.Literal['z']\n"
    )
    assert strings(source) == []


def test_what_is_not_an_annotation_root() -> None:
    source = "from typing import TypeAlias, cast\nA: TypeAlias = 'Node'\nB = list['Node']\nx = cast('Node', y)\n"
    assert strings(source) == []


def test_text_that_does_not_read_as_a_type_is_not_an_annotation() -> None:
    assert strings("def f(a: 'the user id', b: '1', c: 'a, b', d: 'x(', e: '') -> None: ...") == []
    assert parse_annotation("Literal[0]#") is not None
    assert parse_annotation("A\n#") is not None
    assert parse_annotation("x" * (MAX_STRING + 1)) is None


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000 + "]" * 5000,
        "-" * 100_000 + "x",
        "list[" * 1000 + "int" + "]" * 1000,
        "a." * 100_000 + "b",
        "x" * 10_000_000,
        "\x00",
        "list[" * 300 + "int" + "]" * 300,
        "Optional[" * 150 + "int" + "]" * 150,
        "a | " * 450 + "a",
        "-" * 1900 + "x",
        "'" * 3,
    ],
)
def test_huge_or_deep_strings_do_not_blow_up(text: str) -> None:
    source = f"def f(x: {text!r}) -> None: ..."
    ctx = context(source)
    positions = ctx.type_positions
    assert len(positions.strings) <= 1
    positions.references()
    lint_source(f"from typing import Optional, Union\n{source}\n", options={"hr-enable": "HR1"})


def test_in_type_position_answers_for_nodes_of_the_tree() -> None:
    ctx = context(
        "from typing import Annotated, Any\nfrom pydantic import Field\n"
        "x: Annotated[Any, Field(json_schema_extra=Any)] = None\ny = Any\n"
    )
    anys = [node for node in ctx.nodes_of(ast.Name) if node.id == "Any"]
    assert [ctx.in_type_position(node) for node in anys] == [True, False, False]
    assert all(ctx.in_annotation(node) for node in anys[:2])  # syntactically inside: a different question


def test_string_annotations_resolve_in_the_scope_of_the_string() -> None:
    ctx = context(
        "import typing as t\n"
        "def f() -> None:\n"
        "    from typing import List\n"
        "    def g(x: 'List[int]', y: 't.Optional[str]') -> None: ...\n"
        "def h(x: 'List[int]') -> None: ...\n"
        "class C:\n"
        "    Optional = dict\n"
        "    z: 'Optional[int]'\n"
    )
    positions = ctx.type_positions
    found = sorted((positions.anchor(node).lineno, name) for node, name in positions.references())
    assert found == [(4, "typing"), (4, "typing.List"), (4, "typing.Optional")]


def test_parsed_nodes_report_at_their_string_and_know_their_parent() -> None:
    ctx = context("from typing import Optional\nx: 'dict[str, Optional[int]]' = {}\n")
    positions = ctx.type_positions
    (string,) = positions.strings
    [(node, name)] = positions.references()
    assert name == "typing.Optional"
    assert positions.is_parsed(node)
    assert positions.anchor(node) is string
    parent = positions.parent(node)
    assert isinstance(parent, ast.Subscript)
    assert positions.segment(parent) == "Optional[int]"
    assert positions.segment(parent.slice) == "int"
    assert positions.is_deferred(parent)


def test_nested_strings_are_followed_and_reported_at_the_outer_string() -> None:
    ctx = context("from typing import List\nx: \"list['List[int]']\" = []\n")
    positions = ctx.type_positions
    assert [node.value for node in positions.strings] == ["list['List[int]']"]
    [(node, name)] = positions.references()
    assert name == "typing.List"
    assert positions.anchor(node) is positions.strings[0]


def test_deferred_follows_the_future_import_and_the_target_version() -> None:
    source = "from typing import Optional\nx: Optional[int] = None\ny = Optional[int]\n"
    for future, target, deferred in (("", "3.12", False), ("from __future__ import annotations\n", "3.12", True)):
        ctx = context(future + source, config=build_config({"hr-target-version": target}, frozenset(load_rules())))
        subscripts = ctx.nodes_of(ast.Subscript)
        assert [ctx.type_positions.is_deferred(node) for node in subscripts] == [deferred, False]
    config = build_config({"hr-target-version": "3.14"}, frozenset(load_rules()))
    ctx = ModuleContext(ast.parse(source), source.splitlines(True), "app/m.py", config)
    assert [ctx.type_positions.is_deferred(node) for node in ctx.nodes_of(ast.Subscript)] == [True, False]


def test_one_fact_per_module() -> None:
    ctx = context("x: 'A' = 1\n")
    assert ctx.type_positions is ctx.type_positions


def test_array_shape_strings_are_values() -> None:
    source = (
        "from jaxtyping import Array, Float\nimport jaxtyping as jt\nfrom nptyping import NDArray, Shape\n"
        "def f(x: Float[Array, 'batch dim'], y: jt.Int[Array, 'n'], z: NDArray[Shape['N'], 'Float']) -> None: ...\n"
    )
    assert strings(source) == ["Float"]


@pytest.mark.parametrize("text", ["User", "match", "_private", "x1"])
def test_a_plain_name_is_parsed_as_the_parser_would(text: str) -> None:
    """The short cut for a one-word string annotation builds the very node `ast.parse` would."""
    expected = ast.parse(f"(\n{text}\n)", mode="eval").body
    found = parse_annotation(text)
    assert found is not None
    assert ast.dump(found, include_attributes=True) == ast.dump(expected, include_attributes=True)


@pytest.mark.parametrize(
    ("text", "kind"), [("None", None), ("True", None), ("class", None), ("1x", None), ("Üser", "Üser")]
)
def test_other_single_words_go_through_the_parser(text: str, kind: str | None) -> None:
    """Keywords, non-names and non-ASCII names (which the parser normalises) are left to `ast.parse`."""
    found = parse_annotation(text)
    if kind is None:
        assert found is None
    else:
        assert isinstance(found, ast.Name)
        assert found.id == kind
        assert found.end_col_offset == len(text.encode())
