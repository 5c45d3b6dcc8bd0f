"""HR805 loop-instead-of-parametrize."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr8xx_tests.common import is_pytest_test

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
MAX_LOOP_NODES = 2000
MIN_CASES = 2
TEST = "tests/test_urls.py"


class LoopInsteadOfParametrize(Rule):
    """## What it does
    Checks, in test modules (`hr-test-modules`), for a pytest test function (a `test*` function at module
    level or a method of a `Test*` class without bases) with a `for` loop over a literal list or tuple of
    at least two cases (`for url in ["", "ftp://x"]:`, `for a, b in [(1, 2), (3, 4)]:`) whose body has an
    `assert` that uses the loop's variable. Reported at the `for` line (the loop is what must change), once
    per loop.

    Not reported: a loop over anything else (a call, a name, a `range`), an `assert` that does not depend
    on the loop variable (the loop then drives steps, not cases), a loop whose only asserts check that each
    case is a member of something (`assert key in info`: fields of one result, which a subset assert or one
    comparison says better than separate tests), a loop in a function nested in the test, and
    a loop over objects the test built (a case names a variable bound in the test, such as
    `for connection in (active, idle):`: a decorator cannot see them), a loop whose constant cases repeat
    (`for i in [1, 2, 1]:` walks a sequence of steps), a loop that carries state from one case to the next
    (it adds to a collection bound before it, `calls.append(...)`, or augments such a name: the cases are
    a sequence checked as a whole after the loop), a loop whose body only checks fields of one result
    with the loop variable as the key (`assert response.json()[key] == ...`, `morsel.get(attr) == ...`),
    a loop followed by an `assert` that reads a name the test bound before the loop (a fixture, a local:
    `assert metric_points(exporter)[0].count == 2` after two requests: the cases changed state through the
    app or client and are checked as one sequence), a field check whose loop variable is also the expected
    value (`assert defs[name]["title"] == name`), a loop whose variable is only ever the expected value of
    an `==` or `is` whose other side does not use it (`for expected in ["v3", "v2"]: assert undo(block).value ==
    expected`: each step's result depends on the steps before, so the cases could not run apart), and
    `unittest.TestCase` methods (a class with bases), where `parametrize` does not apply and
    `self.subTest` is the tool. A loop variable in an assert's message names the failing case (the
    assert counts), but is no use of a field check's key (`assert hasattr(obj, attr), f"no {attr}"`).

    ## Why is this bad?
    The first failing case stops the loop: the others are not run, and the report names the test, not the
    case. `@pytest.mark.parametrize` runs each case as its own test with its own id. Style guide 001
    (Testing): "Use `@pytest.mark.parametrize` for data-driven tests"; 002: "Use parametrized tests for
    multiple input scenarios".

    ## Example
    ```python
    def test_create_project_invalid_url() -> None:
        for url in ["not-a-url", "", "ftp://invalid"]:
            assert not is_valid_url(url)
    ```

    Use instead:
    ```python
    @pytest.mark.parametrize("url", ["not-a-url", "", "ftp://invalid"])
    def test_create_project_invalid_url(url: str) -> None:
        assert not is_valid_url(url)
    ```
    """

    code = "HR805"
    name = "loop-instead-of-parametrize"
    message = "run each case as its own test with `@pytest.mark.parametrize` instead of a loop"
    source = "001 Testing; 002 Testing (Test Organization)"
    options = ("hr-test-modules",)
    valid = (
        Example(
            "import pytest\n\n@pytest.mark.parametrize('url', ['', 'ftp://x'])\n"
            "def test_url(url: str) -> None:\n    assert not valid(url)",
            path=TEST,
        ),
        Example("def test_a() -> None:\n    for url in urls:\n        assert valid(url)", path=TEST),
        Example("def test_a() -> None:\n    for i in range(3):\n        assert f(i)", path=TEST),
        Example("def test_a() -> None:\n    for url in ['a']:\n        assert valid(url)", path=TEST),
        Example(
            "def test_a() -> None:\n    for step in ['start', 'stop']:\n        machine.send(step)\n"
            "    assert machine.done",
            path=TEST,
        ),
        Example(
            "def test_a() -> None:\n    for step in ['start', 'stop']:\n        machine.send(step)\n"
            "        assert machine.ok",
            path=TEST,
        ),
        Example(
            "import unittest\n\nclass TestUrls(unittest.TestCase):\n    def test_a(self) -> None:\n"
            "        for url in ['', 'x']:\n            with self.subTest(url=url):\n"
            "                assert not valid(url)",
            path=TEST,
        ),
        Example(
            "def test_a() -> None:\n    def check() -> None:\n        for url in ['', 'x']:\n"
            "            assert not valid(url)\n    check()",
            path=TEST,
        ),
        Example("def check_urls() -> None:\n    for url in ['', 'x']:\n        assert not valid(url)", path=TEST),
        Example("def test_a() -> None:\n    for url in ['', 'x']:\n        assert not valid(url)", path="app/urls.py"),
        Example(
            "def test_info_fields(client) -> None:\n    info = client.ft('idx').info()\n"
            "    for key in ['index_name', 'num_docs', 'num_terms']:\n        assert key in info\n"
            "    assert info['num_docs'] == 500",
            path=TEST,
        ),
        Example(
            "def test_fields(row) -> None:\n    for key in ('id', 'name'):\n        assert key not in row.hidden",
            path=TEST,
        ),
        Example(
            "def test_retries(cluster) -> None:\n    first = cluster.node(1).retry\n"
            "    second = cluster.node(2).retry\n    for retry in (first, second):\n"
            "        assert retry.get_retries() == 0",
            path=TEST,
        ),
        Example(
            "def test_round_robin(lb) -> None:\n    for index in [1, 2, 1]:\n        assert lb.next() == index",
            path=TEST,
        ),
        Example(
            "def test_wrapped_once(client) -> None:\n    calls = []\n    for item in ('first', 'second'):\n"
            "        wrapper_calls = 0\n        assert client.get(item).ok\n        calls.append(wrapper_calls)\n"
            "    assert calls == [1, 1]",
            path=TEST,
        ),
        Example(
            "def test_fields(client) -> None:\n    response = client.post('/')\n"
            "    for key in ('profile', 'preferences'):\n        assert response.json()[key]['unknown'] == ['a']\n"
            "    for attr in ['path', 'domain']:\n        if expected.get(attr):\n"
            "            assert morsel.get(attr) == expected.get(attr)",
            path=TEST,
        ),
        # fastapi: requests whose telemetry the test checks as a whole after the loop
        Example(
            "def test_spans(client, exporter) -> None:\n    for item_id in (1, 2):\n"
            "        assert client.get(f'/items/{item_id}').json() == item_id\n"
            "    first, second = server_spans(exporter)\n    assert metric_points(exporter)[0].count == 2",
            path=TEST,
        ),
        # pydantic: fields of one schema keyed by the loop variable, which is also the expected value
        Example(
            "def test_titles() -> None:\n    defs = Parent.model_json_schema()['$defs']\n"
            "    for name in ('DCWithoutConfig', 'TDWithoutConfig'):\n        assert defs[name]['title'] == name",
            path=TEST,
        ),
        # letta: successive undo steps, each result left by the step before (the cases cannot run apart)
        Example(
            "def test_undo(manager, block) -> None:\n    for expected in ['v3', 'v2', 'v1']:\n"
            "        assert manager.undo(block.id).value == expected",
            path=TEST,
        ),
        # letta: fields of one object keyed by the loop variable; the message names the field
        Example(
            "def test_attrs(adapter) -> None:\n    for attr in ['run_id', 'agent_id']:\n"
            "        assert hasattr(adapter, attr), f'missing {attr}'",
            path=TEST,
        ),
    )
    invalid = (
        Example(
            "def test_urls() -> None:\n    for url in ['', 'ftp://x']:  # error: HR805\n        assert not valid(url)\n"
            "    assert valid('https://example.com')",
            path=TEST,
        ),
        Example(
            "def test_names() -> None:\n    for name in ('a', 'b'):  # error: HR805\n        assert make(name) == name",
            path=TEST,
        ),
        Example(
            "def test_sizes(reader) -> None:\n    for size in (6, 7):  # error: HR805\n        chunks = []\n"
            "        chunks.append(reader.read(size))\n        assert chunks == [b'x' * size]",
            path=TEST,
        ),
        Example(
            "def test_invalid_url() -> None:\n    for url in ['not-a-url', '', 'ftp://x']:  # error: HR805\n"
            "        assert not valid(url)",
            path=TEST,
        ),
        Example(
            "class TestMath:\n    def test_add(self) -> None:\n"
            "        for a, b, total in [(1, 2, 3), (2, 2, 4)]:  # error: HR805\n            if a:\n"
            "                assert add(a, b) == total\n        for x in (1, 2):  # error: HR805\n            assert x",
            path=TEST,
        ),
        Example(
            "from app.parse import parse_bool\n\n\ndef test_parse_bool() -> None:\n"
            '    """Truthy spellings."""\n    for value in ["1", "yes", "true"]:  # error: HR805\n'
            "        assert parse_bool(value)",
            path=TEST,
        ),
        Example(
            "def test_keys(info) -> None:\n    for key in ['a', 'b']:  # error: HR805\n        assert key in info\n"
            "        assert parse(key) > 0",
            path=TEST,
        ),
        Example(
            "from app.clients import Redis, RedisCluster\n\n\ndef test_registry() -> None:\n"
            "    for cls in (Redis, RedisCluster):  # error: HR805\n        assert cls.registry is not None",
            path=TEST,
        ),
        Example(
            "def test_rejects() -> None:\n    for url in ['', 'ftp://x']:  # error: HR805\n"
            "        assert not valid(url), f'{url} passed'",
            path=TEST,
        ),
        Example(
            "def test_parse() -> None:\n    for text, expected in [('1', 1), ('2', 2)]:  # error: HR805\n"
            "        assert parse(text) == expected",
            path=TEST,
        ),
        Example(
            "def test_paths(client) -> None:\n    for path in ('/required', '/plain'):  # error: HR805\n"
            "        response = client.get(path)\n        assert response.json()[path]",
            path=TEST,
        ),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only test modules."""
        return ctx.is_test_module()

    def visit_For(self, node: ast.For) -> None:
        """Report a loop over literal cases, in a test, that asserts on each case."""
        cases = node.iter
        if not isinstance(cases, ast.List | ast.Tuple) or len(cases.elts) < MIN_CASES:
            return
        if any(isinstance(case, ast.Starred) for case in cases.elts):
            return
        function = self.ctx.enclosing_function(node)
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            return
        if not is_pytest_test(self.ctx, function):
            return
        if not self._parametrizable(cases, function) or _repeats(cases):
            return
        targets = {name.id for name in _names(node.target)}
        if (
            targets
            and _asserts_on(node, targets)
            and not _field_checks(node, targets)
            and not self._only_expected(node, targets)
            and not _accumulates(node)
            and not self._checked_after(node, function)
        ):
            self.report(node)

    def _only_expected(self, loop: ast.For, targets: set[str]) -> bool:
        """Whether every use of the loop's variables in its body is the expected side of an `==` (or `is`)
        whose other side reads none of them: the body never feeds a case to the code under test, so the
        results differ from one case to the next only through state the earlier steps left.
        """
        uses = 0
        for statement in loop.body:
            for node in _subtree(statement):
                if not isinstance(node, ast.Name) or node.id not in targets or _in_message(self.ctx, node, loop):
                    continue
                parent = self.ctx.parent(node)
                if not isinstance(parent, ast.Compare) or len(parent.ops) != 1:
                    return False
                if not isinstance(parent.ops[0], ast.Eq | ast.Is):
                    return False
                other = parent.comparators[0] if parent.left is node else parent.left
                if node not in (parent.left, parent.comparators[0]) or _reads(other, targets):
                    return False
                uses += 1
        return uses > 0

    def _checked_after(self, loop: ast.For, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """Whether an `assert` after the loop reads a name the test bound before it (a parameter or a local).

        `for item_id in (1, 2): ...` then `assert metric_points(exporter)[0].count == 2`: the loop's cases
        changed state through the app or client, and the test checks them as one sequence afterwards.
        """
        ctx = self.ctx
        scope = ctx.scope_of_node.get(function)
        if scope is None:
            return False
        before = {
            name
            for name, bindings in scope.names.items()
            if any(_position(binding.node) < (loop.lineno, loop.col_offset) for binding in bindings)
        }
        if not before:
            return False
        for statement in _following(ctx, loop, function):
            for node in _subtree(statement):
                if isinstance(node, ast.Assert) and any(
                    isinstance(name, ast.Name) and name.id in before for name in _subtree(node.test)
                ):
                    return True
        return False

    def _parametrizable(self, cases: ast.List | ast.Tuple, function: ast.AST) -> bool:
        """Whether every case could move into `parametrize`: no name in it is bound inside the test.

        `for connection in (active, idle):` loops over objects the test built; a decorator cannot see them.
        """
        stack: list[ast.AST] = list(cases.elts)
        seen = 0
        while stack and seen < MAX_LOOP_NODES:
            item = stack.pop()
            seen += 1
            if isinstance(item, ast.Name):
                bindings = self.ctx.lookup(item)
                if bindings and any(self.ctx.scope_of_node.get(function) is binding.scope for binding in bindings):
                    return False
            elif isinstance(item, NESTED_SCOPES):
                return False
            else:
                stack.extend(ast.iter_child_nodes(item))
        return True


def _position(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


def _following(ctx: ModuleContext, loop: ast.stmt, function: ast.AST) -> list[ast.stmt]:
    """The statements that run after the loop in the test: its later siblings, then its ancestors' (bounded)."""
    found: list[ast.stmt] = []
    child: ast.AST = loop
    parent = ctx.parent(loop)
    while parent is not None and len(found) < MAX_LOOP_NODES:
        for field in ("body", "orelse", "finalbody"):
            statements = getattr(parent, field, None)
            if isinstance(statements, list) and child in statements:
                found.extend(statements[statements.index(child) + 1 :])
        if parent is function:
            break
        child, parent = parent, ctx.parent(parent)
    return found


def _names(target: ast.expr) -> list[ast.Name]:
    """The names a loop target binds (`a, (b, c)` gives three)."""
    found: list[ast.Name] = []
    stack = [target]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            found.append(node)
        elif isinstance(node, ast.Tuple | ast.List):
            stack.extend(node.elts)
        elif isinstance(node, ast.Starred):
            stack.append(node.value)
    return found


def _asserts_on(loop: ast.For, targets: set[str]) -> bool:
    """Whether the loop body has an `assert` (outside nested defs) that reads one of the loop's variables.

    A membership check of the variable alone (`assert key in info`) does not count.
    """
    stack: list[ast.AST] = list(loop.body)
    seen = 0
    while stack and seen < MAX_LOOP_NODES:
        node = stack.pop()
        seen += 1
        if isinstance(node, ast.Assert):
            if _membership(node.test, targets):
                continue
            if _reads(node, targets):  # also in its message: the case names what failed
                return True
        elif not isinstance(node, NESTED_SCOPES):
            stack.extend(ast.iter_child_nodes(node))
    return False


#: Methods that add to a collection: a loop calling one on a collection from before it carries state.
ACCUMULATORS = frozenset({"append", "extend", "add", "update", "insert", "appendleft"})


def _accumulates(loop: ast.For) -> bool:
    """Whether the loop carries state from one case to the next: it adds to a collection bound before it
    (`calls.append(...)`, `seen.add(...)`) or augments such a name (`total += ...`).

    The cases then form a sequence checked as a whole after the loop (`assert calls == [1, 1, 1]`), which
    separate tests could not check.
    """
    stack: list[ast.AST] = list(loop.body)
    inside: set[str] = {name.id for name in _names(loop.target)}
    touched: set[str] = set()
    seen = 0
    while stack and seen < MAX_LOOP_NODES:
        node = stack.pop()
        seen += 1
        if isinstance(node, ast.Assign):
            inside.update(name.id for target in node.targets for name in _names(target))
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            touched.add(node.target.id)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ACCUMULATORS
            and isinstance(node.func.value, ast.Name)
        ):
            touched.add(node.func.value.id)
        if not isinstance(node, NESTED_SCOPES):
            stack.extend(ast.iter_child_nodes(node))
    return bool(touched - inside)


def _repeats(cases: ast.List | ast.Tuple) -> bool:
    """Whether a constant case comes twice (`for i in [1, 2, 1]:`): a sequence of steps, not a set of cases."""
    values = [case.value for case in cases.elts if isinstance(case, ast.Constant)]
    return len(values) != len(set(map(repr, values)))


#: Calls that read a field by its key: `info.get(key)`, `getattr(obj, name)`.
FIELD_METHODS = frozenset({"get", "getattr", "hasattr"})


def _field_checks(loop: ast.For, targets: set[str]) -> bool:
    """Whether the loop only checks fields of something built before it, the loop variable being the key.

    Its body is asserts (under `if`s at most) in which each use of a loop variable is a key: a subscript
    (`response.json()[key]`), the left of `in`, or the key of `.get(key)` / `getattr(obj, key)`. One
    comparison of the fields says that better than one test per field.
    """
    statements: list[ast.stmt] = list(loop.body)
    asserts: list[ast.Assert] = []
    while statements:
        statement = statements.pop()
        if isinstance(statement, ast.Assert):
            asserts.append(statement)
        elif isinstance(statement, ast.If):
            statements.extend((*statement.body, *statement.orelse))
        else:
            return False
    for statement in asserts:
        nodes = _subtree(statement.test)  # its message is no use of the case
        parents = {child: node for node in nodes for child in ast.iter_child_nodes(node)}
        keys = [
            node
            for node in nodes
            if isinstance(node, ast.Name) and node.id in targets and _as_key(node, parents.get(node))
        ]
        for node in nodes:
            if (
                isinstance(node, ast.Name)
                and node.id in targets
                and node not in keys
                and not _expected(node, parents.get(node), keys)
            ):
                return False
    return True


def _expected(name: ast.Name, parent: ast.AST | None, keys: list[ast.Name]) -> bool:
    """Whether a name is the expected value of an `==` whose other side reads a field keyed by it.

    `assert defs[name]["title"] == name`: still a field of one result per key.
    """
    return (
        isinstance(parent, ast.Compare)
        and len(parent.ops) == 1
        and isinstance(parent.ops[0], ast.Eq)
        and name in parent.comparators
        and any(key in _subtree(parent.left) for key in keys)
    )


def _as_key(name: ast.Name, parent: ast.AST | None) -> bool:
    """Whether a name is used as a key: a subscript, the left of `in`, `.get(name)`, `getattr(x, name)`."""
    if isinstance(parent, ast.Subscript):
        return parent.slice is name
    if isinstance(parent, ast.Compare):
        return parent.left is name and all(isinstance(op, ast.In | ast.NotIn) for op in parent.ops)
    if isinstance(parent, ast.Call):
        func = parent.func
        spelled = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        return spelled in FIELD_METHODS and name in parent.args
    return False


def _membership(test: ast.expr, targets: set[str]) -> bool:
    """`key in info` or `key not in info`: a loop variable checked against something that does not use it."""
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], ast.In | ast.NotIn):
        return False
    left, right = test.left, test.comparators[0]
    if not isinstance(left, ast.Name) or left.id not in targets:
        return False
    return not any(isinstance(name, ast.Name) and name.id in targets for name in _subtree(right))


def _subtree(node: ast.AST) -> list[ast.AST]:
    """An assert's own nodes, bounded."""
    found: list[ast.AST] = []
    stack = [node]
    while stack and len(found) < MAX_LOOP_NODES:
        current = stack.pop()
        found.append(current)
        stack.extend(ast.iter_child_nodes(current))
    return found


def _reads(node: ast.AST, targets: set[str]) -> bool:
    """Whether an expression reads one of the loop's variables."""
    return any(isinstance(name, ast.Name) and name.id in targets for name in _subtree(node))


def _in_message(ctx: ModuleContext, name: ast.Name, loop: ast.For) -> bool:
    """Whether a name is inside the message of an `assert` (`assert ok, f"failed for {case}"`) in the loop."""
    child: ast.AST = name
    parent = ctx.parent(name)
    while parent is not None and parent is not loop:
        if isinstance(parent, ast.Assert):
            return child is parent.msg
        child, parent = parent, ctx.parent(parent)
    return False
