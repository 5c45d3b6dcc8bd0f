"""HR204 requests-import."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context import imported_modules
from flake8_house_rules.rule import Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import is_inline_script

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

#: How the names of exception classes end (`RequestException`, `HTTPError`, `ConnectTimeout`).
EXCEPTION_ENDINGS = ("Exception", "Error", "Timeout", "Warning")


class RequestsImport(Rule):
    """## What it does
    Checks for `import requests` and `from requests import ...` (and their submodules).

    Not reported, for precision: an import used only for `requests`' exception classes (`except
    requests.RequestException:` around an SDK that uses `requests` itself, a test's `side_effect =
    requests.ConnectionError(...)`, `from requests.exceptions import HTTPError`, anything of
    `requests.exceptions`, such as `InvalidURL`): the module makes no
    request, so nothing in it blocks; and a standalone script with PEP 723 inline metadata (`# /// script`),
    which runs on its own, outside the async application.

    ## Why is this bad?
    `requests` is synchronous: in an async application every call blocks the event loop. Style guide 003:
    "ALWAYS: `httpx.AsyncClient` over `requests`".

    ## Example
    ```python
    import requests

    def fetch_usage(token: str) -> dict:
        return requests.get(URL, headers={"Authorization": token}, timeout=10).json()
    ```

    Use instead:
    ```python
    import httpx

    async def fetch_usage(client: httpx.AsyncClient, token: str) -> dict:
        response = await client.get(URL, headers={"Authorization": token}, timeout=10.0)
        return response.json()
    ```
    """

    code = "HR204"
    name = "requests-import"
    message = "use `httpx.AsyncClient` instead of `requests`"
    source = "003 Async/Await (ALWAYS list)"
    valid = (
        "import httpx",
        "from app import requests",
        "from .requests import RequestPayload",
        "import requests_toolbelt_like_name",
        "import requests_oauthlib",
        "from typing import Annotated\nfrom pydantic import Field\n\n"
        "url: Annotated[str, Field(description='import requests')]",
        # langflow: the exceptions of an SDK that uses `requests` itself; a test's side effect
        "import requests\n\ndef transcribe(client) -> str:\n    try:\n        return client.run()\n"
        "    except requests.RequestException:\n        return ''",
        "from requests.exceptions import HTTPError, ConnectTimeout",
        # phoenix: an exception class of `requests.exceptions` whose name says no "Error"
        "from requests.exceptions import InvalidURL",
        '# /// script\n# dependencies = ["requests"]\n# ///\nimport requests\n\nrequests.get("https://example.com")',
    )

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Not standalone PEP 723 scripts."""
        return not is_inline_script(ctx)

    invalid = (
        "import requests  # error: HR204\n\ndef get(url: str) -> bytes:\n    return requests.get(url).content",
        "import os, requests.adapters  # error: HR204",
        "from requests import Session  # error: HR204",
        "from requests import HTTPError, get  # error: HR204",
        "import requests  # error: HR204\n\ntry:\n    sdk.call()\nexcept requests.RequestException:\n"
        "    requests.post(URL)",
    )

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        """`import requests`, `import requests.adapters`, `from requests import ...`."""
        imports_requests = any(module.partition(".")[0] == "requests" for module in imported_modules(node))
        if imports_requests and not self._only_exceptions(node):
            self.report(node)

    def _only_exceptions(self, node: ast.Import | ast.ImportFrom) -> bool:
        """Whether the import brings in only exception classes, or names used only for theirs."""
        if isinstance(node, ast.ImportFrom):
            if node.module == "requests.exceptions":
                return True  # that module holds only exception and warning classes (`InvalidURL`)
            return all(alias.name.endswith(EXCEPTION_ENDINGS) for alias in node.names)
        if len(node.names) != 1:
            return False
        alias = node.names[0]
        name = alias.asname or alias.name.partition(".")[0]
        uses = [use for use in self.ctx.nodes_of(ast.Name) if use.id == name and type(use.ctx) is ast.Load]
        if not uses:
            return False
        for use in uses:
            parent = self.ctx.parent(use)
            if not isinstance(parent, ast.Attribute):
                return False
            if parent.attr == "exceptions":
                continue
            if not parent.attr.endswith(EXCEPTION_ENDINGS):
                return False
        return True

    visit_ImportFrom = visit_Import
