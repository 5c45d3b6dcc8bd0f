"""HR803 async-test-without-marker."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.fixes import Fix, edits
from flake8_house_rules.paths import ASYNCIO_MODE_COROUTINE_PLUGINS, asyncio_mode, asyncio_mode_plugins
from flake8_house_rules.rule import Example, FixExample, Rule
from flake8_house_rules.rules.hr8xx_tests.common import decorator_name, is_pytest_test

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext, Scope

#: Marks that make a plugin run a coroutine test: pytest-asyncio, anyio, pytest-trio.
ASYNC_MARKS = frozenset({"pytest.mark.asyncio", "pytest.mark.anyio", "pytest.mark.trio"})
#: A test that asks for this fixture runs under anyio's plugin without a mark.
ANYIO_FIXTURE = "anyio_backend"
TEST = "tests/test_api.py"
MAX_CLASSES = 50
TESTCASE = frozenset({"unittest.TestCase", "unittest.case.TestCase"})
#: Methods through which a `TestCase` subclass could run its coroutine tests itself.
RUNNER_METHODS = frozenset({"run", "_callTestMethod", "__call__", "debug"})
TESTCASE_MESSAGE = (
    "`unittest.TestCase` never awaits this coroutine test: derive the class from `unittest.IsolatedAsyncioTestCase`"
)


class AsyncTestWithoutMarker(Rule):
    """## What it does
    Checks, in test modules (`hr-test-modules`), for an `async def test*` that pytest collects (at module
    level, or a method of a `Test*` class without bases) and that no plugin is told to run: it has no
    `@pytest.mark.asyncio` (or `@pytest.mark.anyio`, or pytest-trio's `@pytest.mark.trio`, called or not),
    its class has no such decorator and no `pytestmark` with it, and the module's `pytestmark` neither is
    one of those marks nor lists one (`pytestmark = [pytest.mark.asyncio, ...]`). Reported at the `def`.

    Not reported:

    - when pytest-asyncio runs in auto mode: `hr-asyncio-mode = auto`, or, with the option unset,
      `asyncio_mode = auto` (or `--asyncio-mode=auto` in `addopts`, or pytest-trio's `trio_mode = true`)
      in the pytest configuration pytest itself would use for the module: the nearest `pytest.ini`,
      `.pytest.ini`, `pyproject.toml` with `[tool.pytest.ini_options]`, `tox.ini` with `[pytest]` or
      `setup.cfg` with `[tool:pytest]`, searching upwards from the module's folder;
    - when the project loads a pytest plugin that runs coroutine tests itself (`aiohttp.pytest_plugin`,
      `pytest_aiohttp`, `anyio`, `pytest_trio`): by `pytest_plugins = [...]` in a `conftest.py` in the
      module's folder or any folder above it up to pytest's configuration folder, or in the module itself,
      or by `-p aiohttp.pytest_plugin` in `addopts`;
    - a test that takes the `anyio_backend` fixture (anyio's plugin runs it);
    - a test with any decorator other than a `pytest.mark.*` mark: it may wrap the coroutine into a
      function pytest can call (`@async_test`, `@given`);
    - a method of a class with bases: `unittest.IsolatedAsyncioTestCase` (and any class this module cannot
      see into, such as aiohttp's `AioHTTPTestCase`) runs its own coroutines; but an `async def test*` of a
      class that provably derives from plain `unittest.TestCase` alone (through the module's own classes,
      none of which defines `run` or `_callTestMethod`) is reported, since unittest calls it without
      awaiting it and the test passes without running a line: derive it from
      `unittest.IsolatedAsyncioTestCase`;
    - a fixture (`@pytest.fixture`) and functions nested in other functions.

    ## Why is this bad?
    In pytest-asyncio's default strict mode an unmarked coroutine test is never awaited: pytest warns and
    skips it, or, in older versions, passes it without running a line. Style guide 001 (Testing): "Use
    `pytest-asyncio` with `@pytest.mark.asyncio` for async tests"; 002 and 004 mark their async tests too.

    ## Example
    ```python
    async def test_create_project_success(client: AsyncClient) -> None:
        response = await client.post("/projects", json=payload)
        assert response.status_code == 201
    ```

    Use instead:
    ```python
    @pytest.mark.asyncio
    async def test_create_project_success(client: AsyncClient) -> None:
        response = await client.post("/projects", json=payload)
        assert response.status_code == 201
    ```
    """

    code = "HR803"
    name = "async-test-without-marker"
    message = "mark the async test with `@pytest.mark.asyncio` (or set `asyncio_mode = auto`)"
    fix = "safe"
    source = "001 Testing; 002 Testing; 004 Testing Pattern"
    options = ("hr-asyncio-mode", "hr-test-modules")
    valid = (
        Example("import pytest\n\n@pytest.mark.asyncio\nasync def test_a() -> None: ...", path=TEST),
        Example(
            "from pytest import mark\n\n@mark.asyncio(loop_scope='module')\nasync def test_a() -> None: ...", path=TEST
        ),
        Example("import pytest\n\n@pytest.mark.anyio\nasync def test_a() -> None: ...", path=TEST),
        Example("import pytest\n\npytestmark = pytest.mark.asyncio\n\nasync def test_a() -> None: ...", path=TEST),
        Example(
            "import pytest\n\npytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope='session')]\n\n"
            "async def test_a() -> None: ...",
            path=TEST,
        ),
        Example(
            "import pytest\n\n@pytest.mark.asyncio\nclass TestApi:\n    async def test_a(self) -> None: ...", path=TEST
        ),
        Example(
            "import pytest\n\nclass TestApi:\n    pytestmark = pytest.mark.anyio\n\n"
            "    async def test_a(self) -> None: ...",
            path=TEST,
        ),
        Example("async def test_a() -> None: ...", path=TEST, options={"hr-asyncio-mode": "auto"}),
        Example("async def test_a(anyio_backend: str) -> None: ...", path=TEST),
        Example("from app.testing import async_test\n\n@async_test\nasync def test_a() -> None: ...", path=TEST),
        Example(
            "import unittest\n\nclass TestApi(unittest.IsolatedAsyncioTestCase):\n"
            "    async def test_a(self) -> None: ...",
            path=TEST,
        ),
        Example("import pytest\n\n@pytest.fixture\nasync def test_user() -> User: ...", path=TEST),
        Example("def test_a() -> None:\n    async def test_inner() -> None: ...", path=TEST),
        Example("async def check_a() -> None: ...", path=TEST),
        Example("async def test_a() -> None: ...", path="app/selftest.py"),
        Example("class Helper:\n    async def test_a(self) -> None: ...", path=TEST),
        Example(
            'pytest_plugins = ["aiohttp.pytest_plugin"]\n\n\nasync def test_close(aiohttp_client) -> None:\n'
            "    assert aiohttp_client",
            path=TEST,
        ),
        Example(
            "from aiohttp.test_utils import AioHTTPTestCase\n\nclass TestApp(AioHTTPTestCase):\n"
            "    async def test_a(self) -> None: ...",
            path=TEST,
        ),
        Example(
            "import unittest\n\nclass AsyncCase(unittest.TestCase):\n    def _callTestMethod(self, method) -> None:\n"
            "        asyncio.run(method())\n\nclass TestApi(AsyncCase):\n    async def test_a(self) -> None: ...",
            path=TEST,
        ),
        Example(
            "import unittest\nfrom app.testing import Mixin\n\nclass TestApi(Mixin, unittest.TestCase):\n"
            "    async def test_a(self) -> None: ...",
            path=TEST,
        ),
        Example(
            "import unittest\n\nclass TestApi(unittest.TestCase):\n    @async_test\n"
            "    async def test_a(self) -> None: ...",
            path=TEST,
        ),
        Example(
            "import unittest\n\nclass TestApi(unittest.TestCase):\n    async def helper(self) -> None: ...",
            path=TEST,
        ),
    )
    invalid = (
        Example("async def test_create() -> None:  # error: HR803\n    assert True", path=TEST),
        Example(
            "import pytest\n\n@pytest.mark.parametrize('x', [1, 2])\n"
            "async def test_a(x: int) -> None:  # error: HR803\n    assert x",
            path=TEST,
        ),
        Example(
            "import pytest\n\npytestmark = pytest.mark.slow\n\nclass TestApi:\n"
            "    async def test_a(self) -> None:  # error: HR803\n        pass",
            path=TEST,
        ),
        Example(
            "async def test_a() -> None:  # error: HR803\n    pass", path=TEST, options={"hr-asyncio-mode": "strict"}
        ),
        Example("import asyncio\n\nasync def test_a() -> None:  # error: HR803\n    await asyncio.sleep(0)", path=TEST),
        Example(
            "import unittest\n\n\nclass TestFetch(unittest.TestCase):\n"
            "    async def test_fetch(self) -> None:  # error: HR803\n        self.assertTrue(False)",
            path=TEST,
        ),
        Example(
            "from unittest import TestCase\n\nclass Base(TestCase):\n    pass\n\nclass Fetch(Base):\n"
            "    async def test_fetch(self) -> None:  # error: HR803\n        pass",
            path=TEST,
            options={"hr-asyncio-mode": "auto"},
        ),
        Example(
            'pytest_plugins = ["pytester"]\n\n\nasync def test_a() -> None:  # error: HR803\n    pass',
            path=TEST,
        ),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Test modules."""
        return ctx.is_test_module()

    def start(self) -> None:
        """Per module: whether coroutine tests run without a mark (worked out at the first async test)."""
        self._runs_unmarked: bool | None = None

    def _auto(self) -> bool:
        """Whether the project runs unmarked coroutine tests: auto mode, or a plugin that runs them."""
        if self._runs_unmarked is None:
            ctx = self.ctx
            self._runs_unmarked = asyncio_mode(ctx.path, ctx.config) == "auto" or not asyncio_mode_plugins(
                ctx.source()
            ).isdisjoint(ASYNCIO_MODE_COROUTINE_PLUGINS)
        return self._runs_unmarked

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        """Report a collected coroutine test that no plugin is told to run, or that unittest never awaits."""
        if not node.name.startswith("test"):
            return
        parent = self.ctx.parent(node)
        if isinstance(parent, ast.ClassDef) and parent.bases:
            if not node.decorator_list and self._plain_testcase(parent):
                self.report(node, TESTCASE_MESSAGE)
            return
        if not is_pytest_test(self.ctx, node) or self._auto():
            return
        for decorator in node.decorator_list:
            name = decorator_name(self.ctx, decorator)
            if name in ASYNC_MARKS or name is None or not name.startswith("pytest.mark."):
                return
        if any(arg.arg == ANYIO_FIXTURE for arg in (*node.args.args, *node.args.kwonlyargs)):
            return
        cls = self.ctx.parent(node)
        if isinstance(cls, ast.ClassDef) and (
            any(decorator_name(self.ctx, decorator) in ASYNC_MARKS for decorator in cls.decorator_list)
            or self._pytestmark(self.ctx.scope_of_node.get(cls))
        ):
            return
        if not self._pytestmark(self.ctx.module_scope):
            self.report(node)

    def _plain_testcase(self, cls: ast.ClassDef) -> bool:
        """Whether a class provably derives from `unittest.TestCase` and nothing else that could run coroutines.

        Every base on the way must resolve: `unittest.TestCase`, `object`, or a class of the module without
        a decorator, metaclass or runner method of its own (`run`, `_callTestMethod`); anything else is unknown.
        """
        hierarchy = self.ctx.classes
        pending, seen, found = [cls], {cls}, False
        while pending:
            current = pending.pop()
            if current.keywords or current.decorator_list:
                return False
            if any(
                isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name in RUNNER_METHODS
                for item in current.body
            ):
                return False
            for base in current.bases:
                resolved = hierarchy.base_name(base)
                if isinstance(resolved, ast.ClassDef):
                    if resolved not in seen and len(seen) < MAX_CLASSES:
                        seen.add(resolved)
                        pending.append(resolved)
                elif resolved in TESTCASE:
                    found = True
                elif resolved != "builtins.object":
                    return False
        return found

    def _pytestmark(self, scope: Scope | None) -> bool:
        """Whether the scope assigns `pytestmark` an async mark, alone or in a list or tuple."""
        if scope is None:
            return False
        for binding in scope.names.get("pytestmark", ()):
            value = binding.value
            marks = value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
            if any(mark is not None and decorator_name(self.ctx, mark) in ASYNC_MARKS for mark in marks):
                return True
        return False

    def fix_for(self, node: ast.AST | tuple[int, int]) -> Fix | None:
        """`@pytest.mark.asyncio` added above the test (and `import pytest` when the name is free); not for a
        method of a class with bases (a `unittest.TestCase` method never runs under the marker).
        """
        if not isinstance(node, ast.AsyncFunctionDef):
            return None
        cls = self.ctx.parent(node)
        if isinstance(cls, ast.ClassDef) and (cls.bases or cls.keywords):
            return None
        start = node.decorator_list[0].lineno if node.decorator_list else node.lineno
        indent = self.ctx.lines[start - 1][: node.col_offset]
        if indent.strip():
            return None
        spelled = edits.import_name(self.ctx, "pytest", None, node)
        if spelled is None:
            return None
        module, import_edit = spelled
        mark = edits.insert_at((start, 0), f"{indent}@{module}.mark.asyncio\n")
        return Fix.safe("Add `@pytest.mark.asyncio`", *([import_edit] if import_edit else []), mark)

    fixes = (
        FixExample(
            "async def test_create() -> None:  # error: HR803\n    assert True",
            "import pytest\n\n@pytest.mark.asyncio\nasync def test_create() -> None:\n    assert True",
            path=TEST,
        ),
        FixExample(
            "import pytest\n\nclass TestApi:\n    @pytest.mark.slow\n"
            "    async def test_a(self) -> None:  # error: HR803\n        pass",
            "import pytest\n\nclass TestApi:\n    @pytest.mark.asyncio\n    @pytest.mark.slow\n"
            "    async def test_a(self) -> None:\n        pass",
            path=TEST,
        ),
    )
