"""The fixes HR101 and HR102 share: `Optional[X]` as `X | None`, `Union[X, Y]` as `X | Y`.

Each member keeps its exact source text (a string member where annotations are deferred loses its quotes,
as the rules' messages say). The union is parenthesised where a bare `|` would bind differently (as the
object of an attribute, a call, a subscript, an operator), and no fix is offered when a comment sits inside
the brackets outside the members (it would be lost).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.fixes import edits
from flake8_house_rules.fixes.model import Fix

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: Parents in which `X | Y` needs no parentheses (as the node they hold).
BARE_PARENTS = (ast.arg, ast.AnnAssign, ast.FunctionDef, ast.AsyncFunctionDef, ast.Tuple, ast.List, ast.Assign)


def union_fix(
    ctx: ModuleContext, subscript: ast.Subscript, members: list[ast.expr], message: str, extra: tuple[str, ...] = ()
) -> Fix | None:
    """The fix replacing a subscript with the `|` union of its members (then `extra`), or `None` when it
    cannot be exact.
    """
    positions = ctx.type_positions
    texts = []
    for member in members:
        if isinstance(member, ast.Constant) and isinstance(member.value, str):
            text = " ".join(member.value.split())
        else:
            text = edits.text_of(ctx, member)
        if text is None:
            return None
        texts.append(text)
    texts.extend(extra)
    whole = edits.text_of(ctx, subscript)
    if whole is None or ("#" in whole and not _comments_inside(whole, texts)):
        return None
    union = " | ".join(texts)
    if "\n" in union or _needs_parentheses(positions.parent(subscript), subscript):
        union = f"({union})"
    edit = edits.replace(ctx, subscript, union)
    return None if edit is None else Fix.safe(message, edit)


def _comments_inside(whole: str, texts: list[str]) -> bool:
    """Whether every `#` of the subscript's text is inside the members' texts (kept with them)."""
    return whole.count("#") == sum(text.count("#") for text in texts)  # `extra` holds no `#`


def _needs_parentheses(parent: ast.AST | None, node: ast.AST) -> bool:
    if parent is None or isinstance(parent, BARE_PARENTS):
        return False
    if isinstance(parent, ast.Subscript):
        return parent.slice is not node
    if isinstance(parent, ast.BinOp):
        return not isinstance(parent.op, ast.BitOr)
    if isinstance(parent, ast.keyword | ast.Return):
        return False
    if isinstance(parent, ast.Call):
        return parent.func is node
    return True
