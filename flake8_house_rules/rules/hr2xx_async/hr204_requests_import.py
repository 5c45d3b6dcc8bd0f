"""HR204 requests-import."""

from __future__ import annotations

import ast

from flake8_house_rules.context import imported_modules
from flake8_house_rules.rule import Rule


class RequestsImport(Rule):
    """## What it does
    Checks for `import requests` and `from requests import ...` (and their submodules).

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
    )
    invalid = (
        "import requests  # error: HR204",
        "import os, requests.adapters  # error: HR204",
        "from requests import Session  # error: HR204",
        "from requests.exceptions import HTTPError  # error: HR204",
    )

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        """`import requests`, `import requests.adapters`, `from requests import ...`."""
        if any(module.partition(".")[0] == "requests" for module in imported_modules(node)):
            self.report(node)

    visit_ImportFrom = visit_Import
