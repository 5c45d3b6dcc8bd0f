"""Facts the HR6xx rules share: public methods of layer classes, decorators, and constants of SQL text."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.sqlalchemy import layer_of

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


def is_constant_name(name: str) -> bool:
    """Whether a name is spelled as a constant (`DEFAULT_WORKSPACE`, `MAX_ROWS`): PEP 8's UPPER_SNAKE_CASE."""
    return len(name) > 1 and name.isupper() and not name.startswith("__")


def single_layer(ctx: ModuleContext) -> str | None:
    """The module's one layer (`store`, `service`, `router`), or `None` when its roles give none or several:
    a module whose path matches two layers (`app/api/users_store.py`) is ambiguous, and no layer rule
    checks it. A test module has no layer, whatever its path says (`tests/services/test_registry.py`).
    """
    if ctx.is_test_module():
        return None
    return layer_of(ctx.roles)
