"""HR504 post-without-201."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_house_rules.fixes import Fix, edits
from flake8_house_rules.rule import FixExample
from flake8_house_rules.rules.hr4xx_config.common import name_words
from flake8_house_rules.rules.hr5xx_fastapi.common import (
    RouteRule,
    answers_with_responses,
    response_class,
    route_status,
)

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext
    from flake8_house_rules.context.fastapi import Route

ACCEPTED = frozenset({201, 202, 204})
#: Written out, 200 is a decision (an OAuth2 token endpoint answers 200: RFC 6749, 5.1); only the default is not.
EXPLICIT = frozenset({200})
#: The last path segment of POST endpoints whose protocol answers `200 OK` and creates nothing: OpenAI's
#: (and its compatibles') computations, Gemini's `:method` calls, an OAuth2 token endpoint (RFC 6749, 5.1).
PROTOCOL_SEGMENTS = frozenset(
    {"completions", "embeddings", "moderations", "count_tokens", "input_tokens", "rerank", "token"}
)
UNIONS = frozenset({"typing.Union", "typing.Optional", "typing_extensions.Union", "typing_extensions.Optional"})
PROTOCOL_METHODS = frozenset({"countTokens", "generateContent", "streamGenerateContent", "embedContent"})


class PostWithout201(RouteRule):
    """## What it does
    Checks for a POST route (`@router.post(...)`, or `api_route(..., methods=["POST"])`) whose status code
    is not 201, 202 or 204: no `status_code=` (FastAPI then answers 200), or another value. An explicit
    `status_code=200` is accepted too: written out, it is a decision, not an oversight (an OAuth2 token
    endpoint must answer 200, RFC 6749 section 5.1; an RPC-style action answers 200). The status code
    is read as a number (`201`) or a name (`status.HTTP_201_CREATED` from `fastapi`/`starlette`,
    `HTTPStatus.CREATED`). Reported at the route decorator.

    A status code the module cannot read (a variable, `**kwargs` in the decorator) is not reported, nor a
    route that answers several methods (`methods=["GET", "POST"]`: one status code cannot suit both), nor a
    route that answers with `Response` objects (some `return` is, or may be, a response: a proxy or redirect
    helper, see HR502; and no other `return` is provably a plain value): FastAPI then sends that response's
    own status code and ignores the decorator's; so does a route annotated to return a response class
    (`-> Response`, `-> JSONResponse`). A route that also returns a dict or a model (an error
    response on one path, the created resource on another) answers the decorator's code there, and is
    reported.

    Action-style POSTs (`/login`, `/search`, `/key/bulk_update`) are reported like any other: the guide
    makes no exception for them, and its answer is a `PUT`/`PATCH` for updates, or an explicit
    `200`/`202`/`204` where a POST deliberately answers otherwise.

    Also left alone: POST endpoints whose protocol answers `200 OK` and creates nothing, by the last
    segment of a literal path: OpenAI's and its compatibles' `/completions`, `/chat/completions`,
    `/embeddings`, `/moderations`, `/rerank`, `/count_tokens`, `/input_tokens`, Gemini's `:countTokens`,
    `:generateContent`, `:streamGenerateContent`, `:embedContent`, and an OAuth2 `/token` endpoint (RFC 6749,
    5.1), also when the path is a constant of another module of the project that holds one (fides'
    `@router.post(TOKEN)` with `TOKEN = "/oauth/token"` in its URL registry) or, when its value is out of
    sight, is named for one (mlflow's `ROUTES[Action.GEMINI_GENERATE_CONTENT]`); a route
    annotated to return a response class or a union with one (`->
    TextCompletionResponse | StreamingResponse`, `Union[...]`, `Optional[...]`: it answers with its own
    status), and a handler that sets
    the status itself (`response.status_code = 201 if inserted else response.status_code` on its
    `response: Response` parameter), and a decorator whose literal `responses=` documents a 2xx answer other
    than 201 and no 201 (`responses={200: {"model": DecisionResponse}}`: the answer is a decision, written
    down).

    Test modules (`hr-test-modules`) are not checked: the apps they build are fixtures, not the API.

    ## Why is this bad?
    A POST that creates a resource answers `201 Created`; clients and generated SDKs rely on it. Style
    guide 001 (FastAPI Routes): "POST endpoints should return status code 201: `@router.post(...,
    status_code=201)`". `202 Accepted` (queued work) and `204 No Content` are deliberate answers and pass.

    ## Example
    ```python
    @router.post("/users", response_model=UserResponse)
    async def create_user(payload: UserCreatePayload) -> UserResponse: ...
    ```

    Use instead:
    ```python
    @router.post("/users", response_model=UserResponse, status_code=status.HTTP_201_CREATED)
    async def create_user(payload: UserCreatePayload) -> UserResponse: ...
    ```
    """

    code = "HR504"
    name = "post-without-201"
    message = "answer a POST with `status_code=201` (or write the 200/202/204 it answers instead)"
    fix = "safe"
    source = "001 FastAPI Routes"
    valid = (
        # litellm: the decorator documents the route's 200 answer
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.post('/decisions', summary='Ask', responses={200: {'model': Decision}})\n"
        "async def decide() -> Decision: ...",
        # fides: a union with a response class, spelled with `typing.Union`
        "from typing import Union\nfrom fastapi import APIRouter\nfrom fastapi.responses import StreamingResponse\n\n"
        "router = APIRouter()\n\n@router.post('/privacy-request/search')\n"
        "def search() -> Union[StreamingResponse, dict]: ...\n",
        # fides and mlflow: the path is a constant from another module, named for the protocol endpoint
        "from fastapi import APIRouter\nfrom app.urls import TOKEN, ROUTES, Action\n\nrouter = APIRouter()\n\n"
        "@router.post(TOKEN)\nasync def acquire_access_token() -> dict: ...\n\n"
        "@router.post(ROUTES[Action.GEMINI_GENERATE_CONTENT])\nasync def generate(name: str) -> dict: ...\n",
        # litellm/mlflow: OpenAI-compatible and Gemini endpoints; fides: the OAuth2 token endpoint
        "from fastapi import APIRouter, Request\n\nrouter = APIRouter()\n\n"
        "@router.post('/v1/chat/completions')\nasync def chat(request: Request) -> dict: ...\n\n"
        "@router.post('/v1beta/models/{model}:countTokens')\nasync def count(model: str) -> dict: ...\n\n"
        "@router.post('/api/v1/oauth/token')\nasync def acquire_access_token(request: Request) -> dict: ...",
        # fides: an upsert that answers 201 only when it inserted; an OpenAI-style stream or model
        "from fastapi import APIRouter, Response\nfrom fastapi.responses import StreamingResponse\n\n"
        "router = APIRouter()\n\n@router.post('/upsert')\n"
        "async def upsert(items: list[str], response: Response) -> dict:\n"
        "    response.status_code = 201 if items else response.status_code\n    return {}\n\n"
        "@router.post('/completions')\nasync def completion() -> Completion | StreamingResponse: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.post('/users', status_code=201)\nasync def create_user() -> User: ...",
        "from fastapi import APIRouter, status\n\nrouter = APIRouter()\n\n"
        "@router.post('/users', status_code=status.HTTP_201_CREATED)\nasync def create_user() -> User: ...",
        "from http import HTTPStatus\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.post('/jobs', status_code=HTTPStatus.ACCEPTED)\nasync def enqueue() -> Job: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.post('/jobs', status_code=settings.created_code)\nasync def enqueue() -> Job: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.api_route('/search', methods=['GET', 'POST'])\nasync def search() -> Result: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.put('/users/{id}')\n"
        "async def put() -> User: ...",
        "from app.routes import router\n\n@router.post('/users')\nasync def create_user() -> User: ...",
        "from fastapi import APIRouter, Response\n\nrouter = APIRouter()\n\n"
        "@router.post('/oauth/revoke')\nasync def revoke() -> Response:\n    return Response(status_code=200)",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.post('/sso/callback')\n"
        "async def callback(request):\n"
        "    if disabled:\n        return admin_ui_disabled()\n    return await get_redirect_response(request)",
        "from fastapi import APIRouter\nfrom fastapi.responses import JSONResponse\n\nrouter = APIRouter()\n\n"
        "async def exchange_token(request):\n    return JSONResponse(await mint(request))\n\n"
        "@router.post('/token')\nasync def token(request):\n    return await exchange_token(request)",
        # the OAuth2 token endpoint answers 200 (RFC 6749 5.1), written out
        "from fastapi import APIRouter, status\n\nrouter = APIRouter()\n\n"
        "@router.post('/token', status_code=200)\nasync def token() -> dict:\n"
        "    return {'access_token': '...', 'token_type': 'bearer'}\n\n"
        "@router.post('/introspect', status_code=status.HTTP_200_OK)\nasync def introspect() -> dict: ...",
        # a response from an imported function, held in a variable named for it
        "from fastapi import APIRouter\n\nfrom app.auth_backend import backend\n\nrouter = APIRouter()\n\n"
        "@router.post('/login', summary='Log in')\nasync def login(user: str):\n"
        "    response = await backend.login(user)\n    return response",
        "from fastapi import APIRouter, Form, Response\n\nrouter = APIRouter()\n\n"
        "@router.post('/introspect')\nasync def introspect(token: str = Form(...)) -> Response:\n"
        "    return await introspect_token(token)",
    )
    invalid = (
        # a path constant named for no protocol endpoint
        "from fastapi import APIRouter\nfrom app.urls import USERS\n\nrouter = APIRouter()\n\n"
        "@router.post(USERS)  # error: HR504\nasync def create_user() -> dict: ...\n",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.post('/users')  # error: HR504\nasync def create_user() -> User: ...",
        "from fastapi import FastAPI\nfrom starlette import status\n\napp = FastAPI()\n\n"
        "@app.post('/users', status_code=status.HTTP_302_FOUND)  # error: HR504\nasync def create_user() -> User: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.post('/sessions/{sid}/refresh')  # error: HR504\n"
        "async def refresh(sid: str) -> dict:\n    return {'refreshed': sid}",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.api_route('/users', methods=['post'])  # error: HR504\nasync def create_user() -> User: ...",
        "from fastapi import APIRouter\nfrom fastapi.responses import JSONResponse\n\nrouter = APIRouter()\n\n"
        "@router.post('/tokens/count')  # error: HR504\nasync def count(payload: Payload) -> dict[str, int]:\n"
        "    if payload.bad:\n        return JSONResponse({'error': 'bad'}, status_code=400)\n    return {'tokens': 3}",
    )

    def finish(self) -> None:
        """Report each POST route that does not answer 201/202/204."""
        setters = _status_setters(self.ctx)
        for route in self.http_routes():
            if route.methods != {"POST"}:
                continue
            status = route_status(self.ctx, route)
            if status is None or status in ACCEPTED or (status in EXPLICIT and route.may_have("status_code")):
                continue
            returns = route.function.returns
            members = _union(self.ctx, returns) if returns is not None else []
            if any(response_class(self.ctx, member) is not None for member in members):
                continue  # annotated `-> Response` (or a union with one): it answers with its own status
            if _protocol_endpoint(route.path) or (route.path is None and self._imported_protocol_endpoint(route)):
                continue  # `/v1/chat/completions`, `/oauth/token`: the protocol answers 200
            if route.function in setters:
                continue  # `response.status_code = ...`: the handler decides the status itself
            if _documents_success(route):
                continue  # `responses={200: {"model": Decision}}`: the 200 answer is documented, a decision
            if not answers_with_responses(self.ctx, self.facts, route):
                self.report_route(route)

    def _imported_protocol_endpoint(self, route: Route) -> bool:
        """A path given by a project constant that holds a protocol endpoint's path, or is named for one."""
        args = route.decorator.args
        path = args[0] if args else route.keyword("path")
        qualname = self.ctx.qualname(path) if isinstance(path, ast.Name | ast.Attribute) else None
        text = self.ctx.in_project.text(qualname) if qualname is not None else None
        return _protocol_endpoint(text) if text is not None else _named_protocol_endpoint(path)

    def fix_for(self, node: ast.AST | tuple[int, int]) -> Fix | None:
        """`status_code=201` added after the route decorator's last argument; a route that writes another
        `status_code=` (`302`, a setting) made a decision, so it has no fix.
        """
        if not isinstance(node, ast.Call) or any(keyword.arg in {"status_code", None} for keyword in node.keywords):
            return None
        arguments = [*node.args, *node.keywords]
        if not arguments:
            return None
        last = max(arguments, key=lambda item: (item.end_lineno or 0, item.end_col_offset or 0))
        return Fix.safe("Add `status_code=201`", edits.insert_at(edits.end_of(self.ctx, last), ", status_code=201"))

    fixes = (
        FixExample(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
            "@router.post('/users')  # error: HR504\nasync def create_user() -> User: ...",
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
            "@router.post('/users', status_code=201)\nasync def create_user() -> User: ...",
        ),
        FixExample(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
            "@router.api_route(  # error: HR504\n    '/users',\n    methods=['post'],\n)\n"
            "async def create_user() -> User: ...",
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
            "@router.api_route(\n    '/users',\n    methods=['post'], status_code=201,\n)\n"
            "async def create_user() -> User: ...",
        ),
    )


def _union(ctx: ModuleContext, annotation: ast.expr) -> list[ast.expr]:
    """The members of an `A | B`, `Union[A, B]` or `Optional[A]` annotation (itself when it is no union)."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return [*_union(ctx, annotation.left), *_union(ctx, annotation.right)]
    if isinstance(annotation, ast.Subscript) and ctx.qualname(annotation.value) in UNIONS:
        members = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
        return [item for member in members for item in _union(ctx, member)]
    return [annotation]


def _status_setters(ctx: ModuleContext) -> set[ast.AST]:
    """The functions that assign `<parameter>.status_code = ...` (FastAPI's `response: Response`)."""
    found: set[ast.AST] = set()
    for statement in ctx.nodes_of(ast.Assign):
        for target in statement.targets:
            if not isinstance(target, ast.Attribute) or target.attr != "status_code":
                continue
            if not isinstance(target.value, ast.Name):
                continue
            function = ctx.enclosing_function(statement)
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) and target.value.id in {
                arg.arg for arg in [*function.args.args, *function.args.kwonlyargs]
            }:
                found.add(function)
    return found


def _documents_success(route: Route) -> bool:
    """Whether the decorator's literal `responses=` documents a 2xx answer other than 201, and no 201."""
    responses = route.keywords.get("responses")
    if not isinstance(responses, ast.Dict):
        return False
    codes = set()
    for key in responses.keys:
        value = key.value if isinstance(key, ast.Constant) else None
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            codes.add(value)
    return 201 not in codes and any(200 <= code < 300 for code in codes)


def _named_protocol_endpoint(path: ast.expr | None) -> bool:
    """Whether a path given by a constant is named like a protocol endpoint (`TOKEN`, `ROUTES[Action.EMBEDDINGS]`).

    Asked when the constant's value is out of sight (not a string constant of a project module).
    """
    if isinstance(path, ast.Subscript):
        path = path.slice
    if isinstance(path, ast.Attribute):
        words = name_words(path.attr)
    elif isinstance(path, ast.Name):
        words = name_words(path.id)
    else:
        return False
    tail = ["_".join(words[-size:]) for size in (1, 2) if size <= len(words)]
    camel = [
        words[-size] + "".join(word.title() for word in words[len(words) - size + 1 :])
        for size in (2, 3)
        if size <= len(words)
    ]
    return any(item in PROTOCOL_SEGMENTS for item in tail) or any(item in PROTOCOL_METHODS for item in camel)


def _protocol_endpoint(path: str | None) -> bool:
    """Whether a literal path ends in a segment whose protocol answers `200` (`/v1/embeddings`, `:countTokens`)."""
    if path is None:
        return False
    last = path.rstrip("/").rpartition("/")[2]
    return last in PROTOCOL_SEGMENTS or last.rpartition(":")[2] in PROTOCOL_METHODS
