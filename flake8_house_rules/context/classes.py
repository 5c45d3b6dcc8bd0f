"""Class facts: each class's bases, resolved through imports and, transitively, through the module's classes.

`ctx.classes.inherits(node, "pydantic.BaseModel")` is `True` for a model whose local base subclasses
`BaseModel`, `False` when every base is known and none leads there, and `None` (unknown) when some base
cannot be resolved: a library class (whose own bases are out of sight), a base from a module the project
cannot read, a call, or a name bound two ways. Rules treat unknown as "not proven" and stay silent.

A base is known when it resolves through an import (`pydantic.BaseModel`; `app.models.Base`, whose own
bases the project model reads from `app/models.py`, across modules, see `context/project.py`: a library
class's bases stay unknown), is a builtin (`Exception`, `object`: builtins end
the chain), or is a class of the same module (followed, with a guard against cycles). Subscripted bases
(`Generic[T]`, `RootModel[list[int]]`) count as their subscripted class.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

MAX_DEPTH = 50


@dataclass(frozen=True, slots=True)
class Ancestry:
    """What a class provably inherits from.

    `names`: the dotted names of every base reached through imports or builtins (`pydantic.BaseModel`,
    `builtins.Exception`), and the names of the module's own classes on the way (`AppError`); `classes`:
    those local classes; `complete`: whether every base on every path was resolved (else the class may
    inherit from anything besides).
    """

    names: frozenset[str]
    classes: tuple[ast.ClassDef, ...]
    complete: bool
    #: Summary flags of the project classes on the way in other modules (`c`: sets pydantic configuration,
    #: `t`: a SQLModel table, `x`: a starred base); see `context/summary.py`.
    flags: str = ""


class ClassHierarchy:
    """The module's classes and what each inherits from. Built on first use, once per module."""

    def __init__(self, ctx: ModuleContext) -> None:
        self.ctx = ctx
        self._ancestry: dict[ast.ClassDef, Ancestry] = {}

    def base_name(self, base: ast.expr) -> str | ast.ClassDef | None:
        """One base expression as a dotted name, a local class, or `None` when it cannot be resolved."""
        if isinstance(base, ast.Subscript):
            base = base.value
        qualname = self.ctx.qualname(base)
        if qualname is not None:
            return qualname
        if isinstance(base, ast.Name):
            bindings = self.ctx.lookup(base)
            if bindings is None:
                return None if self.ctx.star_import else f"builtins.{base.id}"
            if len(bindings) == 1 and bindings[0].kind == "class" and isinstance(bindings[0].node, ast.ClassDef):
                return bindings[0].node
        return None

    def ancestry(self, node: ast.ClassDef) -> Ancestry:
        """Everything the class inherits from, as far as the module shows (see `Ancestry`)."""
        found = self._ancestry.get(node)
        if found is None:
            found = self._ancestry[node] = self._collect(node)
        return found

    def _collect(self, node: ast.ClassDef) -> Ancestry:
        names: set[str] = set()
        classes: list[ast.ClassDef] = []
        flags = ""
        complete = True
        pending = [node]
        seen = {node}
        while pending and len(seen) < MAX_DEPTH:
            current = pending.pop()
            if any(keyword.arg is None for keyword in current.keywords):
                complete = False  # `class A(**bases)`: anything could come in
            for base in current.bases:
                if isinstance(base, ast.Starred):
                    complete = False
                    continue
                resolved = self.base_name(base)
                if resolved is None:
                    complete = False
                elif isinstance(resolved, str):
                    names.add(resolved)
                    if not resolved.startswith("builtins."):
                        found = self.ctx.in_project.ancestry(resolved)
                        if found is None:
                            complete = False  # a library class, or out of sight: its own bases are unknown
                        else:
                            names.update(found.names)
                            flags += found.flags
                            complete &= found.complete
                elif resolved not in seen:
                    seen.add(resolved)
                    names.add(resolved.name)
                    classes.append(resolved)
                    pending.append(resolved)
        return Ancestry(frozenset(names), tuple(classes), complete and not pending, "".join(sorted(set(flags))))

    def inherits(self, node: ast.ClassDef, *qualnames: str) -> bool | None:
        """Whether the class inherits from one of the dotted names: `True`, `False`, or `None` for unknown."""
        ancestry = self.ancestry(node)
        if not ancestry.names.isdisjoint(qualnames):
            return True
        return False if ancestry.complete else None

    def classes_inheriting(self, *qualnames: str) -> list[ast.ClassDef]:
        """The module's classes that provably inherit from one of the dotted names, in source order."""
        return [node for node in self.ctx.nodes_of(ast.ClassDef) if self.inherits(node, *qualnames)]
