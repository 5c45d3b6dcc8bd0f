"""HR203 blocking-io-in-async."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rule import Rule
from flake8_house_rules.rules.hr2xx_async.common import HTTP_VERBS, offloaded, verb_names

if TYPE_CHECKING:
    from flake8_house_rules.config import Config

BLOCKING_CALLS = frozenset(
    {
        "io.open",
        "builtins.open",
        "builtins.input",
        "urllib.request.urlopen",
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.Popen",
        "os.system",
        "socket.create_connection",
    }
)
REQUESTS_IO = frozenset(f"requests{api}.{verb}" for api in ("", ".api") for verb in HTTP_VERBS)
PATH_CLASSES = frozenset({"pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath"})
PATH_IO_METHODS = frozenset({"read_text", "write_text", "read_bytes", "write_bytes", "open"})
PATH_RETURNING = frozenset({"with_suffix", "with_name", "with_stem", "joinpath", "resolve", "absolute", "expanduser"})
REQUESTS_SESSIONS = frozenset({"requests.Session", "requests.session", "requests.sessions.Session"})
MAX_DEPTH = 8


class BlockingIoInAsync(Rule):
    """## What it does
    Checks for blocking I/O called directly in code whose innermost function is an `async def`: the
    built-in `open()` and `input()`, `Path.read_text/write_text/read_bytes/write_bytes/open`, the
    `requests` calls that do I/O (`requests.get/post/put/patch/delete/head/options/request`, also on a
    `requests.Session()` built in place), `urllib.request.urlopen`, `subprocess.run/call/check_call/check_output/Popen`,
    `os.system`, the synchronous `httpx.get/post/...` functions and `httpx.Client`, and
    `socket.create_connection`.

    Calls handed to `asyncio.to_thread(...)`, `loop.run_in_executor(...)`, `anyio.to_thread.run_sync(...)`
    or Starlette's `run_in_threadpool(...)`, and code in a sync helper or lambda, are not reported. A
    `Path` method is reported only when the receiver is provably a `pathlib.Path` (built by `Path(...)`,
    derived from one with `/` or `.with_suffix()`..., or a parameter annotated `Path`). Building a
    `requests.Request` or `requests.Session` object does no I/O and is not reported (HR204 reports the
    import).

    ## Why is this bad?
    A blocking call stops the event loop, and with it every other request the worker is serving. "Async
    for all I/O operations", "`asyncio.to_thread()` for blocking I/O in async context", "NEVER: Block
    event loop with sync I/O" (003); "Never block the event loop with synchronous I/O" (001).

    ## Example
    ```python
    async def load_template(name: str) -> str:
        with open(TEMPLATES / name) as handle:
            return handle.read()
    ```

    Use instead:
    ```python
    async def load_template(name: str) -> str:
        return await asyncio.to_thread((TEMPLATES / name).read_text)
    ```
    """

    code = "HR203"
    name = "blocking-io-in-async"
    message = "blocking I/O in async code: use an async API or `await asyncio.to_thread(...)`"
    source = "003 Async/Await; 001 Async Patterns; 000 Async Patterns"
    options = ("hr-http-client-modules",)
    valid = (
        "def read(path: str) -> str:\n    with open(path) as f:\n        return f.read()",
        "import asyncio\nfrom pathlib import Path\n\n"
        "async def read(p: Path) -> str:\n    return await asyncio.to_thread(p.read_text)",
        "import asyncio\n\nasync def read(path: str) -> str:\n"
        "    return await asyncio.to_thread(lambda: open(path).read())",
        "import aiofiles\n\nasync def read(path: str) -> None:\n    async with aiofiles.open(path) as f:\n"
        "        await f.read()",
        "async def save(doc: Document) -> None:\n    await doc.open()\n    doc.read_text()",
        "import httpx\n\nasync def f() -> None:\n    async with httpx.AsyncClient(timeout=5) as c:\n"
        "        await c.get('/')",
        "async def f(open: Opener) -> None:\n    open('x')",
        "import requests\n\nasync def f() -> None:\n    req = requests.Request('POST', url)",
    )
    invalid = (
        "async def read(path: str) -> str:\n    with open(path) as f:  # error: HR203\n        return f.read()",
        "from pathlib import Path\n\nasync def read(name: str) -> str:\n"
        "    return (Path('data') / name).read_text()  # error: HR203",
        "from pathlib import Path\n\nasync def read(p: Path) -> bytes:\n    return p.read_bytes()  # error: HR203",
        "import requests\n\nasync def fetch() -> None:\n    requests.get('https://x', timeout=5)  # error: HR203",
        "import subprocess\n\nasync def run() -> None:\n    subprocess.run(['ls'], check=True)  # error: HR203",
        "import httpx\n\nasync def fetch() -> None:\n    httpx.get('https://x', timeout=5)  # error: HR203",
        "import os\n\nasync def run() -> None:\n    os.system('ls')  # error: HR203",
        "import requests\n\nasync def f() -> None:\n    requests.Session().post(url, timeout=5)  # error: HR203",
    )

    methods = PATH_IO_METHODS | HTTP_VERBS

    @classmethod
    def call_names(cls, config: Config) -> frozenset[str]:
        """Blocking functions, requests' and the configured HTTP modules' request functions, sync clients."""
        sync_clients = {f"{module}.Client" for module in config.http_client_modules}
        return BLOCKING_CALLS | REQUESTS_IO | verb_names(config) | sync_clients

    def visit_call(self, node: ast.Call, name: str) -> None:
        """A blocking function: `open()`, `subprocess.run`, `requests.get`, `httpx.Client`, ..."""
        self._check(node, f"{name.removeprefix('builtins.')}()" if name.startswith("builtins.") else name)

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """`Path(...).read_text()` on a provable path, `requests.Session().get(...)`."""
        receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
        if receiver is None:
            return
        if (
            method in HTTP_VERBS
            and isinstance(receiver, ast.Call)
            and self.ctx.qualname(receiver.func) in REQUESTS_SESSIONS
        ):
            self._check(node, f"requests.Session().{method}")
        elif method in PATH_IO_METHODS and self._is_path(receiver, 0):
            self._check(node, f"Path.{method}()")

    def _check(self, node: ast.Call, shown: str) -> None:
        """Report a blocking call in async code that no worker thread takes over."""
        if self.ctx.in_async_function(node) and not offloaded(self.ctx, node):
            self.report(node, f"`{shown}` blocks the event loop: use an async API or `await asyncio.to_thread(...)`")

    def _is_path(self, expr: ast.expr, depth: int) -> bool:
        """Whether an expression is provably a `pathlib.Path` (bounded, so no deep recursion)."""
        if depth > MAX_DEPTH:
            return False
        if isinstance(expr, ast.Call):
            func = expr.func
            if isinstance(func, ast.Attribute) and func.attr in PATH_RETURNING:
                return self._is_path(func.value, depth + 1)
            return self.ctx.qualname(func) in PATH_CLASSES
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
            return self._is_path(expr.left, depth + 1)
        if isinstance(expr, ast.Attribute) and expr.attr == "parent":
            return self._is_path(expr.value, depth + 1)
        if isinstance(expr, ast.Name):
            bindings = self.ctx.lookup(expr)
            if not bindings or len(bindings) != 1:
                return False
            binding = bindings[0]
            if binding.kind == "param" and isinstance(binding.node, ast.arg) and binding.node.annotation:
                return self.ctx.qualname(binding.node.annotation) in PATH_CLASSES
            if binding.kind == "assign" and binding.value is not None:
                return self._is_path(binding.value, depth + 1)
        return False
