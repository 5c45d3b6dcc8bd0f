"""HR214 hand-rolled-retry."""

from __future__ import annotations

import ast

from flake8_house_rules.rule import Rule
from flake8_house_rules.rules.hr2xx_async.common import SLEEPS
from flake8_house_rules.rules.hr7xx_errors.common import caught_types

LOOPS = (ast.For, ast.AsyncFor, ast.While)
TRIES = (ast.Try, ast.TryStar)
EXITS = (ast.Raise, ast.Return, ast.Break)
#: How much of a `try` body is read to see that it only calls its own class's methods (more: not read).
MAX_BODY_NODES = 64


class HandRolledRetry(Rule):
    """## What it does
    Checks for a `for`/`while` loop that retries by hand: inside the loop a `try` has an `except` handler
    that sleeps (`asyncio.sleep`/`time.sleep`) and then lets the loop go round again. Reported at the loop.

    To be a retry, success must end the loop (a `return` or `break` that closes the `try` body or its
    `else`: its last statement, or last in an `if`/`with` block that is last there; not a guard earlier in
    the body, not inside a loop nested in the body) or the loop must count attempts (`for attempt in
    range(n)`). A
    handler that ends with `raise`, `return` or `break` does not retry. Loops that retry without sleeping,
    that sleep for pacing without catching, and long-running loops that keep consuming and reconnect after
    a pause (`while True: try: async for msg in ws: ... except ConnectionError: await asyncio.sleep(1)`,
    even when the inner loop returns on a close message) are not reported: they do not retry an attempt,
    they resume a stream. Nor is a loop whose `try` holds its own pause (langflow's cleanup worker:
    `sleep_task = asyncio.create_task(asyncio.sleep(interval))` and a wait for it or a stop event inside
    the `try`, `break` when stopped, a sleep in the handler after a failure): a periodic task, whose `break`
    is its stop signal, not the success of an attempt. Nor is a wait on an object's own state: a method
    whose `try` only calls methods of its own class and whose handlers catch only classes of the module
    (phoenix's rate limiter: `self.make_request_if_ready()`, `except UnavailableTokensError: sleep(...)`):
    nothing outside the process is attempted, the sleep paces the polling.

    ## Why is this bad?
    Hand-rolled retries get the details wrong: no jitter, retrying errors that will never succeed,
    swallowing the last exception. Style guide 003 (HTTP Client): "ALWAYS: Use `tenacity` for retries with
    exponential backoff".

    ## Example
    ```python
    for attempt in range(3):
        try:
            return await client.get(url)
        except httpx.TransportError:
            await asyncio.sleep(2**attempt)
    ```

    Use instead:
    ```python
    @retry(stop=stop_after_attempt(3), wait=wait_exponential(min=1, max=10))
    async def fetch(url: str) -> httpx.Response:
        return await client.get(url)
    ```
    """

    code = "HR214"
    name = "hand-rolled-retry"
    message = "retry with `tenacity` (`@retry(stop=..., wait=wait_exponential(...))`) instead of a sleep loop"
    source = "003 HTTP Client (tenacity)"
    valid = (
        # phoenix: a rate limiter polling its own token bucket
        "import time\n\nclass UnavailableTokensError(Exception):\n    pass\n\nclass Limiter:\n"
        "    def ready(self) -> bool: ...\n\n    def wait_until_ready(self) -> None:\n        while True:\n"
        "            try:\n                self.ready()\n                break\n"
        "            except UnavailableTokensError:\n                time.sleep(0.1)\n",
        # langflow: a periodic worker waiting for its interval or a stop event
        "import asyncio\n\nasync def run(stop: asyncio.Event) -> None:\n    while not stop.is_set():\n"
        "        try:\n            sleeper = asyncio.create_task(asyncio.sleep(60))\n"
        "            done, _ = await asyncio.wait([sleeper, asyncio.create_task(stop.wait())])\n"
        "            if sleeper not in done:\n                break\n        except Exception:\n"
        "            await asyncio.sleep(60)\n",
        "async def f():\n    for attempt in range(3):\n        try:\n            return await call()\n"
        "        except OSError:\n            continue",
        "import asyncio\n\nasync def f():\n    while True:\n        await tick()\n        await asyncio.sleep(1)",
        "import asyncio\n\nasync def worker():\n    while True:\n        try:\n            await step()\n"
        "        except Exception:\n            await asyncio.sleep(5)",
        "import asyncio\n\nasync def f():\n    for i in range(3):\n        try:\n            return await call()\n"
        "        except OSError:\n            await asyncio.sleep(1)\n            raise",
        "from app import sleep\n\ndef f():\n    for i in range(3):\n        try:\n            return call()\n"
        "        except OSError:\n            sleep(1)",
        "import asyncio\n\nasync def consume(ws):\n    while True:\n        try:\n            async for msg in ws:\n"
        "                await handle(msg)\n        except ConnectionError:\n            await asyncio.sleep(1)",
        "import asyncio\n\nasync def consume(ws):\n    while True:\n        try:\n            async for msg in ws:\n"
        "                if msg.type == 'close':\n                    return\n                await handle(msg)\n"
        "        except ConnectionError:\n            await asyncio.sleep(1)",
        "import time\n\ndef poll(queue):\n    while True:\n        try:\n            for job in queue.fetch():\n"
        "                if job is None:\n                    break\n                run(job)\n"
        "        except OSError:\n            time.sleep(5)",
        "import asyncio\n\nasync def worker(self):\n    while True:\n        try:\n            if self.stopping:\n"
        "                break\n            await self.process_batch()\n        except Exception:\n"
        "            await asyncio.sleep(5)",
        "import asyncio\n\nasync def watch(stream):\n    while not stream.closed:\n        try:\n"
        "            msg = await stream.read()\n            await handle(msg)\n        except TimeoutError:\n"
        "            await asyncio.sleep(0.5)",
    )
    invalid = (
        "import asyncio\n\nasync def f():\n    for attempt in range(3):  # error: HR214\n        try:\n"
        "            return await call()\n        except OSError:\n            await asyncio.sleep(2 ** attempt)",
        "import time\n\ndef f():\n    while True:  # error: HR214\n        try:\n            data = call()\n"
        "            break\n        except OSError:\n            time.sleep(1)",
        "import time\n\ndef f():\n    while True:  # error: HR214\n        try:\n            data = call()\n"
        "        except OSError:\n            if fatal():\n                raise\n            time.sleep(1)\n"
        "        else:\n            return data",
        "import time\n\ndef fetch(url):\n    while True:  # error: HR214\n        try:\n            r = get(url)\n"
        "            if r.ok:\n                return r\n        except OSError:\n            time.sleep(1)",
        "import asyncio\n\nasync def f(ws):\n    while True:  # error: HR214\n        try:\n"
        "            async for msg in ws:\n                await handle(msg)\n            return\n"
        "        except ConnectionError:\n            await asyncio.sleep(1)",
    )

    def start(self) -> None:
        """Per module: loops with a sleeping handler, and `try` statements whose success ends a loop."""
        self._candidates: list[tuple[ast.stmt, ast.Try | ast.TryStar]] = []
        self._success_exits: set[ast.Try | ast.TryStar] = set()
        self._reported: set[ast.stmt] = set()
        self._paced: set[ast.Try | ast.TryStar] = set()

    calls = SLEEPS

    def visit_call(self, node: ast.Call, name: str) -> None:
        """A sleep: is it in an `except` handler of a `try` inside a loop, or in a `try` body (pacing)?"""
        child: ast.AST = node
        for ancestor in self.ctx.ancestors_in_function(node):
            if isinstance(ancestor, LOOPS):
                return
            if isinstance(ancestor, TRIES) and child in ancestor.body:
                self._paced.add(ancestor)  # the loop's own pause is in the attempt: a periodic task
            child = ancestor
            if isinstance(ancestor, ast.ExceptHandler):
                if ancestor.body and isinstance(ancestor.body[-1], EXITS):
                    return
                handler_try = self.ctx.parent(ancestor)
                loop = self._loop_of(handler_try)
                if loop is not None and isinstance(handler_try, TRIES):
                    self._candidates.append((loop, handler_try))
                return

    def visit_Return(self, node: ast.Return) -> None:
        """A `return` inside a `try` body or `else` ends the attempt."""
        self._mark_success(node)

    def visit_Break(self, node: ast.Break) -> None:
        """A `break` inside a `try` body or `else` ends its loop."""
        self._mark_success(node)

    def finish(self) -> None:
        """Report each retrying loop once."""
        for loop, handler_try in self._candidates:
            if loop in self._reported or handler_try in self._paced or self._waits_for_itself(handler_try):
                continue
            if handler_try in self._success_exits or _counts_attempts(loop):
                self._reported.add(loop)
                self.report(loop)

    def _waits_for_itself(self, statement: ast.Try | ast.TryStar) -> bool:
        """A wait on the object's own state, not a retry: the `try` only calls methods of its own class
        (`self.make_request_if_ready()`), and every handler catches a class of this module (a rate limiter's
        `UnavailableTokensError`, its "not yet" signal). Nothing outside the process is attempted.
        """
        owner = self.ctx.enclosing_class(statement)
        if owner is None:
            return False
        tree = self.ctx.tree
        body = tree.body if isinstance(tree, ast.Module) else []
        own_classes = {node.name for node in body if isinstance(node, ast.ClassDef)}
        for handler in statement.handlers:
            caught = caught_types(handler)
            if not caught or not all(isinstance(item, ast.Name) and item.id in own_classes for item in caught):
                return False
        methods = {node.name for node in owner.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}
        calls = 0
        for seen, node in enumerate(node for item in statement.body for node in ast.walk(item)):
            if seen > MAX_BODY_NODES:
                return False
            if isinstance(node, ast.Call):
                func = node.func
                if not (
                    isinstance(func, ast.Attribute)
                    and isinstance(func.value, ast.Name)
                    and func.value.id == "self"
                    and func.attr in methods
                ):
                    return False
                calls += 1
        return calls > 0

    def _loop_of(self, node: ast.AST | None) -> ast.stmt | None:
        """The innermost loop whose body holds the node, within its function."""
        if node is None:
            return None
        return next((a for a in self.ctx.ancestors_in_function(node) if isinstance(a, LOOPS)), None)

    def _mark_success(self, node: ast.stmt) -> None:
        """Mark the `try` statements whose body (or `else`) this exit ends on success.

        The exit must close the attempt: it is the last statement of the `try` body or `else`, or the last
        statement of an `if`/`with` block that is itself last there (`if response.ok: return response`). An
        exit earlier in the body is a guard (`if stopping: break` before the work), and an exit inside a
        loop nested in the body ends that inner loop's work (a consumer that stops reading a stream), not the
        attempt.
        """
        child: ast.AST = node
        for ancestor in self.ctx.ancestors_in_function(node):
            if isinstance(ancestor, LOOPS):
                return
            if isinstance(ancestor, TRIES) and _is_last_of(child, ancestor.body, ancestor.orelse):
                self._success_exits.add(ancestor)
            elif not (
                (isinstance(ancestor, ast.If) and _is_last_of(child, ancestor.body, ancestor.orelse))
                or (isinstance(ancestor, ast.With | ast.AsyncWith) and _is_last_of(child, ancestor.body))
            ):
                return
            child = ancestor


def _counts_attempts(loop: ast.stmt) -> bool:
    """`for attempt in range(n)`: a loop that counts its tries."""
    return (
        isinstance(loop, ast.For)
        and isinstance(loop.iter, ast.Call)
        and isinstance(loop.iter.func, ast.Name)
        and loop.iter.func.id == "range"
    )


def _is_last_of(child: ast.AST, *blocks: list[ast.stmt]) -> bool:
    """Whether a statement is the last one of one of the blocks."""
    return any(block and block[-1] is child for block in blocks)
