"""HR510 try-in-route."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.context.fastapi import BOUNDARY_TYPES
from flake8_house_rules.context.surroundings import always_raises
from flake8_house_rules.rules.hr5xx_fastapi.common import RouteRule, response_class, status_code

if TYPE_CHECKING:
    from flake8_house_rules.context.fastapi import Route

MAX_DEPTH = 8
#: Response classes any route may return: building one in a handler is the drift the rule is about.
GENERIC_RESPONSES = frozenset({"Response", "JSONResponse", "ORJSONResponse", "UJSONResponse", "PlainTextResponse"})
#: Keys of a dict literal that make it an error body.
ERROR_KEYS = frozenset({"error", "errors", "detail"})
#: Words in a route function's name that say reporting a failure is its answer.
WORDS = frozenset({"health", "healthz", "test", "validate", "validation"})
CLIENT_ERROR = 400
#: Keys a route's own envelope may gain when it degrades gracefully (`{"runs": [], "error": "not installed"}`).
NOTE_KEYS = frozenset({"error", "message", "warning"})
#: Attributes of a response that carry the status it was answered with: a proxy relays them.
RELAYED_STATUS = frozenset({"status", "status_code"})


class TryInRoute(RouteRule):
    """## What it does
    Checks for a `try` statement in the body of an HTTP route handler with an `except` handler that answers
    the request with an error of the route's own making: the handler ends by returning a generic response
    built on the spot (`return JSONResponse(status_code=500, content=...)`, `Response(..., status_code=403)`,
    `PlainTextResponse(...)`), or a dict literal that carries an error (`return {"error": ...}`, a key
    `error`, `errors` or `detail`, or `"status": "error"`). Such an error never reaches the global exception
    handlers. Reported at the `try`.

    Narrowed on real code, for precision: a handler is reported only for those answers, which are
    provably an error body written in the route. Left alone:

    - a `try` without handlers (`try/finally` guards cleanup only), and one every one of whose handlers
      ends by raising (`raise`, `raise HTTPException(...) from exc`, `raise DomainError(...)`, also when
      both branches of a final `if`/`else` raise): the error still reaches the exception handlers;
    - handlers that recover and carry on rather than answer: a fallback value (`except (KeyError,
      ValueError): temperature = 0.7`), a best-effort side step that logs and goes on (a cache refresh, an
      audit write after the commit), `pass`, `continue`, a bare `return`;
    - handlers that answer through a helper or a model (`return CheckResult(success=False, ...)`, `return
      _anthropic_error_json_response(exc)`, `return x.dict()` as a fallback for `x.model_dump()`): an
      API that mirrors another protocol's error format (OpenAI, Anthropic, JSON-RPC), a connection test
      whose answer is the failure, or a compatibility shim; the module cannot tell those from a
      translation, so it stays silent. So are redirects and HTML pages (a login flow answers failures in
      the browser, which a JSON exception handler cannot do). A generic response whose content an
      error-mapping helper builds (`JSONResponse(content=transform_to_anthropic_error(...))`, a helper
      whose name says `error` or `exception`) is such a mirror too;
    - a dict with the same keys as the route's own success answer (`{"tools": [], "error": ..., "message":
      ...}` beside `{"tools": tools, "error": None, "message": "ok"}`), or those keys plus an `error`,
      `message` or `warning` note (feast's `{"runs": [], "mlflow_uri": None, "error": "mlflow is not
      installed"}` beside `{"runs": runs, "mlflow_uri": uri}`): the route's envelope, degrading gracefully,
      not a translation of the exception;
    - a generic response whose content is OpenAI's error format written out (`{"error": {"message": ...,
      "type": ...}}`, feast's `/v1/vector_stores`), a protocol mirror as above, or whose status is relayed
      from an upstream response (`status_code=r.status_code`: a proxy passing on the upstream's answer);
    - a generic response with a success status (`except NotFound: return Response(status_code=204)`: a
      delete that treats a missing item as deleted);
    - routes whose function is a health check, a test of a connection or a validator (a name with the
      word `health`, `test`, `validate`): reporting the failure is their answer;
    - a `try` in a function nested in the route (a streaming generator, a callback), which is not the
      handler's own flow; and websocket routes, which must catch `WebSocketDisconnect` (HR508) and have
      no global exception handlers to rely on.

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
    message = "let the error reach the global exception handlers instead of answering it in the route"
    source = "002 Handler Layer"
    valid = (
        # feast: the route's envelope, degrading gracefully; OpenAI's error format; a proxy relaying a status
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get('/api/mlflow-runs')\ndef runs() -> dict:\n"
        "    try:\n        found = load_runs()\n        return {'runs': found, 'mlflow_uri': URI}\n"
        "    except ImportError:\n"
        "        return {'runs': [], 'mlflow_uri': None, 'error': 'mlflow is not installed'}\n",
        "from fastapi import FastAPI\nfrom fastapi.responses import JSONResponse\n\napp = FastAPI()\n\n"
        "@app.get('/v1/vector_stores/{id}')\nasync def get_store(id: str) -> JSONResponse:\n    try:\n"
        "        return JSONResponse(content=registry.resolve(id))\n    except KeyError:\n"
        "        return JSONResponse(\n            status_code=404,\n"
        "            content={'error': {'message': 'not found', 'type': 'not_found_error'}},\n        )\n",
        "from fastapi import FastAPI\nfrom fastapi.responses import JSONResponse\n\napp = FastAPI()\n\n"
        "@app.post('/chat/completions')\nasync def chat(body: dict) -> JSONResponse:\n    try:\n"
        "        r = await upstream.post(body)\n        r.raise_for_status()\n        return JSONResponse(r.json())\n"
        "    except UpstreamError as e:\n"
        "        return JSONResponse(status_code=e.response.status_code, content=e.body)\n",
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
        # a local parse fallback; a best-effort side step that logs and goes on
        "from fastapi import APIRouter, Request\n\nrouter = APIRouter()\n\n@router.post('/chat', status_code=201)\n"
        "async def chat(request: Request) -> dict:\n    options = await request.json()\n    try:\n"
        "        temperature = float(options['temperature'])\n    except (KeyError, ValueError):\n"
        "        temperature = 0.7\n    return {'temperature': temperature}",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.post('/servers', status_code=201)\n"
        "async def create(server: Server) -> Server:\n    await store.add(server)\n    try:\n"
        "        await registry.reload()\n    except Exception as exc:\n"
        "        logger.exception('registry refresh failed: %s', exc)\n    return server",
        # answers the route owns: its own response type, a redirect
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.post('/guardrails/test', status_code=201)\n"
        "async def test(request: TestRequest) -> TestResponse:\n    try:\n        result = await run(request)\n"
        "    except TimeoutError:\n        return TestResponse(success=False, error='timeout')\n"
        "    return TestResponse(success=True, result=result)",
        "from fastapi import APIRouter, HTTPException\nfrom fastapi.responses import RedirectResponse\n\n"
        "router = APIRouter()\n\n@router.get('/callback')\nasync def callback(state: str) -> RedirectResponse:\n"
        "    try:\n        url = await consume_state(state)\n    except HTTPException:\n"
        "        return _authorization_redirect('connection_failed=1')\n    return RedirectResponse(url)",
        # a protocol's own error format through a helper; a compatibility fallback; a health check
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.post('/v1/messages/count_tokens')\n"
        "async def count_tokens(request: Request) -> dict:\n    try:\n        data = await read_body(request)\n"
        "    except ProxyException as e:\n        return _anthropic_error_json_response(e, request)\n"
        "    return await count(data)",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.post('/team/new', status_code=201)\n"
        "async def new_team(data: Team) -> dict:\n    row = await create(data)\n    try:\n"
        "        return row.model_dump()\n    except Exception:\n        return row.dict()",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get('/health/services')\n"
        "async def health_services() -> dict:\n    try:\n        await ping()\n    except ValueError as exc:\n"
        "        return {'status': 'error', 'message': str(exc)}\n    return {'status': 'healthy'}",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.delete('/r/{id}', status_code=204)\n"
        "async def delete(id: str) -> None:\n    try:\n        await service.delete_one(id)\n"
        "    except NotFound:\n        return\n    except Gone:\n        return None",
        "from fastapi import APIRouter, Response\n\nrouter = APIRouter()\n\n"
        "@router.delete('/a/{id}', status_code=204)\n"
        "async def delete_automation(id: str) -> Response:\n    try:\n        await service.delete_one(id)\n"
        "    except ValueError:\n        return Response(status_code=204)\n    return Response(status_code=204)",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.post('/blocked_words/validate')\n"
        "async def validate_blocked_words_file(request: dict[str, str]) -> dict:\n    try:\n"
        "        parse(request['file_content'])\n    except ValueError as e:\n"
        "        return {'valid': False, 'error': str(e)}\n    return {'valid': True}",
        # litellm: another protocol's error format from a mapping helper; the route's own envelope
        "from fastapi import APIRouter\nfrom fastapi.responses import JSONResponse\n\nrouter = APIRouter()\n\n"
        "@router.post('/v1/messages')\nasync def messages(request: Request) -> dict:\n    try:\n"
        "        return await process(request)\n    except ContextError as e:\n"
        "        body = transform_to_anthropic_error(e.status_code, e.message)\n"
        "        return JSONResponse(status_code=e.status_code, content=body)\n\n"
        "@router.get('/tools')\nasync def tools() -> dict:\n    try:\n"
        "        return {'tools': await list_tools(), 'error': None, 'message': 'ok'}\n    except Exception as e:\n"
        "        return {'tools': [], 'error': 'unexpected_error', 'message': str(e)}",
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
        "        return {'error': 'failed', 'tools': []}",
        # an error body in one branch of a final `if`
        "from fastapi import APIRouter, Response\n\nrouter = APIRouter()\n\n"
        "@router.get('/r')\nasync def get(id: str) -> Item:\n    try:  # error: HR510\n"
        "        item = await service.get_one(id)\n    except NotFound:\n        if strict:\n"
        "            return Response('Invalid automation', status_code=403)\n        raise\n    return item",
        "from fastapi import APIRouter\nfrom fastapi.responses import JSONResponse\n\nrouter = APIRouter()\n\n"
        "@router.get('/r')\nasync def get(id: str) -> JSONResponse:\n    try:  # error: HR510\n"
        "        return JSONResponse(await service.get_one(id))\n    except NotFound:\n"
        "        return JSONResponse({'error': 'not found'}, status_code=404)",
    )

    def start(self) -> None:
        """Per module: the routes, by the functions that handle them (filled on first use)."""
        self._handlers: dict[ast.AST, list[Route]] | None = None

    def visit_Try(self, node: ast.Try) -> None:
        """A `try` with handlers: in a route's own body, and does some handler answer the request?"""
        self._check(node)

    def visit_TryStar(self, node: ast.TryStar) -> None:
        """As `visit_Try`, for `try`/`except*`."""
        self._check(node)

    def _check(self, node: ast.Try | ast.TryStar) -> None:
        if not node.handlers:
            return
        if self._handlers is None:
            self._handlers = {}
            for route in self.http_routes():
                self._handlers.setdefault(route.function, []).append(route)
        if not self._handlers:
            return
        answers = [_answers(handler.body) for handler in node.handlers]
        if not any(answers):
            return
        parents = self.ctx.parents
        owner = parents.get(node)
        while owner is not None and type(owner) not in BOUNDARY_TYPES:
            owner = parents.get(owner)
        routes = self._handlers.get(owner) if owner is not None else None
        if not routes:
            return
        if any(WORDS.intersection(route.function.name.lower().split("_")) for route in routes):
            return
        handled = {id(value) for values in answers for value in values}
        envelopes = {
            frozenset(_literal_keys(found.value))
            for found in self.facts.returns(owner)
            if isinstance(found.value, ast.Dict) and id(found.value) not in handled
        }  # the key sets of the route's other dict answers: its own envelope
        if any(self._error_answer(value, envelopes) for values in answers for value in values):
            self.report(node)

    def _error_answer(self, value: ast.expr | None, envelopes: set[frozenset[str]]) -> bool:
        """A generic response built on the spot, or a dict literal that carries an error.

        Not one: a response whose content an error-mapping helper builds (`content=transform_to_x_error(...)`,
        another protocol's error format), a dict with the same keys as the route's own success answer.
        """
        if isinstance(value, ast.Await):
            value = value.value
        if isinstance(value, ast.Call):
            if response_class(self.ctx, value.func) not in GENERIC_RESPONSES or self._mapped_content(value):
                return False
            given = next((keyword.value for keyword in value.keywords if keyword.arg == "status_code"), None)
            if isinstance(given, ast.Attribute) and given.attr in RELAYED_STATUS:
                return False  # `status_code=r.status_code`: the upstream's answer relayed, not one of its own
            code = status_code(self.ctx, given) if given is not None else None
            return code is None or code >= CLIENT_ERROR  # `Response(status_code=204)` is a success
        if isinstance(value, ast.Dict):
            keys = frozenset(_literal_keys(value))
            if any(envelope and envelope <= keys and keys - envelope <= NOTE_KEYS for envelope in envelopes):
                return False  # the route's own envelope, with at most a note of what failed
            for key, item in zip(value.keys, value.values, strict=True):
                if not isinstance(key, ast.Constant):
                    continue
                if key.value in ERROR_KEYS:
                    return True
                if key.value == "status" and isinstance(item, ast.Constant) and item.value in {"error", "failed"}:
                    return True
        return False

    def _mapped_content(self, call: ast.Call) -> bool:
        """`JSONResponse(content=transform_to_anthropic_error(...))`: content an error-mapping helper built."""
        content = next((keyword.value for keyword in call.keywords if keyword.arg == "content"), None)
        if content is None and call.args:
            content = call.args[0]
        if isinstance(content, ast.Name):
            content = self.ctx.assigned_value(content)
        if isinstance(content, ast.Dict):
            return _protocol_error(content)
        if not isinstance(content, ast.Call):
            return False
        func = content.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        return any(word in name.lower() for word in ("error", "exception"))


def _protocol_error(content: ast.Dict) -> bool:
    """OpenAI's error format written out: `{"error": {"message": ..., "type": ...}}` (or with `code`)."""
    for key, item in zip(content.keys, content.values, strict=True):
        if isinstance(key, ast.Constant) and key.value == "error" and isinstance(item, ast.Dict):
            inner = set(_literal_keys(item))
            return "message" in inner and bool(inner & {"type", "code"})
    return False


def _literal_keys(value: ast.Dict) -> list[str]:
    return [key.value for key in value.keys if isinstance(key, ast.Constant) and isinstance(key.value, str)]


def _answers(body: list[ast.stmt], depth: int = 0) -> list[ast.expr | None]:
    """The values a handler answers the request with, when it ends by returning: a final `return`, or a final
    `if` whose every branch ends by returning or raising (and one returns). Empty when it carries on or raises.
    """
    if not body or depth > MAX_DEPTH:
        return []
    last = body[-1]
    if isinstance(last, ast.Return):
        return [last.value]
    if isinstance(last, ast.If) and last.orelse:
        branches = (last.body, last.orelse)
        found: list[ast.expr | None] = []
        for branch in branches:
            values = _answers(branch, depth + 1)
            if not values and not always_raises(branch, depth + 1, MAX_DEPTH):
                return []
            found.extend(values)
        return found
    if isinstance(last, ast.If) and always_raises(last.body, depth + 1, MAX_DEPTH):
        return []
    if isinstance(last, ast.Raise) and len(body) > 1:
        return _answers_before_raise(body[:-1], depth)
    return []


def _answers_before_raise(body: list[ast.stmt], depth: int) -> list[ast.expr | None]:
    """`if strict: return ErrorResponse(...)` then `raise`: the returns of the `if`s just before a final raise."""
    last = body[-1]
    if isinstance(last, ast.If) and not last.orelse:
        return _answers(last.body, depth + 1)
    return []
