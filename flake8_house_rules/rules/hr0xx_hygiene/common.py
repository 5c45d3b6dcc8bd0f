"""Facts the hygiene rules share: which modules and definitions are public, and where docstrings are."""

from __future__ import annotations

import ast
import posixpath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
#: Decorators whose function needs no docstring of its own: an overload's implementation or the overridden
#: method carries it (`typing_extensions` names count as `typing` ones).
DOCUMENTED_ELSEWHERE = frozenset({"typing.overload", "typing.override", "overrides.override", "overrides.overrides"})
PROPERTY_PARTS = frozenset({"setter", "deleter"})


def functions(ctx: ModuleContext) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Every `def` and `async def` of the module (each kind in source order)."""
    return [*ctx.nodes_of(ast.FunctionDef), *ctx.nodes_of(ast.AsyncFunctionDef)]


def has_docstring(node: Definition) -> bool:
    """Whether a class or function body opens with a string (the inlined test of `docstring_node`)."""
    first = node.body[0]
    return type(first) is ast.Expr and type(first.value) is ast.Constant and type(first.value.value) is str


def is_dunder(name: str) -> bool:
    """Whether a name is a dunder such as `__init__` (not merely private, like `__secret`)."""
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def is_private_name(name: str) -> bool:
    """Whether a name is private: it starts with `_` and is not a dunder."""
    return name.startswith("_") and not is_dunder(name)


def docstring_node(node: ast.Module | Definition) -> ast.Constant | None:
    """The docstring of a module, class or function, as its string node, or `None`."""
    body = node.body
    if not body:
        return None
    first = body[0]
    if type(first) is ast.Expr and type(first.value) is ast.Constant and isinstance(first.value.value, str):
        return first.value
    return None


def is_test_name(name: str) -> bool:
    """Whether a name is one pytest and unittest collect as a test: `test_*` functions, `Test*` classes."""
    return name.startswith(("test_", "Test")) or name == "test"


def is_private_module(path: str | None) -> bool:
    """Whether a module is private: its file or a folder on its path starts with `_` (dunders excepted).

    `__init__.py` and `__main__.py` are public; `_compat.py` and everything under `_internal/` are not.
    """
    if path is None:
        return False
    parts = path.split("/")
    stem = posixpath.splitext(parts[-1])[0]
    return any(is_private_name(part) for part in (*parts[:-1], stem) if part not in {"", ".", ".."})


def _exported_names(ctx: ModuleContext) -> frozenset[str] | None:
    bindings = ctx.module_scope.names.get("__all__")
    if not bindings or len(bindings) != 1:
        return None
    value = bindings[0].value
    if not isinstance(value, ast.List | ast.Tuple):
        return None
    names = []
    for item in value.elts:
        if not (isinstance(item, ast.Constant) and isinstance(item.value, str)):
            return None
        names.append(item.value)
    return frozenset(names)


def documented_elsewhere(ctx: ModuleContext, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a function is an `@overload`, an `@override`, or a property's setter or deleter."""
    for decorator in node.decorator_list:
        if ctx.qualname(decorator) in DOCUMENTED_ELSEWHERE:
            return True
        if (
            isinstance(decorator, ast.Attribute)
            and decorator.attr in PROPERTY_PARTS
            and isinstance(decorator.value, ast.Name)
            and decorator.value.id == node.name
        ):
            return True
    return False


class Publicity:
    """Which definitions of a module are public API: built once per module (`ctx.fact(Publicity)`)."""

    def __init__(self, ctx: ModuleContext) -> None:
        self.ctx = ctx
        self.private_module = is_private_module(ctx.path)
        self.exported = _exported_names(ctx)

    def is_public(self, node: Definition) -> bool:
        """Whether a class, function or method is public API.

        Private: a name starting with `_` (a dunder method is not private, but callers exempt it), anything
        defined inside a function, a member of a private class, anything in a private module, and, when the
        module declares `__all__`, a top-level name not listed in it.
        """
        if self.private_module or is_private_name(node.name):
            return False
        outermost: Definition = node
        parent = self.ctx.parent(node)
        while parent is not None and type(parent) is not ast.Module:
            if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                return False
            if isinstance(parent, ast.ClassDef):
                if is_private_name(parent.name):
                    return False
                outermost = parent
            parent = self.ctx.parent(parent)
        return self.exported is None or outermost.name in self.exported


def is_public(ctx: ModuleContext, node: Definition) -> bool:
    """Whether a class, function or method is public API (see `Publicity.is_public`)."""
    return ctx.fact(Publicity).is_public(node)


def is_method(ctx: ModuleContext, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a function is defined in a class body (directly, or under an `if` or `try` there)."""
    parent = ctx.parent(node)
    while isinstance(parent, ast.If | ast.Try | ast.TryStar | ast.With):
        parent = ctx.parent(parent)
    return isinstance(parent, ast.ClassDef)


def is_main_guard(node: ast.AST) -> bool:
    """Whether a statement is `if __name__ == "__main__":`."""
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    test = node.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = (test.left, test.comparators[0])
    names = [side for side in sides if isinstance(side, ast.Name) and side.id == "__name__"]
    texts = [side for side in sides if isinstance(side, ast.Constant) and side.value == "__main__"]
    return len(names) == 1 and len(texts) == 1
