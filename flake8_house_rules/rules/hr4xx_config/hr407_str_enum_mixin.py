"""HR407 str-enum-mixin."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.fixes import Fix, edits
from flake8_house_rules.rule import Example, FixExample, Rule

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

ENUM = frozenset({"enum.Enum"})


class StrEnumMixin(Rule):
    """## What it does
    Checks for an enum declared as `class X(str, Enum)` (the builtin `str` and `enum.Enum`, in either order)
    when the target Python is 3.11 or later, where `enum.StrEnum` exists. A `str` or `Enum` that is not the
    builtin or not `enum.Enum` (a local class called `str`, an `Enum` from another package) is not reported,
    nor is a class under an `if sys.version_info ...:` guard (a `StrEnum` fallback for older Pythons).
    An enum without members is not reported either: one whose body assigns only lambdas (open-webui's
    `class MESSAGES(str, Enum)` of message templates, `DEFAULT = lambda msg="": ...`; a function is a
    descriptor, not a member) has no member whose formatting could change. An enum with no body but
    methods is still reported: it is a base whose subclasses' members format as `X.MEMBER`.

    ## Why is this bad?
    `class X(str, Enum)` formats as `X.MEMBER` in f-strings and `format()` since Python 3.11, not as its
    value, so a member written into a message, a URL or a SQL string silently changes meaning. `StrEnum`
    members are strings that format as their value. Style guide 003 (Pydantic Models (v2)): "Use `StrEnum`
    for JSON-safe enums".

    ## Example
    ```python
    class Color(str, Enum):
        RED = "red"
    ```

    Use instead:
    ```python
    class Color(StrEnum):
        RED = "red"
    ```
    """

    code = "HR407"
    name = "str-enum-mixin"
    message = "use `enum.StrEnum` instead of mixing `str` into `Enum`"
    fix = "safe"
    source = "003 Pydantic Models (v2)"
    min_target_version = (3, 11)
    valid = (
        # sqladmin: the fallback for Pythons before 3.11
        "import sys\nfrom enum import Enum\n\nif sys.version_info < (3, 11):\n\n    class StrEnum(str, Enum):\n"
        "        __str__ = str.__str__\nelse:\n    from enum import StrEnum\n",
        "from enum import StrEnum\n\nclass Color(StrEnum):\n    RED = 'red'\n",
        "from enum import Enum\n\nclass Color(Enum):\n    RED = 'red'\n",
        "from enum import Enum, IntEnum\n\nclass Level(int, Enum):\n    LOW = 1\n",
        Example(
            "from enum import Enum\n\nclass Color(str, Enum):\n    RED = 'red'\n", options={"hr-target-version": "3.10"}
        ),
        "from app.enums import Enum\n\nclass Color(str, Enum):\n    RED = 'red'\n",
        # open-webui: message templates, no members
        "from enum import Enum\n\nclass Messages(str, Enum):\n    DEFAULT = lambda msg='': f'{msg}'\n"
        "    ADDED = lambda model='': f'{model} added'\n",
    )
    invalid = (
        Example(
            "from enum import Enum\n\nclass Color(str, Enum):  # error: HR407\n    RED = 'red'\n",
            options={"hr-target-version": "3.12"},
        ),
        Example(
            "import enum\n\nclass Color(enum.Enum, str):  # error: HR407\n    RED = 'red'\n",
            options={"hr-target-version": "3.11"},
        ),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Modules that import `enum`, when the target Python has `StrEnum`."""
        return super().applies_to(ctx) and _imports_enum(ctx)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """Report `class X(str, Enum)`."""
        bases = node.bases
        if len(bases) < 2:
            return
        has_str = any(isinstance(base, ast.Name) and base.id == "str" and self.ctx.is_builtin(base) for base in bases)
        if (
            has_str
            and any(self.ctx.qualname(base) in ENUM for base in bases)
            and not _templates_only(node)
            and not self._version_guarded(node)
        ):
            self.report(node)

    def _version_guarded(self, node: ast.ClassDef) -> bool:
        """Whether the class sits under an `if sys.version_info ...:` (a fallback for Pythons without `StrEnum`)."""
        parent = self.ctx.parent(node)
        while parent is not None:
            if isinstance(parent, ast.If) and any(
                isinstance(item, ast.Attribute) and self.ctx.qualname(item) == "sys.version_info"
                for item in ast.walk(parent.test)
            ):
                return True
            parent = self.ctx.parent(parent)
        return False

    def fix_for(self, node: ast.AST | tuple[int, int]) -> Fix | None:
        """`(str, Enum)` becomes `(StrEnum)` (`enum.StrEnum` where the base was spelled `enum.Enum`); only for a
        class with exactly those two bases and no keywords.
        """
        if not isinstance(node, ast.ClassDef) or len(node.bases) != 2 or node.keywords:
            return None
        enum_base = next((base for base in node.bases if self.ctx.qualname(base) in ENUM), None)
        if enum_base is None:
            return None
        import_edit = None
        if isinstance(enum_base, ast.Attribute):
            owner = edits.text_of(self.ctx, enum_base.value)
            if owner is None:
                return None
            spelled = f"{owner}.StrEnum"
        else:
            found = edits.import_name(self.ctx, "enum", "StrEnum", node)
            if found is None:
                return None
            spelled, import_edit = found
        first, last = node.bases
        edit = edits.replace_span(self.ctx, first, last, spelled)
        if edit is None or "#" in edits.span_text(self.ctx, edit.start, edit.end):
            return None
        return Fix.safe("Derive from `StrEnum`", *([import_edit] if import_edit else []), edit)

    fixes = (
        FixExample(
            "from enum import Enum\n\nclass Color(str, Enum):  # error: HR407\n    RED = 'red'\n",
            "from enum import Enum, StrEnum\n\nclass Color(StrEnum):\n    RED = 'red'\n",
            options={"hr-target-version": "3.12"},
        ),
        FixExample(
            "import enum\n\nclass Color(enum.Enum, str):  # error: HR407\n    RED = 'red'\n",
            "import enum\n\nclass Color(enum.StrEnum):\n    RED = 'red'\n",
            options={"hr-target-version": "3.11"},
        ),
    )


def _templates_only(node: ast.ClassDef) -> bool:
    """Whether the enum's body assigns lambdas and no member (a value that is not a lambda, to a non-dunder).

    An empty `(str, Enum)` is still reported: it is a base whose subclasses' members format as `X.MEMBER`.
    """
    lambdas = False
    for statement in node.body:
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        else:
            continue
        if isinstance(value, ast.Lambda):
            lambdas = True
        elif any(not (isinstance(target, ast.Name) and target.id.startswith("__")) for target in targets):
            return False
    return lambdas


def _imports_enum(ctx: ModuleContext) -> bool:
    return ctx.derived(
        "enum.imported",
        lambda: any(
            origin == "enum" or origin.startswith("enum.")
            for origins in ctx.import_names.values()
            for origin in origins
        ),
    )
