"""HR210 per-request-http-client."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Example, Rule
from flake8_house_rules.rules.hr0xx_hygiene.common import imports_command_line_framework
from flake8_house_rules.rules.hr2xx_async.common import client_names, in_process_client, module_global_target

if TYPE_CHECKING:
    from flake8_house_rules.config import Config
    from flake8_house_rules.context import ModuleContext

LIFESPAN_NAME = "lifespan"
#: Expressions that pass a value on unchanged or wrapped: a call's argument, `x or y`, `a if c else b`, ...
WRAPPERS = (ast.Call, ast.keyword, ast.BoolOp, ast.IfExp, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.Starred)
HANDS_OVER = (ast.Return, ast.Yield, ast.YieldFrom, ast.Lambda)
MAX_FLOW = 3
#: Methods that keep what they are given: containers, and exit stacks that close it later.
STORING_METHODS = frozenset(
    {"append", "add", "insert", "setdefault", "enter_context", "enter_async_context", "push", "put", "put_nowait"}
)


class PerRequestHttpClient(Rule):
    """## What it does
    Checks for an HTTP client (`httpx.AsyncClient(...)` or `httpx.Client(...)`, from the modules in
    `hr-http-client-modules`) constructed inside a function body for that call's own use,
    `async with httpx.AsyncClient() as client:` in a function that serves one request included.

    A client that outlives the call is not per-request, and is not reported:

    - a client an object owns: stored on an attribute or in a container (`self._http = httpx.AsyncClient()`,
      `self._session = session or httpx.Client(timeout=10)`, `app.state.http = ...`, `cls._clients[k] = ...`,
      `self._pool.append(...)`, `setattr(...)`, `await stack.enter_async_context(...)`), directly, wrapped
      (`self.api = OpenAI(http_client=httpx.Client())`), or through a local name;
    - a client handed to the caller: returned or yielded, directly, wrapped (`return Api(client)`), or
      through a local name (a factory `def _make_client() -> httpx.AsyncClient`, a dependency or fixture
      that yields it, a lambda that builds it);
    - a lazy shared-client getter: the new client is assigned to a module global (`global _client`);
    - a client held open across a `yield` (`async with httpx.AsyncClient() as c: ... yield`): a context
      manager or dependency whose caller decides how long it lives, which the module does not show;
    - an application lifespan: a function whose name contains `lifespan`, or a function passed as
      `lifespan=` (to `FastAPI(...)`, `Starlette(...)`, ...).

    Using the client in place (`httpx.Client().get(url)`, `await client.get(...)`) is not handing it over.
    Test modules (`hr-test-modules`) are not checked: a client per test is how tests isolate. Nor are
    command lines (modules importing `click`, `typer`, `argparse`, ...: lnbits' `commands.py`): a command
    runs once per invocation, often each in its own `asyncio.run`, and serves no requests a shared client
    would be reused across. Nor is a client on an in-process transport (`transport=httpx.ASGITransport(app=
    request.app)`, `app=`: lnbits' LNURL callback calling its own app): it opens no connection, so it has
    no pool to reuse.

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
        # lnbits: a click command opens its client for the one call it makes
        "import click\nimport httpx\n\n@click.command()\ndef install(url: str) -> None:\n"
        "    with httpx.Client(timeout=40) as client:\n        client.post(url)\n",
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
        "import httpx\n\nclass Api:\n    def __init__(self, session: httpx.Client | None = None) -> None:\n"
        "        self._session = session or httpx.Client(timeout=10)",
        "import httpx\n\nclass Api:\n    async def start(self) -> None:\n"
        "        self._http = httpx.AsyncClient(timeout=10)",
        "import httpx\n\nclass Api:\n    @classmethod\n    def configure(cls) -> None:\n"
        "        cls._http = httpx.AsyncClient(timeout=10) if cls.remote else None",
        "import httpx\n\ndef _make_client(base_url: str) -> httpx.AsyncClient:\n"
        "    return httpx.AsyncClient(base_url=base_url, timeout=10)",
        "import httpx\n\ndef _make_api(token: str) -> Api:\n"
        "    client = httpx.AsyncClient(headers={'Authorization': token}, timeout=10)\n    return Api(client)",
        "import httpx\n\ndef _make_api() -> Api:\n    return Api(http_client=httpx.Client(timeout=10))",
        "import httpx\nfrom openai import OpenAI\n\nclass Llm:\n    def __init__(self) -> None:\n"
        "        self.api = OpenAI(http_client=httpx.Client(timeout=10))",
        "import httpx\n\nclass Pool:\n    def client_for(self, host: str) -> httpx.Client:\n"
        "        if host not in self._clients:\n"
        "            self._clients[host] = httpx.Client(base_url=host, timeout=5)\n"
        "        return self._clients[host]",
        "import httpx\n\nclass Api:\n    def __init__(self) -> None:\n"
        "        client = httpx.Client(timeout=10)\n        client.headers['x'] = 'y'\n        self._client = client",
        "import httpx\n\nclass Pool:\n    def grow(self) -> None:\n"
        "        self._clients.append(httpx.Client(timeout=5))",
        "import httpx\n\nasync def setup(stack, app) -> None:\n"
        "    app.state.http = await stack.enter_async_context(httpx.AsyncClient(timeout=5))",
        "import httpx\n\ndef build(settings: object) -> object:\n"
        "    return Service(factory=lambda: httpx.AsyncClient(timeout=5))",
        "import httpx\nfrom contextlib import asynccontextmanager\n\n@asynccontextmanager\n"
        "async def admin_api(app):\n    async with httpx.AsyncClient(transport=transport) as client:\n"
        "        app.state.gateway = Gateway(client)\n        yield",
        # lnbits: a call into its own app, on an in-process transport
        "import httpx\nfrom fastapi import Request\n\nasync def callback(request: Request) -> dict:\n"
        "    transport = httpx.ASGITransport(app=request.app)\n"
        "    async with httpx.AsyncClient(transport=transport, base_url='http://app') as client:\n"
        "        return (await client.get('/api/v1/lnurl')).json()",
        "import httpx\n\n@asynccontextmanager\nasync def admin_mcp_lifespan(app):\n"
        "    client = httpx.AsyncClient(timeout=5)\n    await client.get('/health')\n    yield",
    )
    invalid = (
        "import httpx\n\nasync def fetch(url: str) -> bytes:\n"
        "    async with httpx.AsyncClient(timeout=5) as client:  # error: HR210\n"
        "        return (await client.get(url)).content",
        "from httpx import Client\n\ndef fetch(url: str) -> bytes:\n"
        "    return Client(timeout=5).get(url).content  # error: HR210",
        "import httpx2 as httpx\n\nclass Api:\n    async def fetch(self, url: str) -> bytes:\n"
        "        async with httpx.AsyncClient(timeout=5) as c:  # error: HR210\n"
        "            return (await c.get(url)).content",
        "import httpx\n\nasync def fetch(url: str) -> dict:\n"
        "    client = httpx.AsyncClient(timeout=5)  # error: HR210\n"
        "    try:\n        response = await client.get(url)\n        return response.json()\n"
        "    finally:\n        await client.aclose()",
    )

    def start(self) -> None:
        """Per module: the constructions seen, and the names passed as `lifespan=`."""
        self._candidates: list[tuple[ast.Call, ast.AST]] = []
        self._lifespans: set[str] = set()

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Not in test modules, nor in command lines (a command runs once per invocation, no request to serve)."""
        return not ctx.is_test_module() and not imports_command_line_framework(ctx)

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
        if function is None or module_global_target(self.ctx, node) is not None or in_process_client(self.ctx, node):
            return
        self._candidates.append((node, function))

    def finish(self) -> None:
        """Report the constructions that are in none of the accepted shapes."""
        for node, function in self._candidates:
            name = getattr(function, "name", "")
            if LIFESPAN_NAME in name or name in self._lifespans:
                continue
            if not self._outlives_call(node, function, 0):
                self.report(node)

    def _outlives_call(self, node: ast.expr, function: ast.AST, depth: int) -> bool:
        """Whether a value is handed over (returned, yielded) or kept (stored on an object) by the function,
        directly, wrapped in other values, or through a local name.
        """
        child: ast.AST = node
        parent = self.ctx.parent(node)
        while isinstance(parent, WRAPPERS) or (isinstance(parent, ast.NamedExpr) and child is parent.value):
            if isinstance(parent, ast.Call) and child is parent.func:
                return False  # `Client()(...)`: called, not passed on
            if isinstance(parent, ast.Call) and _stores(parent):
                return True  # `self._clients.append(client)`, `stack.enter_async_context(client)`
            if isinstance(parent, ast.IfExp) and child is parent.test:
                return False
            child, parent = parent, self.ctx.parent(parent)
        if isinstance(parent, HANDS_OVER):
            return not isinstance(parent, ast.Lambda) or child is parent.body
        targets: list[ast.expr] = []
        if isinstance(parent, ast.Assign):
            targets = parent.targets
        elif isinstance(parent, ast.AnnAssign | ast.withitem):
            target = parent.target if isinstance(parent, ast.AnnAssign) else parent.optional_vars
            targets = [target] if target is not None else []
        if any(isinstance(target, ast.Attribute | ast.Subscript) for target in targets):
            return True
        if isinstance(parent, ast.withitem) and self._yields_inside(self.ctx.parent(parent), function):
            return True
        names = {target.id for target in targets if isinstance(target, ast.Name)}
        return bool(names) and depth < MAX_FLOW and self._name_outlives_call(names, function, depth)

    def _yields_inside(self, block: ast.AST | None, function: ast.AST) -> bool:
        """Whether the function yields inside a `with` block: the client stays open across the `yield`."""
        for kind in (ast.Yield, ast.YieldFrom):
            for node in self.ctx.nodes_of(kind):
                if self.ctx.enclosing_function(node) is function and block in self.ctx.ancestors_in_function(node):
                    return True
        return False

    def _name_outlives_call(self, names: set[str], function: ast.AST, depth: int) -> bool:
        """Whether a local name holding the client is itself handed over or kept."""
        for use in self.ctx.nodes_of(ast.Name):
            if (
                use.id in names
                and isinstance(use.ctx, ast.Load)
                and self.ctx.enclosing_function(use) is function
                and self._outlives_call(use, function, depth + 1)
            ):
                return True
        return False


def _stores(call: ast.Call) -> bool:
    """Whether a call keeps its arguments: a container's `append`/`add`/..., an exit stack, `setattr`."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr in STORING_METHODS
    return isinstance(func, ast.Name) and func.id == "setattr"
