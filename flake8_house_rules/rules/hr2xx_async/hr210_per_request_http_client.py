"""HR210 per-request-http-client."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr2xx_async.common import client_names, module_global_target

if TYPE_CHECKING:
    from flake8_house_rules.config import Config
    from flake8_house_rules.context import ModuleContext

LIFESPAN_NAME = "lifespan"


class PerRequestHttpClient(Rule):
    """## What it does
    Checks for an HTTP client (`httpx.AsyncClient(...)` or `httpx.Client(...)`, from the modules in
    `hr-http-client-modules`) constructed inside a function body, `async with httpx.AsyncClient() as c:`
    included. The accepted shapes are:

    - a lazy shared-client getter: the new client is assigned to a module global (`global _client`);
    - an application lifespan: a function named `lifespan`, or an `@asynccontextmanager` function passed
      as `lifespan=` (to `FastAPI(...)`, `Starlette(...)`, ...);
    - a provider that yields the client it builds (a dependency or fixture generator), or a factory that
      returns it (`return httpx.AsyncClient(...)`): where it is called or wired decides how often it
      runs, which the module alone does not show, so it is not reported.

    Test modules (`hr-test-modules`) are not checked: a client per test is how tests isolate.

    ## Why is this bad?
    A new client per request opens a new connection pool per request: no keep-alive, a TLS handshake
    every time, and sockets left to the garbage collector. Style guide 001 (HTTP Clients): "**Never**
    create `httpx.AsyncClient()` per request—use a shared module-level client".

    ## Example
    ```python
    async def fetch_profile(user_id: str) -> dict:
        async with httpx.AsyncClient(timeout=10.0) as client:
            response = await client.get(f"/users/{user_id}")
        return response.json()
    ```

    Use instead:
    ```python
    _http_client: httpx.AsyncClient | None = None
    _client_lock = asyncio.Lock()

    async def _get_http_client() -> httpx.AsyncClient:
        global _http_client
        async with _client_lock:
            if _http_client is None:
                _http_client = httpx.AsyncClient(timeout=30.0)
            return _http_client

    async def close_http_client() -> None:
        if _http_client is not None:
            await _http_client.aclose()
    ```
    """

    code = "HR210"
    name = "per-request-http-client"
    message = "build the HTTP client once (a lazy module-level getter or the app lifespan), not per call"
    source = "001 HTTP Clients"
    options = ("hr-http-client-modules", "hr-test-modules")
    valid = (
        "import httpx\n\nclient = httpx.AsyncClient(timeout=10)",
        "import asyncio\nimport httpx\n\n_client = None\n_lock = asyncio.Lock()\n\n"
        "async def get_client() -> httpx.AsyncClient:\n    global _client\n    async with _lock:\n"
        "        if _client is None:\n            _client = httpx.AsyncClient(timeout=30.0)\n        return _client",
        "from contextlib import asynccontextmanager\nimport httpx\nfrom fastapi import FastAPI\n\n"
        "@asynccontextmanager\nasync def app_lifetime(app: FastAPI):\n"
        "    async with httpx.AsyncClient(timeout=5) as client:\n        app.state.client = client\n        yield\n\n"
        "app = FastAPI(lifespan=app_lifetime)",
        "import httpx\n\nasync def lifespan(app):\n    app.state.http = httpx.AsyncClient(timeout=5)\n    yield",
        "import httpx\n\nasync def http_client():\n    async with httpx.AsyncClient(timeout=5) as client:\n"
        "        yield client",
        Example(
            "import httpx\n\nasync def test_api() -> None:\n    async with httpx.AsyncClient() as c:\n        pass",
            path="tests/test_api.py",
        ),
        "from app.http import AsyncClient\n\nasync def f() -> None:\n    c = AsyncClient()",
        "import httpx\n\ndef make_client() -> httpx.Client:\n    return httpx.Client(timeout=5)",
    )
    invalid = (
        "import httpx\n\nasync def fetch(url: str) -> bytes:\n"
        "    async with httpx.AsyncClient(timeout=5) as client:  # error: HR210\n"
        "        return (await client.get(url)).content",
        "from httpx import Client\n\ndef fetch(url: str) -> bytes:\n"
        "    return Client(timeout=5).get(url).content  # error: HR210",
        "import httpx2 as httpx\n\nclass Api:\n    def __init__(self) -> None:\n"
        "        self.client = httpx.AsyncClient(timeout=5)  # error: HR210",
        "import httpx\nfrom contextlib import asynccontextmanager\n\n@asynccontextmanager\n"
        "async def not_wired():\n    async with httpx.AsyncClient() as c:  # error: HR210\n        yield",
    )

    def start(self) -> None:
        """Per module: the constructions seen, and the names passed as `lifespan=`."""
        self._candidates: list[tuple[ast.Call, ast.AST]] = []
        self._lifespans: set[str] = set()
        self._yielded: set[tuple[ast.AST | None, str]] = set()

    def visit_Yield(self, node: ast.Yield) -> None:
        """Record the names a generator yields, to recognise providers that yield their client."""
        if isinstance(node.value, ast.Name):
            self._yielded.add((self.ctx.enclosing_function(node), node.value.id))

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Not in test modules."""
        return not ctx.is_test_module()

    @classmethod
    def call_names(cls, config: Config) -> frozenset[str]:
        """The client classes of the configured HTTP modules."""
        return client_names(config)

    def visit_keyword(self, node: ast.keyword) -> None:
        """Collect the functions passed as `lifespan=` (to `FastAPI(...)`, `Starlette(...)`, ...)."""
        if node.arg == LIFESPAN_NAME and isinstance(node.value, ast.Name):
            self._lifespans.add(node.value.id)

    def visit_call(self, node: ast.Call, name: str) -> None:
        """Collect client constructions in functions."""
        function = self.ctx.enclosing_function(node)
        if function is None or module_global_target(self.ctx, node) is not None:
            return
        self._candidates.append((node, function))

    def finish(self) -> None:
        """Report the constructions that are in none of the accepted shapes."""
        for node, function in self._candidates:
            if not self._accepted(node, function):
                self.report(node)

    def _accepted(self, node: ast.Call, function: ast.AST) -> bool:
        if isinstance(function, ast.Lambda):
            return False
        name = getattr(function, "name", "")
        if name == LIFESPAN_NAME or name in self._lifespans:
            return True
        return self._yields_client(node, function)

    def _yields_client(self, node: ast.Call, function: ast.AST) -> bool:
        """Whether the function yields or returns the client it builds: a provider or a factory."""
        parent = self.ctx.parent(node)
        if isinstance(parent, ast.Yield | ast.Return):
            return parent.value is node
        bound: ast.expr | None = None
        if isinstance(parent, ast.withitem):
            bound = parent.optional_vars
        elif isinstance(parent, ast.Assign) and len(parent.targets) == 1:
            bound = parent.targets[0]
        return isinstance(bound, ast.Name) and (function, bound.id) in self._yielded
