"""What counts as an interpolated log message, shared by HR302 and HR306."""

from __future__ import annotations

import ast


def interpolation_kind(expr: ast.expr) -> str | None:
    """`f-string`, `%`, `.format()` or `+` when the message is built by formatting; `None` otherwise.

    An f-string without placeholders and `+` between plain string literals build nothing at run time,
    so they are not interpolation.
    """
    if isinstance(expr, ast.JoinedStr):
        return "f-string" if any(isinstance(part, ast.FormattedValue) for part in expr.values) else None
    if isinstance(expr, ast.BinOp):
        if isinstance(expr.op, ast.Mod) and _is_text(expr.left):
            return "%"
        if isinstance(expr.op, ast.Add) and (_is_text(expr.left) or _is_text(expr.right)):
            both_literal = _is_literal(expr.left) and _is_literal(expr.right)
            return None if both_literal else "+"
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "format"
        and _is_text(expr.func.value)
    ):
        return ".format()"
    return None


def _is_text(expr: ast.expr) -> bool:
    """Whether an expression is a string: a literal, an f-string, or `+`/`%` with a string on the left."""
    while isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add | ast.Mod):
        expr = expr.left
    return isinstance(expr, ast.JoinedStr) or (isinstance(expr, ast.Constant) and isinstance(expr.value, str))


def _is_literal(expr: ast.expr) -> bool:
    """Whether an expression is built from constants only (iteratively: chains can be very long)."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.BinOp):
            stack.extend((node.left, node.right))
        elif not isinstance(node, ast.Constant):
            return False
    return True
