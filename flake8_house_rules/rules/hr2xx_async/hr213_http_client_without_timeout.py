"""HR213 http-client-without-timeout."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Rule
from flake8_house_rules.rules.hr2xx_async.common import client_names, in_process_client, verb_names

if TYPE_CHECKING:
    from flake8_house_rules.config import Config


#: The parameter through which SDKs take an HTTP client (OpenAI's, Anthropic's, ...).
HTTP_CLIENT = "http_client"
#: The client methods that send a request and take their own `timeout=`.
REQUEST_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"})


class HttpClientWithoutTimeout(Rule):
    """## What it does
    Checks for `httpx.AsyncClient(...)`/`httpx.Client(...)` and the module-level request functions
    (`httpx.get(...)`, `httpx.post(...)`, ...) called without `timeout=`, or with `timeout=None`. A call
    that passes `**kwargs` may carry a timeout and is not reported, and neither is a client that talks to
    an application in the same process (`transport=httpx.ASGITransport(app=app)`, also bound to a name first,
    `WSGITransport`,
    `MockTransport`, or the older `app=`): no network, nothing to wait for. Nor is a client handed to an SDK
    as its `http_client` (`OpenAI(http_client=httpx.Client(...))`, or under an `"http_client"` key of the
    SDK's arguments: crewai; also as one branch of `... if insecure else None`): the SDK passes its own
    timeout on every request it builds. Nor is a client opened by a
    `with`/`async with` (`async with httpx.AsyncClient() as client:`) whose every use in the block is a
    request that passes its own real `timeout=` (`await client.post(url, timeout=5.0)`, `client.stream(...,
    timeout=120.0)`): the timeout is decided, per request. A client handed on, kept or used otherwise is
    still reported.

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
        # crewai: the SDK sets the timeout of every request it sends through the client
        "import httpx\nfrom openai import OpenAI\n\ndef client(transport) -> OpenAI:\n"
        "    cfg = {'timeout': 30.0}\n    cfg['http_client'] = httpx.Client(transport=transport)\n"
        "    return OpenAI(**cfg, http_client=httpx.Client())\n",
        # phoenix: the SDK's client only for an insecure connection
        "import httpx\nfrom openai import OpenAI\n\n\ndef sdk(insecure: bool) -> OpenAI:\n"
        "    return OpenAI(http_client=httpx.Client(verify=False) if insecure else None)\n",
        "import httpx\n\nclient = httpx.AsyncClient(timeout=10.0)",
        "import httpx\n\nr = httpx.get('https://x', timeout=httpx.Timeout(5.0))",
        "import httpx\n\ndef make(**options) -> httpx.Client:\n    return httpx.Client(**options)",
        "from app import Client\n\nc = Client()",
        "import httpx\n\nasync def f(c: httpx.AsyncClient) -> None:\n    await c.get('/')",
        "import httpx\n\nclient = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url='http://t')",
        "import httpx\n\nclient = httpx.Client(transport=httpx.MockTransport(handler))",
        # dstack's conftest: the transport bound to a name first
        "import httpx\n\ndef client(app) -> httpx.AsyncClient:\n    transport = httpx.ASGITransport(app=app)\n"
        "    return httpx.AsyncClient(transport=transport, base_url='http://test')",
        "import httpx\n\nclass Api:\n    def __init__(self) -> None:\n"
        "        self._http = httpx.AsyncClient(**self._options)",
        "from typing import Annotated\nimport httpx\nfrom fastapi import Depends\n\n"
        "async def f(client: Annotated[httpx.AsyncClient, Depends(get_client)]) -> None: ...",
        # letta: every request on the client sets its own timeout
        "import httpx\n\nasync def notify(url: str) -> None:\n    async with httpx.AsyncClient() as client:\n"
        "        r = await client.post(url, json={}, timeout=5.0)\n        r.raise_for_status()\n"
        "        async with client.stream('GET', url, timeout=120.0) as response:\n            await response.aread()",
    )
    invalid = (
        "import httpx\n\nclient = httpx.AsyncClient(base_url='https://x')  # error: HR213",
        "import httpx\n\nclient = httpx.Client(timeout=None)  # error: HR213",
        "from httpx import post\n\npost('https://x', json={})  # error: HR213",
        # one request without its own timeout, or the client handed on
        "import httpx\n\nasync def f(url: str) -> None:\n"
        "    async with httpx.AsyncClient() as client:  # error: HR213\n"
        "        await client.post(url, timeout=5.0)\n        await client.get(url)",
        "import httpx\n\nasync def f(url: str) -> None:\n"
        "    async with httpx.AsyncClient() as client:  # error: HR213\n"
        "        await client.post(url, timeout=5.0)\n        await poll(client)",
        "import httpx\n\ndef f(url: str) -> None:\n    with httpx.Client() as client:  # error: HR213\n"
        "        client.get(url, timeout=None)",
    )

    @classmethod
    def call_names(cls, config: Config) -> frozenset[str]:
        """The client classes and module-level request functions of the configured HTTP modules."""
        return client_names(config) | verb_names(config)

    def visit_call(self, node: ast.Call, name: str) -> None:
        """Report a client or request call without a real timeout."""
        if in_process_client(self.ctx, node) or self._handed_to_sdk(node):
            return
        for keyword in node.keywords:
            if keyword.arg is None:
                return
            if keyword.arg == "timeout":
                value = keyword.value
                if isinstance(value, ast.Constant) and value.value is None:
                    self.report(node, "`timeout=None` waits forever: pass a real timeout")
                return
        if not self._every_request_times_out(node):
            self.report(node)

    def _handed_to_sdk(self, node: ast.Call) -> bool:
        """Whether the client is an SDK's `http_client` (`OpenAI(http_client=httpx.Client(...))`, or stored
        under an `"http_client"` key of the SDK's arguments): the SDK passes its own timeout on every request
        it builds, so the client's is never used. Also when one branch of a conditional expression is handed
        over (`http_client=httpx.Client(verify=False) if insecure else None`).
        """
        parent = self.ctx.parent(node)
        if isinstance(parent, ast.IfExp) and node is not parent.test:
            node, parent = parent, self.ctx.parent(parent)
        if isinstance(parent, ast.keyword):
            return parent.arg == HTTP_CLIENT
        if isinstance(parent, ast.Dict):
            return any(
                value is node and isinstance(key, ast.Constant) and key.value == HTTP_CLIENT
                for key, value in zip(parent.keys, parent.values, strict=True)
            )
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
            target = parent.targets[0]
            return (
                isinstance(target, ast.Subscript)
                and isinstance(target.slice, ast.Constant)
                and target.slice.value == HTTP_CLIENT
            )
        return False

    def _every_request_times_out(self, node: ast.Call) -> bool:
        """Whether a client opened by `with ... as name:` is only used, in that block, for requests that
        pass their own real `timeout=`.
        """
        item = self.ctx.parent(node)
        if not isinstance(item, ast.withitem) or item.context_expr is not node:
            return False
        target = item.optional_vars
        block = self.ctx.parent(item)
        if not isinstance(target, ast.Name) or not isinstance(block, ast.With | ast.AsyncWith):
            return False
        start, end = (block.lineno, block.col_offset), (block.end_lineno or 0, block.end_col_offset or 0)
        uses = 0
        for name in self.ctx.nodes_of(ast.Name):
            if name.id != target.id or name is target or not start <= (name.lineno, name.col_offset) <= end:
                continue
            method = self.ctx.parent(name)
            call = self.ctx.parent(method)
            if not (
                isinstance(method, ast.Attribute)
                and method.attr in REQUEST_METHODS
                and isinstance(call, ast.Call)
                and call.func is method
                and _real_timeout(call)
            ):
                return False
            uses += 1
        return uses > 0


def _real_timeout(call: ast.Call) -> bool:
    """Whether a request call passes `timeout=` with something other than `None`."""
    return any(
        keyword.arg == "timeout" and not (isinstance(keyword.value, ast.Constant) and keyword.value.value is None)
        for keyword in call.keywords
    )
