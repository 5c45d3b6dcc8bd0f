"""HR401 direct-environ-access."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext


class DirectEnvironAccess(Rule):
    """## What it does
    Checks for reads of the environment outside a settings module (`hr-settings-modules`, default
    `*settings.py,*config.py`) and outside test modules: `os.environ[...]`, `os.environ.get(...)` and
    `os.getenv(...)`, resolved through imports (`from os import environ, getenv` too). Writes and deletions
    (`os.environ["X"] = ...`, `del os.environ["X"]`) are not configuration reads and are not reported; nor
    are other uses of `os.environ` (`"X" in os.environ`, `os.environ.copy()`, `os.environ.setdefault(...)`):
    the catalogue names three read forms and the rule keeps to them.

    ## Why is this bad?
    A value read from the environment in the middle of the code is configuration nobody can find, validate
    or document: its name, type and default live in that one call. Style guide 003 (Configuration): "NEVER:
    `os.environ.get()` directly" and "ALWAYS: Use `pydantic-settings` BaseSettings"; 000 (Configuration):
    "Always via Pydantic Settings — never hardcoded".

    ## Example
    ```python
    import os

    def get_client() -> Client:
        return Client(timeout=float(os.getenv("CLIENT_TIMEOUT", "10")))
    ```

    Use instead:
    ```python
    from app.core.settings import get_settings

    def get_client() -> Client:
        return Client(timeout=get_settings().client_timeout)
    ```
    """

    code = "HR401"
    name = "direct-environ-access"
    message = "read configuration from the settings object (`get_settings().<field>`), not from `os.environ`"
    source = "003 Configuration (NEVER list); 000 Configuration"
    options = ("hr-settings-modules", "hr-test-modules")
    valid = (
        Example("import os\n\nDEBUG = os.environ.get('DEBUG', '0') == '1'\n", path="app/core/settings.py"),
        Example("import os\n\nDEBUG = os.getenv('DEBUG')\n", path="app/config.py"),
        Example("import os\n\ndef test_env() -> None:\n    assert os.environ['HOME']\n", path="tests/test_env.py"),
        # httpx's test helpers and mlflow's launchers set variables for child processes
        "import os\n\ndef configure(token: str) -> None:\n    os.environ['API_TOKEN'] = token\n"
        "    del os.environ['OLD_TOKEN']\n    os.environ.update({'A': '1'})\n",
        "import os\n\ndef child_env() -> dict[str, str]:\n    return os.environ.copy()\n",
        "from app import environ\n\nvalue = environ.get('X')\n",
        "import os\n\ndef getenv(name: str) -> str: ...\n\nvalue = getenv('X')\n",
        Example(
            "import os\n\nvalue = os.getenv('X')\n",
            path="app/core/env.py",
            options={"hr-settings-modules": "*/env.py"},
        ),
    )
    invalid = (
        "import os\n\ndef timeout() -> float:\n    return float(os.getenv('TIMEOUT', '10'))  # error: HR401\n",
        "import os\n\nURL = os.environ['DATABASE_URL']  # error: HR401\n",
        "from os import environ, getenv\n\nA = environ.get('A')  # error: HR401\nB = getenv('B')  # error: HR401\n",
        "import os as system\n\nKEY = system.environ.get('KEY', '')  # error: HR401\n",
    )

    calls = frozenset({"os.getenv", "os.environ.get"})
    references = frozenset({"os.environ"})

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Neither settings modules nor test modules."""
        return not ({"settings", "test"} & ctx.roles)

    def visit_call(self, node: ast.Call, name: str) -> None:
        """Report `os.getenv(...)` and `os.environ.get(...)`."""
        self.report(node)

    def visit_reference(self, node: ast.Name | ast.Attribute, name: str) -> None:
        """Report `os.environ[...]` when it is read."""
        parent = self.ctx.parent(node)
        if isinstance(parent, ast.Subscript) and parent.value is node and isinstance(parent.ctx, ast.Load):
            self.report(parent)
