"""HR502 route-without-response-model."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.rules.hr5xx_fastapi.common import (
    RouteRule,
    hidden,
    returns_response,
    route_status,
    schema_off,
)

if TYPE_CHECKING:
    from flake8_house_rules.context.fastapi import Route

NO_CONTENT = 204


class RouteWithoutResponseModel(RouteRule):
    """## What it does
    Checks for an HTTP route (see the FastAPI family's definition: a `get/post/put/patch/delete/head/
    options/trace/api_route` decorator on a router or app the module provably holds) whose decorator has
    no `response_model=` and whose function has no return annotation. Reported at the route decorator.

    Routes that answer with a `Response` need neither and are not reported: a decorator with
    `response_class=`, or a function that returns a response object (a `fastapi.responses`/
    `starlette.responses` class called, directly or through a name assigned one, a parameter annotated
    `Response`, `templates.TemplateResponse(...)`, a module class inheriting a response class, a function
    of the module annotated to return one).

    Narrowed on real code: proxies and login flows return responses built by helpers the module cannot see
    into, so a route is not reported either when it returns the result of a call whose name says it may
    build a response (a class named like Starlette's responses, `CustomStreamingResponse(...)`, though not
    a model named like `UserResponse(...)`; `authorize_redirect(...)`, `_base_vertex_proxy_route(...)`,
    `relay_*`, `forward_*`, `stream_*`, or a callable made by such a call: `handler =
    create_pass_through_route(...)`), unless the callee is a function of the module annotated otherwise;
    nor when a route function named for streaming (`google_stream_generate_content`) returns only such
    helper calls, nor when it returns a variable named for a response (`response = await
    backend.login(user)`, then `return response`) whose value the module cannot see into, nor when it
    returns what a helper handed the raw `Request` returns (`return await
    processor.base_process_llm_request(request=request)`): a pass-through, whose helper owns the answer.
    A route answering `204 No Content` has no body to type and is not reported.
    Routes hidden from the schema (`include_in_schema=`, not a literal `True`: a favicon, a docs page, a
    probe; or on a router built with `APIRouter(include_in_schema=False)` or an app built with
    `FastAPI(openapi_url=None)`, as HR503 reads them) are left alone, as are routes whose
    `responses={200: {"model": ...}}` names the answer's model
    (documented without validating, as deliberate as `response_model=None`).

    `response_model=None` is an explicit choice and counts as written; so does a `**kwargs` in the
    decorator (it may carry `response_model`). Websocket routes have no response model.

    Test modules (`hr-test-modules`) are not checked: the apps they build are fixtures, not the API.

    ## Why is this bad?
    Without a declared response type FastAPI neither validates nor filters what the handler returns, and
    the OpenAPI schema shows an untyped body. Style guide 001 (FastAPI Routes): "Use Pydantic
    `response_model` for type safety"; 000 annotates every route `-> CreateThreadResponse`; 002: "Implement
    proper request/response models for OpenAPI documentation".

    ## Example
    ```python
    @router.get("/users/{user_id}")
    async def get_user(user_id: int, service: UserServiceDep):
        return await service.get_one(user_id)
    ```

    Use instead:
    ```python
    @router.get("/users/{user_id}")
    async def get_user(user_id: int, service: UserServiceDep) -> UserResponse:
        return await service.get_one(user_id)
    ```
    """

    code = "HR502"
    name = "route-without-response-model"
    message = "declare the route's response type: a return annotation or `response_model=`"
    source = "001 FastAPI Routes; 000 FastAPI Patterns; 002 Route Handlers"
    valid = (
        # lnbits: a router hidden from the schema
        "from fastapi import APIRouter\n\nrouter = APIRouter(include_in_schema=False)\n\n"
        "@router.get('/manifest/{usr}.webmanifest')\nasync def manifest(usr: str):\n    return {'name': usr}",
        "from fastapi import FastAPI\nfrom fastapi.openapi.docs import get_swagger_ui_html\n"
        "from fastapi.responses import StreamingResponse\n\napp = FastAPI(docs_url=None)\n\n"
        "async def _stream(scope: dict) -> 'StreamingResponse':\n    return StreamingResponse(iter([b'x']))\n\n"
        "@app.get('/mcp')\nasync def mcp(scope: dict):\n    return await _stream(scope)\n\n"
        "@app.get('/docs')\nasync def docs():\n    return get_swagger_ui_html(openapi_url='/o.json', title='D')\n\n"
        "@app.get('/favicon.ico', include_in_schema=False)\nasync def favicon():\n    return {}\n\n"
        "@app.get('/spend/logs', responses={200: {'model': list[SpendLog]}})\nasync def logs():\n    return []",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.get('/users/{user_id}')\nasync def get_user(user_id: int) -> UserResponse: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.get('/users', response_model=list[UserResponse])\nasync def list_users(): ...",
        "from fastapi import APIRouter\nfrom fastapi.responses import HTMLResponse\n\nrouter = APIRouter()\n\n"
        "@router.get('/', response_class=HTMLResponse)\nasync def index():\n    return '<h1>hi</h1>'",
        "from fastapi import APIRouter\nfrom fastapi.responses import StreamingResponse\n\nrouter = APIRouter()\n\n"
        "@router.get('/export')\nasync def export():\n    return StreamingResponse(rows(), media_type='text/csv')",
        "from fastapi import APIRouter, Response\n\nrouter = APIRouter()\n\n"
        "@router.get('/ping')\nasync def ping(response: Response):\n    response.headers['x'] = '1'\n"
        "    return response",
        "from fastapi import FastAPI\nfrom fastapi.responses import JSONResponse\n\napp = FastAPI()\n\n"
        "@app.get('/health')\nasync def health():\n    result = JSONResponse({'ok': True})\n    return result",
        "from fastapi import FastAPI\nfrom app.streaming import CustomStreamingResponse\n\napp = FastAPI()\n\n"
        "@app.post('/chat')\nasync def chat():\n    return CustomStreamingResponse(tokens())",
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.websocket('/ws')\nasync def ws(websocket): ...",
        "from app.main import app\n\n@app.get('/unknown-app')\nasync def unknown(): ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get('/x', **route_options)\n"
        "async def x(): ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.post('/login')\nasync def login(request):\n"
        "    return await oauth.google.authorize_redirect(request, redirect_uri)",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.post('/cohere/{endpoint:path}')\n"
        "async def cohere(endpoint: str, request):\n    handler = create_pass_through_route(endpoint=endpoint)\n"
        "    received = await handler(request)\n    return received",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.post('/models/{name}:streamGenerateContent')\n"
        "async def google_stream_generate_content(name: str, request):\n"
        "    return await processor.base_process_llm_request(request=request)",
        # a response from an imported `-> Response` function; a 204 without a body
        "from fastapi import APIRouter\n\nfrom app.auth_backend import backend\n\nrouter = APIRouter()\n\n"
        "@router.post('/login', summary='Log in')\nasync def login(user: str):\n"
        "    response = await backend.login(user)\n    return response",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\nTAGS: dict[str, str] = {}\n\n"
        "@router.delete('/{key}', status_code=204)\ndef delete_tag(key: str):\n    TAGS.pop(key, None)",
        "from fastapi import APIRouter, Request\n\nrouter = APIRouter()\n\n@router.post('/v1/responses/compact')\n"
        "async def compact(request: Request):\n    return await processor.base_process_llm_request(request=request)",
    )
    invalid = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.get('/users/{user_id}')  # error: HR502\nasync def get_user(user_id: int):\n"
        "    return await service.get_one(user_id)",
        "import fastapi\n\ndef create_app() -> fastapi.FastAPI:\n    app = fastapi.FastAPI()\n\n"
        "    @app.post('/items', status_code=201)  # error: HR502\n    def create(item: Item):\n"
        "        return {'id': 1}\n\n    return app",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\ndef build_metadata_response(request) -> dict:\n"
        "    return {}\n\n@router.get('/.well-known/metadata')  # error: HR502\nasync def metadata(request):\n"
        "    return build_metadata_response(request)",
        "from fastapi import FastAPI\nfrom app.schemas import ChatResponse\n\napp = FastAPI()\n\n"
        "@app.post('/chat', status_code=201)  # error: HR502\nasync def chat():\n    return ChatResponse(text='hi')",
        # a variable not named for a response; a 200 DELETE
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.delete('/{key}')  # error: HR502\n"
        "async def delete_tag(key: str):\n    result = await store.delete(key)\n    return result",
        # handed the request's data, not the request
        "from fastapi import APIRouter, Request\n\nrouter = APIRouter()\n\n@router.post('/v1/chat')  # error: HR502\n"
        "async def chat(request: Request):\n    data = await request.json()\n    return await service.chat(data)",
    )

    def finish(self) -> None:
        """Report each route without a declared response type."""
        for route in self.http_routes():
            if route.function.returns is not None or route.may_have("response_model"):
                continue
            if hidden(route) or schema_off(route) or _documented_in_responses(route):
                continue
            if route_status(self.ctx, route) == NO_CONTENT:
                continue
            if route.may_have("response_class") or returns_response(self.ctx, self.facts, route) in {"yes", "maybe"}:
                continue
            self.report_route(route)


def _documented_in_responses(route: Route) -> bool:
    """`responses={200: {"model": X}}`: the success answer's model is declared for the schema."""
    responses = route.keyword("responses")
    if not isinstance(responses, ast.Dict):
        return False
    for key, value in zip(responses.keys, responses.values, strict=True):
        if (
            isinstance(key, ast.Constant)
            and key.value in {200, "200"}
            and isinstance(value, ast.Dict)
            and any(isinstance(k, ast.Constant) and k.value == "model" for k in value.keys)
        ):
            return True
    return False
