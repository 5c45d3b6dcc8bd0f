"""HR802 mock-without-spec."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr8xx_tests.common import is_mocker

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

MOCK_CLASSES = frozenset({"Mock", "MagicMock", "AsyncMock", "NonCallableMock", "NonCallableMagicMock"})
SPEC_KEYWORDS = frozenset({"spec", "spec_set"})
TEST = "tests/test_api.py"
#: What a recorder is used for besides being passed on: its call record, read or asserted.
RECORD_ATTRIBUTES = frozenset({"called", "call_count", "call_args", "call_args_list", "await_count", "await_args"})


class MockWithoutSpec(Rule):
    """## What it does
    Checks, in test modules (`hr-test-modules`), for `Mock()`, `MagicMock()`, `AsyncMock()`,
    `NonCallableMock()` and `NonCallableMagicMock()` from `unittest.mock` (or the `mock` backport, or
    pytest-mock's `mocker.Mock()` and its twins) built without a spec: no `spec=` or `spec_set=` keyword and
    no positional argument (the first positional parameter of every mock class is `spec`). A call with
    `**kwargs` may pass one and is not reported. `mocker` is recognised as in HR801.

    Not reported either, because no interface is being imitated: a spy, `Mock(side_effect=func)` with a
    function, a lambda or a parameter as its side effect (the mock records calls and forwards them), and a
    recorder, a bare mock bound to a name in a function and used there only as a call's argument and
    through its call record (`assert_called_once_with(...)`, `.called`, `.call_args`): such a mock stands
    for a callback, and no attribute of it is read that could drift.

    ## Why is this bad?
    A mock without a spec has every attribute and accepts every call, so tests keep passing when the real
    interface changes. Style guide 001 (Testing) asks for `autospec=True` because it "prevents mock drift";
    `create_autospec(RealClass)` or `Mock(spec=RealClass)` gives a hand-built mock the same protection.

    ## Example
    ```python
    from unittest.mock import AsyncMock

    def test_connect() -> None:
        ws = AsyncMock()
        ...
    ```

    Use instead:
    ```python
    from unittest.mock import create_autospec

    def test_connect() -> None:
        ws = create_autospec(WebSocket, instance=True)
        ...
    ```
    """

    code = "HR802"
    name = "mock-without-spec"
    message = "give the mock a spec: `create_autospec(Real)` or `Mock(spec=Real)`"
    tier = "opt-in"
    source = "001 Testing (prevents mock drift)"
    options = ("hr-test-modules",)
    valid = (
        Example("from unittest.mock import create_autospec\n\nws = create_autospec(WebSocket)", path=TEST),
        Example("from unittest.mock import Mock\n\nclient = Mock(spec=Client)", path=TEST),
        Example("from unittest.mock import MagicMock\n\nclient = MagicMock(Client)", path=TEST),
        Example("from unittest import mock\n\nclient = mock.AsyncMock(spec_set=Client, return_value=1)", path=TEST),
        Example("from unittest.mock import Mock\n\nclient = Mock(**options)", path=TEST),
        Example("def test_a(mocker):\n    client = mocker.MagicMock(spec=Client)", path=TEST),
        Example("from app.fakes import Mock\n\nclient = Mock()", path=TEST),
        Example("from unittest.mock import Mock\n\nclient = Mock()", path="app/devtools.py"),
        Example(
            "from unittest import mock\n\n\ndef recorder(func):\n    return mock.Mock(side_effect=func)", path=TEST
        ),
        Example("from unittest import mock\n\nspy = mock.Mock(side_effect=lambda x: x)", path=TEST),
        Example(
            "from unittest import mock\n\n\ndef test_on_eof_callback() -> None:\n    on_eof = mock.Mock()\n"
            "    stream_finished(on_eof)\n    on_eof.assert_called_once_with()\n    assert on_eof.call_count == 1",
            path=TEST,
        ),
    )
    invalid = (
        Example("from unittest.mock import AsyncMock\n\nws = AsyncMock()  # error: HR802", path=TEST),
        Example("import mock\n\nclient = mock.MagicMock(return_value=1)  # error: HR802", path=TEST),
        Example("from unittest import mock\n\nclient = mock.Mock(name='client')  # error: HR802", path=TEST),
        Example("def test_a(mocker):\n    client = mocker.AsyncMock()  # error: HR802", path=TEST),
        Example("from unittest import mock\n\nfailing = mock.Mock(side_effect=ValueError)  # error: HR802", path=TEST),
        Example(
            "from unittest import mock\n\n\ndef test_a() -> None:\n    client = mock.Mock()  # error: HR802\n"
            "    use(client)\n    assert client.fetch.called",
            path=TEST,
        ),
        Example(
            "from unittest import mock\n\n\ndef test_a() -> None:\n    client = mock.Mock()  # error: HR802\n"
            "    client.fetch.return_value = 1\n    use(client)",
            path=TEST,
        ),
    )

    calls = frozenset(f"{module}.{name}" for module in ("unittest.mock", "mock") for name in MOCK_CLASSES)
    methods = MOCK_CLASSES

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only test modules."""
        return ctx.is_test_module()

    def start(self) -> None:
        """Per module: the bare mocks bound to a name in a function, judged in `finish` (they may be recorders)."""
        self._bare: list[tuple[ast.Call, ast.Name, ast.AST]] = []

    def visit_call(self, node: ast.Call, name: str) -> None:
        """A mock class of `unittest.mock` or `mock`."""
        self._check(node)

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """`mocker.Mock()` and its twins."""
        if isinstance(node.func, ast.Attribute) and is_mocker(self.ctx, node.func.value):
            self._check(node)

    def _check(self, node: ast.Call) -> None:
        if node.args or any(keyword.arg is None or keyword.arg in SPEC_KEYWORDS for keyword in node.keywords):
            return
        if any(keyword.arg == "side_effect" and self._is_function(keyword.value) for keyword in node.keywords):
            return
        statement = self.ctx.parent(node)
        function = self.ctx.enclosing_function(node)
        if (
            not node.keywords
            and function is not None
            and isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            self._bare.append((node, statement.targets[0], function))
            return
        self.report(node)

    def _is_function(self, value: ast.expr) -> bool:
        """Whether a side effect is a function: a lambda, or a name bound to a `def` or a parameter."""
        if isinstance(value, ast.Lambda):
            return True
        if not isinstance(value, ast.Name):
            return False
        bindings = self.ctx.lookup(value)
        return bool(bindings) and all(binding.kind in {"def", "param"} for binding in bindings)

    def finish(self) -> None:
        """Report the bare mocks that are no recorders (one pass over the module's names, only if any)."""
        if not self._bare:
            return
        wanted = {target.id for _, target, _ in self._bare}
        uses: dict[str, list[ast.Name]] = {}
        for name in self.ctx.nodes_of(ast.Name):
            if name.id in wanted:
                uses.setdefault(name.id, []).append(name)
        for call, target, function in self._bare:
            same = [
                name
                for name in uses.get(target.id, ())
                if name is not target and self.ctx.enclosing_function(name) is function
            ]
            if not same or not all(self._recorder_use(name) for name in same):
                self.report(call)

    def _recorder_use(self, name: ast.Name) -> bool:
        """Whether a use of a mock's name passes it on, or reads or asserts its call record."""
        parent = self.ctx.parent(name)
        if isinstance(parent, ast.Call) and any(arg is name for arg in parent.args):
            return True
        if isinstance(parent, ast.keyword):
            return True
        if isinstance(parent, ast.Attribute) and parent.value is name:
            return parent.attr.startswith("assert_") or parent.attr in RECORD_ATTRIBUTES
        return False
