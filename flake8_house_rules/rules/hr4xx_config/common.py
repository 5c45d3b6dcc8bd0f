"""Facts the HR4xx rules share: secret-looking names, URL literals, and the places a literal is not config."""

from __future__ import annotations

import ast
import functools
import re
from typing import TYPE_CHECKING

from flake8_house_rules.context.pydantic import PydanticModels, imports_pydantic, uses_pydantic_v1
from flake8_house_rules.rule import Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import is_generated_or_vendored, name_words

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext
    from flake8_house_rules.context.pydantic import Model

#: Words that, as the last word of a name, make it a secret (`db_password`, `access_token`, `client_secret`).
SECRET_WORDS = frozenset({"password", "passwd", "secret", "token", "apikey", "credential", "credentials"})
#: Words that, before a final `key`, make it a secret (`api_key`, `private_key`, `secret_access_key`).
KEY_QUALIFIERS = frozenset({"api", "private", "secret"})
#: Words before the last that say the name is not a secret after all: a pagination cursor (`next_token`), a
#: tokenizer's or conversation's marker (`eos_token`, letta's `termination_token = "DONE!"`), a count
#: (`max_token`); a hash is one of `PROTECTED_WORDS`.
NOT_SECRET_QUALIFIERS = frozenset(
    {
        "next",
        "page",
        "prev",
        "previous",
        "continuation",
        "cursor",
        "pagination",
        "sync",
        "cancel",
        "cancellation",
        "bos",
        "eos",
        "pad",
        "unk",
        "sep",
        "mask",
        "cls",
        "start",
        "end",
        "stop",
        "termination",
        "sentinel",
        "delimiter",
        "separator",
        "special",
        "max",
        "min",
        "num",
    }
)
#: Words anywhere in a name that say its value is a protected form of the secret, not the secret itself: a
#: hash or an encrypted, masked or redacted copy (`hashed_api_key`, `encrypted_private_key`, `masked_token`).
PROTECTED_WORDS = frozenset(
    {"hashed", "hash", "encrypted", "masked", "redacted", "obfuscated", "digest", "fingerprint", "salted"}
)
#: A literal that is a URL or DSN and nothing else (one token, a scheme the catalogue names, something after).
URL_RE = re.compile(
    r"(?:https?|postgres(?:ql)?(?:\+\w+)?|mysql(?:\+\w+)?|rediss?|amqps?|mongodb(?:\+srv)?|sqlite(?:\+\w+)?)://\S+",
    re.IGNORECASE,
)
#: Hosts whose URLs are identifiers (XML namespaces, JSON Schema dialects and `$schema` ids) or documentation
#: placeholders.
IDENTIFIER_HOSTS = (
    "www.w3.org",
    "w3.org",
    "json-schema.org",
    "json.schemastore.org",
    "schemas.xmlsoap.org",
    "schemas.openxmlformats.org",
    "schemas.microsoft.com",
    "purl.org",
    "xmlns.com",
    "xml.org",
    "xml.python.org",
    "ns.adobe.com",
    "example.com",
    "example.org",
    "example.net",
)
#: Keywords and assignment targets whose values are documentation, not configuration.
DOC_KEYWORDS = frozenset(
    {
        "description",
        "examples",
        "example",
        "json_schema_extra",
        "schema_extra",
        "openapi_examples",
        "title",
        "summary",
        "help",
        "doc",
        "docs",
        "deprecated",
        "epilog",
        "usage",
        "link",
        "homepage",
        "documentation",
        # FastAPI's OpenAPI metadata
        "license_info",
        "contact",
        "terms_of_service",
    }
)
#: Words that, in the name a value is assigned to, say it is documentation (`documentation_url`, `_INSTALL_DOCS`).
DOC_NAME_WORDS = frozenset({"doc", "docs", "documentation", "homepage", "license", "tos"})
#: Words that, in a collection's name, say its URLs are what values are matched against (`allowed_hosts`).
ALLOW_LIST_WORDS = frozenset(
    {
        "allowed",
        "allow",
        "allowlist",
        "whitelist",
        "trusted",
        "blocked",
        "blocklist",
        "blacklist",
        "denylist",
        "denied",
        "origins",
        "cors",
    }
)
#: File types a browser loads for a page (scripts, styles, images, fonts), not services the code calls.
ASSET_SUFFIXES = (".js", ".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".webp", ".woff", ".woff2")
#: Top-level names reserved for documentation and tests (RFC 2606, RFC 6761).
RESERVED_TLDS = (".example", ".test", ".invalid")
COLLECTIONS = (ast.List, ast.Tuple, ast.Set, ast.Dict)
COLLECTION_WRAPPERS = frozenset({"frozenset", "set", "tuple", "list", "dict", "MappingProxyType", "OrderedDict"})
#: Endings of class names that say the class holds configuration (`ROISettings`, `OllamaConfig`).
CONFIG_CLASS_ENDINGS = ("Settings", "Config", "Configuration")
#: Paths on hosts whose URLs name something rather than locate it (OAuth scopes, SAX properties).
IDENTIFIER_PREFIXES = ("www.googleapis.com/auth/", "www.python.org/sax/")
#: String methods whose argument is matched against, not connected to.
MATCHING_METHODS = frozenset(
    {"startswith", "endswith", "removeprefix", "removesuffix", "replace", "find", "index", "count", "split"}
)
MAX_ANCESTORS = 12
PLACEHOLDER_RE = re.compile(
    r"^(?:<[^<>]*>|\{[^{}]*\}|\$\{[^{}]*\}|\$[A-Z_][A-Z0-9_]*|%\([^()]*\)s|\[[^\[\]]*\]|__\w+__|[*xX.•]+)$"
)
#: Words in a value that say it names, labels or stands in for a secret rather than being one: a header
#: or field name (`x-goog-api-key`), a sentinel (`null`, `[REDACTED]`), a self-declared fake (`fake-api-key`).
NAMING_WORDS = frozenset(
    {
        *SECRET_WORDS,
        "key",
        "auth",
        "cookie",
        "session",
        "null",
        "none",
        "nil",
        "empty",  # vLLM's and other OpenAI-compatible servers' conventional `api_key="EMPTY"`
        "blank",
        "unset",
        "needed",  # `"not-needed"`
        "unused",
        "dummy",
        "fake",
        "mock",
        "placeholder",
        "redacted",
        "example",
        "sample",
        "sentinel",
        "test",
    }
)
#: Words in a name that say its value stands in for a secret.
STAND_IN_WORDS = frozenset({"placeholder", "sentinel", "fake", "dummy", "mock", "example", "sample"})
#: Words in a name that say its value is a known-bad secret kept to be recognised and refused (mlflow's
#: `_LEGACY_DEFAULT_ADMIN_PASSWORD`, which must equal the revoked value).
KNOWN_BAD_WORDS = frozenset(
    {"legacy", "revoked", "compromised", "leaked", "insecure", "banned", "denied", "forbidden", "disallowed"}
)
VALUE_WORD_RE = re.compile(r"[^A-Za-z0-9]+")
LABEL_RE = re.compile(r"^[a-z]+(?:[-_. ][a-z]+){2,}$")
#: An upper-case name of two or more letter-only words (`SKYVERN_BITWARDEN_CLIENT_ID`): what names a secret.
CONSTANT_NAME_RE = re.compile(r"^[A-Z]+(?:_[A-Z]+)+$")


#: Secret stores whose entries a `<subject>_<store>_secret_key` names (skyvern's
#: `bitwarden_client_id_aws_secret_key = "SKYVERN_BITWARDEN_CLIENT_ID"`, looked up with `get_secret(...)`).
SECRET_STORES = frozenset({"aws", "azure", "gcp", "vault", "ssm"})


@functools.lru_cache(maxsize=4096)
def is_secret_name(name: str) -> bool:
    """Whether a name looks like it holds a secret, by its whole words (see HR404 for the reading)."""
    words = name_words(name)
    if not words or not PROTECTED_WORDS.isdisjoint(words):
        return False
    if words[-2:] == ("secret", "key") and len(words) >= 4 and words[-3] in SECRET_STORES:
        return False  # `bitwarden_master_password_aws_secret_key`: the name of an entry in a secret store
    last = words[-1]
    if last in SECRET_WORDS:
        return not (len(words) > 1 and words[-2] in NOT_SECRET_QUALIFIERS)
    if last == "key" and len(words) > 1:
        return not KEY_QUALIFIERS.isdisjoint(words[:-1])
    return False


def is_placeholder(value: str) -> bool:
    """Whether a string is a template, mask or label, not a secret.

    Templates and masks: `<your-token>`, `{token}`, `${TOKEN}`, `$TOKEN`, `[REDACTED]`, `__sentinel__`,
    `****`. Labels and names: an upper-case name (`SKYVERN_BITWARDEN_CLIENT_ID`, which names an environment
    variable or a secret-store entry), a value of three or more lower-case words (`failed-to-connect-to-db`,
    `gen_ai.server.time_to_first_token`), or one with a word that names a secret or says it is none
    (`x-goog-api-key`, `fake-api-key`, `null`), also in the plural (`Passwords`).
    """
    if PLACEHOLDER_RE.match(value) is not None or LABEL_RE.match(value) is not None:
        return True
    if CONSTANT_NAME_RE.match(value) is not None:
        return True  # `"SKYVERN_BITWARDEN_CLIENT_ID"`: the name of a variable or a secret-store entry
    words = {word for part in VALUE_WORD_RE.split(value) for word in name_words(part)}
    words.update(word[:-1] for word in list(words) if word.endswith("s"))  # plurals: `Passwords`, `keys`
    return not NAMING_WORDS.isdisjoint(words)


def is_url_literal(value: str) -> bool:
    """Whether a string is entirely a URL or DSN of a scheme the catalogue names, and not an identifier."""
    if "://" not in value or URL_RE.fullmatch(value) is None:
        return False
    if "\\" in value or "(?" in value:
        return False  # a regular expression that matches URLs: `r"https://opencode\.ai/(?:zen)?"`
    rest = value.partition("://")[2]
    host = rest.split("/", 1)[0].rpartition("@")[2].split(":", 1)[0].lower()
    if host in IDENTIFIER_HOSTS or host.endswith(tuple("." + known for known in IDENTIFIER_HOSTS)):
        return False
    if host.startswith("example.") or host.endswith(RESERVED_TLDS) or not STAND_IN_WORDS.isdisjoint(host.split(".")):
        return False  # a placeholder: `https://example.acme.dev/reset`, `http://api.test/`
    if host.startswith("docs.") or "#" in rest:
        return False  # a documentation link: `https://docs.litellm.ai/docs`, `https://github.com/x/y#installation`
    if rest.split("?", 1)[0].lower().endswith(ASSET_SUFFIXES):
        return False  # a static asset a page loads in the browser: `https://code.jquery.com/jquery.min.js`
    if rest.startswith(IDENTIFIER_PREFIXES) or rest.endswith("/.default"):
        return False  # an OAuth scope (Google's `.../auth/...`, Microsoft's `https://graph.microsoft.com/.default`)
    return rest.strip("/") not in {"", ":memory:"}


def matching_context(ctx: ModuleContext, node: ast.AST) -> bool:
    """Whether a literal is a piece of an f-string or a template, or what a value is compared or matched with
    (`url == "https://..."`, `url in ("https://...", ...)`, `url.startswith("https://...")`): recognising a
    URL is not configuring one.
    """
    parent = ctx.parent(node)
    if isinstance(parent, ast.JoinedStr | ast.FormattedValue):
        return True
    if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Mod) and parent.left is node:
        return True  # a %-template: `"http://%s:%d/" % (host, port)`
    if isinstance(parent, ast.Attribute) and parent.attr == "format":
        return True  # a str.format template
    if (
        isinstance(parent, ast.Call)
        and isinstance(parent.func, ast.Attribute)
        and parent.func.attr == "format"
        and isinstance(parent.func.value, ast.Constant | ast.BinOp)
    ):
        return True  # a value put into a message: `"# {:^59} #".format("https://github.com/.../issues/new")`
    if isinstance(parent, ast.Tuple | ast.List | ast.Set):
        node, parent = parent, ctx.parent(parent)
    if isinstance(parent, ast.Compare):
        return True
    return (
        isinstance(parent, ast.Call)
        and node in parent.args
        and isinstance(parent.func, ast.Attribute)
        and parent.func.attr in MATCHING_METHODS
    )


