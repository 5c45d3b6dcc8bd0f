"""HR202 get-event-loop."""

from __future__ import annotations

import ast

from flake8_house_rules.rule import Rule


class GetEventLoop(Rule):
    """## What it does
    Checks for calls of `asyncio.get_event_loop()`.

    ## Why is this bad?
    Outside a running loop it is deprecated (and from Python 3.14 an error); inside one,
    `asyncio.get_running_loop()` says what is meant. Style guide 003: "NEVER: `asyncio.get_event_loop()`
    (deprecated)".

    ## Example
    ```python
    loop = asyncio.get_event_loop()
    await loop.run_in_executor(None, render, page)
    ```

    Use instead:
    ```python
    await asyncio.to_thread(render, page)
    ```
    or `asyncio.get_running_loop()` inside async code, and `asyncio.run(main())` at the top level.
    """

    code = "HR202"
    name = "get-event-loop"
    message = "use `asyncio.get_running_loop()` (or `asyncio.run`) instead of `asyncio.get_event_loop()`"
    source = "003 Async/Await (NEVER list)"
    valid = (
        "import asyncio\n\nasync def f() -> None:\n    loop = asyncio.get_running_loop()",
        "from app import loops\n\nloop = loops.get_event_loop()",
        "import asyncio\n\npolicy = asyncio.get_event_loop_policy()",
        "import asyncio\n\nclass Worker:\n    def __init__(self) -> None:\n"
        "        self.loop = asyncio.new_event_loop()",
    )
    invalid = (
        "import asyncio\n\nloop = asyncio.get_event_loop()  # error: HR202",
        "from asyncio import get_event_loop\n\nget_event_loop().run_until_complete(main())  # error: HR202",
    )

    calls = frozenset({"asyncio.get_event_loop", "asyncio.events.get_event_loop"})

    def visit_call(self, node: ast.Call, name: str) -> None:
        """Report the call."""
        self.report(node)
