"""HR403 field-without-description."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example
from flake8_house_rules.rules.hr4xx_config.common import ModelRule

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext
    from flake8_house_rules.context.pydantic import ModelField


class FieldWithoutDescription(ModelRule):
    """## What it does
    Checks for a field of a pydantic model or settings class (see `context/pydantic.py`: annotated class
    attributes that are not `ClassVar`, not private and not `model_config`) that is not described: neither
    its default `Field(...)` nor a `Field(...)` in its `Annotated[T, ...]` metadata (also through a local alias
    `Name = Annotated[str, Field(...)]`, or one imported from another module of the project whose summary
    says it describes its field: prefect's `KeyValueLabelsField`; a module that never spells `description`, or
    spells `class Name`, is not read for it) passes `description=`. An attribute
    docstring counts when the configuration sets `use_attribute_docstrings=True`.

    Narrower than the catalogue, for precision: a field whose default or metadata is a call of unknown origin
    (a house helper may return a described `FieldInfo`), or passes `**kwargs`, is not reported; nor is the
    `root` field of a `RootModel` (the class docstring describes it), nor a model in a test module (a test's
    fixture models are no API). SQLModel tables (`table=True`) are not models. A discriminator tag, a field
    typed `Literal[<one value>]` whose default is that value (`type: Literal["created"] = "created"`), is
    not reported either, nor one typed so without a default (a required tag), also when the one value is an
    enum member (`type: Literal[ResponsesAPIStreamEvents.RESPONSE_INCOMPLETE]`, litellm): its one value says all a
    description would, and it is fixed, never free input. Nor are the fields of a private model (`class
    _ToolUse(BaseModel)`, a name starting with `_`): a module's own parsing helper for an upstream
    payload is no schema anyone reads. A `Final[...]` attribute is no field (pydantic 2.11+ keeps it out
    of the fields, like a `ClassVar`).

    ## Why is this bad?
    The description is what the OpenAPI schema, the settings documentation and the next reader see; a field
    without one says only its name. Style guide 003 (Configuration): "Use `Field(description="...")` for all
    fields"; (Pydantic Models): "Include `description` in Field() for ALL fields".

    ## Example
    ```python
    class Credentials(BaseModel):
        expires_at: int | None = None
    ```

    Use instead:
    ```python
    class Credentials(BaseModel):
        expires_at: int | None = Field(None, description="Token expiration timestamp")
    ```
    """

    code = "HR403"
    name = "field-without-description"
    message = 'describe the field: `Field(..., description="...")` as its default or in `Annotated[T, Field(...)]`'
    source = "003 Configuration; 003 Pydantic Models (v2)"
    options = ("hr-test-modules",)
    valid = (
        "from pydantic import BaseModel, Field\n\nclass Credentials(BaseModel):\n"
        "    expires_at: int | None = Field(None, description='Token expiration timestamp')\n",
        "from typing import Annotated\nfrom pydantic import BaseModel, Field\n\nclass User(BaseModel):\n"
        "    name: Annotated[str, Field(min_length=1, description='Display name')]\n",
        "from typing import Annotated\nfrom pydantic import BaseModel, Field\n\n"
        "Name = Annotated[str, Field(description='Display name')]\n\nclass User(BaseModel):\n    name: Name\n",
        "from typing import ClassVar\nfrom pydantic import BaseModel, ConfigDict, Field\n\nclass User(BaseModel):\n"
        "    model_config = ConfigDict(frozen=True)\n    kind: ClassVar[str] = 'user'\n    _cache: dict = {}\n",
        "from pydantic import BaseModel, ConfigDict\n\nclass User(BaseModel):\n"
        "    model_config = ConfigDict(use_attribute_docstrings=True)\n    name: str\n    '''Display name.'''\n",
        # fastapi: parameters declared with its own described helpers, or a house helper
        "from pydantic import BaseModel\nfrom app.fields import described\n\nclass Page(BaseModel):\n"
        "    size: int = described(50)\n",
        "from pydantic import RootModel\n\nclass Tags(RootModel[list[str]]):\n    root: list[str]\n",
        "from app.models import AppModel\n\nclass User(AppModel):\n    name: str\n",
        "from sqlmodel import SQLModel, Field\n\nclass Hero(SQLModel, table=True):\n"
        "    id: int | None = Field(default=None, primary_key=True)\n",
        Example(
            "from pydantic import BaseModel\n\nclass Payload(BaseModel):\n    name: str\n", path="tests/test_api.py"
        ),
        # a discriminator tag, also an enum member (litellm's streaming events)
        "from enum import Enum\nfrom typing import Literal\nfrom pydantic import BaseModel\n\n"
        "class Events(str, Enum):\n    INCOMPLETE = 'response.incomplete'\n\nclass IncompleteEvent(BaseModel):\n"
        "    type: Literal[Events.INCOMPLETE]\n\nclass DoneEvent(BaseModel):\n"
        "    type: Literal[Events.INCOMPLETE] = Events.INCOMPLETE\n",
        # a discriminator tag
        "from typing import Literal\nfrom pydantic import BaseModel, Field\n\nclass StateChanged(BaseModel):\n"
        "    type: Literal['state-changed'] = 'state-changed'\n"
        "    count: int = Field(0, description='Number of changes')\n\nclass Message(BaseModel):\n"
        "    type: Literal['message']\n\nclass _ToolUse(BaseModel):\n    tool_input: object = None\n",
        "from typing import Final\nfrom pydantic import BaseModel\n\nclass Limits(BaseModel):\n    MAX: Final = 10\n",
    )
    invalid = (
        # an enum tag whose default is another member: free input, to describe
        "from enum import Enum\nfrom typing import Literal\nfrom pydantic import BaseModel\n\n"
        "class Events(str, Enum):\n    A = 'a'\n    B = 'b'\n\nclass Event(BaseModel):\n"
        "    type: Literal[Events.A] = Events.B  # error: HR403\n",
        "from pydantic import BaseModel\n\nclass Credentials(BaseModel):\n"
        "    expires_at: int | None = None  # error: HR403\n",
        "from pydantic import BaseModel, Field\n\nclass User(BaseModel):\n"
        "    name: str = Field(..., min_length=1)  # error: HR403\n"
        "    tags: list[str] = Field(default_factory=list, description='Labels')\n",
        "from typing import Annotated\nfrom pydantic import Field\nfrom pydantic_settings import BaseSettings\n\n"
        "class Settings(BaseSettings):\n    port: Annotated[int, Field(gt=0)] = 8000  # error: HR403\n"
        "    debug: bool  # error: HR403\n",
        "import pydantic\n\nclass Base(pydantic.BaseModel):\n    id: int  # error: HR403\n\n"
        "class User(Base):\n    name: str  # error: HR403\n",
        # a literal of several values, or a tag without its default, is input to describe
        "from typing import Literal\nfrom pydantic import BaseModel\n\nclass Event(BaseModel):\n"
        "    kind: Literal['a', 'b'] = 'a'  # error: HR403\n    name: str = 'x'  # error: HR403\n",
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Modules that import pydantic, except test modules."""
        return not ctx.is_test_module() and super().applies_to(ctx)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """Report each field of a model that is provably not described."""
        model = self.model_of(node)
        if model is None or node.name.startswith("_"):
            return
        for field in model.fields:
            if field.described is False and not (model.root and field.name == "root") and not self._tag(field):
                if self._final(field.annotation):
                    continue  # pydantic 2.11+ leaves a `Final` attribute out of the fields
                self.report(field.node)

    def _final(self, annotation: ast.expr) -> bool:
        """`Final` or `Final[...]`: a class variable to pydantic, not a field."""
        if isinstance(annotation, ast.Subscript):
            annotation = annotation.value
        return self.ctx.qualname(annotation) == "typing.Final"

    def _tag(self, field: ModelField) -> bool:
        """Whether a field is a discriminator tag: typed `Literal[<one value>]`, without a default or with that one."""
        annotation, default = field.annotation, field.default
        if not isinstance(annotation, ast.Subscript) or self.ctx.qualname(annotation.value) != "typing.Literal":
            return False
        value = annotation.slice
        if isinstance(value, ast.Attribute):  # an enum member: `Literal[Events.RESPONSE_INCOMPLETE]`
            spelled = self.ctx.qualname(value) or ast.unparse(value)
            return default is None or (
                isinstance(default, ast.Attribute) and (self.ctx.qualname(default) or ast.unparse(default)) == spelled
            )
        if not isinstance(value, ast.Constant):
            return False
        if default is None:
            return True
        return (
            isinstance(default, ast.Constant)
            and value.value == default.value
            and type(value.value) is type(default.value)
        )
