"""HR203 blocking-io-in-async."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.surroundings import argument_nodes
from flake8_house_rules.rule import Rule
from flake8_house_rules.rules.hr2xx_async.common import (
    HTTP_VERBS,
    annotated_classes,
    offloaded,
    unpacked_value,
    verb_names,
)

if TYPE_CHECKING:
    from flake8_house_rules.config import Config
    from flake8_house_rules.context import ModuleContext

SPAWNS = frozenset(f"os.spawn{suffix}" for suffix in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe"))
WAITS = frozenset({"os.wait", "os.wait3", "os.wait4", "os.waitid", "os.waitpid"})
BLOCKING_CALLS = frozenset(
    {
        "io.open",
        "io.open_code",
        "builtins.open",
        "builtins.input",
        "urllib.request.urlopen",
        "urllib3.request",
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
        "subprocess.Popen",
        "os.system",
        "os.popen",
        "os.posix_spawn",
        "os.posix_spawnp",
        "socket.create_connection",
    }
    | SPAWNS
    | WAITS
)
REQUESTS_IO = frozenset(f"requests{api}.{verb}" for api in ("", ".api") for verb in HTTP_VERBS)
PATH_CLASSES = frozenset({"pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath"})
PATH_IO_METHODS = frozenset(
    {"read_text", "write_text", "read_bytes", "write_bytes", "open", "touch", "mkdir", "unlink", "rmdir", "rename"}
)
PATH_RETURNING = frozenset({"with_suffix", "with_name", "with_stem", "joinpath", "resolve", "absolute", "expanduser"})
REQUESTS_SESSIONS = frozenset({"requests.Session", "requests.session", "requests.sessions.Session"})
URLLIB3_POOLS = frozenset(
    f"urllib3.{name}"
    for name in (
        "PoolManager",
        "ProxyManager",
        "HTTPConnectionPool",
        "HTTPSConnectionPool",
        "connection_from_url",
        "proxy_from_url",
        "poolmanager.PoolManager",
    )
)
URLLIB3_METHODS = frozenset({"request", "urlopen", "request_encode_url", "request_encode_body"})
NO_HANG = "os.WNOHANG"
MAX_DEPTH = 8
MAX_ARGUMENT_NODES = 50


class BlockingIoInAsync(Rule):
    """## What it does
    Checks for blocking I/O called directly in code whose innermost function is an `async def`:

    - files: the built-in `open()` and `input()`, `io.open`, `io.open_code`, and the `Path` methods
      `read_text/write_text/read_bytes/write_bytes/open/touch/mkdir/unlink/rmdir/rename`;
    - processes: `subprocess.run/call/check_call/check_output/getoutput/getstatusoutput/Popen`,
      `os.system`, `os.popen`, `os.spawn*`, `os.posix_spawn/posix_spawnp`, and `os.wait/wait3/wait4/waitid/
      waitpid` (not with `os.WNOHANG`, which does not wait);
    - network: the `requests` calls that do I/O (`requests.get/post/put/patch/delete/head/options/request`),
      `urllib.request.urlopen`, `urllib3.request`, the synchronous `httpx.get/post/...` functions,
      `httpx.Client(...)`, `socket.create_connection`, and requests made on a provably synchronous client:
      a `requests.Session`, an `httpx.Client` or a `urllib3` pool (`PoolManager`, ...) built in place,
      bound to a name, or a parameter annotated with that class (`client: httpx.Client | None`).

    Calls handed to `asyncio.to_thread(...)`, `loop.run_in_executor(...)`, `anyio.to_thread.run_sync(...)`
    or Starlette's `run_in_threadpool(...)`, and code in a sync helper or lambda, are not reported. A
    method is reported only when its receiver is provably of the class: a `Path` built by `Path(...)`
    (also through tuple unpacking, `p1, p2 = Path("a"), Path("b")`), derived from one with `/`, `.parent`
    or `.with_suffix()`..., or a parameter annotated `Path`. Building a `requests.Request` or
    `requests.Session` object does no I/O and is not reported (HR204 reports the import).

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
        "import os\n\nasync def reap(pid: int) -> None:\n    os.waitpid(pid, os.WNOHANG)",
        "import os\n\nasync def f(status: int) -> int:\n    return os.waitstatus_to_exitcode(status)",
        "import subprocess\n\nasync def f() -> None:\n    subprocess.foo(0)",
        "from pathlib import Path\n\nasync def f() -> None:\n    p1, p2 = Path('a'), 'b'\n    p2.open()",
        "from pathlib import Path\n\nasync def f(items: list) -> None:\n    a, *rest = Path('a'), Path('b')\n"
        "    rest.open()",
        "import httpx\n\nasync def f(client: httpx.AsyncClient) -> None:\n    await client.get('/')",
        "import httpx\n\nasync def f(client: httpx.Client | Other) -> None:\n    client.get('/')",
        "import urllib3\n\ndef fetch() -> bytes:\n    return urllib3.PoolManager().request('GET', url).data",
        "async def f() -> None:\n    r = {}\n    r.get('not a sync http client')",
        "class Foo:\n    def open(self) -> None: ...\n\nasync def f() -> None:\n    Foo().open()",
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
        "import subprocess\n\nasync def f() -> None:\n    subprocess.getoutput('ls')  # error: HR203\n"
        "    subprocess.getstatusoutput('ls')  # error: HR203",
        "import os\n\nasync def f() -> None:\n    os.spawnl(os.P_WAIT, '/bin/ls')  # error: HR203\n"
        "    os.posix_spawn('/bin/ls', [], {})  # error: HR203\n    os.wait()  # error: HR203\n"
        "    os.waitpid(-1, 0)  # error: HR203",
        "import io\n\nasync def f() -> None:\n    io.open_code('x.py')  # error: HR203",
        "import urllib3\n\nasync def f() -> None:\n    urllib3.request('GET', url)  # error: HR203\n"
        "    http = urllib3.PoolManager()\n    http.request('GET', url)  # error: HR203",
        "from pathlib import Path\n\nasync def f() -> None:\n    p1, p2 = Path('a'), Path('b')\n"
        "    p1.open()  # error: HR203",
        "from pathlib import Path\n\nasync def f() -> None:\n    (p1, p2) = (Path('a'), Path('b'))\n"
        "    p2.touch()  # error: HR203",
        "from pathlib import Path\n\nasync def f() -> None:\n    p = Path('foo')\n\n"
        "    async def inner() -> None:\n        p.open()  # error: HR203",
        "import httpx\n\nasync def f(client: httpx.Client | None) -> None:\n    client.get('/')  # error: HR203",
        "import requests\n\nsession = requests.Session()\n\nasync def f() -> None:\n"
        "    session.get(url, timeout=5)  # error: HR203",
    )

    methods = PATH_IO_METHODS | HTTP_VERBS | URLLIB3_METHODS | frozenset({"send"})

    @classmethod
    def call_names(cls, config: Config) -> frozenset[str]:
        """Blocking functions, requests' and the configured HTTP modules' request functions, sync clients."""
        sync_clients = {f"{module}.Client" for module in config.http_client_modules}
        return BLOCKING_CALLS | REQUESTS_IO | verb_names(config) | sync_clients

    def visit_call(self, node: ast.Call, name: str) -> None:
        """A blocking function: `open()`, `subprocess.run`, `requests.get`, `httpx.Client`, ..."""
        if name in WAITS and _no_hang(self.ctx, node):
            return
        self._check(node, f"{name.removeprefix('builtins.')}()" if name.startswith("builtins.") else name)

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """`Path(...).read_text()` on a provable path; a request on a provably synchronous client."""
        receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
        if receiver is None or (isinstance(receiver, ast.Attribute) and method not in PATH_IO_METHODS):
            return  # `self.x.get()`: no attribute is provably a client; `p.parent.open()` may be a path
        if method in PATH_IO_METHODS and self._made_by(receiver, PATH_CLASSES, 0):
            self._check(node, f"Path.{method}()")
        elif method in HTTP_VERBS or method == "send":
            sync_clients = REQUESTS_SESSIONS | {f"{module}.Client" for module in self.ctx.config.http_client_modules}
            if self._made_by(receiver, sync_clients, 0):
                self._check(node, f"{method}() on a synchronous HTTP client")
        if method in URLLIB3_METHODS and self._made_by(receiver, URLLIB3_POOLS, 0):
            self._check(node, f"urllib3 {method}()")

    def _check(self, node: ast.Call, shown: str) -> None:
        """Report a blocking call in async code that no worker thread takes over."""
        if self.ctx.in_async_function(node) and not offloaded(self.ctx, node):
            self.report(node, f"`{shown}` blocks the event loop: use an async API or `await asyncio.to_thread(...)`")

    def _made_by(self, expr: ast.expr, makers: frozenset[str], depth: int) -> bool:
        """Whether an expression is provably an object of one of `makers` (bounded, so no deep recursion)."""
        if depth > MAX_DEPTH:
            return False
        is_path = makers is PATH_CLASSES
        if isinstance(expr, ast.Call):
            func = expr.func
            if is_path and isinstance(func, ast.Attribute) and func.attr in PATH_RETURNING:
                return self._made_by(func.value, makers, depth + 1)
            return self.ctx.qualname(func) in makers
        if is_path and isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
            return self._made_by(expr.left, makers, depth + 1)
        if is_path and isinstance(expr, ast.Attribute) and expr.attr == "parent":
            return self._made_by(expr.value, makers, depth + 1)
        if isinstance(expr, ast.Name):
            bindings = self.ctx.lookup(expr)
            if not bindings or len(bindings) != 1:
                return False
            binding = bindings[0]
            if binding.kind == "param" and isinstance(binding.node, ast.arg):
                classes = annotated_classes(self.ctx, binding.node.annotation)
                return bool(classes) and classes <= makers
            if binding.kind == "assign" and isinstance(binding.node, ast.Name):
                value = binding.value if binding.value is not None else unpacked_value(self.ctx, binding.node)
                return value is not None and self._made_by(value, makers, depth + 1)
        return False


def _no_hang(ctx: ModuleContext, node: ast.Call) -> bool:
    """Whether a `wait` call passes `os.WNOHANG` (alone or in flags), and so returns at once."""
    return any(
        isinstance(part, ast.Name | ast.Attribute) and ctx.qualname(part) == NO_HANG
        for part in argument_nodes(node, MAX_ARGUMENT_NODES)
    )
