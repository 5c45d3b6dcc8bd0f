"""Never crash: any source `ast.parse` accepts lints, however deep, large or oddly encoded."""

from __future__ import annotations

import ast
import gc
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from flake8_house_rules.config import build_config
from flake8_house_rules.engine import Engine, lint_source
from flake8_house_rules.rule import Rule, load_rules

ALL = {"hr-enable": "HR"}


def _deepest_parseable(make: Callable[[int], str], limit: int = 20000) -> str:
    """The deepest source `make(depth)` builds that this Python's `ast.parse` still accepts."""
    depth = limit
    while depth > 10:
        source = make(depth)
        try:
            ast.parse(source)
        except (RecursionError, SyntaxError, MemoryError):
            depth //= 2
            continue
        return source
    raise AssertionError("nothing parses")


def test_deeply_nested_expression() -> None:
    source = "from typing import Optional\nx: " + "Optional[" * 50 + "int" + "]" * 50 + "\n"
    assert any(v.code == "HR101" for v in lint_source(source, options=ALL))
    for make in (
        lambda depth: "z = 1" + " + 1" * depth + "\n",
        lambda depth: "y = " + "(" * depth + "1" + ")" * depth + "\n",
        lambda depth: "w = a" + ".b" * depth + "\n",
        lambda depth: "from typing import List\nv: " + "List[" * depth + "int" + "]" * depth + "\n",
    ):
        lint_source(_deepest_parseable(make), options=ALL)


def test_deeply_nested_blocks() -> None:
    source = "".join("    " * i + f"if x{i}:\n" for i in range(95)) + "    " * 95 + "pass\n"
    lint_source(source, options=ALL)


def test_large_module() -> None:
    chunk = "from typing import List\n\n\ndef f{0}(a, b: List[int]) -> None:\n    return None  # type: ignore\n"
    source = "".join(chunk.format(i) for i in range(3000))
    codes = [v.code for v in lint_source(source, options=ALL)]
    assert codes.count("HR105") == 3000


@pytest.mark.parametrize(
    "source",
    [
        "",
        "\n\n",
        "# only a comment\n",
        "x = 'héllo wörld'  # ünïcode comment\nfrom typing import Any\ny: Any = 1  # Ωmega\n",
        "x = '\\ud800'\n",
        "s = '''\n# type: ignore\n'''\n",
        "def f(a, /, b, *, c, **k): ...\n",
        "lambda: (yield)\n",
        "match x:\n    case {'a': 1, **rest}:\n        pass\n"
        "    case [1, *others]:\n        pass\n    case Point(x=0) as p:\n        pass\n",
        "async def f():\n    async with a as b, c:\n        async for i in b:\n"
        "            await i\n    return [j async for j in c]\n",
        "try:\n    pass\nexcept* ValueError as e:\n    pass\n",
        "global_var = [y := 1, (z := 2)]\nclass A:\n    [w := 1 for _ in ()]\n",
        "from . import x\nfrom .. import *\nimport a.b.c as d\n",
        "x: 'List[int]' = []\ndef g() -> 'Optional[\"A\"]': ...\n",
        "f'{x!r:>{width}}' f\"{'nested'}\"\n",
    ],
)
def test_unusual_but_valid_sources(source: str) -> None:
    lint_source(source, options=ALL)


@pytest.mark.skipif(sys.version_info < (3, 12), reason="PEP 695 syntax")
def test_pep_695_syntax() -> None:
    source = (
        "type Alias[T] = list[T]\n"
        "class Box[T: int, *Ts, **P]:\n    def get[S](self, x: S) -> S: ...\n"
        "def first[T](items: list[T]) -> T: ...\n"
    )
    lint_source(source, options=ALL)


def test_latin1_declared_file_through_flake8_lines() -> None:
    raw = "# -*- coding: latin-1 -*-\nname = 'caf\xe9'  # caf\xe9\n".encode("latin-1")
    source = raw.decode("latin-1")
    lint_source(source, options=ALL)


def test_every_file_of_the_standard_library_sample() -> None:
    """A slice of the running Python's own library: real code with every construct in use."""
    root = Path(ast.__file__).parent
    files = sorted(root.glob("*.py"))[:120]
    for path in files:
        try:
            source = path.read_text(encoding="utf-8")
            ast.parse(source)
        except (SyntaxError, UnicodeDecodeError):
            continue
        lint_source(source, str(path), ALL)


def test_a_failing_rule_does_not_abort_the_run(capsys: pytest.CaptureFixture[str]) -> None:
    class Exploding(Rule):
        code = ""

        def visit_Name(self, node: ast.Name) -> None:
            raise RuntimeError("boom")

    Exploding.code = "HR199"
    rules = load_rules()
    config = build_config({}, frozenset(rules), cwd="/nonexistent")
    engine = Engine(config, [*rules.values(), Exploding])
    source = '"""Module."""\nfrom typing import Optional\nx: Optional[int] = None\n'
    violations = engine.lint(ast.parse(source), source.splitlines(True), "mod.py")
    assert [v.code for v in violations] == ["HR104", "HR101"]
    err = capsys.readouterr().err
    assert "internal error in rule HR199" in err and "boom" in err


