"""HR408 settings-instantiated-directly."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.pydantic import PydanticModels
from flake8_house_rules.rule import Example
from flake8_house_rules.rules.hr4xx_config.common import ModelRule

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

CACHES = frozenset({"functools.lru_cache", "functools.cache"})


class SettingsInstantiatedDirectly(ModelRule):
    """## What it does
    Checks for a call of a settings class (a class of the module that provably inherits from
    `BaseSettings`) outside a cached accessor: a function decorated with `functools.lru_cache` or
    `functools.cache` (`@lru_cache`, `@lru_cache()`, `@functools.cache`). A module-level `settings =
    Settings()` is reported too: the accessor is the one place the settings are built.

    Narrower than it could be, for precision: only the module's own settings classes are known to be
    settings (a class imported from another module is not checked where it is called), any cached function
    counts as the accessor whatever its name, and test modules (which build settings with overrides on
    purpose) are not checked.

    ## Why is this bad?
    Every call reads and validates the environment again; two calls can disagree, and tests cannot swap the
    settings in one place. Style guide 003 (Configuration): "Use singleton pattern: `get_settings()`"; 004
    (Configuration Pattern) builds them in `@lru_cache() def get_settings()`.

    ## Example
    ```python
    class Settings(BaseSettings): ...

    settings = Settings()
    ```

    Use instead:
    ```python
    class Settings(BaseSettings): ...

    @lru_cache
    def get_settings() -> Settings:
        return Settings()
    ```
    """

    code = "HR408"
    name = "settings-instantiated-directly"
    message = "build the settings once in a cached accessor (`@lru_cache def get_settings()`) and call that"
    source = "003 Configuration; 004 Configuration Pattern"
    options = ("hr-test-modules",)
    valid = (
        "from functools import lru_cache\nfrom pydantic_settings import BaseSettings\n\n"
        "class Settings(BaseSettings):\n    debug: bool = False\n\n"
        "@lru_cache()\ndef get_settings() -> Settings:\n    return Settings()\n",
        "import functools\nfrom pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings): ...\n\n"
        "@functools.cache\ndef get_settings() -> Settings:\n    return Settings()\n",
        "from pydantic import BaseModel\n\nclass User(BaseModel): ...\n\nuser = User()\n",
        "from app.settings import Settings\n\nsettings = Settings()\n",
        Example(
            "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings): ...\n\n"
            "def test_debug() -> None:\n    assert Settings(debug=True)\n",
            path="tests/test_settings.py",
        ),
    )
    invalid = (
        "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    debug: bool = False\n\n"
        "settings = Settings()  # error: HR408\n",
        "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings): ...\n\n"
        "def get_settings() -> Settings:\n    return Settings()  # error: HR408\n",
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Modules that import pydantic, except test modules."""
        return not ctx.is_test_module() and super().applies_to(ctx)

    def finish(self) -> None:
        """Report calls of the module's settings classes outside a cached accessor."""
        facts = self.ctx.fact(PydanticModels)
        names = {model.node.name for model in facts.settings}
        if not names:
            return
        for call in self.ctx.nodes_of(ast.Call):
            func = call.func
            if type(func) is not ast.Name or func.id not in names:
                continue
            model = facts.model_named(func)
            if model is not None and model.settings and not self._in_cached_accessor(call):
                self.report(call)

    def _in_cached_accessor(self, call: ast.Call) -> bool:
        function = self.ctx.enclosing_function(call)
        while isinstance(function, ast.Lambda):
            function = self.ctx.enclosing_function(function)
        if function is None:
            return False
        for decorator in function.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if self.ctx.qualname(target) in CACHES:
                return True
        return False
