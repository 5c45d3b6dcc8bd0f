"""Per-module facts, computed once and shared by every rule: the package behind `ModuleContext`.

Each file holds one kind of fact:

- `walk.py`: the one walk of the tree (nodes by type, parents, scopes and bindings);
- `resolve.py`: name resolution through imports and scopes, each node resolved once per module;
- `surroundings.py`: a node's parent, ancestors, enclosing function or class, annotation position;
- `text.py`: source segments and comments (tokenized only when a rule asks);
- `classes.py`: each class's bases, resolved transitively (`ctx.classes.inherits(node, "pydantic.BaseModel")`);
- `annotations.py`: which parts of annotations are types, and string annotations parsed
  (`ctx.type_positions`, `ctx.in_type_position(node)`);
- further facts (frameworks, models, sessions, ...) live in files of their own and are asked for with
  `ctx.fact(Kind)`: a fact is a class whose constructor takes the context; it is built the first time a rule
  asks for it in a module, and shared by every rule after that.

The module's path, its roles (`test`, `settings`, `store`, `service`, `router` from the path options, the
layer roles kept only on evidence in the module's content, see `roles.py`; `migration` from
`alembic/versions/`, `migrations/versions/` or an `alembic.op` import) and its target Python version are
plain attributes, computed with the walk. `ctx.in_project` (`project.py`) answers what an imported name is
in the other modules of the project.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flake8_house_rules.context.annotations import TypePositions
    from flake8_house_rules.context.classes import Ancestry, ClassHierarchy
    from flake8_house_rules.context.module import ModuleContext
    from flake8_house_rules.context.resolve import BUILTIN_NAMES
    from flake8_house_rules.context.text import find_comment
    from flake8_house_rules.context.walk import (
        CODE_BOUNDARIES,
        FUNCTION_TYPES,
        Binding,
        Scope,
        all_args,
        canonical_module,
        imported_modules,
    )

__all__ = [
    "BUILTIN_NAMES",
    "CODE_BOUNDARIES",
    "FUNCTION_TYPES",
    "Ancestry",
    "Binding",
    "ClassHierarchy",
    "ModuleContext",
    "Scope",
    "TypePositions",
    "all_args",
    "canonical_module",
    "find_comment",
    "imported_modules",
]

#: Where each name lives. A name is imported from its module when first asked (PEP 562): a run that only
#: reads the on-disk caches (`summary_cache.py`, a cached `house-rules check`) never loads the whole package.
_HOMES = {
    "BUILTIN_NAMES": "resolve",
    "CODE_BOUNDARIES": "walk",
    "FUNCTION_TYPES": "walk",
    "Ancestry": "classes",
    "Binding": "walk",
    "ClassHierarchy": "classes",
    "ModuleContext": "module",
    "Scope": "walk",
    "TypePositions": "annotations",
    "all_args": "walk",
    "canonical_module": "walk",
    "find_comment": "text",
    "imported_modules": "walk",
}


def __getattr__(name: str) -> Any:  # Any: a class, a function or a constant of the package
    """The package's names, imported from their modules on first use."""
    home = _HOMES.get(name)
    if home is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
