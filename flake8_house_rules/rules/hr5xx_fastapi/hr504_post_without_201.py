"""HR504 post-without-201."""

from __future__ import annotations

import ast

from flake8_house_rules.fixes import Fix, edits
from flake8_house_rules.rule import FixExample
from flake8_house_rules.rules.hr5xx_fastapi.common import RouteRule, answers_with_responses, route_status

ACCEPTED = frozenset({201, 202, 204})


class PostWithout201(RouteRule):
    """## What it does
    Checks for a POST route (`@router.post(...)`, or `api_route(..., methods=["POST"])`) whose status code
    is not 201, 202 or 204: no `status_code=` (FastAPI then answers 200), or another value. The status code
    is read as a number (`201`) or a name (`status.HTTP_201_CREATED` from `fastapi`/`starlette`,
    `HTTPStatus.CREATED`). Reported at the route decorator.

    A status code the module cannot read (a variable, `**kwargs` in the decorator) is not reported, nor a
    route that answers several methods (`methods=["GET", "POST"]`: one status code cannot suit both), nor a
    route that answers with `Response` objects (some `return` is, or may be, a response: a proxy or redirect
    helper, see HR502; and no other `return` is provably a plain value): FastAPI then sends that response's
    own status code and ignores the decorator's. A route that also returns a dict or a model (an error
    response on one path, the created resource on another) answers the decorator's code there, and is
    reported.

    Action-style POSTs (`/login`, `/search`, `/key/bulk_update`) are reported like any other: the guide
    makes no exception for them, and its answer is a `PUT`/`PATCH` for updates, or an explicit `202`/`204`
    (or a `# noqa: HR504`) where a POST deliberately answers otherwise.

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
    message = "answer a POST with `status_code=201` (or an explicit 202/204)"
    fix = "safe"
    source = "001 FastAPI Routes"
    valid = (
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
    )
    invalid = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.post('/users')  # error: HR504\nasync def create_user() -> User: ...",
        "from fastapi import FastAPI\nfrom starlette import status\n\napp = FastAPI()\n\n"
        "@app.post('/users', status_code=status.HTTP_200_OK)  # error: HR504\nasync def create_user() -> User: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.api_route('/users', methods=['post'])  # error: HR504\nasync def create_user() -> User: ...",
        "from fastapi import APIRouter\nfrom fastapi.responses import JSONResponse\n\nrouter = APIRouter()\n\n"
        "@router.post('/tokens/count')  # error: HR504\nasync def count(payload: Payload) -> dict[str, int]:\n"
        "    if payload.bad:\n        return JSONResponse({'error': 'bad'}, status_code=400)\n    return {'tokens': 3}",
    )

    def finish(self) -> None:
        """Report each POST route that does not answer 201/202/204."""
        for route in self.http_routes():
            if route.methods != {"POST"}:
                continue
            status = route_status(self.ctx, route)
            if status is None or status in ACCEPTED:
                continue
            if not answers_with_responses(self.ctx, self.facts, route):
                self.report(route.decorator)

    def fix_for(self, node: ast.AST | tuple[int, int]) -> Fix | None:
        """`status_code=201` added to the route decorator (or its value replaced: `status.HTTP_201_CREATED` where
        the route spelled a `status.HTTP_*` constant).
        """
        if not isinstance(node, ast.Call):
            return None
        for keyword in node.keywords:
            if keyword.arg == "status_code":
                value = keyword.value
                text = "201"
                if isinstance(value, ast.Attribute) and value.attr.startswith("HTTP_"):
                    owner = edits.text_of(self.ctx, value.value)
                    if owner is None:
                        return None
                    text = f"{owner}.HTTP_201_CREATED"
                edit = edits.replace(self.ctx, value, text)
                return None if edit is None else Fix.safe("Answer with `201`", edit)
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
            "from fastapi import FastAPI\nfrom starlette import status\n\napp = FastAPI()\n\n"
            "@app.post('/users', status_code=status.HTTP_200_OK)  # error: HR504\nasync def create_user() -> User: ...",
            "from fastapi import FastAPI\nfrom starlette import status\n\napp = FastAPI()\n\n"
            "@app.post('/users', status_code=status.HTTP_201_CREATED)\nasync def create_user() -> User: ...",
        ),
    )
