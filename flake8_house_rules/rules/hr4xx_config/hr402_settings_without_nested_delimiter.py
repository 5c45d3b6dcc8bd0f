"""HR402 settings-without-nested-delimiter."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.pydantic import PydanticModels, unwrap_optional
from flake8_house_rules.rules.hr4xx_config.common import ModelRule

if TYPE_CHECKING:
    from flake8_house_rules.context.pydantic import Model

DELIMITER = "env_nested_delimiter"


class SettingsWithoutNestedDelimiter(ModelRule):
    """## What it does
    Checks for a `BaseSettings` subclass (from `pydantic_settings`, or pydantic v1's `pydantic.BaseSettings`)
    whose configuration does not set `env_nested_delimiter="__"`. The configuration is read from
    `model_config = SettingsConfigDict(...)` (or a dict literal), from class keywords
    (`class Settings(BaseSettings, env_nested_delimiter="__")`), from a v1 inner `class Config:`, and from the
    module's own settings classes it inherits from. When any of these cannot be read (`model_config =
    make_config()`, `**base`, a base class imported from elsewhere), the rule stays silent. A class whose
    bases cannot be resolved is not known to be a settings class and is not checked. Reported at the `class`
    line.

    The delimiter only matters for nesting (the guide: "for nested"), so a settings class is reported only
    when one of its fields is typed with a model or settings class the module can prove is one (`database:
    DatabaseSettings`, also `DatabaseSettings | None`): flat settings are left alone, and so is a field
    typed with a class whose kind the module cannot see (imported from elsewhere, unless the project model
    proves it a model).

    ## Why is this bad?
    Without a nested delimiter, a nested settings model (`database: DatabaseSettings`) can only be set from
    the environment as one JSON blob; with `__`, `DATABASE__URL=...` sets one field. Using the same
    delimiter everywhere keeps every service's environment variables spelled alike. Style guide 003
    (Configuration): "ALWAYS: Use `env_nested_delimiter="__"` for nested".

    ## Example
    ```python
    class AppSettings(BaseSettings):
        model_config = SettingsConfigDict(env_file=".env")

        database: DatabaseSettings
    ```

    Use instead:
    ```python
    class AppSettings(BaseSettings):
        model_config = SettingsConfigDict(env_file=".env", env_nested_delimiter="__")

        database: DatabaseSettings
    ```
    """

    code = "HR402"
    name = "settings-without-nested-delimiter"
    message = 'set `env_nested_delimiter="__"` in the settings class\'s `model_config`'
    source = "003 Configuration"
    valid = (
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n\nclass AppSettings(BaseSettings):\n"
        "    model_config = SettingsConfigDict(env_file='.env', env_nested_delimiter='__')\n",
        "from pydantic_settings import BaseSettings\n\n"
        "class AppSettings(BaseSettings, env_nested_delimiter='__'):\n    debug: bool = False\n",
        "import pydantic_settings\n\nclass Base(pydantic_settings.BaseSettings):\n"
        "    model_config = {'env_nested_delimiter': '__'}\n\nclass AppSettings(Base):\n    debug: bool = False\n",
        # a base from another module may set it
        "from app.core.settings import ServiceSettings\n\nclass AppSettings(ServiceSettings):\n"
        "    debug: bool = False\n",
        "from pydantic_settings import BaseSettings\nfrom app.core import BASE_CONFIG\n\n"
        "class AppSettings(BaseSettings):\n    model_config = BASE_CONFIG\n",
        "from pydantic import BaseModel, ConfigDict\n\nclass User(BaseModel):\n"
        "    model_config = ConfigDict(frozen=True)\n",
        # flat settings: without nesting the delimiter does nothing
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n\nclass TracingSettings(BaseSettings):\n"
        "    model_config = SettingsConfigDict(env_prefix='APP_TRACING_')\n\n    enabled: bool = False\n",
        # a field of a class the module cannot see into
        "from pydantic_settings import BaseSettings\nfrom app.db import DatabaseConfig\n\n"
        "class AppSettings(BaseSettings):\n    database: DatabaseConfig\n",
    )
    invalid = (
        "from pydantic import BaseModel\nfrom pydantic_settings import BaseSettings, SettingsConfigDict\n\n"
        "class Database(BaseModel):\n    url: str\n\n"
        "class AppSettings(BaseSettings):  # error: HR402\n    model_config = SettingsConfigDict(env_file='.env')\n"
        "    database: Database\n",
        "from pydantic_settings import BaseSettings\n\nclass Redis(BaseSettings):\n    host: str = 'localhost'\n\n"
        "class AppSettings(BaseSettings):  # error: HR402\n    debug: bool = False\n    redis: Redis | None = None\n",
        "from pydantic import BaseModel\nfrom pydantic_settings import BaseSettings, SettingsConfigDict\n\n"
        "class Database(BaseModel):\n    url: str\n\n"
        "class AppSettings(BaseSettings):  # error: HR402\n"
        "    model_config = SettingsConfigDict(env_nested_delimiter='_')\n    database: Database\n",
        # khoj / litellm style: pydantic v1 settings with an inner Config
        "from pydantic import BaseModel, BaseSettings\n\nclass Api(BaseModel):\n    url: str\n\n"
        "class Settings(BaseSettings):  # error: HR402\n"
        "    api: Api\n\n    class Config:\n        env_file = '.env'\n",
    )

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """Report a settings class whose known configuration lacks `env_nested_delimiter="__"`."""
        model = self.model_of(node)
        if model is None or not model.settings or not self._nests(model):
            return
        entry = model.config.get(DELIMITER)
        if entry is None:
            if model.config_known:
                self.report(node)
        elif isinstance(entry.value, ast.Constant) and entry.value.value != "__":
            self.report(node, f'set `env_nested_delimiter="__"` instead of {entry.value.value!r}')

    def _nests(self, model: Model) -> bool:
        """Whether a field of the class (or of its local settings ancestors) is typed with a known model."""
        facts = self.ctx.fact(PydanticModels)
        owners = [model, *(facts.model_of(local) for local in self.ctx.classes.ancestry(model.node).classes)]
        return any(
            facts.model_named(unwrap_optional(self.ctx, field.annotation)) is not None
            for owner in owners
            if owner is not None
            for field in owner.fields
        )
