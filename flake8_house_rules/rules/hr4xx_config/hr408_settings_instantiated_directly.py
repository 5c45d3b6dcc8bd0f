"""HR408 settings-instantiated-directly."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.pydantic import PydanticModels
from flake8_house_rules.rule import Example
from flake8_house_rules.rules.hr0xx_hygiene.common import is_main_guard
from flake8_house_rules.rules.hr4xx_config.common import ModelRule

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

CACHES = frozenset({"functools.lru_cache", "functools.cache"})
#: Decorators that make a function a command-line command, of the libraries that provide them.
COMMAND_DECORATORS = frozenset({"command", "group"})
COMMAND_LIBRARIES = frozenset({"click", "typer", "cyclopts", "asyncclick"})

#: What a module's text must spell to define or re-export a settings class (`BaseSettings`, `AppSettings`).
SETTINGS_WORDS = (b"ettings",)


class SettingsInstantiatedDirectly(ModelRule):
    """## What it does
    Checks for a call of a settings class (a class of the module that provably inherits from
    `BaseSettings`) outside a cached accessor: a function decorated with `functools.lru_cache` or
    `functools.cache` (`@lru_cache`, `@lru_cache()`, `@functools.cache`). A module-level `settings =
    Settings()` is reported too: the accessor is the one place the settings are built.

    A call that passes field values (`DetectionSettings(enabled=config.enabled)`, `Config(**values)`, a
    positional argument) builds a value from values at hand, not the application's settings from the
    environment, and is left alone; only pydantic-settings' own underscore options (`Settings(_env_file=...)`)
    still count as building the settings.

    A settings class imported from another module of the project (`from app.config import Settings`, its
    `BaseSettings` base found across the project's modules, `context/project.py`) is checked where it is
    called too. Only a name spelled like a class (an upper-case first letter) is looked up there: a call of
    an imported function (`get_config()`) is never a settings class, and its module is not read for it.

    A call inside the body of a settings class of the module (a validator, a method, a field's
    `default_factory`) is part of building that class's settings, which its own accessor caches: a section
    built in a `model_validator` of the parent settings (ethyca-fides) is left alone.

    A process's entry point builds its settings once and passes them down, which is what the accessor is
    for: a call in a function named `main`, in a click or typer command (`@click.command()`,
    `@app.command()`), in a function the module's `if __name__ == "__main__":` calls, or in that block itself,
    is left alone (fastapi's `scripts/`, litellm's collector and `proxy_cli`); so is a call in a function
    the module starts a process with (`Process(target=child, ...)`, also through a wrapper:
    `Process(target=wrapped_call(child, ...))`, as prefect's spawned flow runs build their settings after
    updating `os.environ`).

    Narrower than it could be, for precision: a class from outside the project, or one whose bases are out
    of sight, is not known to be settings; a class imported from the module that defines it, whose text
    never spells `settings` (in any case: `BaseSettings`, `pydantic_settings`), is taken for none without
    reading that module (only a settings class whose own module names its base otherwise, through another
    project module, is missed so; a re-export is followed); any cached function counts as the accessor
    whatever its name, and test modules (which build settings with overrides on purpose) are not checked.

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
        # fastapi's scripts and litellm's CLI: the settings of a process, built once in its entry point
        "import click\nfrom pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings): ...\n\n"
        "def main() -> None:\n    settings = Settings()\n\ndef run() -> None:\n    settings = Settings()\n\n"
        "@click.command()\ndef serve() -> None:\n    settings = Settings()\n\n"
        "if __name__ == '__main__':\n    run()\n    Settings()\n",
        # prefect: a spawned process's target builds its settings once, after updating its environment
        "import multiprocessing\nimport os\nfrom pydantic_settings import BaseSettings\n\n"
        "class Settings(BaseSettings): ...\n\ndef _child(env: dict) -> None:\n    os.environ.update(env)\n"
        "    run(Settings())\n\ndef start(flow, env: dict) -> None:\n    def run_with_env(env: dict) -> None:\n"
        "        os.environ.update(env)\n        run(flow, Settings())\n\n"
        "    spawn = multiprocessing.get_context('spawn')\n    spawn.Process(target=_child, args=(env,)).start()\n"
        "    spawn.Process(target=wrapped_call(run_with_env, env=env)).start()\n",
        # ethyca-fides: a section of the settings built in the parent settings' validator
        "from pydantic import model_validator\nfrom pydantic_settings import BaseSettings\n\n"
        "class AWSSettings(BaseSettings):\n    region: str = ''\n\n"
        "class SecretsSettings(BaseSettings):\n    aws: AWSSettings | None = None\n\n"
        "    @model_validator(mode='before')\n    @classmethod\n    def _fill(cls, v: dict) -> dict:\n"
        "        v['aws'] = AWSSettings()\n        return v\n",
        "from functools import lru_cache\nfrom pydantic_settings import BaseSettings\n\n"
        "class Settings(BaseSettings):\n    debug: bool = False\n\n"
        "@lru_cache()\ndef get_settings() -> Settings:\n    return Settings()\n",
        "import functools\nfrom pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings): ...\n\n"
        "@functools.cache\ndef get_settings() -> Settings:\n    return Settings()\n",
        "from pydantic import BaseModel\n\nclass User(BaseModel): ...\n\nuser = User()\n",
        "from app.settings import Settings\n\nsettings = Settings()\n",
        "from pydantic_settings import BaseSettings\n\nclass Detection(BaseSettings):\n    enabled: bool = False\n\n"
        "def rule_version(config: Detection) -> Detection:\n    return Detection(enabled=config.enabled)\n",
        "from pydantic_settings import BaseSettings\n\nclass Config(BaseSettings): ...\n\n"
        "def build(values: dict) -> Config:\n    return Config(**values)\n",
        Example(
            "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings): ...\n\n"
            "def test_debug() -> None:\n    assert Settings(debug=True)\n",
            path="tests/test_settings.py",
        ),
    )
    invalid = (
        # an ordinary function is no entry point, even in a module that has one
        "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings): ...\n\n"
        "def handler() -> None:\n    settings = Settings()  # error: HR408\n\n"
        "def main() -> None:\n    settings = Settings()\n\nif __name__ == '__main__':\n    main()\n",
        "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    debug: bool = False\n\n"
        "settings = Settings()  # error: HR408\n",
        "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings): ...\n\n"
        "def get_settings() -> Settings:\n    return Settings()  # error: HR408\n",
        "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings): ...\n\n"
        "settings = Settings(_env_file='.env')  # error: HR408\n",
        # a thread is no new process: it shares the process's settings
        "import threading\nfrom pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings): ...\n\n"
        "def worker() -> None:\n    run(Settings())  # error: HR408\n\nthreading.Thread(target=worker).start()\n",
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Modules that may hold settings classes, or import names from their project; not test modules."""
        if ctx.is_test_module():
            return False
        return super().applies_to(ctx) or (ctx.in_project.project is not None and bool(ctx.import_names))

    def finish(self) -> None:
        """Report calls of settings classes (the module's, or imported from the project) outside a cached accessor."""
        facts = self.ctx.fact(PydanticModels)
        names = {model.node.name for model in facts.settings}
        imported = self.ctx.import_names if self.ctx.in_project.project is not None else {}
        if not names and not imported:
            return
        known: dict[str, bool] = {}
        settings = {model.node for model in facts.settings}
        for call in self.ctx.nodes_of(ast.Call):
            func = call.func
            root = func
            while type(root) is ast.Attribute:
                root = root.value
            if type(root) is not ast.Name or (root.id not in names and root.id not in imported):
                continue
            if call.args or any(keyword.arg is None or not keyword.arg.startswith("_") for keyword in call.keywords):
                continue  # field values given: a value built from values at hand
            if (
                self._is_settings(facts, func, known)
                and not self._in_cached_accessor(call)
                and not self._inside_settings_class(call, settings)
                and not self._in_entry_point(call)
            ):
                self.report(call)

    def _is_settings(self, facts: PydanticModels, func: ast.expr, known: dict[str, bool]) -> bool:
        """Whether a called name is a settings class: of this module, or imported from the project."""
        if type(func) is ast.Name:
            model = facts.model_named(func)
            if model is not None:
                return model.settings
        qualname = self.ctx.qualname(func)
        if qualname is None or not qualname.rpartition(".")[2][:1].isupper():
            return False  # a function (`get_config()`), not a class: its module need not be read
        if qualname not in known:
            known[qualname] = not self._spells_no_settings(qualname) and facts.is_imported_settings(func)
        return known[qualname]

    def _spells_no_settings(self, qualname: str) -> bool:
        """Whether the module a class is imported from defines it (`class Name`) and never spells `settings`
        (`BaseSettings`, `pydantic_settings`, `from app.settings import ...`): the class is no settings class
        then, and the module is not parsed to see (`Project.lacks_words`). A module that only re-exports
        the class (`app/core/__init__.py`) is parsed and followed.
        """
        place = self.ctx.in_project
        module, _, name = qualname.rpartition(".")
        located = place.locate(module)
        project = place.project
        if located is None or project is None or not project.lacks_words(located, SETTINGS_WORDS, defines=False):
            return False
        return not project.lacks_words(located, (b"class " + name.encode(),), defines=False)

    def _inside_settings_class(self, call: ast.Call, settings: set[ast.ClassDef]) -> bool:
        """Whether the call is part of building a settings class of the module (a validator, method, default)."""
        return bool(settings) and any(
            node in settings for node in self.ctx.ancestors(call) if type(node) is ast.ClassDef
        )

    def _in_entry_point(self, call: ast.Call) -> bool:
        """Whether the call builds the settings once for a process: in its entry point or its main guard.

        The entry point is a function named `main`, a click or typer command (`@click.command()`,
        `@app.command()`, `@cli.group()`), or a function the module's `if __name__ == "__main__":` calls.
        """
        function = self.ctx.enclosing_function(call)
        if function is None:
            return any(type(node) is ast.If and is_main_guard(node) for node in self.ctx.ancestors(call))
        if isinstance(function, ast.Lambda):
            return False
        if function in self._process_targets():
            return True
        if self.ctx.enclosing_function(function) is not None:
            return False
        if function.name == "main" or function.name in self._called_from_main_guard():
            return True
        return any(self._is_command(decorator) for decorator in function.decorator_list)

    def _is_command(self, decorator: ast.expr) -> bool:
        """`@click.command()`, `@cli.command(...)`, `@app.command()` (typer), `@click.group()`: a command."""
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if not isinstance(target, ast.Attribute) or target.attr not in COMMAND_DECORATORS:
            return False
        imported = self.ctx.import_names.values()
        return any(origin.partition(".")[0] in COMMAND_LIBRARIES for origins in imported for origin in origins)

    def _process_targets(self) -> set[ast.AST]:
        """The `def`s the module starts processes with: `Process(target=f)`, or the first argument of a call
        there (`Process(target=wrapped_call(f, env=env))`), each the one function its name is bound to.
        """
        ctx = self.ctx

        def build() -> set[ast.AST]:
            found: set[ast.AST] = set()
            for node in ctx.nodes_of(ast.Call):
                func = node.func
                spelled = func.attr if type(func) is ast.Attribute else getattr(func, "id", None)
                if spelled != "Process":
                    continue
                for keyword in node.keywords:
                    if keyword.arg != "target":
                        continue
                    value = keyword.value
                    if type(value) is ast.Call:
                        value = value.args[0] if value.args else value
                    bindings = ctx.lookup(value) if type(value) is ast.Name else None
                    if bindings and len(bindings) == 1 and bindings[0].kind == "def":
                        found.add(bindings[0].node)
            return found

        return ctx.derived("hr408.process_targets", build)

    def _called_from_main_guard(self) -> set[str]:
        """The names of the functions the module's main guard calls (`if __name__ == "__main__": main()`)."""
        ctx = self.ctx

        def build() -> set[str]:
            found: set[str] = set()
            for statement in ctx.tree.body if isinstance(ctx.tree, ast.Module) else ():
                if type(statement) is ast.If and is_main_guard(statement):
                    found.update(
                        node.func.id
                        for node in ctx.nodes_of(ast.Call)
                        if type(node.func) is ast.Name and statement in ctx.ancestors(node)
                    )
            return found

        return ctx.derived("hr408.main_guard_calls", build)

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
