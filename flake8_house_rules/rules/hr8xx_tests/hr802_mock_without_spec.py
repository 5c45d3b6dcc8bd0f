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


class MockWithoutSpec(Rule):
    """## What it does
    Checks, in test modules (`hr-test-modules`), for `Mock()`, `MagicMock()`, `AsyncMock()`,
    `NonCallableMock()` and `NonCallableMagicMock()` from `unittest.mock` (or the `mock` backport, or
    pytest-mock's `mocker.Mock()` and its twins) built without a spec: no `spec=` or `spec_set=` keyword and
    no positional argument (the first positional parameter of every mock class is `spec`). A call with
    `**kwargs` may pass one and is not reported. `mocker` is recognised as in HR801.

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
    )
    invalid = (
        Example("from unittest.mock import AsyncMock\n\nws = AsyncMock()  # error: HR802", path=TEST),
        Example("import mock\n\nclient = mock.MagicMock(return_value=1)  # error: HR802", path=TEST),
        Example("from unittest import mock\n\nclient = mock.Mock(name='client')  # error: HR802", path=TEST),
        Example("def test_a(mocker):\n    client = mocker.AsyncMock()  # error: HR802", path=TEST),
    )

    calls = frozenset(f"{module}.{name}" for module in ("unittest.mock", "mock") for name in MOCK_CLASSES)
    methods = MOCK_CLASSES

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only test modules."""
        return ctx.is_test_module()

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
        self.report(node)
