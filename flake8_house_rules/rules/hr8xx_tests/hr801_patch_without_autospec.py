"""HR801 patch-without-autospec."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.fixes import Fix, edits
from flake8_house_rules.rule import Example, FixExample, Rule
from flake8_house_rules.rules.hr8xx_tests.common import is_mocker

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

PATCH = frozenset({"unittest.mock.patch", "mock.patch"})
PATCH_OBJECT = frozenset({"unittest.mock.patch.object", "mock.patch.object"})
#: Keywords that already give the mock a shape (or replace it): nothing for `autospec` to add.
#: Keywords that shape the mock already: a spec, a replacement, or `wraps=` (a spy that calls the real object,
#: so a call its signature rejects fails anyway).
SHAPED = frozenset({"autospec", "spec", "spec_set", "new", "new_callable", "wraps"})
TEST = "tests/test_api.py"


class PatchWithoutAutospec(Rule):
    """## What it does
    Checks, in test modules (`hr-test-modules`), for `patch(...)` and `patch.object(...)` from
    `unittest.mock` (or the `mock` backport), as calls, decorators or context managers, and for pytest-mock's
    `mocker.patch(...)` and `mocker.patch.object(...)`, that give the mock no shape: none of `autospec=`,
    `spec=`, `spec_set=`, `new=`, `new_callable=` or `wraps=` is passed (`autospec=False` written out is a
    decision, not an omission; `wraps=` makes a spy that calls the real object, so a call its signature
    rejects fails anyway: redis-py's `patch.object(conn, "send_command",
    wraps=conn.send_command)`). A replacement object passed by position (`patch("m.TIMEOUT", 5)`,
    `patch.object(Client, "send", fake_send)`) is `new`, and `create=True` (patching an attribute that does
    not exist, which `autospec` cannot copy) is not reported either; neither is a call with `*args` or
    `**kwargs`, which may hold any of them.

    `patch` counts only when it resolves through the imports to `unittest.mock` or `mock`. `mocker` is the
    pytest-mock fixture when it is a parameter named `mocker` (or `class_mocker`, `module_mocker`,
    `package_mocker`, `session_mocker`) of the enclosing function, whether a test, a fixture or a helper
    that a test hands its fixture to, unannotated or annotated `pytest_mock.MockerFixture`; anything else
    called `mocker` is not.

    ## Why is this bad?
    A bare `MagicMock` accepts any call and any attribute, so a test keeps passing after the real function's
    signature changes. With `autospec=True` the mock has the real signature, and a call that would fail
    for real fails in the test. Style guide 001 (Testing): "**Always** use `autospec=True` when
    mocking—prevents mock drift".

    ## Example
    ```python
    from unittest.mock import patch

    def test_charge() -> None:
        with patch("app.billing.stripe_charge") as charge:
            checkout(order)
        charge.assert_called_once()
    ```

    Use instead:
    ```python
    from unittest.mock import patch

    def test_charge() -> None:
        with patch("app.billing.stripe_charge", autospec=True) as charge:
            checkout(order)
        charge.assert_called_once()
    ```
    """

    code = "HR801"
    name = "patch-without-autospec"
    message = "pass `autospec=True` to `patch(...)`, so the mock keeps the real signature"
    fix = "unsafe"
    source = "001 Testing"
    options = ("hr-test-modules",)
    valid = (
        Example(
            "from unittest.mock import patch\n\n@patch('app.send', autospec=True)\ndef test_a(send): ...", path=TEST
        ),
        Example("from unittest import mock\n\ndef test_a():\n    with mock.patch('app.TIMEOUT', 5): ...", path=TEST),
        Example(
            "from unittest.mock import patch\n\ndef test_a():\n    with patch.object(Client, 'send', fake): ...",
            path=TEST,
        ),
        Example(
            "from unittest.mock import AsyncMock, patch\n\n"
            "def test_a():\n    with patch('app.fetch', new_callable=AsyncMock): ...",
            path=TEST,
        ),
        Example("from unittest.mock import patch\n\ndef test_a():\n    patch('app.x', spec=Thing).start()", path=TEST),
        # redis-py: a spy on the real method
        Example(
            "from unittest import mock\n\ndef test_a(conn):\n"
            "    with mock.patch.object(conn, 'send_command', wraps=conn.send_command) as m: ...",
            path=TEST,
        ),
        Example(
            "from unittest.mock import patch\n\ndef test_a():\n    patch('app.x', autospec=False).start()", path=TEST
        ),
        Example("from unittest.mock import patch\n\ndef test_a():\n    patch('app.x', create=True).start()", path=TEST),
        Example("from unittest.mock import patch\n\ndef test_a(**kw):\n    patch('app.x', **kw).start()", path=TEST),
        Example("def test_a(mocker):\n    mocker.patch('app.send', autospec=True)", path=TEST),
        Example(
            "def test_a(mocker):\n    mocker.patch.object(Client, 'send', return_value=1, spec_set=True)", path=TEST
        ),
        Example("from app.testing import patch\n\ndef test_a():\n    patch('app.send')", path=TEST),
        Example("def test_a(helper):\n    mocker = helper.mocker\n    mocker.patch('app.send')", path=TEST),
        Example("from app import mocker\n\ndef test_a():\n    mocker.patch('app.send')", path=TEST),
        Example("from unittest.mock import patch\n\npatcher = patch('app.send')", path="app/devtools.py"),
        Example(
            "from unittest.mock import patch\n\ndef test_a():\n    patch.dict('os.environ', {'A': '1'})", path=TEST
        ),
    )
    invalid = (
        Example(
            "from unittest.mock import patch\n\n@patch('app.billing.charge')  # error: HR801\ndef test_a(charge): ...",
            path=TEST,
        ),
        Example(
            "from unittest import mock\n\ndef test_a():\n    with mock.patch.object(Client, 'send'):  # error: HR801\n"
            "        pass",
            path=TEST,
        ),
        Example(
            "import mock\n\ndef test_a():\n    with mock.patch('app.send', return_value=1):  # error: HR801\n"
            "        pass",
            path=TEST,
        ),
        Example("def test_a(mocker):\n    mocker.patch('app.send')  # error: HR801", path="tests/test_send.py"),
        Example(
            "import pytest\nfrom pytest_mock import MockerFixture\n\n@pytest.fixture\n"
            "def fake_send(mocker: MockerFixture):\n    return mocker.patch.object(Client, 'send')  # error: HR801",
            path="tests/conftest.py",
        ),
    )

    calls = PATCH | PATCH_OBJECT
    methods = frozenset({"patch", "object"})

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only test modules."""
        return ctx.is_test_module()

    def visit_call(self, node: ast.Call, name: str) -> None:
        """`patch(...)` or `patch.object(...)` from `unittest.mock` or `mock`."""
        self._check(node, 2 if name in PATCH else 3)

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """pytest-mock's `mocker.patch(...)` and `mocker.patch.object(...)`."""
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        if method == "patch" and is_mocker(self.ctx, func.value):
            self._check(node, 2)
        elif (
            method == "object"
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "patch"
            and is_mocker(self.ctx, func.value.value)
        ):
            self._check(node, 3)

    def _check(self, node: ast.Call, new_position: int) -> None:
        """Report unless the mock gets a shape (or a replacement, possibly by position: `new`)."""
        if len(node.args) >= new_position or any(isinstance(arg, ast.Starred) for arg in node.args):
            return
        for keyword in node.keywords:
            if keyword.arg is None or keyword.arg in SHAPED:
                return
            if keyword.arg == "create" and not (
                isinstance(keyword.value, ast.Constant) and keyword.value.value in {False, None}
            ):
                return
        self.report(node)

    def fix_for(self, node: ast.AST | tuple[int, int]) -> Fix | None:
        """`autospec=True` added after the call's last argument (unsafe: the mock then checks signatures, and a
        patched method's mock sees `self`, so `assert_called_once_with` calls may need it).
        """
        if not isinstance(node, ast.Call):
            return None
        arguments = [*node.args, *node.keywords]
        if not arguments:
            return None
        last = max(arguments, key=lambda item: (item.end_lineno or 0, item.end_col_offset or 0))
        return Fix.unsafe("Add `autospec=True`", edits.insert_at(edits.end_of(self.ctx, last), ", autospec=True"))

    fixes = (
        FixExample(
            "from unittest.mock import patch\n\n@patch('app.billing.charge')  # error: HR801\ndef test_a(charge): ...",
            "from unittest.mock import patch\n\n@patch('app.billing.charge', autospec=True)\ndef test_a(charge): ...",
            path=TEST,
        ),
        FixExample(
            "def test_a(mocker):\n    mocker.patch.object(  # error: HR801\n        Client,\n        'send',\n    )",
            "def test_a(mocker):\n    mocker.patch.object(\n        Client,\n        'send', autospec=True,\n    )",
            path="tests/test_send.py",
        ),
    )
