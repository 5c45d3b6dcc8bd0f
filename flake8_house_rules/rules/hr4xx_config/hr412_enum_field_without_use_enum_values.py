"""HR412 enum-field-without-use-enum-values."""

from __future__ import annotations

import ast

from flake8_house_rules.context.pydantic import PydanticModels, unwrap_optional
from flake8_house_rules.rules.hr4xx_config.common import ModelRule


class EnumFieldWithoutUseEnumValues(ModelRule):
    """## What it does
    Checks for a pydantic model with a field typed with one of the module's enum classes (a class that
    provably inherits from `enum.Enum`, `StrEnum`, `IntEnum`, `Flag` or `IntFlag`; also as `X | None`,
    `Optional[X]` or `Annotated[X, ...]`) whose configuration (merged over the module's own base models) does
    not set `use_enum_values=True`. Reported at the `class` line, naming the first such field.

    Narrower than the catalogue, for precision: an enum imported from another module is not known to be an
    enum and does not count, nor do containers of enums (`list[Color]`); when the configuration cannot be
    read (`model_config = BASE_CONFIG`, a base imported from elsewhere), the rule stays silent.

    ## Why is this bad?
    Without `use_enum_values`, the model holds enum members: `model_dump()` returns `Color.RED` where the
    database, the cache or the next service expects `"red"`. Style guide 003 (Pydantic Models (v2)):
    "ALWAYS: Use `ConfigDict(use_enum_values=True)`".

    ## Example
    ```python
    class Item(BaseModel):
        color: Color
    ```

    Use instead:
    ```python
    class Item(BaseModel):
        model_config = ConfigDict(use_enum_values=True)

        color: Color
    ```
    """

    code = "HR412"
    name = "enum-field-without-use-enum-values"
    message = "set `model_config = ConfigDict(use_enum_values=True)` on a model with enum fields"
    tier = "opt-in"
    source = "003 Pydantic Models (v2) (ALWAYS list)"
    valid = (
        "from enum import StrEnum\nfrom pydantic import BaseModel, ConfigDict\n\nclass Color(StrEnum):\n"
        "    RED = 'red'\n\nclass Item(BaseModel):\n    model_config = ConfigDict(use_enum_values=True)\n"
        "    color: Color\n",
        "from enum import StrEnum\nfrom pydantic import BaseModel, ConfigDict\n\nclass Color(StrEnum):\n"
        "    RED = 'red'\n\nclass Base(BaseModel):\n    model_config = ConfigDict(use_enum_values=True)\n\n"
        "class Item(Base):\n    color: Color | None = None\n",
        "from pydantic import BaseModel\nfrom app.enums import Color\n\nclass Item(BaseModel):\n    color: Color\n",
        "from enum import Enum\nfrom pydantic import BaseModel\nfrom app.config import BASE\n\nclass Color(Enum):\n"
        "    RED = 'red'\n\nclass Item(BaseModel):\n    model_config = BASE\n    color: Color\n",
    )
    invalid = (
        "from enum import StrEnum\nfrom pydantic import BaseModel\n\nclass Color(StrEnum):\n    RED = 'red'\n\n"
        "class Item(BaseModel):  # error: HR412\n    name: str\n    color: Color\n",
        "import enum\nfrom typing import Optional\nfrom pydantic import BaseModel, ConfigDict\n\n"
        "class Status(enum.Enum):\n    ON = 1\n\nclass Job(BaseModel):  # error: HR412\n"
        "    model_config = ConfigDict(frozen=True)\n    status: Optional[Status] = None\n",
    )

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """Report a model with a local-enum field and no `use_enum_values=True`."""
        model = self.model_of(node)
        if model is None or not model.fields:
            return
        entry = model.config.get("use_enum_values")
        if entry is not None:
            if not isinstance(entry.value, ast.Constant) or entry.value.value is True:
                return
        elif not model.config_known:
            return
        facts = self.ctx.fact(PydanticModels)
        for field in model.fields:
            if facts.enum_named(unwrap_optional(self.ctx, field.annotation)) is not None:
                self.report(node, f"set `use_enum_values=True` in `model_config`: field `{field.name}` is an enum")
                return
