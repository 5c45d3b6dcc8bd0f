"""HR508 websocket-without-disconnect."""

from __future__ import annotations

import ast

from flake8_house_rules.rules.hr5xx_fastapi.common import RouteRule, websocket_parameters

RECEIVES = frozenset({"receive_text", "receive_bytes", "receive_json"})
DISCONNECTS = frozenset(
    {
        "fastapi.WebSocketDisconnect",
        "fastapi.websockets.WebSocketDisconnect",
        "starlette.websockets.WebSocketDisconnect",
    }
)
BROAD = frozenset({"Exception", "BaseException"})
TRIES = (ast.Try, ast.TryStar)
LOOPS = (ast.While, ast.For, ast.AsyncFor)


class WebsocketWithoutDisconnect(RouteRule):
    """## What it does
    Checks for a websocket route (`@<router>.websocket(...)`) that receives in a loop without handling
    `WebSocketDisconnect`: an `await <ws>.receive_text()`/`receive_bytes()`/`receive_json()` on the route's
    `WebSocket` parameter, inside a `while` or `for` loop of the route's own body, with no `try` around the
    call (at any level inside the route) whose handlers catch `WebSocketDisconnect`. Reported at the `def`
    line.

    A handler counts when it may catch the disconnect: `except WebSocketDisconnect` (fastapi's or
    starlette's), a tuple holding it, `except Exception`/`BaseException`, a bare `except:`, or a name the
    module cannot resolve. Not receive loops: `async for message in websocket.iter_text()` (Starlette's
    `iter_text`/`iter_bytes`/`iter_json` end the loop on a disconnect themselves), the raw `receive()` (it
    returns the disconnect message instead of raising), and receives in helper functions.

    Test modules (`hr-test-modules`) are not checked: the apps they build are fixtures, not the API.

    ## Why is this bad?
    When the client goes away, `receive_*` raises `WebSocketDisconnect`; unhandled, it ends the handler
    with an error in the logs and skips the cleanup (the connection stays registered in the manager).
    Style guides 000 (FastAPI Patterns) and 004 (WebSocket Handler Pattern) wrap the receive loop in
    `try: ... except WebSocketDisconnect: await manager.disconnect(...)`.

    ## Example
    ```python
    @router.websocket("/ws/{thread_id}")
    async def chat(websocket: WebSocket, thread_id: str) -> None:
        await manager.connect(websocket, thread_id)
        while True:
            data = await websocket.receive_json()
            await manager.handle(thread_id, data)
    ```

    Use instead:
    ```python
    @router.websocket("/ws/{thread_id}")
    async def chat(websocket: WebSocket, thread_id: str) -> None:
        await manager.connect(websocket, thread_id)
        try:
            while True:
                data = await websocket.receive_json()
                await manager.handle(thread_id, data)
        except WebSocketDisconnect:
            await manager.disconnect(thread_id)
    ```
    """

    code = "HR508"
    name = "websocket-without-disconnect"
    message = "handle `WebSocketDisconnect` around the receive loop (`try: ... except WebSocketDisconnect:`)"
    source = "000 FastAPI Patterns; 004 WebSocket Handler Pattern"
    valid = (
        "from fastapi import APIRouter, WebSocket, WebSocketDisconnect\n\nrouter = APIRouter()\n\n"
        "@router.websocket('/ws')\nasync def ws(websocket: WebSocket) -> None:\n    await websocket.accept()\n"
        "    try:\n        while True:\n            data = await websocket.receive_json()\n"
        "    except WebSocketDisconnect:\n        pass",
        "from fastapi import FastAPI, WebSocket\nfrom starlette.websockets import WebSocketDisconnect\n\n"
        "app = FastAPI()\n\n"
        "@app.websocket('/ws')\nasync def ws(websocket: WebSocket) -> None:\n    while True:\n        try:\n"
        "            data = await websocket.receive_text()\n        except (ValueError, WebSocketDisconnect):\n"
        "            break",
        "from fastapi import FastAPI, WebSocket\n\napp = FastAPI()\n\n"
        "@app.websocket('/ws')\nasync def ws(websocket: WebSocket) -> None:\n    await websocket.accept()\n"
        "    async for message in websocket.iter_text():\n        await websocket.send_text(message)",
        "from fastapi import FastAPI, WebSocket\n\napp = FastAPI()\n\n"
        "@app.websocket('/ws')\nasync def ws(websocket: WebSocket) -> None:\n    while True:\n"
        "        message = await websocket.receive()\n        if message['type'] == 'websocket.disconnect':\n"
        "            break",
        "from fastapi import FastAPI, WebSocket\n\napp = FastAPI()\n\n"
        "@app.websocket('/ws')\nasync def ws(websocket: WebSocket) -> None:\n    try:\n        while True:\n"
        "            await websocket.receive_text()\n    except Exception:\n        await websocket.close()",
        "from fastapi import FastAPI, WebSocket\n\napp = FastAPI()\n\n"
        "@app.websocket('/ws')\nasync def ws(websocket: WebSocket) -> None:\n"
        "    data = await websocket.receive_json()\n"
        "    await websocket.send_json(data)",
        "from fastapi import FastAPI, WebSocket\nfrom app.ws import WebSocketDisconnect\n\napp = FastAPI()\n\n"
        "@app.websocket('/ws')\nasync def ws(websocket: WebSocket) -> None:\n    try:\n        while True:\n"
        "            await websocket.receive_text()\n    except WebSocketDisconnect:\n        pass",
        "from fastapi import WebSocket\n\nasync def pump(websocket: WebSocket) -> None:\n    while True:\n"
        "        await websocket.receive_text()",
    )
    invalid = (
        "from fastapi import APIRouter, WebSocket\n\nrouter = APIRouter()\n\n"
        "@router.websocket('/ws/{thread_id}')\n"
        "async def chat(websocket: WebSocket, thread_id: str) -> None:  # error: HR508\n"
        "    await websocket.accept()\n    while True:\n        data = await websocket.receive_json()\n"
        "        await websocket.send_json(data)",
        "import json\nfrom fastapi import FastAPI, WebSocket, WebSocketDisconnect\n\napp = FastAPI()\n\n"
        "@app.websocket('/ws')\nasync def ws(  # error: HR508\n    websocket: WebSocket,\n) -> None:\n"
        "    try:\n        await websocket.receive_text()\n    except WebSocketDisconnect:\n        return\n"
        "    while True:\n        try:\n            data = json.loads(await websocket.receive_text())\n"
        "        except json.JSONDecodeError:\n            continue",
    )

    methods = RECEIVES

    def start(self) -> None:
        """Per module: the routes already reported."""
        self._reported: set[ast.AST] = set()

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """A `receive_*` call: in a loop of a websocket route, on its `WebSocket`, with no disconnect handler?"""
        receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
        if not isinstance(receiver, ast.Name):
            return
        function = self.ctx.enclosing_function(node)
        if function is None or function in self._reported or not isinstance(function, ast.AsyncFunctionDef):
            return
        routes = self.facts.by_function.get(function)
        if not routes or not any(route.is_websocket for route in routes):
            return
        if receiver.id not in websocket_parameters(self.ctx, function) or not self._is_parameter(receiver, function):
            return
        in_loop = False
        child: ast.AST = node
        for ancestor in self.ctx.ancestors_in_function(node):
            if isinstance(ancestor, TRIES) and _in_try_body(child, ancestor) and self._handles(ancestor):
                return
            if isinstance(ancestor, ast.While) or (isinstance(ancestor, LOOPS) and child is not ancestor.iter):
                in_loop = in_loop or not _in_orelse(child, ancestor)
            child = ancestor
        if in_loop:
            self._reported.add(function)
            self.report(function)

    def _is_parameter(self, name: ast.Name, function: ast.AsyncFunctionDef) -> bool:
        bindings = self.ctx.lookup(name)
        return (
            bool(bindings) and len(bindings) == 1 and bindings[0].kind == "param" and bindings[0].scope.node is function
        )

    def _handles(self, node: ast.Try | ast.TryStar) -> bool:
        return any(self._may_catch(handler.type) for handler in node.handlers)

    def _may_catch(self, kind: ast.expr | None) -> bool:
        if kind is None:
            return True
        if isinstance(kind, ast.Tuple):
            return any(self._may_catch(item) for item in kind.elts if not isinstance(item, ast.Tuple))
        qualname = self.ctx.qualname(kind)
        if qualname is not None:
            return qualname in DISCONNECTS or qualname.rpartition(".")[2] == "WebSocketDisconnect"
        if isinstance(kind, ast.Name):
            bindings = self.ctx.lookup(kind)
            if bindings is None:
                return kind.id in BROAD or self.ctx.star_import
            return not (len(bindings) == 1 and bindings[0].kind == "class")
        return True


def _in_try_body(child: ast.AST, node: ast.Try | ast.TryStar) -> bool:
    return any(child is statement for statement in node.body)


def _in_orelse(child: ast.AST, node: ast.AST) -> bool:
    return any(child is statement for statement in getattr(node, "orelse", ()))
