"""HR213 http-client-without-timeout."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Rule
from flake8_house_rules.rules.hr2xx_async.common import client_names, verb_names

if TYPE_CHECKING:
    from flake8_house_rules.config import Config


IN_PROCESS = frozenset({"ASGITransport", "WSGITransport", "MockTransport"})


class HttpClientWithoutTimeout(Rule):
    """## What it does
    Checks for `httpx.AsyncClient(...)`/`httpx.Client(...)` and the module-level request functions
    (`httpx.get(...)`, `httpx.post(...)`, ...) called without `timeout=`, or with `timeout=None`. A call
    that passes `**kwargs` may carry a timeout and is not reported, and neither is a client that talks to
    an application in the same process (`transport=httpx.ASGITransport(app=app)`, `WSGITransport`,
    `MockTransport`, or the older `app=`): no network, nothing to wait for.

    ## Why is this bad?
    An explicit timeout is a decision about how long a dependency may hold a request; `timeout=None`
    waits forever. Style guide 003 (HTTP Client): "ALWAYS: Set reasonable timeouts".

    ## Example
    ```python
    client = httpx.AsyncClient(base_url=settings.api_url)
    ```

    Use instead:
    ```python
    client = httpx.AsyncClient(base_url=settings.api_url, timeout=httpx.Timeout(10.0, connect=3.0))
    ```
    """

    code = "HR213"
    name = "http-client-without-timeout"
    message = "pass an explicit `timeout=` (not `None`) to the HTTP client"
    source = "003 HTTP Client"
    options = ("hr-http-client-modules",)
    valid = (
        "import httpx\n\nclient = httpx.AsyncClient(timeout=10.0)",
        "import httpx\n\nr = httpx.get('https://x', timeout=httpx.Timeout(5.0))",
        "import httpx\n\ndef make(**options) -> httpx.Client:\n    return httpx.Client(**options)",
        "from app import Client\n\nc = Client()",
        "import httpx\n\nasync def f(c: httpx.AsyncClient) -> None:\n    await c.get('/')",
        "import httpx\n\nclient = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url='http://t')",
        "import httpx\n\nclient = httpx.Client(transport=httpx.MockTransport(handler))",
        "import httpx\n\nclass Api:\n    def __init__(self) -> None:\n"
        "        self._http = httpx.AsyncClient(**self._options)",
        "from typing import Annotated\nimport httpx\nfrom fastapi import Depends\n\n"
        "async def f(client: Annotated[httpx.AsyncClient, Depends(get_client)]) -> None: ...",
    )
    invalid = (
        "import httpx\n\nclient = httpx.AsyncClient(base_url='https://x')  # error: HR213",
        "import httpx\n\nclient = httpx.Client(timeout=None)  # error: HR213",
        "from httpx import post\n\npost('https://x', json={})  # error: HR213",
    )

    @classmethod
    def call_names(cls, config: Config) -> frozenset[str]:
        """The client classes and module-level request functions of the configured HTTP modules."""
        return client_names(config) | verb_names(config)

    def visit_call(self, node: ast.Call, name: str) -> None:
        """Report a client or request call without a real timeout."""
        if self._in_process(node):
            return
        for keyword in node.keywords:
            if keyword.arg is None:
                return
            if keyword.arg == "timeout":
                value = keyword.value
                if isinstance(value, ast.Constant) and value.value is None:
                    self.report(node, "`timeout=None` waits forever: pass a real timeout")
                return
        self.report(node)

    def _in_process(self, node: ast.Call) -> bool:
        """A client that talks to an app in the same process (`transport=httpx.ASGITransport(app)`, `app=`)."""
        for keyword in node.keywords:
            if keyword.arg == "app":
                return True
            if keyword.arg == "transport" and isinstance(keyword.value, ast.Call):
                found = self.ctx.qualname(keyword.value.func) or ""
                module, _, cls = found.rpartition(".")
                if module in self.ctx.config.http_client_modules and cls in IN_PROCESS:
                    return True
        return False
