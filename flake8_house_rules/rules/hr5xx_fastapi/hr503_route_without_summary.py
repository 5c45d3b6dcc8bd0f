"""HR503 route-without-summary."""

from __future__ import annotations

import ast

from flake8_house_rules.rules.hr5xx_fastapi.common import RouteRule, hidden, mounted_without_schema, schema_off


class RouteWithoutSummary(RouteRule):
    """## What it does
    Checks for an HTTP route whose decorator has no `summary=` and whose function has no docstring (FastAPI
    shows the docstring as the operation's description). Reported at the route decorator.

    A `description=` in the decorator counts as the docstring would: FastAPI shows the one in place of the
    other, so a route documented that way is not reported.

    Routes hidden from the schema (`include_in_schema=False` on the route or on the router's own
    `APIRouter(...)`, or a value only known at run time; any route of an app built with
    `FastAPI(openapi_url=None)`, which serves no schema; a router that another module of the project mounts
    on such an app, or with `include_router(router, include_in_schema=False)`: see below) have no
    documentation to write and are not reported, nor are websocket routes (OpenAPI does not describe
    them), nor a decorator with `**kwargs`.

    Where a router is mounted is found from the other side: the project's files are scanned once per run for
    `include_router` beside `openapi_url` or `include_in_schema`, and the few that spell both are read for
    `app = FastAPI(openapi_url=None)` with `app.include_router(jobs.router)`, and for
    `include_router(..., include_in_schema=False)` (mlflow mounts its FastAPI routers on a tracking-server
    app that serves no schema on purpose). A router mounted through another router is not followed.

    Test modules (`hr-test-modules`) are not checked: the apps they build are fixtures, not the API.

    ## Why is this bad?
    The OpenAPI page is the API's documentation; an operation without a summary shows only its generated
    name. Style guide 001 (FastAPI Routes): "Include OpenAPI docs: `summary=`, `responses=` in route
    decorator"; 002 (Route Handlers): "Include comprehensive docstrings for API documentation".

    ## Example
    ```python
    @router.get("/users/{user_id}", response_model=UserResponse)
    async def get_user(user_id: int) -> UserResponse:
        return await service.get_one(user_id)
    ```

    Use instead:
    ```python
    @router.get("/users/{user_id}", response_model=UserResponse, summary="Get one user")
    async def get_user(user_id: int) -> UserResponse:
        return await service.get_one(user_id)
    ```
    """

    code = "HR503"
    name = "route-without-summary"
    message = "document the route: add `summary=` to the decorator or a docstring to the function"
    source = "001 FastAPI Routes; 002 Route Handlers"
    valid = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.get('/users', summary='List users')\nasync def list_users() -> list[User]: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.get('/users')\nasync def list_users() -> list[User]:\n    '''List the users.'''",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.get('/internal', include_in_schema=False)\nasync def internal() -> None: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.websocket('/ws')\n"
        "async def ws(websocket): ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.delete('/toolset/{id}', description='Delete a toolset')\nasync def delete(id: str) -> None: ...",
        "from app.api import router\n\n@router.get('/users')\nasync def list_users() -> list[User]: ...",
        # an app without a schema; a router hidden from it
        "from fastapi import FastAPI\n\napp = FastAPI(openapi_url=None)\n\n"
        "@app.get('/users')\nasync def list_users() -> dict:\n    return {}",
        "from fastapi import APIRouter\n\nrouter = APIRouter(include_in_schema=False)\n\n"
        "@router.get('/users')\nasync def list_users() -> dict:\n    return {}",
    )
    invalid = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.get('/users')  # error: HR503\nasync def list_users() -> list[User]:\n    return []",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.get('/internal', include_in_schema=True)  # error: HR503\nasync def internal() -> None: ...",
        "from fastapi import FastAPI\n\napp = FastAPI(openapi_url='/openapi.json')\n\n"
        "@app.get('/users')  # error: HR503\nasync def list_users() -> dict:\n    return {}",
    )

    def finish(self) -> None:
        """Report each documented-nowhere route."""
        for route in self.http_routes():
            if (
                route.may_have("summary")
                or "description" in route.keywords
                or ast.get_docstring(route.function, clean=False) is not None
            ):
                continue
            if not hidden(route) and not schema_off(route) and not mounted_without_schema(self.ctx, route):
                self.report_route(route)
