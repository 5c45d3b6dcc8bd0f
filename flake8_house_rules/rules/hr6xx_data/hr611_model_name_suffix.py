"""HR611 model-name-suffix."""

from __future__ import annotations

import ast
import posixpath
import re
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

TYPE_MODULES = frozenset({"types.py", "schemas.py"})
PYDANTIC_MODELS = (
    "pydantic.BaseModel",
    "pydantic.main.BaseModel",
    "pydantic.RootModel",
    "pydantic.root_model.RootModel",
)


MAX_NODES = 100
TYPE_ALIAS: type | tuple[()] = getattr(ast, "TypeAlias", ())
WORDS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ModelNameSuffix(Rule):
    """## What it does
    Checks for a class in a `types.py` or `schemas.py` module that provably subclasses pydantic's
    `BaseModel` (directly, through `RootModel`, or through the module's own model classes) and whose name
    ends in none of `hr-model-suffixes` (default `Payload`, `Response`, `Params`, `Filter`, `Base`). A class
    whose bases come from another module of the project is not known to be a model and is not reported;
    enums and plain classes are not models. A model used as the type of a field of a class in the module
    (`primary: RgbColor` in `ThemeResponse`), directly or through a module-level type alias
    (`content: list[ContentBlock]` with `ContentBlock = TextBlock | ToolUseBlock`), is a value type nested in
    another model, not an input or an output of its own, and is not reported.

    ## Why is this bad?
    The suffix tells what a model is for wherever it is used: what comes in (`Payload`), what goes out
    (`Response`), how a list is asked for (`Params`, `Filter`), and what is shared (`Base`). Style guide 002
    (Pydantic Models and Types): "Use descriptive names ending with "Payload" for input models", "Use
    descriptive names ending with "Response" for output models", and `ResourcePListParams`,
    `ResourceFilter` as the list and filter models.

    ## Example
    ```python
    # app/users/types.py
    class NewUser(BaseModel):
        email: str
    ```

    Use instead:
    ```python
    # app/users/types.py
    class UserCreatePayload(BaseModel):
        email: str
    ```
    """

    code = "HR611"
    name = "model-name-suffix"
    message = "end the model's name in `Payload`, `Response`, `Params`, `Filter` or `Base`"
    tier = "opt-in"
    source = "002 Pydantic Models and Types"
    options = ("hr-model-suffixes",)
    valid = (
        Example(
            "from pydantic import BaseModel\n\nclass UserBase(BaseModel): ...\n"
            "class UserCreatePayload(UserBase): ...\nclass UserResponse(UserBase): ...\n"
            "class UserPListParams(BaseModel): ...\nclass UserFilter(BaseModel): ...",
            path="app/users/types.py",
        ),
        Example("from pydantic import BaseModel\n\nclass NewUser(BaseModel): ...", path="app/users/models.py"),
        Example(
            "from enum import StrEnum\nfrom app.core.types import AppModel\n\nclass SortField(StrEnum): ...\n"
            "class NewUser(AppModel): ...",
            path="app/users/schemas.py",
        ),
        Example(
            "from pydantic import BaseModel\n\nclass NewUserDTO(BaseModel): ...",
            path="app/users/types.py",
            options={"hr-model-suffixes": "DTO"},
        ),
        # a value type nested in another model
        Example(
            "from pydantic import BaseModel, Field\n\nclass RgbColor(BaseModel):\n"
            "    red: int = Field(description='Red, 0-255')\n\nclass ThemeResponse(BaseModel):\n"
            "    primary: RgbColor = Field(description='Primary colour')\n    accents: 'list[RgbColor]'",
            path="app/types.py",
        ),
        Example(
            "from typing import Union\nfrom pydantic import BaseModel\n\nclass TextBlock(BaseModel): ...\n"
            "class ToolUseBlock(BaseModel): ...\nclass LeafResult(BaseModel): ...\n\n"
            "ContentBlock = TextBlock | ToolUseBlock\nResult = Union[LeafResult, 'GroupResponse']\n\n"
            "class MessageResponse(BaseModel):\n    content: str | list[ContentBlock]\n\n"
            "class GroupResponse(BaseModel):\n    results: list[Result]",
            path="app/assistant/types.py",
        ),
        Example(
            "from pydantic import BaseModel\n\nclass TextBlock(BaseModel): ...\n\n"
            "type ContentBlock = TextBlock | str\n\nclass MessageResponse(BaseModel):\n"
            "    content: list[ContentBlock]",
            path="app/assistant/types.py",
            python=(3, 12),
        ),
    )
    invalid = (
        Example(
            "from pydantic import BaseModel\n\nclass UserBase(BaseModel): ...\n"
            "class NewUser(UserBase):  # error: HR611\n    email: str",
            path="app/users/types.py",
        ),
        Example(
            "import pydantic\n\nclass Items(pydantic.RootModel[list[int]]): ...  # error: HR611",
            path="schemas.py",
        ),
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only `types.py` and `schemas.py` modules."""
        return ctx.path is not None and posixpath.basename(ctx.path) in TYPE_MODULES

    def start(self) -> None:
        """Per module: the names used in the field annotations of classes, found when first needed."""
        self._fields: set[str] | None = None

    def _field_types(self) -> set[str]:
        """Names in class-body annotations (`primary: RgbColor`, `items: list["Item"]`): a model used as a
        field's type is a value type inside another model, not an input or an output of its own.
        """
        if self._fields is None:
            found: set[str] = set()
            for statement in self.ctx.nodes_of(ast.AnnAssign):
                if isinstance(self.ctx.parent(statement), ast.ClassDef):
                    found.update(_annotation_names(statement.annotation))
            aliases = self._aliases()
            pending = [name for name in found if name in aliases]
            while pending:  # `content: list[ContentBlock]`, `ContentBlock = TextBlock | ImageBlock`
                for name in aliases.pop(pending.pop(), ()):
                    if name not in found:
                        found.add(name)
                        if name in aliases:
                            pending.append(name)
            self._fields = found
        return self._fields

    def _aliases(self) -> dict[str, set[str]]:
        """Module-level type aliases (`ContentBlock = TextBlock | ImageBlock`, `X: TypeAlias = ...`,
        `type X = ...`): the alias's name -> the names its value holds.
        """
        aliases: dict[str, set[str]] = {}
        for statement in self.ctx.tree.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target, value = statement.targets[0], statement.value
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                target, value = statement.target, statement.value
            elif isinstance(statement, TYPE_ALIAS):  # `type X = ...`, Python 3.12+
                target, value = statement.name, statement.value  # type: ignore[attr-defined] - 3.12's node
            else:
                continue
            if isinstance(target, ast.Name) and isinstance(value, ast.BinOp | ast.Subscript):
                aliases[target.id] = _annotation_names(value)
        return aliases

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """Report a pydantic model without a house suffix."""
        suffixes = self.ctx.config.model_suffixes
        if not suffixes or node.name.endswith(tuple(suffixes)):
            return
        if self.ctx.classes.inherits(node, *PYDANTIC_MODELS) and node.name not in self._field_types():
            joined = ", ".join(f"`{suffix}`" for suffix in suffixes)
            self.report(node, f"end the model's name `{node.name}` in one of {joined}")


def _annotation_names(annotation: ast.expr) -> set[str]:
    """The names an annotation holds (`list["Item"] | None` -> `list`, `Item`, `None`), at most `MAX_NODES` parts."""
    found: set[str] = set()
    pending: list[ast.AST] = [annotation]
    steps = 0
    while pending and steps < MAX_NODES:
        steps += 1
        part = pending.pop()
        if isinstance(part, ast.Name):
            found.add(part.id)
        elif isinstance(part, ast.Attribute):
            found.add(part.attr)
        elif isinstance(part, ast.Constant) and isinstance(part.value, str):
            found.update(WORDS.findall(part.value))
        elif isinstance(part, ast.Subscript):
            pending.extend((part.value, part.slice))
        elif isinstance(part, ast.Tuple | ast.List):
            pending.extend(part.elts)
        elif isinstance(part, ast.BinOp):
            pending.extend((part.left, part.right))
    return found
