"""HR411 hardcoded-secret."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr4xx_config.common import (
    is_placeholder,
    is_secret_name,
    name_words,
    settings_class_around,
)

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext


class HardcodedSecret(Rule):
    """## What it does
    Checks for a non-empty string literal assigned to, or passed as, a name that looks like a secret (the
    whole-word reading of HR404: `password`, `access_token`, `client_secret`, `api_key`, ...): an assignment
    (`API_KEY = "..."`, `self.password = "..."`, `token: str = "..."`), a keyword argument
    (`connect(password="...")`) or a parameter default (`def login(password: str = "...")`), outside test
    modules. Reported at the literal.

    Placeholders are not secrets and are not reported: the empty string, text with spaces (a label or a
    message), templates and masks (`"<your-token>"`, `"{token}"`, `"${API_TOKEN}"`, `"$API_TOKEN"`,
    `"****"`), and an UPPER_CASE constant whose value only repeats its own name's words (`PASSWORD =
    "password"`: a key name, not a password). `"changeme"` and `"secret"` are still secrets: code that ships
    with them runs with them. Defaults in a settings class body are left to HR404 (the issue's reading: the
    value there is a development default the environment overrides).

    ## Why is this bad?
    A secret in the source is in every clone, every fork, every log of the repository, forever; rotating it
    means a release. Style guide 002 (Security Best Practices) asks for proper authentication; 003
    (Configuration): "NEVER: Hardcoded configuration values" and "Use `SecretStr` for passwords/tokens".

    ## Example
    ```python
    client = Anthropic(api_key="sk-ant-api03-abc123")
    ```

    Use instead:
    ```python
    client = Anthropic(api_key=get_settings().anthropic_api_key.get_secret_value())
    ```
    """

    code = "HR411"
    name = "hardcoded-secret"
    message = "read the secret from the settings (a `SecretStr` field), never from a literal"
    source = "002 Security Best Practices; 003 Configuration"
    options = ("hr-test-modules",)
    valid = (
        "from app.settings import get_settings\n\nclient = Client(api_key=get_settings().api_key)\n",
        "PASSWORD = 'password'\nTOKEN_HEADER = 'X-Token'\nAPI_KEY_ENV = 'OPENAI_API_KEY'\n",
        "def login(password: str = '') -> None: ...\n\nprompt(token='<your-token>')\nsend(api_key='${API_KEY}')\n",
        # litellm: tokenizer special tokens and token counts are not secrets
        "tokenizer = Tokenizer(eos_token='</s>', bos_token='<s>')\nmax_tokens = '256'\n",
        "label = dict(password='Your password')\n",
        Example("client = Client(api_key='test-key')\n", path="tests/test_client.py"),
        "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n"
        "    secret_key: str = 'dev-only-secret'\n",
    )
    invalid = (
        "from anthropic import Anthropic\n\nclient = Anthropic(api_key='sk-ant-api03-abc123')  # error: HR411\n",
        "SECRET_KEY = 'changeme'  # error: HR411\n",
        "class Db:\n    def __init__(self) -> None:\n        self.password = 'hunter2'  # error: HR411\n",
        "def connect(user: str = 'app', password: str = 'app') -> None:  # error: HR411\n    ...\n",
        "from pydantic import BaseModel\n\nclass Login(BaseModel):\n    token: str = 'abc123'  # error: HR411\n",
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Every module except test modules."""
        return not ctx.is_test_module()

    def visit_Assign(self, node: ast.Assign) -> None:
        """`NAME = "..."`, `self.name = "..."`."""
        value = node.value
        if type(value) is not ast.Constant or type(value.value) is not str or not value.value:
            return
        for target in node.targets:
            self._check(_target_name(target), value, constant=isinstance(target, ast.Name))

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        """`name: str = "..."`."""
        value = node.value
        if type(value) is not ast.Constant or type(value.value) is not str or not value.value:
            return
        self._check(_target_name(node.target), value, constant=isinstance(node.target, ast.Name))

    def visit_keyword(self, node: ast.keyword) -> None:
        """`f(name="...")`."""
        value = node.value
        if type(value) is ast.Constant and type(value.value) is str and value.value and node.arg:
            self._check(node.arg, value, constant=False)

    def visit_arguments(self, node: ast.arguments) -> None:
        """`def f(name="...")`."""
        if not node.defaults and not node.kw_defaults:
            return
        positional = [*node.posonlyargs, *node.args]
        pairs = list(zip(positional[len(positional) - len(node.defaults) :], node.defaults, strict=True))
        pairs.extend((arg, default) for arg, default in zip(node.kwonlyargs, node.kw_defaults, strict=True) if default)
        for arg, default in pairs:
            if type(default) is ast.Constant and type(default.value) is str and default.value:
                self._check(arg.arg, default, constant=False)

    def _check(self, name: str | None, value: ast.Constant, *, constant: bool) -> None:
        if not name or not is_secret_name(name):
            return
        text = value.value
        if any(char.isspace() for char in text) or is_placeholder(text):
            return
        if (
            constant
            and name.isupper()
            and set(name_words(text.replace("-", "_").replace(".", "_"))) <= set(name_words(name))
        ):
            return
        if settings_class_around(self.ctx, value) is not None:
            return
        self.report(value)


def _target_name(target: ast.expr) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    return None
