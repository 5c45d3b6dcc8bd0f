"""Shared reading of test code for the HR8xx rules: pytest test functions and the pytest-mock fixture."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
#: The fixtures pytest-mock provides (`mocker` and its wider-scoped twins).
MOCKER_FIXTURES = frozenset({"mocker", "class_mocker", "module_mocker", "package_mocker", "session_mocker"})
MOCKER_TYPES = frozenset({"pytest_mock.MockerFixture", "pytest_mock.MockFixture", "pytest_mock.plugin.MockerFixture"})
FIXTURE_DECORATORS = frozenset({"pytest.fixture", "pytest_asyncio.fixture"})


def is_pytest_test(ctx: ModuleContext, node: FunctionNode) -> bool:
    """Whether pytest collects the function as a test, by its default naming rules.

    A `test*` function at module level, or a method of a `Test*` class (not nested in a function) that has
    no base classes: a class with bases may be a `unittest.TestCase`, which pytest runs through unittest,
    where pytest marks and `parametrize` do not apply. A function decorated as a fixture is not a test.
    """
    if not node.name.startswith("test") or ctx.enclosing_function(node) is not None:
        return False
    parent = ctx.parent(node)
    if isinstance(parent, ast.ClassDef):
        if not parent.name.startswith("Test") or parent.bases or parent.keywords:
            return False
        if ctx.enclosing_function(parent) is not None or not isinstance(ctx.parent(parent), ast.Module):
            return False
    elif not isinstance(parent, ast.Module):
        return False
    return not any(decorator_name(ctx, decorator) in FIXTURE_DECORATORS for decorator in node.decorator_list)


def decorator_name(ctx: ModuleContext, decorator: ast.expr) -> str | None:
    """The dotted name of a decorator, called (`@pytest.mark.asyncio(...)`) or not."""
    return ctx.qualname(decorator.func if isinstance(decorator, ast.Call) else decorator)


def is_mocker(ctx: ModuleContext, expr: ast.expr) -> bool:
    """Whether an expression is pytest-mock's `mocker` fixture: a parameter named `mocker` (or one of its
    scoped twins) of the enclosing function, unannotated or annotated `pytest_mock.MockerFixture`.
    """
    if not isinstance(expr, ast.Name) or expr.id not in MOCKER_FIXTURES:
        return False
    bindings = ctx.lookup(expr)
    if not bindings or len(bindings) != 1 or bindings[0].kind != "param":
        return False
    arg = bindings[0].node
    annotation = arg.annotation if isinstance(arg, ast.arg) else None
    return annotation is None or ctx.qualname(annotation) in MOCKER_TYPES
