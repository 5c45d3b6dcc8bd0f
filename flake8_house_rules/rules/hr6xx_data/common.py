"""Facts the HR6xx rules share: public methods of layer classes, and SQL text built by string formatting."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: Dialect quoting helpers (`dialect.identifier_preparer.quote(name)`): what they return is a quoted identifier.
QUOTERS = frozenset({"quote", "quote_identifier", "quote_schema", "format_table", "format_column"})
#: Functions whose result can only be a number (or a bool): nothing to inject.
NUMERIC_CALLS = frozenset(
    {f"builtins.{name}" for name in ("int", "float", "len", "bool", "round", "abs", "max", "min")}
    | {"math.ceil", "math.floor", "math.trunc"}
)
#: Attributes that are constants of a model class (`User.__tablename__`).
CONSTANT_ATTRIBUTES = frozenset({"__tablename__"})
MAX_DEPTH = 3
MAX_PARTS = 500


def public_method_class(ctx: ModuleContext, node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.ClassDef | None:
    """The class of a public method: a def whose name does not start with `_`, directly in the body of a
    class whose name does not start with `_` either (a private class's methods are no public API).
    """
    if node.name.startswith("_"):
        return None
    parent = ctx.parent(node)
    if not isinstance(parent, ast.ClassDef) or parent.name.startswith("_"):
        return None
    return parent


def decorator_names(ctx: ModuleContext, node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The decorators of a def by resolved name (`typing.override`), or by spelling for builtins and locals."""
    found = set()
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        qualname = ctx.qualname(target)
        if qualname is not None:
            found.add(qualname)
        elif isinstance(target, ast.Name):
            found.add(target.id)
        elif isinstance(target, ast.Attribute):
            found.add(target.attr)
    return found


def is_text(expr: ast.expr) -> bool:
    """Whether an expression is a string: a literal, an f-string, or `+`/`%` with a string on the left."""
    steps = 0
    while isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add | ast.Mod) and steps < MAX_PARTS:
        expr = expr.left
        steps += 1
    return isinstance(expr, ast.JoinedStr) or (isinstance(expr, ast.Constant) and isinstance(expr.value, str))


def is_safe_value(ctx: ModuleContext, expr: ast.expr, depth: int = 0, itself: str = "") -> bool:
    """Whether a value put into SQL text cannot carry input: a constant, a name bound once to a constant,
    a number (`int(x)`, `len(x)`), a model's `__tablename__`, or an identifier quoted by the dialect's
    quoting helper (`dialect.identifier_preparer.quote(name)`).

    `itself` is the variable being built (`sql = sql + " AND x = :x"`): its other bindings are checked
    on their own, so here it counts as safe.
    """
    if isinstance(expr, ast.Constant):
        return True
    if isinstance(expr, ast.Name):
        if expr.id == itself or is_constant_name(expr.id):
            return True
        if depth >= MAX_DEPTH:
            return False
        if _iterates_constants(ctx, expr):
            return True
        value = ctx.assigned_value(expr)
        return value is not None and value is not expr and is_safe_value(ctx, value, depth + 1)
    if isinstance(expr, ast.Attribute):
        return expr.attr in CONSTANT_ATTRIBUTES or _names_constant(expr)
    if isinstance(expr, ast.Call):
        func = expr.func
        if isinstance(func, ast.Attribute) and func.attr in QUOTERS:
            return ctx.qualname(func) is None  # a method of a preparer, not `shlex.quote` or `urllib.parse.quote`
        return ctx.call_name(expr) in NUMERIC_CALLS
    if isinstance(expr, ast.JoinedStr) and depth < MAX_DEPTH:
        return all(
            is_safe_value(ctx, part.value, depth + 1, itself)
            for part in expr.values
            if isinstance(part, ast.FormattedValue)
        )
    return False


def is_constant_name(name: str) -> bool:
    """Whether a name is spelled as a constant (`DEFAULT_WORKSPACE`, `MAX_ROWS`): PEP 8's UPPER_SNAKE_CASE."""
    return len(name) > 1 and name.isupper() and not name.startswith("__")


def _names_constant(expr: ast.Attribute) -> bool:
    """Whether an attribute chain goes through a constant or an enum member (`Status.ACTIVE.value`)."""
    node: ast.expr = expr
    steps = 0
    while isinstance(node, ast.Attribute) and steps < MAX_PARTS:
        if is_constant_name(node.attr):
            return True
        node = node.value
        steps += 1
    return isinstance(node, ast.Name) and is_constant_name(node.id)


