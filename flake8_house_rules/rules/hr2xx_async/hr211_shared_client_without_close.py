"""HR211 shared-client-without-close."""

from __future__ import annotations

import ast

from flake8_house_rules.rule import Rule
from flake8_house_rules.rules.hr2xx_async.common import client_kind

CLOSE_METHODS = frozenset({"aclose", "close"})


class SharedClientWithoutClose(Rule):
    """## What it does
    Checks for a module that holds a shared HTTP client in a module global (assigned an
    `httpx.AsyncClient(...)`/`httpx.Client(...)`, at module level or in a getter through `global`, or
    annotated with the client type at module level) but defines no module-level `close_*` function that
    calls `.aclose()`/`.close()` on that global. Reported at the global's first binding.

    ## Why is this bad?
    A client that is never closed leaks its connection pool at shutdown, and tests that restart the app
    see warnings about unclosed sockets. Style guide 001 (HTTP Clients): "Always provide a
    `close_*_client()` function for shutdown cleanup" and "Register cleanup in `main.py` lifespan
    handler".

    ## Example
    ```python
    _http_client: httpx.AsyncClient | None = None

    async def get_http_client() -> httpx.AsyncClient: ...
    ```

    Use instead:
    ```python
    _http_client: httpx.AsyncClient | None = None

    async def get_http_client() -> httpx.AsyncClient: ...

    async def close_http_client() -> None:
        global _http_client
        if _http_client is not None:
            await _http_client.aclose()
            _http_client = None
    ```
    """

    code = "HR211"
    name = "shared-client-without-close"
    message = "define a module-level `close_*()` function that closes this shared client"
    source = "001 HTTP Clients"
    options = ("hr-http-client-modules",)
    valid = (
        "import httpx\n\nclient = httpx.AsyncClient(timeout=5)\n\n"
        "async def close_client() -> None:\n    await client.aclose()",
        "import httpx\n\n_c: httpx.Client | None = None\n\ndef close_http_client() -> None:\n"
        "    if _c is not None:\n        _c.close()",
        "import httpx\n\nasync def f() -> None:\n    async with httpx.AsyncClient() as c:\n        pass",
        "from app import AsyncClient\n\nclient = AsyncClient()",
        "import httpx\n\nclass Api:\n    client = httpx.AsyncClient(timeout=5)",
        "import httpx\n\nclass Api:\n    def __init__(self) -> None:\n"
        "        self._http = httpx.AsyncClient(timeout=5)",
        "from typing import Annotated\nimport httpx\nfrom fastapi import Depends\n\n"
        "Client = Annotated[httpx.AsyncClient, Depends(get_client)]",
    )
    invalid = (
        "import httpx\n\nclient = httpx.AsyncClient(timeout=5)  # error: HR211",
        "import httpx\n\n_http_client: httpx.AsyncClient | None = None  # error: HR211\n\n"
        "async def get() -> httpx.AsyncClient:\n    global _http_client\n"
        "    _http_client = httpx.AsyncClient(timeout=5)\n    return _http_client",
        "import httpx\n\nclient = httpx.AsyncClient(timeout=5)  # error: HR211\n\n"
        "async def shutdown() -> None:\n    await client.aclose()",
    )

    def start(self) -> None:
        """Per module: the globals closed inside module-level `close_*` functions."""
        self._closed: set[str] = set()

    methods = CLOSE_METHODS

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """Record `<name>.aclose()` / `<name>.close()` in a module-level `close_*` function."""
        func = node.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return
        function = self.ctx.enclosing_function(node)
        name = getattr(function, "name", "")
        if (name == "close" or name.startswith("close_")) and self.ctx.parent(function) is self.ctx.tree:
            self._closed.add(func.value.id)

    def finish(self) -> None:
        """Report each shared-client global that no `close_*` function closes."""
        for name, bindings in self.ctx.module_scope.names.items():
            if name in self._closed:
                continue
            for binding in bindings:
                if self._holds_client(binding.node, binding.value):
                    first = bindings[0].node
                    self.report(first, f"define a module-level `close_*()` function that closes `{name}`")
                    break

    def _holds_client(self, node: ast.AST, value: ast.expr | None) -> bool:
        if client_kind(self.ctx, value) is not None:
            return True
        parent = self.ctx.parent(node)
        if isinstance(parent, ast.AnnAssign) and self.ctx.parent(parent) is self.ctx.tree:
            return any(self._names_client_type(part) for part in _union_members(parent.annotation))
        return False

    def _names_client_type(self, node: ast.expr) -> bool:
        qualname = self.ctx.qualname(node)
        if qualname is None:
            return False
        module, _, name = qualname.rpartition(".")
        return module in self.ctx.config.http_client_modules and name in {"AsyncClient", "Client"}


def _union_members(annotation: ast.expr) -> list[ast.expr]:
    """The types an annotation may name: `A | None` -> `[A, None]`, `Optional[A]` -> `[A]`."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return [annotation.left, annotation.right]
    if isinstance(annotation, ast.Subscript):
        inner = annotation.slice
        return list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
    return [annotation]