def documentation_context(ctx: ModuleContext, node: ast.AST) -> bool:
    """Whether a literal is documentation: a docstring or bare string, under a `description=`/`examples=`
    keyword, or in the value of an assignment to such a name (`json_schema_extra = {...}`).
    """
    parent = ctx.parent(node)
    if isinstance(parent, ast.Expr):
        return True  # a docstring or bare string (not a call on a line of its own: `requests.get("...")`)
    steps = 0
    while parent is not None and steps < MAX_ANCESTORS:
        if isinstance(parent, ast.keyword):
            if parent.arg in DOC_KEYWORDS:
                return True
        elif isinstance(parent, ast.Assign | ast.AnnAssign):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            return any(_documentation_name(target) for target in targets)
        elif isinstance(parent, ast.stmt):
            return False
        parent = ctx.parent(parent)
        steps += 1
    return False


def _documentation_name(target: ast.expr) -> bool:
    """`description = ...`, `documentation_url = ...`, `self.docs_url = ...`, `_INSTALL_DOCS = {...}`."""
    name = target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else ""
    return bool(name) and (name in DOC_KEYWORDS or not DOC_NAME_WORDS.isdisjoint(name_words(name)))


def assigned_collection_name(ctx: ModuleContext, node: ast.AST) -> tuple[str, ast.AST] | None:
    """The name a literal is assigned or passed to, directly or as an item of a literal collection, with the
    statement or keyword (`API_URL = "..."`, `HOSTS = ["...", ...]`, `LINKS: Final = {"a": "..."}`,
    `allow_origins=[...]`); `None` otherwise.
    """
    parent = collection_holder(ctx, node)
    if isinstance(parent, ast.keyword) and parent.arg:
        return parent.arg, parent  # a keyword: `CORSMiddleware(app, allow_origins=[...])`
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
        return parent.targets[0].id, parent
    if isinstance(parent, ast.AnnAssign) and isinstance(parent.target, ast.Name) and parent.value is not None:
        return parent.target.id, parent
    return None


