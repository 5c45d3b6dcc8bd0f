"""HR405 mutable-field-default."""

from __future__ import annotations

import ast

from flake8_house_rules.context.pydantic import FIELD_FUNCTIONS
from flake8_house_rules.fixes import Fix, edits
from flake8_house_rules.rule import FixExample
from flake8_house_rules.rules.hr4xx_config.common import V2ModelRule

MUTABLE_CALLS = frozenset(
    {
        "builtins.list",
        "builtins.dict",
        "builtins.set",
        "collections.defaultdict",
        "collections.OrderedDict",
        "collections.deque",
        "collections.Counter",
    }
)
MUTABLE_LITERALS = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)


class MutableFieldDefault(V2ModelRule):
    """## What it does
    Checks for a field of a pydantic model or settings class whose default is mutable: a list, dict or set
    literal (or comprehension), or a call of `list()`, `dict()`, `set()` or a `collections` container,
    given directly (`tags: list[str] = []`) or through `Field(default=...)` / `Field([...])`. Reported at
    the field's line.

    Left alone: a `Final[...]` attribute, which pydantic (2.11+) leaves out of the fields like a `ClassVar`;
    and models built on `pydantic.v1`, which HR406 and HR409 also treat as deliberately v1 (that API's own
    copying rules apply, and the rule does not second-guess a file kept on it).

    So are modules written for pydantic 1 on purpose, as HR406 and HR409 read them: those of a project
    whose nearest pyproject.toml keeps pydantic below 2 (`pydantic~=1.10`: lnbits), and those importing
    `pydantic.BaseSettings`.

    ## Why is this bad?
    pydantic copies such a default for each instance, but the same spelling on a dataclass or a plain class
    shares one object between every instance, and a reader has to know which case applies. `default_factory`
    says what is meant everywhere. Style guide 003 (Configuration): "NEVER: Mutable default values in
    Field()"; (Pydantic Models): "Use `default_factory` for mutable defaults".

    ## Example
    ```python
    class ItemPayload(BaseModel):
        tags: list[str] = Field(default=[], description="Labels")
    ```

    Use instead:
    ```python
    class ItemPayload(BaseModel):
        tags: list[str] = Field(default_factory=list, description="Labels")
    ```
    """

    code = "HR405"
    name = "mutable-field-default"
    message = "use `Field(default_factory=...)` instead of a mutable default"
    fix = "safe"
    source = "003 Configuration (NEVER list); 003 Pydantic Models (v2)"
    valid = (
        "from pydantic import BaseModel, Field\n\nclass ItemPayload(BaseModel):\n"
        "    tags: list[str] = Field(default_factory=list)\n    sizes: tuple[int, ...] = ()\n"
        "    name: str = Field('item')\n",
        "from dataclasses import dataclass, field\n\n@dataclass\nclass Item:\n"
        "    tags: list[str] = field(default_factory=list)\n",
        "from typing import ClassVar\nfrom pydantic import BaseModel\n\nclass Item(BaseModel):\n"
        "    registry: ClassVar[dict[str, int]] = {}\n    _seen: set[str] = set()\n",
        "from app.base import Base\n\nclass Item(Base):\n    tags: list[str] = []\n",
        "from typing import Final\nfrom pydantic import BaseModel\n\nclass Limits(BaseModel):\n"
        "    defaults: Final[list[int]] = []\n    other: Final = {}\n",
        "from pydantic.v1 import BaseModel\n\nclass Item(BaseModel):\n    tags: list[str] = []\n",
    )
    invalid = (
        "from pydantic import BaseModel, Field\n\nclass ItemPayload(BaseModel):\n"
        "    tags: list[str] = []  # error: HR405\n"
        "    meta: dict[str, str] = Field(default={}, description='Metadata')  # error: HR405\n"
        "    ids: set[int] = Field(set())  # error: HR405\n",
        "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n"
        "    origins: list[str] = ['http://localhost:3000']  # error: HR405\n",
    )

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """Report each field whose default is mutable."""
        model = self.model_of(node)
        if model is None:
            return
        for field in model.fields:
            if self._final(field.annotation):
                continue
            default = field.default
            if isinstance(default, ast.Call) and self.ctx.call_name(default) in FIELD_FUNCTIONS:
                default = _field_default(default)
            if default is not None and self._is_mutable(default):
                self.report(field.node)

    def _final(self, annotation: ast.expr) -> bool:
        """`Final` or `Final[...]`: a class variable to pydantic, not a field."""
        if isinstance(annotation, ast.Subscript):
            annotation = annotation.value
        return self.ctx.qualname(annotation) == "typing.Final"

    def _is_mutable(self, value: ast.expr) -> bool:
        if isinstance(value, MUTABLE_LITERALS):
            return True
        return isinstance(value, ast.Call) and self.ctx.call_name(value) in MUTABLE_CALLS

    def fix_for(self, node: ast.AST | tuple[int, int]) -> Fix | None:
        """The mutable default becomes `default_factory`: `= []` as `= Field(default_factory=list)`, `Field(default={})`
        as `Field(default_factory=dict)`; a non-empty literal of constants as `default_factory=lambda: [...]`.
        """
        if not isinstance(node, ast.AnnAssign) or node.value is None:
            return None
        value = node.value
        if isinstance(value, ast.Call) and self.ctx.call_name(value) in FIELD_FUNCTIONS:
            default = _field_default(value)
            if default is None:
                return None
            factory = self._factory(default)
            if factory is None:
                return None
            keyword = next((item for item in value.keywords if item.arg == "default"), None)
            edit = edits.replace(self.ctx, keyword or default, f"default_factory={factory}")
            return None if edit is None else Fix.safe("Use `default_factory`", edit)
        factory = self._factory(value)
        if factory is None:
            return None
        spelled = edits.import_name(self.ctx, "pydantic", "Field", node)
        if spelled is None:
            return None
        name, import_edit = spelled
        edit = edits.replace(self.ctx, value, f"{name}(default_factory={factory})")
        if edit is None:
            return None
        return Fix.safe("Use `Field(default_factory=...)`", *([import_edit] if import_edit else []), edit)

    def _factory(self, value: ast.expr) -> str | None:
        """`list`/`dict`/`set` for an empty literal or call, `lambda: <literal>` for a literal of constants."""
        kinds = {ast.List: "list", ast.Dict: "dict", ast.Set: "set"}
        empty = (isinstance(value, ast.List | ast.Set) and not value.elts) or (
            isinstance(value, ast.Dict) and not value.keys
        )
        if empty:
            return kinds[type(value)]
        if isinstance(value, ast.Call) and not value.args and not value.keywords:
            name = self.ctx.call_name(value) or ""
            if name in {"builtins.list", "builtins.dict", "builtins.set"}:
                return name.removeprefix("builtins.")
            return None
        if isinstance(value, ast.List | ast.Dict | ast.Set) and _constant_literal(value):
            text = edits.text_of(self.ctx, value)
            return None if text is None or "#" in text else f"lambda: {text}"
        return None

    fixes = (
        FixExample(
            "from pydantic import BaseModel, Field\n\nclass ItemPayload(BaseModel):\n"
            "    tags: list[str] = []  # error: HR405\n"
            "    meta: dict[str, str] = Field(default={}, description='Metadata')  # error: HR405\n"
            "    ids: set[int] = Field(set())  # error: HR405\n",
            "from pydantic import BaseModel, Field\n\nclass ItemPayload(BaseModel):\n"
            "    tags: list[str] = Field(default_factory=list)\n"
            "    meta: dict[str, str] = Field(default_factory=dict, description='Metadata')\n"
            "    ids: set[int] = Field(default_factory=set)\n",
        ),
        FixExample(
            "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n"
            "    origins: list[str] = ['http://localhost:3000']  # error: HR405\n",
            "from pydantic import Field\nfrom pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n"
            "    origins: list[str] = Field(default_factory=lambda: ['http://localhost:3000'])\n",
        ),
    )


def _field_default(call: ast.Call) -> ast.expr | None:
    """The default a `Field(...)` call gives: its first argument or `default=`."""
    for keyword in call.keywords:
        if keyword.arg == "default":
            return keyword.value
    return call.args[0] if call.args else None


def _constant_literal(value: ast.expr) -> bool:
    """Whether a literal holds only constants and literals of constants (a lambda returning it sees no names)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Constant):
            continue
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            stack.extend(node.elts)
        elif isinstance(node, ast.Dict) and all(key is not None for key in node.keys):
            stack.extend(key for key in node.keys if key is not None)
            stack.extend(node.values)
        else:
            return False
    return True
