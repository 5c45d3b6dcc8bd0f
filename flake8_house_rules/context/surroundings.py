"""Where a node is: its parent, ancestors, enclosing function, and whether it is inside an annotation.

All of it is read off the walk's parent table; nothing here walks the tree.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from flake8_house_rules.context.walk import CODE_BOUNDARIES, FUNCTION_TYPES

if TYPE_CHECKING:
    from collections import defaultdict
    from collections.abc import Iterator


def argument_nodes(call: ast.Call, limit: int) -> Iterator[ast.AST]:
    """The nodes of a call's own arguments and keyword values, at most `limit` of them.

    A small, bounded look into one call, for rules that ask what its arguments hold (never a walk of the module).
    """
    seen = 0
    for argument in (*call.args, *(keyword.value for keyword in call.keywords)):
        for part in ast.walk(argument):
            seen += 1
            if seen > limit:
                return
            yield part


def always_raises(body: list[ast.stmt], depth: int = 0, limit: int = 20) -> bool:
    """Whether a block ends by raising: a final `raise`, or a final `if` whose every branch raises.

    Nested `if`s deeper than `limit` are not followed (the answer is then `False`, the cautious one).
    """
    if not body or depth > limit:
        return False
    last = body[-1]
    if isinstance(last, ast.Raise):
        return True
    if isinstance(last, ast.If):
        return always_raises(last.body, depth + 1, limit) and always_raises(last.orelse, depth + 1, limit)
    return False


def in_function_head(child: ast.AST, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a direct child of a def is evaluated outside it (decorators, arguments, returns)."""
    if child is node.args or child is node.returns:
        return True
    return any(child is decorator for decorator in node.decorator_list)


def in_class_head(child: ast.AST, node: ast.ClassDef) -> bool:
    """Whether a direct child of a class is evaluated outside it (decorators, bases, keywords)."""
    return any(child is other for other in (*node.decorator_list, *node.bases, *node.keywords))


class Surroundings:
    """Questions about a node's place in the tree (a mixin of `ModuleContext`)."""

    parents: dict[ast.AST, ast.AST]
    nodes: defaultdict[type[ast.AST], list[Any]]  # Any: each list holds nodes of its key's type

    def nodes_of(self, node_type: type[ast.AST]) -> list[Any]:  # Any: the nodes are of the type asked for
        """Every node of one type in the module, in tree order (statements in source order)."""
        return self.nodes.get(node_type, [])

    def parent(self, node: ast.AST) -> ast.AST | None:
        """The node's parent in the tree (`None` for the module)."""
        return self.parents.get(node)

    def ancestors(self, node: ast.AST) -> list[ast.AST]:
        """The node's ancestors, innermost first."""
        found = []
        parent = self.parents.get(node)
        while parent is not None:
            found.append(parent)
            parent = self.parents.get(parent)
        return found

    def ancestors_in_function(self, node: ast.AST) -> list[ast.AST]:
        """The node's ancestors, innermost first, up to (not including) the nearest def or lambda."""
        found = []
        parent = self.parents.get(node)
        while parent is not None and not isinstance(parent, CODE_BOUNDARIES):
            found.append(parent)
            parent = self.parents.get(parent)
        return found

    def enclosing_function(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | None:
        """The innermost function whose body holds the node (decorators and defaults are outside it)."""
        child, parent = node, self.parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.Lambda) and child is parent.body:
                return parent
            if isinstance(parent, FUNCTION_TYPES) and not in_function_head(child, parent):
                return parent
            child, parent = parent, self.parents.get(parent)
        return None

    def enclosing_class(self, node: ast.AST) -> ast.ClassDef | None:
        """The class whose body directly holds the node, or holds the method whose body holds it."""
        function = self.enclosing_function(node)
        holder = self.parents.get(function) if function is not None else self.parents.get(node)
        while holder is not None and not isinstance(holder, (ast.ClassDef, ast.Module, *CODE_BOUNDARIES)):
            holder = self.parents.get(holder)
        return holder if isinstance(holder, ast.ClassDef) else None

    def in_async_function(self, node: ast.AST) -> bool:
        """Whether the innermost function around the node is an `async def` (a nested sync def is not)."""
        return isinstance(self.enclosing_function(node), ast.AsyncFunctionDef)

    def in_annotation(self, node: ast.AST) -> bool:
        """Whether the node is anywhere inside a parameter, return or variable annotation, values included.

        Syntax only: the `Field(...)` in `Annotated[str, Field(...)]` is inside an annotation. Whether a
        node stands for a type is `ctx.in_type_position(node)` (see `context/annotations.py`).
        """
        child, parent = node, self.parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.arg):
                return child is parent.annotation
            if isinstance(parent, FUNCTION_TYPES):
                return child is parent.returns
            if isinstance(parent, ast.AnnAssign):
                return child is parent.annotation
            if isinstance(parent, ast.stmt | ast.Lambda | ast.arguments):
                return False
            child, parent = parent, self.parents.get(parent)
        return False
