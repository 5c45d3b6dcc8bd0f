"""HR410 hardcoded-config-value."""

from __future__ import annotations

import ast
from itertools import compress, repeat
from operator import attrgetter, contains, is_
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr4xx_config.common import (
    ALLOW_LIST_WORDS,
    assigned_collection_name,
    config_class_around,
    documentation_context,
    is_url_literal,
    matched_names,
    matching_context,
    name_words,
    settings_class_around,
)

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext


VALUE = attrgetter("value")
WEB_SCHEMES = ("http://", "https://")
#: Classes whose instances hold a URL without connecting to it.
REQUEST_OBJECTS = frozenset({"httpx.Request", "httpx.Response", "requests.Request", "requests.models.Request"})


class HardcodedConfigValue(Rule):
    """## What it does
    Checks for a string literal that is entirely a URL or DSN (`scheme://...` with no space, for the schemes
    `http`, `https`, `postgres`/`postgresql` (`+driver` too), `mysql`, `redis`/`rediss`, `amqp`/`amqps`,
    `mongodb`/`mongodb+srv` and `sqlite`) outside a settings class body, a settings module
    (`hr-settings-modules`) and a test module. Reported at the literal.

    A settings class body is a `BaseSettings` subclass, or any class whose name ends `Settings`, `Config`
    or `Configuration` (`ROISettings(LiteLLMBaseModel)`): its field defaults are the configuration's
    defaults. A parameter default (`def docs(swagger_js_url: str = "https://cdn...")`) is a documented,
    overridable default of the same kind and is not reported either.

    Not reported, for precision:

    - docstrings and other bare string statements, and prose that merely contains a URL (the literal must be
      the URL and nothing else); a URL passed to a call on a line of its own (`requests.get("https://...")`)
      is not a bare string and is reported;
    - documentation values: `description=`, `examples=`, `json_schema_extra=`, `title=`, `help=`, `link=`,
      FastAPI's
      `license_info=`, `contact=` and `terms_of_service=`, and assignments to such names or to names with
      a word `doc`, `docs`, `documentation`, `homepage`, `license` (`documentation_url`, `_INSTALL_DOCS`);
    - a web URL (`http`/`https`) given a name of its own as a constant of a module or class, UPPER_CASE or
      annotated `Final` (`API_URL = "https://api.vendor.com/v2"`, `endpoints: Final = [...]`, also as an
      item of a constant list or dict): style guide
      004 asks for "config/constants", and a named constant is one place to change it. Database and broker
      DSNs (`REDIS_URL = "redis://localhost:6379/0"`) differ between environments and are still reported;
    - an allow-list: a literal collection assigned or passed to a name with a word `allowed`, `allow`,
      `allowlist`, `whitelist`, `trusted`, `blocked`, `origins`, `cors`, ... (`allowed_hosts = [...]`,
      `default_origins = [...]`, `allow_origins=[...]`), or to a name the module only matches values
      against (`host in KNOWN`, `any(url.startswith(h) for h in KNOWN)`);
    - URLs that are identifiers, not places to connect to: XML namespaces on `www.w3.org`, JSON Schema
      dialects on `json-schema.org`, SAX features and properties on `xml.org` and `www.python.org/sax/`,
      OAuth scopes on `www.googleapis.com/auth/` or ending in `/.default`, ...; documentation placeholders
      on `example.com`/`.org`/`.net`, on any host starting `example.` or with a label `example`, `mock`,
      `fake`, `dummy`, `sample`, ... (`api.mock.com`), and on the reserved top-level names `.example`,
      `.test` and `.invalid`; documentation links (on a host starting `docs.`, or with a
      `#fragment`); static assets a page loads in the browser (`.js`, `.css`, images, fonts); regular
      expressions that match URLs (a backslash or `(?` in the literal);
    - a URL given to `httpx.Request(...)`/`httpx.Response(...)`: an object built, often a stand-in request
      for an exception, not a connection made;
    - an in-memory SQLite DSN (`sqlite:///:memory:`) and a bare scheme prefix (`"sqlite:///"`);
    - the literal pieces of an f-string (`f"https://{host}/v1"` is built, not entirely a literal), %- or
      `.format()` templates (`"http://%s:%d/" % (host, port)`), and values put into a message by a literal
      template's `.format(...)`;
    - a literal a value is compared or matched with (`url == "https://..."`, `url in (...)`,
      `url.startswith("https://...")`): recognising a URL is not configuring one.

    Opt-in (`hr-enable = HR410`), since issue 20: read on real applications, most URL literals are a
    vendor's public endpoint given as the last fallback of a value that is already configurable
    (`api_base or "https://..."`, `os.getenv("X") or "https://..."`, a request model's field default), a
    host served in-process, or text in a message; 1 of 20 sampled hits was a URL the code could not be
    configured away from. A team that keeps every endpoint in its settings enables it.

    ## Why is this bad?
    A URL in the code is configuration that cannot change without a release, differs between environments
    only by editing code, and often carries credentials. Style guide 003 (Configuration): "NEVER: Hardcoded
    configuration values"; 004 (checklist): "No hardcoded values (use config/constants)".

    ## Example
    ```python
    client = httpx.AsyncClient(base_url="https://id.acme.io/api", timeout=10)
    ```

    Use instead:
    ```python
    client = httpx.AsyncClient(base_url=get_settings().identity_api_url, timeout=10)
    ```
    """

    code = "HR410"
    tier = "opt-in"
    name = "hardcoded-config-value"
    message = "move the URL/DSN into the settings class and read it from the settings object"
    source = "003 Configuration (NEVER list); 004 checklist"
    options = ("hr-settings-modules", "hr-test-modules")
    valid = (
        "from pydantic import Field\nfrom pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n"
        "    database_url: str = 'postgresql+asyncpg://localhost/app'\n"
        "    api_url: str = Field(default='https://api.example.io', description='Upstream API')\n",
        Example("DATABASE_URL = 'postgresql://localhost/app'\n", path="app/core/config.py"),
        Example("BASE = 'http://testserver'\n", path="tests/test_items.py"),
        '"""Client for https://api.example.io (see https://docs.example.io)."""\n\n'
        "ERROR = 'see https://docs.example.io/errors for details'\n",
        "from pydantic import BaseModel, Field\n\nclass Link(BaseModel):\n"
        "    url: str = Field(description='https://example.io', examples=['https://cdn.example.io/a.png'])\n",
        # cpython: XML namespaces are identifiers
        "XMLNS = 'http://www.w3.org/2000/xmlns/'\nSCHEMA = 'https://json-schema.org/draft/2020-12/schema'\n",
        "import re\n\nPREFIXES = ('http://', 'https://')\nENGINE = 'sqlite:///:memory:'\n"
        "path = uri[len('sqlite:///') :]\n",
        # cpython: SAX feature names; pydoc's %-templates
        "feature_namespaces = 'http://xml.org/sax/features/namespaces'\n"
        "property_encoding = 'http://www.python.org/sax/properties/encoding'\n"
        "def url(host: str, port: int) -> str:\n    return 'http://%s:%d/' % (host, port)\n",
        # litellm: recognising a provider by its URL; a URL built in an f-string; an OAuth scope
        "def provider(endpoint: str) -> str:\n    if endpoint == 'https://api.poe.com/v1':\n        return 'poe'\n"
        "    if endpoint.startswith('https://api.openai.com'):\n        return 'openai'\n"
        "    return f'https://s3.{endpoint}.amazonaws.com'\n",
        "SCOPES = ['https://www.googleapis.com/auth/cloud-platform']\nGRAPH_SCOPE = 'https://graph.microsoft.com/.default'\n",
        # documentation metadata and allow-lists
        "from fastapi import FastAPI\n\napp = FastAPI(license_info={'name': 'MIT', 'url': 'https://acme.io/LICENSE'})\n\n"
        "class WebhookBlock:\n    documentation_url = 'https://docs.acme.io/blocks/webhook'\n\n"
        "def is_allowed(url: str) -> bool:\n    allowed_hosts = ['https://cdn.acme.io/', 'https://github.com/']\n"
        "    return any(url.startswith(host) for host in allowed_hosts)\n\n"
        "KNOWN = ('https://api.one.io', 'https://api.two.io')\n\ndef known(url: str) -> bool:\n"
        "    return url in KNOWN\n",
        # fixed public addresses named as constants; placeholders
        "API_URL = 'https://api.cloudvendor.com/v2'\nPREVIEW = {'reset_url': 'https://example.acme.dev/reset'}\n\n"
        "class SlackBlock:\n    LOGO_URL = 'https://cdn.acme.io/img/slack.png'\n\n"
        "PROVIDERS = ['https://api.one.ai/v1', 'https://api.two.ai/v1']\nSAMPLE = 'https://shop.test/cart'\n"
        "BY_REGION: Final = MappingProxyType({'us': 'https://otlp.acme.net', 'eu': 'https://otlp.eu.acme.net'})\n",
        # a class named for configuration; a parameter default; a documentation link
        "class ROISettings(AppModel):\n    gitlab_api_url: str = 'https://gitlab.com/api/v4'\n\n"
        "def docs(swagger_js_url: str = 'https://cdn.jsdelivr.net/npm/swagger-ui.js') -> str:\n"
        "    return swagger_js_url\n\nFIELD = Field(name='tags', link='https://docs.acme.ai/tags')\n",
        # a stand-in request for an exception, a regex, a docs link, a `Final` list
        "import httpx\nimport re\nfrom typing import Final\n\nclass ApiError(Exception):\n"
        "    def __init__(self) -> None:\n        self.request = httpx.Request(method='GET', url='https://litellm.ai')\n\n"
        "def is_zen(api_base: str) -> bool:\n"
        "    return re.match(r'https://opencode\\.ai/(?:zen)?', api_base) is not None\n\n"
        "def error(response) -> str:\n    return describe(response, 'https://docs.litellm.ai/docs')\n\n"
        "endpoints: Final[list[str]] = ['https://api.one.ai/v1', 'https://api.two.ai/v1']\n",
        # CORS origins are an allow-list
        "default_origins = ['http://localhost', 'http://127.0.0.1:*']\n"
        "app.add_middleware(CORSMiddleware, allow_origins=['https://app.acme.io'])\n",
        # a link in a message, a documentation anchor, a page's script
        "BANNER = '# {:^59} #'.format('https://github.com/acme/app/issues/new')\n"
        "hint = install or 'https://github.com/pyenv-win/pyenv-win#installation'\n"
        "js.append('https://code.jquery.com/jquery-3.6.0.min.js')\nMOCK = {'api_base': 'https://api.mock.com'}\n",
    )
    invalid = (
        "import httpx\n\nclient = httpx.AsyncClient(base_url='https://id.acme.io/api')  # error: HR410\n",
        "from sqlalchemy.ext.asyncio import create_async_engine\n\n"
        "engine = create_async_engine('postgresql+asyncpg://app:secret@db/app')  # error: HR410\n",
        "from pydantic import BaseModel\n\nclass Webhook(BaseModel):\n"
        "    target: str = 'http://localhost:8000/hook'  # error: HR410\n",
        "REDIS_URL = 'redis://localhost:6379/0'  # error: HR410\n",
        # a URL in a call whose result is discarded
        "import httpx\nimport requests\n\nasync def ping(client: httpx.AsyncClient) -> None:\n"
        "    requests.get('https://api.acme.io/health', timeout=5)  # error: HR410\n"
        "    await client.post('https://api.acme.io/ping')  # error: HR410\n"
        "    x = httpx.get('https://api.acme.io/health', timeout=5)  # error: HR410\n",
        # a lower-case or function-local name is no constant; a list that is connected to, not matched against
        "api_url = 'https://api.cloudvendor.com/v2'  # error: HR410\n\ndef base() -> str:\n"
        "    BASE = 'https://api.cloudvendor.com'  # error: HR410\n    return BASE\n\n"
        "MIRRORS = ['https://m1.acme.io']\nurls = ['https://m2.acme.io']  # error: HR410\n"
        "for url in urls:\n    fetch(url)\n",
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Modules whose source holds `://`, except settings and test modules."""
        return not ({"settings", "test"} & ctx.path_roles) and "://" in ctx.source()

    def finish(self) -> None:
        """Report each string literal that is a URL or DSN in a place that is not documentation or settings."""
        ctx = self.ctx
        constants = ctx.nodes_of(ast.Constant)
        strings = list(compress(constants, map(is_, map(type, map(VALUE, constants)), repeat(str))))
        # only the strings holding `://` reach Python code: both masks are built with `map`
        for node in compress(strings, map(contains, map(VALUE, strings), repeat("://"))):
            if not is_url_literal(node.value):
                continue
            if (
                matching_context(ctx, node)
                or documentation_context(ctx, node)
                or settings_class_around(ctx, node) is not None
                or config_class_around(ctx, node)
                or isinstance(ctx.parent(node), ast.arguments)
                or self._built_not_sent(node)
            ):
                continue
            named = assigned_collection_name(ctx, node)
            if named is not None and self._named_constant(node.value, *named):
                continue
            self.report(node)

    def _named_constant(self, value: str, name: str, statement: ast.AST) -> bool:
        """An allow-list, or a web URL named as a constant (UPPER_CASE or `Final`) of a module or class."""
        if not ALLOW_LIST_WORDS.isdisjoint(name_words(name)) or name in matched_names(self.ctx):
            return True
        if isinstance(statement, ast.keyword):
            return False
        constant = name.lstrip("_").isupper() or (
            isinstance(statement, ast.AnnAssign) and self._final(statement.annotation)
        )
        return value.lower().startswith(WEB_SCHEMES) and constant and self.ctx.enclosing_function(statement) is None

    def _final(self, annotation: ast.expr) -> bool:
        if isinstance(annotation, ast.Subscript):
            annotation = annotation.value
        return self.ctx.qualname(annotation) == "typing.Final"

    def _built_not_sent(self, node: ast.Constant) -> bool:
        """A URL given to `httpx.Request(...)`/`httpx.Response(...)`: an object built (often a stand-in request
        for an exception), not a connection made.
        """
        parent = self.ctx.parent(node)
        if isinstance(parent, ast.keyword):
            parent = self.ctx.parent(parent)
        return isinstance(parent, ast.Call) and self.ctx.call_name(parent) in REQUEST_OBJECTS
