"""HR411 hardcoded-secret."""

from __future__ import annotations

import ast
import re
from itertools import compress, repeat
from operator import attrgetter, is_
from typing import TYPE_CHECKING

from flake8_house_rules.context.pydantic import ENUM_BASES
from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import is_demonstration
from flake8_house_rules.rules.hr4xx_config.common import (
    KNOWN_BAD_WORDS,
    STAND_IN_WORDS,
    is_placeholder,
    is_secret_name,
    name_words,
    settings_class_around,
)

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

VALUE = attrgetter("value")
VALUE_SEPARATORS = re.compile(r"[-.:/ ]+")
EQUALITY = (ast.Eq, ast.NotEq)
PATH_PREFIXES = ("/", "./", "../", "~/")
#: Words in a folder or file name that say the module is a demonstration or a stand-in (`examples/`,
#: `fake_server.py`): the credentials there are made up for the demo, not a deployment's.


class HardcodedSecret(Rule):
    """## What it does
    Checks for a non-empty string literal assigned to, or passed as, a name that looks like a secret (the
    whole-word reading of HR404: `password`, `access_token`, `client_secret`, `api_key`, ...): an assignment
    (`API_KEY = "..."`, `self.password = "..."`, `token: str = "..."`), a keyword argument
    (`connect(password="...")`), a parameter default (`def login(password: str = "...")`), a store under a
    secret-looking string key (`config["password"] = "..."`), or a comparison of a secret-looking name with
    a literal (`password == "..."`), outside test modules. Reported at the literal.

    Placeholders, names and labels are not secrets and are not reported (a narrower reading, for precision;
    litellm passes many such strings where a key is expected):

    - the empty string, text with spaces (a message), and an upper-case name of letter-only words
      (`"SKYVERN_BITWARDEN_CLIENT_ID"`: which variable or secret-store entry holds the secret);
    - templates, masks and sentinels: `"<your-token>"`, `"{token}"`, `"${API_TOKEN}"`, `"$API_TOKEN"`,
      `"[REDACTED]"`, `"__team_scope_check__"`, `"****"`;
    - labels: three or more lower-case words (`"failed-to-connect-to-db"`), or a value with a word that
      names a secret (also in the plural: `"Passwords"`) or says it is none (`"x-goog-api-key"`,
      `"fake-api-key"`, `"null"`, `"test"`, `"EMPTY"`, `"not-needed"`);
    - a value assigned to a name that says it stands in (`PLACEHOLDER_API_KEY`, `SENTINEL_TOKEN`), or that it
      is a known-bad value kept to be recognised and refused (`_LEGACY_DEFAULT_ADMIN_PASSWORD`,
      `REVOKED_TOKEN`, `INSECURE_PASSWORDS`: a revoked default must equal the old value to be rejected);
    - an enum member, or a variable whose value only repeats its own name's words (`api_key = "api_key"`,
      `static_token = "static-token"`): a key or kind name, not a secret;
    - a path (`"/.gcs"`, `"./key.pem"`, `"~/.ssh/id_rsa"`): where a secret is kept, not the secret;
    - a class attribute whose value is a word of its class's name (`api_key: str = "ollama"` in
      `OllamaConfig`), and a key (`api_key`; not a password) whose value is a word of its function's name
      (`create_ollama_client()` passing `api_key="ollama"`) or of the member a surrounding `if` compares
      with (`if provider == ModelProvider.OLLAMA: api_key = "ollama"`): the stand-in key a local server
      that needs none is sent;
    - a comparison with a literal without both letters and digits (`api_key == "undefined"`, `credential
      == "present"`): such literals are sentinels the code tests for; a literal like `"s3cr3t-admin"` is
      still reported.

    `"changeme"`, `"hunter2"`, `"password1234"` and `"sk-ant-api03-abc123"` are still secrets: code that
    ships with them runs with them. Defaults in a settings class body are not reported (the issue's
    reading: the environment overrides them; HR404 asks for their type).

    Modules of a demonstration or a stand-in, by a word of a folder or file name on their path from the
    project's root (`examples/`, `samples/`, `demo/`, `fake_server.py`), are not checked: aiohttp's
    `examples/` log in to httpbin.org's public test endpoint with `PASSWORD = "dog"` and to a fake Facebook
    server with a made-up token.

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
        # skyvern: the name of the secret-store entry, not the secret
        "def run(params) -> None:\n    params(bitwarden_client_id_aws_secret_key='SKYVERN_BITWARDEN_CLIENT_ID')\n",
        # zenml: the key an OpenAI-compatible server that needs none is sent
        "from openai import OpenAI\n\nclient = OpenAI(api_key='EMPTY', base_url='http://localhost:8000/v1')\n",
        "from app.settings import get_settings\n\nclient = Client(api_key=get_settings().api_key)\n",
        "PASSWORD = 'password'\nTOKEN_HEADER = 'X-Token'\nAPI_KEY_ENV = 'OPENAI_API_KEY'\n",
        "def login(password: str = '') -> None: ...\n\nprompt(token='<your-token>')\nsend(api_key='${API_KEY}')\n",
        # litellm: tokenizer special tokens and token counts are not secrets
        "tokenizer = Tokenizer(eos_token='</s>', bos_token='<s>')\nmax_tokens = '256'\n",
        # letta: the word that ends a conversation between agents
        "class Group:\n    def __init__(self, termination_token: str = 'DONE!') -> None:\n"
        "        self.termination_token = termination_token\n",
        "label = dict(password='Your password')\n",
        # a protected copy of a secret is no secret
        "HASHED_API_KEY = '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8'\n",
        # litellm: enum members, header names, sentinels
        "from enum import Enum\n\nclass AuthType(str, Enum):\n    api_key = 'api_key'\n"
        "    client_credentials = 'm2m-client-credentials'\n\n"
        "_LEGACY_DEFAULT_ADMIN_PASSWORD = 'password1234'\n"
        "XGOOGLE_API_KEY = 'x-goog-api-key'\nPLACEHOLDER_API_KEY = 'dummy'\n"
        "auth = UserAPIKeyAuth(token='failed-to-connect-to-db', api_key='[REDACTED]')\n",
        Example("client = Client(api_key='test-key')\n", path="tests/test_client.py"),
        # aiohttp's examples: httpbin.org's public test login, a fake server's made-up token
        Example("USERNAME = 'my'\nPASSWORD = 'dog'\n", path="examples/digest_auth_qop_auth.py"),
        Example("async def main() -> None:\n    token = 'ER34gsSGGS34XCBKd7u'\n", path="app/fake_server.py"),
        # labels naming the word, also in the plural
        "RESOURCE_MY_PASSWORD = 'My Password'\nRESOURCE_API_KEY = 'API keys'\nRESOURCE_PASSWORD = 'Passwords'\n",
        "def check(config: dict, token: str) -> bool:\n    config['password'] = ''\n    config[key] = 'x1'\n"
        "    return token == 'null' or token != '' or config['mode'] == 'abc123'\n",
        # sentinels compared with, paths, and a local server's stand-in key
        "def check(api_key: str | None, credential: str, envs: dict) -> bool:\n"
        "    envs['GOOGLE_APPLICATION_CREDENTIALS'] = '/.gcs'\n"
        "    return api_key == 'undefined' or credential == 'present'\n\n"
        "class OllamaConfig(Base):\n    api_key: str = 'ollama'\n\n"
        "class LemonadeChatConfig(Base):\n    _DEFAULT_API_KEY = 'lemonade'\n",
        # phoenix: the provider's name as the key of a server that takes none
        "from openai import AsyncOpenAI\n\ndef create_ollama_client(url: str) -> AsyncOpenAI:\n"
        "    return AsyncOpenAI(api_key='ollama', base_url=url)\n\n"
        "def client_for(provider: str) -> str:\n    if provider == ModelProvider.OLLAMA:\n"
        "        api_key = 'ollama'\n    return api_key\n",
        "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n"
        "    secret_key: str = 'dev-only-secret'\n",
    )
    invalid = (
        # khoj: a password that names its function is still a password
        "def initialize_default_user(users) -> None:\n"
        "    users.create_user(username='default', password='default')  # error: HR411\n",
        "from anthropic import Anthropic\n\nclient = Anthropic(api_key='sk-ant-api03-abc123')  # error: HR411\n",
        "SECRET_KEY = 'changeme'  # error: HR411\n",
        # khoj: a default admin password (mlflow's revoked legacy default, kept to refuse it, is not reported)
        "DEFAULT_ADMIN_PASSWORD = 'password1234'  # error: HR411\n"
        "create_user(username='default', password='default')  # error: HR411\n",
        "class Db:\n    def __init__(self) -> None:\n        self.password = 'hunter2'  # error: HR411\n",
        "def connect(user: str = 'app', password: str = 'app') -> None:  # error: HR411\n    ...\n",
        "from pydantic import BaseModel\n\nclass Login(BaseModel):\n    token: str = 'abc123'  # error: HR411\n",
        # a secret stored under a key, and one compared with
        "def configure(config: dict) -> None:\n    config['password'] = 's3cr3t-admin'  # error: HR411\n\n"
        "def is_admin(password: str) -> bool:\n    return password == 's3cr3t-admin'  # error: HR411\n\n"
        "def is_root(user) -> bool:\n    return 'r00t-pw' != user.password  # error: HR411\n",
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Every module except test modules and those of a demonstration (`examples/`, `fake_server.py`)."""
        return not ctx.is_test_module() and not is_demonstration(ctx)

    def finish(self) -> None:
        """Check `NAME = "..."`, `self.name = "..."`, `name: str = "..."` and `f(name="...")`.

        Only the assignments and keywords whose value is a literal reach Python code: the mask is built with
        `map`, since most values are not literals and a callback per keyword or assignment would cost more.
        """
        ctx = self.ctx
        for kind in (ast.keyword, ast.Assign, ast.AnnAssign):
            nodes = ctx.nodes_of(kind)
            for node in compress(nodes, map(is_, map(type, map(VALUE, nodes)), repeat(ast.Constant))):
                value = node.value
                if type(value.value) is not str or not value.value:
                    continue
                if kind is ast.keyword:
                    if node.arg:
                        self._check(node.arg, value, constant=False)
                elif kind is ast.AnnAssign:
                    self._check(_target_name(node.target), value, constant=type(node.target) is ast.Name)
                else:
                    for target in node.targets:
                        self._check(_target_name(target), value, constant=type(target) is ast.Name)
        for compare in ctx.nodes_of(ast.Compare):
            if len(compare.ops) == 1 and type(compare.ops[0]) in EQUALITY:
                left, right = compare.left, compare.comparators[0]
                if type(left) is ast.Constant:
                    left, right = right, left
                if type(right) is ast.Constant and type(right.value) is str and _letters_and_digits(right.value):
                    self._check(_target_name(left), right, constant=False)

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
        if any(char.isspace() for char in text) or is_placeholder(text) or text.startswith(PATH_PREFIXES):
            return
        words = name_words(name)
        if not STAND_IN_WORDS.isdisjoint(words) or not KNOWN_BAD_WORDS.isdisjoint(words):
            return
        # an enum member, or a constant spelling its own name (`api_key = "api_key"`), is a key, not a secret
        if constant and (set(name_words(VALUE_SEPARATORS.sub("_", text))) <= set(words) or self._in_enum(value)):
            return
        if settings_class_around(self.ctx, value) is not None:
            return
        if self._names_its_class(value, text, name):
            return
        self.report(value)

    def _names_its_class(self, value: ast.Constant, text: str, name: str) -> bool:
        """A value that is one word of what it is for: of its class's name (`"ollama"` in `OllamaConfig`), or,
        for a key (`api_key`, not a password), of its function's (`create_ollama_client`) or the member a
        surrounding `if` compares with (`if provider == ModelProvider.OLLAMA:`): a provider that takes no key
        is sent its own name.
        """
        if not text.isalpha():
            return False
        word = text.lower()
        owner = self.ctx.enclosing_class(value)
        if owner is not None and self.ctx.enclosing_function(value) is None and word in name_words(owner.name):
            return True
        if "key" not in name_words(name):
            return False
        function = self.ctx.enclosing_function(value)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) and word in name_words(function.name):
            return True
        for ancestor in self.ctx.ancestors_in_function(value):
            if isinstance(ancestor, ast.If) and isinstance(ancestor.test, ast.Compare):
                for side in (ancestor.test.left, *ancestor.test.comparators):
                    if isinstance(side, ast.Attribute) and side.attr.lower() == word:
                        return True
        return False

    def _in_enum(self, node: ast.AST) -> bool:
        owner = self.ctx.enclosing_class(node)
        if owner is None or self.ctx.enclosing_function(node) is not None:
            return False
        if self.ctx.classes.inherits(owner, *ENUM_BASES):
            return True
        return any(
            isinstance(base, ast.Name | ast.Attribute) and _spelled(base).endswith("Enum") for base in owner.bases
        )


def _letters_and_digits(text: str) -> bool:
    """Whether a literal has both letters and digits (`s3cr3t-admin`), unlike a sentinel word (`undefined`)."""
    return any(char.isdigit() for char in text) and any(char.isalpha() for char in text)


def _spelled(node: ast.Name | ast.Attribute) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr


def _target_name(target: ast.expr) -> str | None:
    """The name a value is stored to or compared with: `name`, `obj.name`, `obj["name"]`."""
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
        key = target.slice.value
        return key if isinstance(key, str) and key.isidentifier() else None
    return None
