"""HR510 try-in-route."""

from __future__ import annotations

import ast

from flake8_house_rules.context.fastapi import BOUNDARY_TYPES
from flake8_house_rules.rules.hr5xx_fastapi.common import RouteRule

MAX_DEPTH = 8


class TryInRoute(RouteRule):
    """## What it does
    Checks for a `try` statement with `except` handlers in the body of an HTTP route handler, where at
    least one handler ends the error there (returns an error response, logs and carries on, ...) instead
    of passing it on. Reported at the `try`.

    The exact shape left alone: a `try` without handlers (`try/finally` guards cleanup only); a `try` every
    one of whose handlers ends by raising (`raise`, `raise HTTPException(...) from exc`, `raise
    DomainError(...)`, also when both branches of a final `if`/`else` raise), since the error then still
    reaches the exception handlers, translated at most; a `try` in a function nested in the route (a
    streaming generator, a callback), which is not the handler's own flow; and websocket routes, which must
    catch `WebSocketDisconnect` (HR508) and have no global exception handlers to rely on.

    Test modules (`hr-test-modules`) are not checked: the apps they build are fixtures, not the API.

    ## Why is this bad?
    A handler that catches and answers the error itself bypasses the global exception handlers: status
    codes and error bodies drift from route to route, and errors vanish from monitoring. Style guide 002
    (Handler Layer): "Handlers should generally not contain try/except blocks for domain exceptions.
    Instead, rely on global exception handlers to transform domain exceptions into HTTP responses".

    ## Example
    ```python
    @router.get("/resources/{uuid}")
    async def get_resource(uuid: str, service: ServiceDep) -> ResourceResponse:
        try:
            return await service.get_one(ResourceGetPayload(uuid=uuid))
        except Exception as exc:
            return JSONResponse(status_code=500, content={"error": str(exc)})
    ```

    Use instead:
    ```python
    @router.get("/resources/{uuid}")
    async def get_resource(uuid: str, service: ServiceDep) -> ResourceResponse:
        return await service.get_one(ResourceGetPayload(uuid=uuid))

    @app.exception_handler(AppError)
    async def handle_app_error(request: Request, exc: AppError) -> JSONResponse: ...
    ```
    """

    code = "HR510"
    name = "try-in-route"
    message = "let the error reach the global exception handlers instead of catching it in the route"
    source = "002 Handler Layer"
    valid = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get('/r/{uuid}')\n"
        "async def get_resource(uuid: str) -> Resource:\n    return await service.get_one(uuid)",
        "from fastapi import APIRouter, HTTPException\n\nrouter = APIRouter()\n\n@router.get('/r/{uuid}')\n"
        "async def get_resource(uuid: str) -> Resource:\n    try:\n        return await service.get_one(uuid)\n"
        "    except NotFoundError as exc:\n        raise HTTPException(status_code=404) from exc",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.post('/r', status_code=201)\n"
        "async def create(payload: Payload) -> Resource:\n    lock = await acquire()\n    try:\n"
        "        return await service.create_one(payload)\n    finally:\n        await lock.release()",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get('/r')\nasync def stream() -> None:\n"
        "    async def rows():\n        try:\n            yield await next_row()\n        except StopAsyncIteration:\n"
        "            return\n    return rows()",
        "from fastapi import APIRouter, WebSocket, WebSocketDisconnect\n\nrouter = APIRouter()\n\n"
        "@router.websocket('/ws')\nasync def ws(websocket: WebSocket) -> None:\n    try:\n"
        "        await websocket.receive_text()\n    except WebSocketDisconnect:\n        return",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get('/r')\n"
        "async def get(id: str) -> Resource:\n"
        "    try:\n        key = UUID(id)\n    except ValueError:\n        if strict:\n            raise\n"
        "        else:\n            raise BadRequest(id)\n    return await service.get_one(key)",
        "from fastapi import APIRouter\n\ndef helper() -> None:\n    try:\n        work()\n    except OSError:\n"
        "        pass",
    )
    invalid = (
        "from fastapi import APIRouter\nfrom fastapi.responses import JSONResponse\n\nrouter = APIRouter()\n\n"
        "@router.get('/r/{uuid}')\nasync def get_resource(uuid: str) -> Resource:\n    try:  # error: HR510\n"
        "        return await service.get_one(uuid)\n    except Exception as exc:\n"
        "        return JSONResponse(status_code=500, content={'error': str(exc)})",
        "from fastapi import FastAPI, HTTPException\n\napp = FastAPI()\n\n@app.post('/r', status_code=201)\n"
        "def create(payload: Payload) -> Resource:\n    try:  # error: HR510\n"
        "        return service.create_one(payload)\n"
        "    except Conflict:\n        raise HTTPException(409)\n    except Exception:\n"
        "        logger.exception('failed')\n"
        "        return None",
    )

    def start(self) -> None:
        """Per module: the functions that handle HTTP routes (filled on first use)."""
        self._handlers: set[ast.AST] | None = None

    def visit_Try(self, node: ast.Try) -> None:
        """A `try` with handlers: in a route's own body, and does some handler end the error?"""
        self._check(node)

    def visit_TryStar(self, node: ast.TryStar) -> None:
        """As `visit_Try`, for `try`/`except*`."""
        self._check(node)

    def _check(self, node: ast.Try | ast.TryStar) -> None:
        if not node.handlers:
            return
        if self._handlers is None:
            self._handlers = {route.function for route in self.http_routes()}
        if not self._handlers or all(_always_raises(handler.body) for handler in node.handlers):
            return
        parents = self.ctx.parents
        owner = parents.get(node)
        while owner is not None and type(owner) not in BOUNDARY_TYPES:
            owner = parents.get(owner)
        if owner in self._handlers:
            self.report(node)


def _always_raises(body: list[ast.stmt], depth: int = 0) -> bool:
    """Whether a block ends by raising: a final `raise`, or a final `if` whose every branch raises."""
    if not body or depth > MAX_DEPTH:
        return False
    last = body[-1]
    if isinstance(last, ast.Raise):
        return True
    if isinstance(last, ast.If):
        return _always_raises(last.body, depth + 1) and _always_raises(last.orelse, depth + 1)
    return False
