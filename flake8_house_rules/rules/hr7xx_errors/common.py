"""Shared reading of `except` handlers and raised exceptions for the HR7xx rules.

Nothing here walks the module: `handler_nodes` looks only into one handler's own body (bounded, and not
into functions, lambdas or classes defined there, whose code does not run as part of the handler).
"""

from __future__ import annotations

import ast
import builtins
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from flake8_house_rules.context import ModuleContext

#: Nested code that does not run as part of the handler that defines it.
NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
#: How many nodes of one handler body are looked at, at most.
MAX_HANDLER_NODES = 5000
BROAD_EXCEPTIONS = frozenset({"builtins.Exception", "builtins.BaseException"})
#: Builtin exception classes (`builtins.ValueError`, ...), to tell an exception class from other builtins.
BUILTIN_EXCEPTIONS = frozenset(
    f"builtins.{name}"
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
)


def handler_nodes(handler: ast.ExceptHandler) -> Iterator[ast.AST]:
    """The nodes of a handler's body (in no particular order), not inside nested defs, lambdas or classes."""
    stack: list[ast.AST] = list(handler.body)
    seen = 0
    while stack and seen < MAX_HANDLER_NODES:
        node = stack.pop()
        seen += 1
        yield node
        if not isinstance(node, NESTED_SCOPES):
            stack.extend(ast.iter_child_nodes(node))


def exception_name(ctx: ModuleContext, expr: ast.expr) -> str | None:
    """The dotted name of an exception class expression: `builtins.ValueError`, `httpx.HTTPError`, or `None`."""
    qualname = ctx.qualname(expr)
    if qualname is not None:
        return qualname
    if isinstance(expr, ast.Name) and expr.id in vars(builtins) and ctx.is_builtin(expr):
        return f"builtins.{expr.id}"
    return None


def caught_types(handler: ast.ExceptHandler) -> list[ast.expr]:
    """The class expressions an `except` clause names (`except (A, B)` gives both); none for a bare one."""
    if handler.type is None:
        return []
    if isinstance(handler.type, ast.Tuple):
        return list(handler.type.elts)
    return [handler.type]


def enclosing_handlers(ctx: ModuleContext, node: ast.AST) -> list[ast.ExceptHandler]:
    """The `except` handlers whose body holds the node in the same function (innermost first)."""
    found: list[ast.ExceptHandler] = []
    child: ast.AST = node
    parent = ctx.parent(node)
    while parent is not None and not isinstance(parent, NESTED_SCOPES):
        if isinstance(parent, ast.ExceptHandler) and child is not parent.type:
            found.append(parent)
        child, parent = parent, ctx.parent(parent)
    return found