def test_a_rule_that_fails_on_one_file_still_runs_on_the_next(capsys: pytest.CaptureFixture[str]) -> None:
    class Picky(Rule):
        code = ""
        calls = frozenset({"builtins.print"})

        def visit_call(self, node: ast.Call, name: str) -> None:
            if node.args:
                raise RuntimeError("boom")
            self.report(node)

    Picky.code = "HR198"
    rules = load_rules()
    engine = Engine(build_config({}, frozenset(rules), cwd="/nonexistent"), [*rules.values(), Picky])
    for source, expected in (("print(1)\nprint()\n", []), ("print()\n", ["HR198"]), ("print(2)\n", [])):
        found = engine.lint(ast.parse(source), source.splitlines(True), "mod.py")
        assert [v.code for v in found if v.code == "HR198"] == expected
    assert capsys.readouterr().err.count("internal error in rule HR198") == 2


ALL_EXAMPLES = [
    example if isinstance(example, str) else example.code
    for rule in load_rules().values()
    for example in (*rule.valid, *rule.invalid)
]


@pytest.mark.parametrize("library", ["", "structlog", "loguru", "stdlib"])
@pytest.mark.parametrize("target", ["3.8", "3.13"])
def test_every_example_under_every_rule(library: str, target: str) -> None:
    """Each rule's examples exercise the others too: all rules, several settings, strict (exceptions surface)."""
    options = {"hr-enable": "HR", "hr-logging-library": library, "hr-target-version": target}
    for source in ALL_EXAMPLES:
        try:
            ast.parse(source)
        except SyntaxError:
            continue
        for path in ("app/module.py", "tests/test_module.py", "stdin"):
            lint_source(source, path, options)


def test_a_linted_module_leaves_no_cyclic_garbage() -> None:
    """Each module's records are freed by reference counting when it is done, not left to the cyclic collector.

    Cycles (a binding knows its scope, a fact its context) would pile up per file and make the collector's
    passes a tenth of the pack's time: `ModuleContext.release` breaks them.
    """
    source = (
        '"""Module."""\nfrom __future__ import annotations\n\nimport typing\nfrom typing import Any, Optional\n\n'
        "class User(typing.NamedTuple):\n    name: 'Optional[str]'\n\n"
        "def find(key: Any, *, default: list[int] | None = None) -> 'User':\n"
        "    value = [x for x in range(3)]\n    return User(str(value))  # Any: test\n"
    )
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    rules = load_rules()
    engine = Engine(build_config({"hr-enable": "HR"}, frozenset(rules)), rules.values(), strict=True)
    engine.lint(tree, lines, "app/users.py")  # first run: tables and caches that live for the run
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        engine.lint(tree, lines, "app/users.py")
        engine.lint(tree, lines, "app/other.py")  # the rules drop their hold on the first module's context
        gc.collect()
        leaked = [type(item).__name__ for item in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert leaked == []


def test_string_annotation_references_go_only_to_rules_that_take_them() -> None:
    """`string_annotations = True` hands a rule the names inside string annotations too (parsed nodes, reported
    at their string); a rule without it sees only the module's own names.
    """

    class Both(Rule):
        code = ""
        references = frozenset({"typing.List"})
        string_annotations = True

        def start(self) -> None:
            self.seen: list[tuple[bool, int]] = []

        def visit_reference(self, node: ast.Name | ast.Attribute, name: str) -> None:
            positions = self.ctx.type_positions
            self.seen.append((positions.is_parsed(node), getattr(positions.anchor(node), "lineno", 0)))

    class CodeOnly(Both):
        code = ""
        string_annotations = False

    Both.code, CodeOnly.code = "HR197", "HR198"
    config = build_config({}, frozenset(load_rules()), cwd="/nonexistent")
    engine = Engine(config, [Both, CodeOnly], strict=True)
    source = '"""Module."""\nfrom typing import List\n\nx: List[int] = []\ny: "List[str]" = []\n'
    engine.lint(ast.parse(source), source.splitlines(True), "mod.py")
    both, code_only = engine._instances
    assert sorted(both.seen) == [(False, 4), (True, 5)]  # type: ignore[attr-defined]
    assert sorted(code_only.seen) == [(False, 4)]  # type: ignore[attr-defined]


@pytest.mark.parametrize("enabled", [True, False])
def test_linting_pauses_the_collector_and_restores_it(enabled: bool) -> None:
    """The collector is off while a module is linted and back as it was afterwards, also when a rule fails."""

    class Watching(Rule):
        code = ""
        seen: list[bool] = []

        def visit_Name(self, node: ast.Name) -> None:
            Watching.seen.append(gc.isenabled())
            raise RuntimeError("boom")

    Watching.code = "HR197"
    engine = Engine(build_config({}, frozenset(load_rules()), cwd="/nonexistent"), [Watching], strict=True)
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with pytest.raises(RuntimeError, match="boom"):
            engine.lint(ast.parse("x\n"), ["x\n"], "mod.py")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert Watching.seen == [False]
