"""HR201 sleep-in-async."""

from __future__ import annotations

import ast

from flake8_house_rules.fixes import Fix, edits
from flake8_house_rules.rule import FixExample, Rule
from flake8_house_rules.rules.hr2xx_async.common import offloaded


class SleepInAsync(Rule):
    """## What it does
    Checks for `time.sleep(...)` in code whose innermost enclosing function is an `async def`. A sync
    helper nested in an async function, a lambda, and a call handed to `asyncio.to_thread(...)` or
    `loop.run_in_executor(...)` are not async code and are not reported.

    ## Why is this bad?
    `time.sleep` blocks the event loop: every other request on the worker stops for the duration. Style
    guide 003: "NEVER: `time.sleep()` in async (use `asyncio.sleep()`)"; 001: "Never block the event loop
    with synchronous I/O".

    ## Example
    ```python
    import time

    async def poll(job: Job) -> None:
        while not job.done:
            time.sleep(1)
    ```

    Use instead:
    ```python
    import asyncio

    async def poll(job: Job) -> None:
        while not job.done:
            await asyncio.sleep(1)
    ```
    """

    code = "HR201"
    name = "sleep-in-async"
    message = "use `await asyncio.sleep(...)` instead of `time.sleep(...)` in async code"
    fix = "safe"
    source = "003 Async/Await (NEVER list); 001 Async Patterns"
    valid = (
        "import time\n\ndef wait() -> None:\n    time.sleep(1)",
        "import asyncio\n\nasync def wait() -> None:\n    await asyncio.sleep(1)",
        "import time\n\nasync def f() -> None:\n    def helper() -> None:\n        time.sleep(1)",
        "import asyncio\nimport time\n\nasync def f() -> None:\n    await asyncio.to_thread(time.sleep, 1)",
        "from app.clock import sleep\n\nasync def f() -> None:\n    sleep(1)",
        "import asyncio\nimport time\n\nasync def f() -> None:\n"
        "    await asyncio.get_running_loop().run_in_executor(None, time.sleep, 1)",
        "import threading\nimport time\n\nclass Poller:\n    def _run(self) -> None:\n"
        "        while not self._stop.is_set():\n"
        "            time.sleep(1)\n\n    async def start(self) -> None:\n"
        "        threading.Thread(target=self._run, daemon=True).start()",
    )
    invalid = (
        "import time\n\nasync def poll() -> None:\n    time.sleep(1)  # error: HR201",
        "from time import sleep as pause\n\nasync def poll() -> None:\n    pause(0.5)  # error: HR201",
    )

    calls = frozenset({"time.sleep"})

    def visit_call(self, node: ast.Call, name: str) -> None:
        """Report `time.sleep` called directly in async code."""
        if self.ctx.in_async_function(node) and not offloaded(self.ctx, node):
            self.report(node, fix=lambda: self._fix(node))

    def _fix(self, node: ast.Call) -> Fix | None:
        """`time.sleep(x)` as a statement of the `async def` becomes `await asyncio.sleep(x)`, `x` kept as written.

        Only a statement directly in the coroutine's body (not inside a lambda, comprehension or nested def),
        with one positional argument, is rewritten; `asyncio` is imported when the name is free.
        """
        parent = self.ctx.parent(node)
        function = self.ctx.enclosing_function(node)
        if not isinstance(parent, ast.Expr) or not isinstance(function, ast.AsyncFunctionDef):
            return None
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
            return None
        if (node.func.lineno, node.func.col_offset) != (node.lineno, node.col_offset):
            return None  # `(time.sleep)(1)`
        spelled = edits.import_name(self.ctx, "asyncio", None, node)
        if spelled is None:
            return None
        module, import_edit = spelled
        callee = edits.replace(self.ctx, node.func, f"await {module}.sleep")
        if callee is None:
            return None
        return Fix.safe("Replace with `await asyncio.sleep(...)`", *([import_edit] if import_edit else []), callee)

    fixes = (
        FixExample(
            "import time\n\nasync def poll() -> None:\n    time.sleep(1)  # error: HR201",
            "import asyncio\nimport time\n\nasync def poll() -> None:\n    await asyncio.sleep(1)",
        ),
        FixExample(
            "import asyncio\nfrom time import sleep as pause\n\nasync def poll(n: float) -> None:\n"
            "    pause(n * 2)  # error: HR201\n    pause(0.5)  # error: HR201",
            "import asyncio\nfrom time import sleep as pause\n\nasync def poll(n: float) -> None:\n"
            "    await asyncio.sleep(n * 2)\n    await asyncio.sleep(0.5)",
        ),
    )
