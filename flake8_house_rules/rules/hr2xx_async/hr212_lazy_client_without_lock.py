"""HR212 lazy-client-without-lock."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Rule
from flake8_house_rules.rules.hr2xx_async.common import CACHE_CLASSES, client_names, module_global_target, under_lock

if TYPE_CHECKING:
    from flake8_house_rules.config import Config


class LazyClientWithoutLock(Rule):
    """## What it does
    Checks for a lazy getter that creates a shared HTTP client (`httpx.AsyncClient`/`Client`) or a
    `cachetools` cache and assigns it to a module global (`global _client; _client = ...`) outside an
    `async with <lock>:` block. Reported at the assignment.

    Only `async def` getters are checked: a synchronous getter cannot hold an `asyncio.Lock`, and with no
    `await` between its check and its assignment the event loop cannot interleave another task there.

    A `with`/`async with` item counts as a lock unless it is provably something else: a name bound to
    `asyncio.Lock()` certainly, and also a name or attribute the module cannot resolve, so that a lock
    built elsewhere never causes a report.

    ## Why is this bad?
    Two requests that find the global empty at the same time both build a client; one of them leaks.
    Style guide 001 (HTTP Clients): "Use `_get_http_client()` pattern with lazy initialization and
    `asyncio.Lock`", and (Caching) "use local `TTLCache` with `asyncio.Lock`".

    ## Example
    ```python
    async def get_http_client() -> httpx.AsyncClient:
        global _http_client
        if _http_client is None:
            _http_client = httpx.AsyncClient(timeout=30.0)
        return _http_client
    ```

    Use instead:
    ```python
    async def get_http_client() -> httpx.AsyncClient:
        global _http_client
        async with _client_lock:
            if _http_client is None:
                _http_client = httpx.AsyncClient(timeout=30.0)
            return _http_client
    ```
    """

    code = "HR212"
    name = "lazy-client-without-lock"
    message = "create and assign the shared client or cache inside `async with <asyncio.Lock>:`"
    source = "001 HTTP Clients; 001 Caching"
    options = ("hr-http-client-modules",)
    valid = (
        "import asyncio\nimport httpx\n\n_c = None\n_lock = asyncio.Lock()\n\nasync def get():\n"
        "    global _c\n    async with _lock:\n        if _c is None:\n            _c = httpx.AsyncClient(timeout=5)\n"
        "    return _c",
        "import httpx\n\nasync def f():\n    client = httpx.AsyncClient(timeout=5)\n    return client",
        "import httpx\n\nclient = httpx.AsyncClient(timeout=5)",
        "import httpx\n\nasync def get(self):\n    global _c\n    async with self._lock:\n"
        "        _c = httpx.AsyncClient(timeout=5)",
        "from cachetools import TTLCache\n\ndef cache():\n    global _cache\n    if _cache is None:\n"
        "        _cache = TTLCache(maxsize=10, ttl=60)\n    return _cache",
        "import httpx\n\nclass Api:\n    async def client(self) -> httpx.AsyncClient:\n        if self._c is None:\n"
        "            self._c = httpx.AsyncClient(timeout=5)\n        return self._c",
    )
    invalid = (
        "import httpx\n\n_c = None\n\nasync def get():\n    global _c\n    if _c is None:\n"
        "        _c = httpx.AsyncClient(timeout=5)  # error: HR212\n    return _c",
        "from cachetools import TTLCache\n\n_cache = None\n\nasync def cache():\n    global _cache\n"
        "    _cache = TTLCache(maxsize=10, ttl=60)  # error: HR212\n    return _cache",
    )

    @classmethod
    def call_names(cls, config: Config) -> frozenset[str]:
        """The client classes of the configured HTTP modules, and the `cachetools` caches."""
        return client_names(config) | CACHE_CLASSES

    def visit_call(self, node: ast.Call, name: str) -> None:
        """Report an unguarded assignment of a new client or cache to a global."""
        if module_global_target(self.ctx, node) is None or under_lock(self.ctx, node):
            return
        if not isinstance(self.ctx.enclosing_function(node), ast.AsyncFunctionDef):
            return
        self.report(self.ctx.parent(node) or node)
