"""HR406 pydantic-v1-config-class."""

from __future__ import annotations

import ast

from flake8_house_rules.rules.hr4xx_config.common import V2ModelRule


class PydanticV1ConfigClass(V2ModelRule):
    """## What it does
    Checks for an inner `class Config:` in a pydantic model or settings class (a class that provably
    inherits from `BaseModel`, `RootModel`, `BaseSettings` or a non-table `SQLModel`). A `Config` class in
    any other class (a plain class, a model whose base is imported from another module) is not reported.
    Modules importing from `pydantic.v1` do not use the v2 API on purpose, and a `Config` in a model
    built on `pydantic.v1.BaseModel` is not a model of this rule's (its base is not one of the v2 names).
    Reported at the `class Config` line.

    Nor are modules written for pydantic 1 on purpose: those of a project whose nearest pyproject.toml
    keeps pydantic below 2 (`pydantic~=1.10`, `<2`, poetry's `^1.10`: lnbits), and those importing
    `pydantic.BaseSettings`, which pydantic 2 refuses to import; v2's API does not exist there.

    ## Why is this bad?
    The inner `Config` class is pydantic v1's configuration; v2 deprecates it in favour of `model_config =
    ConfigDict(...)` (`SettingsConfigDict(...)` for settings), which type checkers can check and whose keys
    are the v2 names (`from_attributes`, not `orm_mode`). Style guide 003 (Pydantic Models (v2)):
    `model_config = ConfigDict(use_enum_values=True)`.

    ## Example
    ```python
    class UserResponse(BaseModel):
        class Config:
            orm_mode = True
    ```

    Use instead:
    ```python
    class UserResponse(BaseModel):
        model_config = ConfigDict(from_attributes=True)
    ```
    """

    code = "HR406"
    name = "pydantic-v1-config-class"
    message = "use `model_config = ConfigDict(...)` (`SettingsConfigDict(...)` for settings) instead of `class Config`"
    source = "003 Pydantic Models (v2)"
    valid = (
        "from pydantic import BaseModel, ConfigDict\n\nclass User(BaseModel):\n"
        "    model_config = ConfigDict(from_attributes=True)\n",
        "class Service:\n    class Config:\n        retries = 3\n",
        "from app.models import AppModel\n\nclass User(AppModel):\n    class Config:\n        orm_mode = True\n",
        "from pydantic.v1 import BaseModel\n\nclass User(BaseModel):\n    class Config:\n        orm_mode = True\n",
    )
    invalid = (
        "from pydantic import BaseModel\n\nclass User(BaseModel):\n    name: str\n\n"
        "    class Config:  # error: HR406\n        orm_mode = True\n",
        "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n"
        "    class Config:  # error: HR406\n        env_file = '.env'\n",
    )

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """Report each inner `class Config` of a model."""
        model = self.model_of(node)
        if model is not None:
            for config in model.config_classes:
                self.report(config)