def collection_holder(ctx: ModuleContext, node: ast.AST) -> ast.AST | None:
    """What holds a literal, past the literal collections (and freezing calls) it is an item of."""
    parent = ctx.parent(node)
    for _ in range(MAX_ANCESTORS):
        if isinstance(parent, COLLECTIONS) or (isinstance(parent, ast.Call) and _wraps_collection(parent)):
            parent = ctx.parent(parent)
            continue
        break
    return parent


def _wraps_collection(call: ast.Call) -> bool:
    """`frozenset({...})`, `MappingProxyType({...})`, `tuple([...])`: a call that only freezes a collection."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    return name in COLLECTION_WRAPPERS and len(call.args) == 1 and not call.keywords


def matched_names(ctx: ModuleContext) -> frozenset[str]:
    """Names the module only matches values against: the right side of `in`/`not in` (`host in ALLOWED`), or the
    iterable of a comprehension whose element matches its target (`any(url.startswith(h) for h in hosts)`).
    Built once per module, on first use.
    """
    return ctx.derived("config.matched_names", lambda: _matched_names(ctx))


def _matched_names(ctx: ModuleContext) -> frozenset[str]:
    found: set[str] = set()
    for compare in ctx.nodes_of(ast.Compare):
        for op, right in zip(compare.ops, compare.comparators, strict=True):
            if isinstance(op, ast.In | ast.NotIn) and isinstance(right, ast.Name):
                found.add(right.id)
    for kind in (ast.GeneratorExp, ast.ListComp, ast.SetComp):
        for comprehension in ctx.nodes_of(kind):
            element = comprehension.elt
            matches = isinstance(element, ast.Compare) or (
                isinstance(element, ast.Call)
                and isinstance(element.func, ast.Attribute)
                and element.func.attr in MATCHING_METHODS
            )
            if matches:
                found.update(
                    generator.iter.id for generator in comprehension.generators if isinstance(generator.iter, ast.Name)
                )
    return frozenset(found)


def config_class_around(ctx: ModuleContext, node: ast.AST) -> bool:
    """Whether the node sits directly in the body of a class named for configuration (`ROISettings`,
    `OllamaConfig`, whatever its bases), not inside a method.
    """
    owner = ctx.enclosing_class(node)
    return owner is not None and owner.name.endswith(CONFIG_CLASS_ENDINGS) and ctx.enclosing_function(node) is None


def settings_class_around(ctx: ModuleContext, node: ast.AST) -> Model | None:
    """The settings class whose body holds the node (directly, not inside a method), else `None`."""
    if not imports_pydantic(ctx):
        return None
    owner = ctx.enclosing_class(node)
    if owner is None or ctx.enclosing_function(node) is not None:
        return None
    model = ctx.fact(PydanticModels).model_of(owner)
    return model if model is not None and model.settings else None


class ModelRule(Rule):
    """A rule about pydantic models: runs only in modules that import pydantic, pydantic-settings or SQLModel."""

    shared_condition = True  # `applies_to` reads the module only

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only modules that import pydantic, pydantic-settings or SQLModel, and are not generated or vendored.

        A generated client's models (skyvern's Fern-generated `client/types/`) are the generator's: no hand
        edit survives the next generation.
        """
        return imports_pydantic(ctx) and not is_generated_or_vendored(ctx)

    @property
    def models(self) -> list[Model]:
        """The module's models (see `PydanticModels`)."""
        return self.ctx.fact(PydanticModels).models

    def model_of(self, node: ast.ClassDef) -> Model | None:
        """The model a class statement declares, or `None` when it is not (provably) a model."""
        return self.ctx.fact(PydanticModels).model_of(node)


class V2ModelRule(ModelRule):
    """A rule about pydantic 2 usage: not run in modules written for pydantic 1 on purpose.

    Those are modules of a project that keeps pydantic below 2 (`pydantic~=1.10` in its pyproject.toml), or
    that import `pydantic.BaseSettings` (see `uses_pydantic_v1`): v2's API does not exist there.
    """

    shared_condition = True  # `applies_to` reads the module only

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Modules that import pydantic, pydantic-settings or SQLModel, are not written for pydantic 1, and are
        neither generated nor vendored.
        """
        return imports_pydantic(ctx) and not uses_pydantic_v1(ctx) and not is_generated_or_vendored(ctx)