def _iterates_constants(ctx: ModuleContext, name: ast.Name) -> bool:
    """Whether the name is only bound as the target of loops over constants (`for table in TABLES:`,
    `for col in ("a", "b"):`).
    """
    bindings = ctx.lookup(name)
    if not bindings:
        return False
    for binding in bindings:
        loop = ctx.parent(binding.node)
        if not isinstance(loop, ast.For | ast.AsyncFor | ast.comprehension) or loop.target is not binding.node:
            return False
        source = loop.iter
        if isinstance(source, ast.Name) and is_constant_name(source.id):
            continue
        if isinstance(source, ast.Tuple | ast.List | ast.Set) and all(
            isinstance(item, ast.Constant) for item in source.elts
        ):
            continue
        return False
    return True


def formatting_kind(ctx: ModuleContext, expr: ast.expr, itself: str = "") -> str | None:
    """`f-string`, `%`, `.format()` or `+` when the expression builds text by formatting a value that is not
    provably safe (see `is_safe_value`); `None` for constants and for formatting of safe values only.
    """
    if isinstance(expr, ast.JoinedStr):
        return None if is_safe_value(ctx, expr, itself=itself) else "f-string"
    if isinstance(expr, ast.BinOp):
        if isinstance(expr.op, ast.Mod) and is_text(expr.left):
            right = expr.right
            values = right.elts if isinstance(right, ast.Tuple) else [right]
            if isinstance(right, ast.Dict):
                values = [value for value in right.values if value is not None]
            parts = [expr.left, *values]
            return None if all(is_safe_value(ctx, part, itself=itself) for part in parts) else "%"
        if isinstance(expr.op, ast.Add):
            parts = _added(expr)
            if not any(_is_text_part(part) for part in parts):
                return None
            return None if all(is_safe_value(ctx, part, itself=itself) for part in parts) else "+"
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "format"
        and _is_template(ctx, expr.func.value)
    ):
        values = [*expr.args, *(keyword.value for keyword in expr.keywords)]
        return None if all(is_safe_value(ctx, value, itself=itself) for value in values) else ".format()"
    return None


def _is_text_part(expr: ast.expr) -> bool:
    return isinstance(expr, ast.JoinedStr) or (isinstance(expr, ast.Constant) and isinstance(expr.value, str))


def _is_template(ctx: ModuleContext, expr: ast.expr) -> bool:
    """A string literal, or a name bound once to one (`QUERY = "SELECT ... {table}"`)."""
    if isinstance(expr, ast.Name):
        value = ctx.assigned_value(expr)
        return isinstance(value, ast.Constant) and isinstance(value.value, str)
    return is_text(expr)


def _added(expr: ast.BinOp) -> list[ast.expr]:
    """The operands of a chain of `+` (iteratively: chains can be very long)."""
    parts: list[ast.expr] = []
    stack: list[ast.expr] = [expr]
    while stack and len(parts) < MAX_PARTS:
        node = stack.pop()
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            stack.extend((node.right, node.left))
        else:
            parts.append(node)
    return parts if not stack else [*parts, *stack]


def sql_formatting(ctx: ModuleContext, expr: ast.expr, call: ast.Call) -> str | None:
    """How the SQL text passed to a call is built by formatting, directly or through a variable that the
    same function binds by formatting (`sql = f"...{name}"`, `sql += f"...{name}"`); `None` otherwise.
    """
    direct = formatting_kind(ctx, expr)
    if direct is not None or not isinstance(expr, ast.Name):
        return direct
    function = ctx.enclosing_function(call)
    if function is None:
        return None
    for binding in ctx.lookup(expr) or ():
        if binding.kind != "assign" or binding.scope.function_scope().node is not function:
            continue
        parent = ctx.parent(binding.node)
        if isinstance(parent, ast.AugAssign) and isinstance(parent.op, ast.Add) and parent.target is binding.node:
            value = parent.value
            if isinstance(value, ast.BinOp | ast.JoinedStr | ast.Call):
                found = formatting_kind(ctx, value, itself=expr.id)
            else:
                found = None if is_safe_value(ctx, value, itself=expr.id) else "+"
            if found is not None:
                return found
        elif binding.value is not None and (found := formatting_kind(ctx, binding.value, itself=expr.id)):
            return found
    return None
