"""HR404 secret-not-secretstr."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from flake8_house_rules.context.pydantic import unwrap_optional
from flake8_house_rules.fixes import Fix, edits
from flake8_house_rules.rule import Example, FixExample
from flake8_house_rules.rules.hr4xx_config.common import ModelRule, is_secret_name, name_words

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: Fields that make a model a page of results: a `token` beside them is a pagination cursor.
PAGINATION_FIELDS = frozenset({"offset", "page", "cursor", "has_more", "next_page"})
#: Fields beside a `token` that make it a token of a language model's text (OpenAI's logprobs entries).
TEXT_TOKEN_FIELDS = frozenset({"logprob", "logprobs", "top_logprobs"})
#: Words of a model's name that say its values are passed on as they are (see the docs).
PASSING_WORDS = frozenset(
    {"Response", "Summary", "Params", "Cache", "Cached", "Wire", "Stored", "Row", "Table", "Record", "File"}
)
CAMEL_WORDS = re.compile(r"[A-Z][a-z0-9]*")


class SecretNotSecretstr(ModelRule):
    """## What it does
    Checks for a field of a pydantic model or settings class whose name says it holds a secret and whose
    type is the builtin `str`, also as `str | None`, `Optional[str]`, `Union[str, None]` or `Annotated[str,
    ...]`.

    The name is matched on whole words of its snake_case (or camelCase) spelling, and, for precision, the secret
    word must be the name's last word (what the name is): `password`, `passwd`, `secret`, `token`, `apikey`,
    `credential(s)`, or a final `key` after `api`, `private` or `secret` (`api_key`, `private_key`,
    `secret_access_key`). So `access_token`, `db_password`, `client_secret` and `openai_api_key` are secrets,
    and `tokenizer`, `max_tokens`, `token_count`, `password_min_length` and `secret_name` are not; nor are a
    pagination cursor (`next_token`, `page_token`), a tokenizer's special tokens (`eos_token`, `pad_token`), a
    marker in a conversation or stream (`termination_token`, `stop_token`, `sentinel_token`, `delimiter_token`,
    `separator_token`) or a protected copy of a secret: a name with the word `hashed`, `hash`, `encrypted`,
    `masked`, `redacted`, `obfuscated`, `digest`, `fingerprint` or `salted` anywhere (`hashed_password`,
    `hashed_api_key`, `encrypted_private_key`), nor the name of an entry in a secret store,
    `<subject>_<store>_secret_key` (`bitwarden_master_password_aws_secret_key`: which AWS secret to look up;
    the store one of `aws`, `azure`, `gcp`, `vault`, `ssm`). A `...token` field of a model (not a settings
    class) that also
    has a pagination field (`offset`, `page`, `cursor`, `has_more`, `next_page`) is a page cursor (mlflow's
    `CompositeToken(backend_token, offset)`) and is not reported either; nor is one beside a `logprob`,
    `logprobs` or `top_logprobs` field: a token of a language model's output (letta's `TopLogprob.token`).
    Reported at the field's line.

    Also left alone: the fields of a model whose name says it carries its values on rather than holding
    them: a response or a token payload (`TokenResponse`, `AccessToken`, a name ending `Token`, or with the
    word `Response`), a summary shown to users (`AgentKeySummary`, the word `Summary`: litellm fills its
    `token` with the hashed key), the parameters of a message template (`PasswordResetBodyParams`, the word `Params`),
    or a cache entry (`CopilotCachedKey`, the word `Cache`/`Cached`), or a wire format (`_GrantWire`, the word
    `Wire`: litellm fills it from `.get_secret_value()` to encrypt it), or a persisted record (the words
    `Stored`, `Row`, `Table`, `Record`, `File`: litellm's `LiteLLM_UserTable.password` holds the scrypt hash,
    `StoredROISettings.github_token` the ciphertext, `_StoredTokenFile` the file a token is saved in): those
    values must be serialised as they are, and `SecretStr` would serialise them as `"**********"`. And a
    field declared `Field(..., repr=False)`, which already keeps the value out of `repr()` and logs, or one
    whose `description=` says it holds a hash, an encrypted or a redacted value (`Field(description="Hashed
    value of that key")`: litellm's spend tables key their rows on the hashed key, which is no secret), or
    whose `description=` or attribute docstring says it holds a path (feast's `private_key` documented as
    "private key file path": where the key is kept, not the key). Nor the fields of a model (not a settings
    class) whose docstring's first line says it is a table row or a cache entry (open-webui's "Pydantic
    mirror of the `auth` table row", zenml's "Cached Server Credentials"), for the reason above. Nor a field
    that a validator of its class masks, redacts, hashes or encrypts (a `@field_validator("api_key")`
    named `mask_api_key`: langflow's read schema holds `sk-12345********`, no secret).
    Test modules are not checked: their models are fixtures holding made-up values; nor are generated or
    vendored modules (a Fern-generated client's `client/types/`), as for every model rule.

    ## Why is this bad?
    A `str` secret is printed in full by `repr()`, by logging the settings object, in tracebacks and in
    validation errors. `SecretStr` shows `**********` everywhere except through `.get_secret_value()`.
    Style guide 003 (Configuration): "Use `SecretStr` for passwords/tokens"; (Pydantic Models): "Use
    `SecretStr` for sensitive data".

    ## Example
    ```python
    class Credentials(BaseModel):
        access_token: str = Field(..., description="OAuth access token")
    ```

    Use instead:
    ```python
    class Credentials(BaseModel):
        access_token: SecretStr = Field(..., description="OAuth access token")
    ```
    """

    code = "HR404"
    name = "secret-not-secretstr"
    message = (
        "type the secret field as `SecretStr` (read it with `.get_secret_value()`; it serialises as "
        '`"**********"`, so a field sent to clients needs `repr=False` instead)'
    )
    fix = "unsafe"
    source = "003 Configuration; 003 Pydantic Models (v2)"
    options = ("hr-test-modules",)
    valid = (
        # langflow: the key masked by a validator of the read schema
        "from pydantic import BaseModel, field_validator\n\nclass ApiKeyRead(BaseModel):\n    api_key: str\n\n"
        "    @field_validator('api_key')\n    @classmethod\n    def mask_api_key(cls, v: str) -> str:\n"
        "        return v[:8] + '*' * (len(v) - 8)\n",
        # feast: a path to the key; open-webui: a table row's mirror; zenml: cached credentials
        "from pydantic import BaseModel\n\nclass SnowflakeConfig(BaseModel):\n    private_key: str | None = None\n"
        '    """ Snowflake private key file path"""\n',
        "from pydantic import BaseModel, Field\n\nclass SshConfig(BaseModel):\n"
        "    private_key: str = Field(description='Path to the private key')\n",
        "from pydantic import BaseModel\n\nclass AuthModel(BaseModel):\n"
        '    """Pydantic mirror of the ``auth`` table row."""\n\n    password: str\n',
        "from pydantic import BaseModel\n\nclass ServerCredentials(BaseModel):\n"
        '    """Cached Server Credentials."""\n\n    password: str | None = None\n',
        "from pydantic import BaseModel, SecretStr\n\nclass Credentials(BaseModel):\n"
        "    access_token: SecretStr\n    db_password: SecretStr | None = None\n",
        # litellm: token counts and tokenizer settings are not secrets
        "from pydantic import BaseModel\n\nclass Usage(BaseModel):\n    max_tokens: int\n    token_count: int\n"
        "    tokenizer: str\n    password_min_length: int\n    next_token: str | None = None\n"
        "    eos_token: str = '</s>'\n    secret_name: str\n    hashed_api_key: str\n    encrypted_private_key: str\n",
        "from app.models import AppModel\n\nclass Login(AppModel):\n    password: str\n",
        "class Login:\n    password: str\n",
        "from pydantic import BaseModel\n\nclass Login(BaseModel):\n    password: bytes\n",
        # mlflow: a pagination cursor
        "from pydantic import BaseModel\n\nclass CompositeToken(BaseModel):\n    backend_token: str | None\n"
        "    offset: int = 0\n",
        # a token a response must carry; a field kept out of repr()
        "from pydantic import BaseModel, Field\n\nclass TokenResponse(BaseModel):\n    access_token: str\n\n"
        "class Workload(BaseModel):\n    token: str = Field(repr=False)\n\n"
        "class AccessToken(BaseModel):\n    access_token: str\n\n"
        "class PasswordResetBodyParams(BaseModel):\n    reset_token: str\n\n"
        "class CopilotCachedKey(BaseModel):\n    token: str\n\n"
        "class _GrantWire(BaseModel):\n    refresh_token: str | None = None\n\n"
        "class SpendRow(BaseModel):\n    api_key: str = Field(description='Hash of the virtual key')\n",
        # litellm: persisted records hold a hash or a ciphertext
        "from pydantic import BaseModel\n\nclass LiteLLM_UserTable(BaseModel):\n    password: str | None = None\n\n"
        "class StoredROISettings(BaseModel):\n    github_token: str = ''\n\n"
        "class _DailyUserSpendOwnerRow(BaseModel):\n    api_key: str\n\n"
        "class _StoredTokenFile(BaseModel):\n    access_token: str\n\n"
        "class AgentKeySummary(BaseModel):\n    token: str\n    key_alias: str | None = None\n",
        Example(
            "from pydantic import BaseModel\n\ndef get_client():\n"
            "    class ModelC(BaseModel):\n        password: str\n",
            path="tests/test_filter_pydantic_sub_model.py",
        ),
        # letta: an OpenAI logprobs entry holds one token of the model's text
        "from pydantic import BaseModel\n\nclass TopLogprob(BaseModel):\n    token: str\n    logprob: float\n",
    )
    invalid = (
        "from pydantic import BaseModel\n\nclass SshConfig(BaseModel):\n"
        '    private_key: str  # error: HR404\n    """The key itself, PEM text."""\n',
        "from pydantic import BaseModel\n\nclass CliTokenSecret(BaseModel):\n"
        '    """The secret material as stored in the OS keychain."""\n\n    jwt_token: str  # error: HR404\n',
        "from pydantic import BaseModel\n\nclass EphemeralClient(BaseModel):\n"
        '    """A client never cached by the gateway."""\n\n    client_secret: str | None = None  # error: HR404\n',
        "from pydantic_settings import BaseSettings\n\nclass RedisSettings(BaseSettings):\n"
        '    """Cache settings."""\n\n    redis_password: str  # error: HR404\n',
        "from pydantic import BaseModel\n\nclass Login(BaseModel):\n    token: str  # error: HR404\n    expires: int\n",
        "from pydantic import BaseModel\n\nclass Credentials(BaseModel):\n    access_token: str  # error: HR404\n",
        "from typing import Annotated, Optional\nfrom pydantic import Field\n"
        "from pydantic_settings import BaseSettings\n\n"
        "class Settings(BaseSettings):\n    db_password: str | None = None  # error: HR404\n"
        "    openai_api_key: Optional[str] = None  # error: HR404\n"
        "    client_secret: Annotated[str, Field(description='OAuth secret')]  # error: HR404\n"
        "    page: int = 1\n"
        "    apiKey: str = ''  # error: HR404\n",
        "from pydantic import BaseModel, Field\n\nclass TokenRequest(BaseModel):\n"
        "    client_secret: str = Field(repr=True)  # error: HR404\n",
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Modules that may hold models, except test modules (their models are fixtures)."""
        return not ctx.is_test_module() and super().applies_to(ctx)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """Report each secret-named field typed `str`."""
        model = self.model_of(node)
        if model is None or _passes_values_on(node.name):
            return
        if not model.settings and _described_as_stored(node):
            return
        following = _attribute_docstrings(node)
        protected = _protected_by_validators(node)
        paginated = not model.settings and any(
            field.name in PAGINATION_FIELDS or field.name in TEXT_TOKEN_FIELDS for field in model.fields
        )
        for field in model.fields:
            if not is_secret_name(field.name) or (paginated and name_words(field.name)[-1] == "token"):
                continue
            if any(_hidden_from_repr(call) or _described_as_hashed(call) for call in field.field_calls):
                continue
            if _names_a_path(field.field_calls, following.get(field.node)) or field.name in protected:
                continue
            inner = unwrap_optional(self.ctx, field.annotation)
            if isinstance(inner, ast.Name) and inner.id == "str" and self.ctx.is_builtin(inner):
                self.report(field.node)

    def fix_for(self, node: ast.AST | tuple[int, int]) -> Fix | None:
        """The field's `str` becomes `SecretStr` (imported from pydantic when the name is free). Unsafe: code that
        reads the field as a `str` must call `.get_secret_value()`, and a plain default stays a plain `str`.
        """
        if not isinstance(node, ast.AnnAssign):
            return None
        inner = unwrap_optional(self.ctx, node.annotation)
        if not (isinstance(inner, ast.Name) and inner.id == "str"):
            return None
        spelled = edits.import_name(self.ctx, "pydantic", "SecretStr", node)
        if spelled is None:
            return None
        name, import_edit = spelled
        edit = edits.replace(self.ctx, inner, name)
        if edit is None:
            return None
        return Fix.unsafe("Type the field `SecretStr`", *([import_edit] if import_edit else []), edit)

    fixes = (
        FixExample(
            "from pydantic import BaseModel\n\nclass Credentials(BaseModel):\n    access_token: str  # error: HR404\n",
            "from pydantic import BaseModel, SecretStr\n\nclass Credentials(BaseModel):\n    access_token: SecretStr\n",
        ),
        FixExample(
            "import os\n\nfrom pydantic_settings import BaseSettings\n\n"
            "class Settings(BaseSettings):\n    db_password: str | None = None  # error: HR404\n",
            "import os\n\nfrom pydantic import SecretStr\nfrom pydantic_settings import BaseSettings\n\n"
            "class Settings(BaseSettings):\n    db_password: SecretStr | None = None\n",
        ),
    )


def _passes_values_on(name: str) -> bool:
    """Whether a model's name says it carries its values on: a response, token payload, template params, cache."""
    words = set(CAMEL_WORDS.findall(name))
    return name.endswith("Token") or not PASSING_WORDS.isdisjoint(words)


def _described_as_hashed(call: ast.Call) -> bool:
    """Whether a `Field(description=...)` says the value is a hash or redacted (`"Hashed value of that key"`)."""
    for keyword in call.keywords:
        if keyword.arg == "description" and isinstance(keyword.value, ast.Constant):
            text = str(keyword.value.value).lower()
            return any(word in text for word in ("hash", "redacted", "masked", "encrypted"))
    return False


#: Words of a field's description that say its value is where a secret is kept, not the secret.
PATH_WORDS = frozenset({"path", "filepath", "filename", "location"})
#: Words of a model's docstring's first line that say it is a table row or a cache entry. Not "stored": litellm's
#: `CliTokenSecret` is "The secret material as stored in the OS keychain", a secret indeed.
STORED_WORDS = frozenset({"row", "rows", "cache", "cached"})
NEGATIONS = frozenset({"not", "never", "no"})
WORD_RE = re.compile(r"[a-z]+")


def _attribute_docstrings(node: ast.ClassDef) -> dict[ast.stmt, str]:
    """Each field's attribute docstring: a string statement right after it in the class body."""
    found: dict[ast.stmt, str] = {}
    for statement, following in zip(node.body, node.body[1:], strict=False):
        if (
            type(following) is ast.Expr
            and type(following.value) is ast.Constant
            and isinstance(following.value.value, str)
        ):
            found[statement] = following.value.value
    return found


def _names_a_path(calls: list[ast.Call], docstring: str | None) -> bool:
    """Whether a field's `description=` or attribute docstring says it holds a path (`"private key file path"`)."""
    texts = [docstring] if docstring else []
    for call in calls:
        for keyword in call.keywords:
            if keyword.arg == "description" and isinstance(keyword.value, ast.Constant):
                texts.append(str(keyword.value.value))
    return any(not PATH_WORDS.isdisjoint(WORD_RE.findall(text.lower())) for text in texts)


#: Words of a validator's name that say it turns the value into a protected copy (`mask_api_key`).
PROTECTING_WORDS = frozenset({"mask", "redact", "hash", "encrypt", "obfuscate"})


def _protected_by_validators(node: ast.ClassDef) -> set[str]:
    """The fields a validator of the class turns into a protected copy: a method decorated
    `@field_validator("api_key")` (or v1's `@validator`) whose name says it masks, redacts, hashes or
    encrypts (langflow's `mask_api_key` gives `sk-12345********`).
    """
    found: set[str] = set()
    for item in node.body:
        if not isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if PROTECTING_WORDS.isdisjoint(name_words(item.name)):
            continue
        for decorator in item.decorator_list:
            if not isinstance(decorator, ast.Call):
                continue
            func = decorator.func
            spelled = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if spelled in {"field_validator", "validator"}:
                found.update(
                    arg.value for arg in decorator.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                )
    return found


def _described_as_stored(node: ast.ClassDef) -> bool:
    """Whether a model's docstring says on its first line that it is a table row or a cache entry (not "never")."""
    docstring = ast.get_docstring(node, clean=False)
    if not docstring:
        return False
    words = set(WORD_RE.findall(docstring.strip().partition("\n")[0].lower()))
    return not STORED_WORDS.isdisjoint(words) and NEGATIONS.isdisjoint(words)


def _hidden_from_repr(call: ast.Call) -> bool:
    """Whether a `Field(...)` call passes `repr=False`."""
    return any(
        keyword.arg == "repr" and isinstance(keyword.value, ast.Constant) and keyword.value.value is False
        for keyword in call.keywords
    )
