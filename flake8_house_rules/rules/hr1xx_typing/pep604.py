"""When `Optional[X]` and `Union[X, Y]` can be written `X | None` and `X | Y` without breaking at run time.

Shared by HR101 and HR102. `X | Y` is evaluated where the annotation is evaluated: always outside
annotations (`Value = Union[int, str]`), and in annotations unless the module has `from __future__ import
annotations`, the target is Python 3.14 or later (PEP 649), or the annotation is a string. Even a deferred
annotation is evaluated later by whoever reads it (`typing.get_type_hints`, pydantic, FastAPI, typer), so
a member is spelled with `|` only where the result works at run time on every Python from 3.10 on:

- a string member (`Optional["User"]`) has no `|` spelling where it is evaluated (`"User" | None` raises
  `TypeError`); where it is deferred the spelling drops the quotes (`User | None`);
- `typing.NamedTuple` and `typing.TypedDict` are functions, not types: `NamedTuple | None` raises;
- a starred member (`Union[*Ts]`), a `TypeVarTuple`, and a member that may hold several types at run time
  (a parameter or a name bound to a tuple: `Union[types]`) have no `|` spelling;
- `None | None` raises, so `Optional[None]` and a union whose first two members are `None` are left alone;
- anything that is not a type expression (a call, a lambda, a slice, a nested tuple) is left alone.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.annotations import parse_annotation

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext, TypePositions

NO_PIPE = frozenset({"typing.NamedTuple", "typing.TypedDict"})
TUPLE_VALUES = (ast.Tuple, ast.List, ast.Set, ast.ListComp, ast.SetComp, ast.GeneratorExp)
UNKNOWN = ""


def spell_members(ctx: ModuleContext, members: list[ast.expr], subscript: ast.Subscript) -> list[str] | None:
    """How each member of `Optional[...]`/`Union[...]` is written in an `X | Y` union, or `None` when some
    member has no spelling that works at run time. A member too long to show is `""`.
    """
    positions = ctx.type_positions
    deferred = positions.is_deferred(subscript)
    if not members:
        return None
    spelled: list[str] = []
    for member in members:
        text = _spell(ctx, positions, member, deferred=deferred)
        if text is None:
            return None
        spelled.append(text)
    nones = [isinstance(member, ast.Constant) and member.value is None for member in members]
    if all(nones) or nones[:2] == [True, True]:
        return None
    return spelled


def _spell(ctx: ModuleContext, positions: TypePositions, member: ast.expr, *, deferred: bool) -> str | None:
    if isinstance(member, ast.Constant):
        if member.value is None:
            return "None"
        if not isinstance(member.value, str) or not deferred:
            return None
        parsed = parse_annotation(member.value)
        return None if parsed is None else " ".join(member.value.split())
    if isinstance(member, ast.BinOp):
        if not isinstance(member.op, ast.BitOr):
            return None
    elif isinstance(member, ast.Name | ast.Attribute):
        if positions.qualname(member) in NO_PIPE or _may_hold_several(ctx, positions, member):
            return None
    elif not isinstance(member, ast.Subscript):
        return None
    return positions.segment(member) or UNKNOWN


def _may_hold_several(ctx: ModuleContext, positions: TypePositions, member: ast.Name | ast.Attribute) -> bool:
    """A parameter, a name bound to a tuple or list of types, or a `TypeVarTuple`: not one type."""
    if not isinstance(member, ast.Name) or positions.is_parsed(member):
        return False
    for binding in ctx.lookup(member) or ():
        if binding.kind == "param":
            return True
        value = binding.value
        if isinstance(value, TUPLE_VALUES):
            return True
        if isinstance(value, ast.Call) and ctx.call_name(value) in {"typing.TypeVarTuple", "builtins.tuple"}:
            return True
    return False


def members_of(subscript: ast.Subscript) -> list[ast.expr]:
    """The members of `Union[...]`: the elements of a tuple slice, else the slice itself."""
    inner = subscript.slice
    return list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
