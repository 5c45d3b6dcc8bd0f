"""HR402 settings-without-nested-delimiter."""

from __future__ import annotations

import ast

from flake8_house_rules.rules.hr4xx_config.common import ModelRule

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

    ## Why is this bad?
    Without a nested delimiter, a nested settings model (`database: DatabaseSettings`) can only be set from
    the environment as one JSON blob; with `__`, `DATABASE__URL=...` sets one field. Using the same
    delimiter everywhere keeps every service's environment variables spelled alike. Style guide 003
    (Configuration): "ALWAYS: Use `env_nested_delimiter="__"` for nested".

    ## Example
    ```python
    class AppSettings(BaseSettings):
        model_config = SettingsConfigDict(env_file=".env")
    ```

    Use instead:
    ```python
    class AppSettings(BaseSettings):
        model_config = SettingsConfigDict(env_file=".env", env_nested_delimiter="__")
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
    )
    invalid = (
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n"
        "class AppSettings(BaseSettings):  # error: HR402\n    model_config = SettingsConfigDict(env_file='.env')\n",
        "from pydantic_settings import BaseSettings\n\nclass AppSettings(BaseSettings):  # error: HR402\n"
        "    debug: bool = False\n",
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n"
        "class AppSettings(BaseSettings):  # error: HR402\n"
        "    model_config = SettingsConfigDict(env_nested_delimiter='_')\n",
        # khoj / litellm style: pydantic v1 settings with an inner Config
        "from pydantic import BaseSettings\n\nclass Settings(BaseSettings):  # error: HR402\n"
        "    api_url: str\n\n    class Config:\n        env_file = '.env'\n",
    )

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """Report a settings class whose known configuration lacks `env_nested_delimiter="__"`."""
        model = self.model_of(node)
        if model is None or not model.settings:
            return
        entry = model.config.get(DELIMITER)
        if entry is None:
            if model.config_known:
                self.report(node)
        elif isinstance(entry.value, ast.Constant) and entry.value.value != "__":
            self.report(node, f'set `env_nested_delimiter="__"` instead of {entry.value.value!r}')
