"""HR410 hardcoded-config-value."""

from __future__ import annotations

import ast
from itertools import compress, repeat
from operator import attrgetter, contains, is_
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr4xx_config.common import (
    documentation_context,
    is_url_literal,
    matching_context,
    settings_class_around,
)

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext


VALUE = attrgetter("value")


class HardcodedConfigValue(Rule):
    """## What it does
    Checks for a string literal that is entirely a URL or DSN (`scheme://...` with no space, for the schemes
    `http`, `https`, `postgres`/`postgresql` (`+driver` too), `mysql`, `redis`/`rediss`, `amqp`/`amqps`,
    `mongodb`/`mongodb+srv` and `sqlite`) outside a settings class body, a settings module
    (`hr-settings-modules`) and a test module. Reported at the literal.

    Not reported, for precision:

    - docstrings and other bare string statements, and prose that merely contains a URL (the literal must be
      the URL and nothing else);
    - documentation values: `description=`, `examples=`, `json_schema_extra=`, `title=`, `help=`, and
      assignments to such names;
    - URLs that are identifiers, not places to connect to: XML namespaces on `www.w3.org`, JSON Schema
      dialects on `json-schema.org`, SAX features and properties on `xml.org` and `www.python.org/sax/`,
      OAuth scopes on `www.googleapis.com/auth/` or ending in `/.default`, ...; documentation placeholders
      on `example.com`/`.org`/`.net`;
    - an in-memory SQLite DSN (`sqlite:///:memory:`) and a bare scheme prefix (`"sqlite:///"`);
    - the literal pieces of an f-string (`f"https://{host}/v1"` is built, not entirely a literal) and %- or
      `.format()` templates (`"http://%s:%d/" % (host, port)`);
    - a literal a value is compared or matched with (`url == "https://..."`, `url in (...)`,
      `url.startswith("https://...")`): recognising a URL is not configuring one.

    ## Why is this bad?
    A URL in the code is configuration that cannot change without a release, differs between environments
    only by editing code, and often carries credentials. Style guide 003 (Configuration): "NEVER: Hardcoded
    configuration values"; 004 (checklist): "No hardcoded values (use config/constants)".

    ## Example
    ```python
    client = httpx.AsyncClient(base_url="https://id.example.io/api", timeout=10)
    ```

    Use instead:
    ```python
    client = httpx.AsyncClient(base_url=get_settings().identity_api_url, timeout=10)
    ```
    """

    code = "HR410"
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
    )
    invalid = (
        "import httpx\n\nclient = httpx.AsyncClient(base_url='https://id.example.io/api')  # error: HR410\n",
        "from sqlalchemy.ext.asyncio import create_async_engine\n\n"
        "engine = create_async_engine('postgresql+asyncpg://app:secret@db/app')  # error: HR410\n",
        "from pydantic import BaseModel\n\nclass Webhook(BaseModel):\n"
        "    target: str = 'http://localhost:8000/hook'  # error: HR410\n",
        "REDIS_URL = 'redis://localhost:6379/0'  # error: HR410\n",
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Modules whose source holds `://`, except settings and test modules."""
        return not ({"settings", "test"} & ctx.roles) and "://" in ctx.source()

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
            ):
                continue
            self.report(node)
