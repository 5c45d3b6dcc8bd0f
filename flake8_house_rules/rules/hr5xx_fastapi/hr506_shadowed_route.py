"""HR506 shadowed-route."""

from __future__ import annotations

import ast

from flake8_house_rules.context.fastapi import PathPattern, Route, RouterObject, compile_path, shadows
from flake8_house_rules.rule import Example
from flake8_house_rules.rules.hr5xx_fastapi.common import RouteRule


class ShadowedRoute(RouteRule):
    """## What it does
    Checks for a route that can never be reached because a route with a path parameter, registered
    earlier on the same router for the same method, matches every path it matches: `/items/{item_id}`
    before `/items/stats`. Reported at the later, shadowed route's decorator; the message names the earlier
    route and its line.

    Paths are matched as Starlette matches them: `{name}` matches one non-empty segment, and the typed
    convertors match only their own values (`{item_id:int}` does not match `stats`, but does match `0`;
    `{p:path}` matches everything below it, even across `/`). A later path with parameters of its own is
    compared segment by segment (`/items/{id:int}` after `/items/{id}` is shadowed). Methods come from the
    decorator (`get`, `post`, ...; `api_route(..., methods=[...])`, whose default is `GET`; websocket routes
    only meet websocket routes); a route answering several methods is reported only when earlier routes
    take every one of them. Several route decorators on one function register from the bottom up.

    Never reported: routes on different routers or apps (or on a router the module cannot tell apart from
    another, or one built with a custom `route_class=` or `**kwargs`, whose routes may match otherwise),
    routes of different methods, paths that are not string literals, custom convertors, two routes with
    the same pattern (a duplicate, not a shadowing), and an earlier route that is not always registered
    first: one in another function, or in another branch of an `if`.

    Test modules (`hr-test-modules`) are not checked: the apps they build are fixtures, not the API.

    ## Why is this bad?
    FastAPI tries routes in the order they were added and takes the first whose path and method match, so
    `GET /items/stats` runs the `{item_id}` handler with `item_id="stats"` (a 422 or a 404), and the stats
    handler never runs. Style guide 001 (FastAPI Routes): "**Route ordering matters**: declare literal paths
    (`/items/stats`) BEFORE parameterized paths (`/items/{id}`)".

    ## Example
    ```python
    @router.get("/items/{item_id}")
    async def get_item(item_id: str) -> Item: ...

    @router.get("/items/stats")
    async def item_stats() -> Stats: ...
    ```

    Use instead:
    ```python
    @router.get("/items/stats")
    async def item_stats() -> Stats: ...

    @router.get("/items/{item_id}")
    async def get_item(item_id: str) -> Item: ...
    ```
    """

    code = "HR506"
    name = "shadowed-route"
    message = "route is shadowed by an earlier parameterised route on the same router: declare it before that route"
    source = "001 FastAPI Routes"
    valid = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get('/items/stats')\nasync def stats(): ...\n"
        "\n"
        "@router.get('/items/{item_id}')\nasync def get_item(item_id: str): ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get('/items/{item_id:int}')\n"
        "async def get_item(item_id: int): ...\n\n@router.get('/items/stats')\nasync def stats(): ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get('/items/{item_id}')\n"
        "async def get_item(item_id: str): ...\n\n@router.post('/items/stats')\nasync def stats(): ...",
        "from fastapi import APIRouter\n\nitems = APIRouter()\nadmin = APIRouter()\n\n@items.get('/items/{item_id}')\n"
        "async def get_item(item_id: str): ...\n\n@admin.get('/items/stats')\nasync def stats(): ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get('/items/{item_id}')\n"
        "async def get_item(item_id: str): ...\n\n@router.get('/items/stats/daily')\nasync def daily(): ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\nif settings.legacy:\n"
        "    @router.get('/items/{item_id}')\n"
        "    async def get_item(item_id: str): ...\nelse:\n    @router.get('/items/stats')\n    async def stats(): ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\ndef register_items() -> None:\n"
        "    @router.get('/items/{item_id}')\n    async def get_item(item_id: str): ...\n\n"
        "@router.get('/items/stats')\nasync def stats(): ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get('/items/{item_id}')\n"
        "async def get_item(item_id: str): ...\n\n@router.get('/items/{name}')\nasync def duplicate(name: str): ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.api_route('/items/{item_id}', methods=['GET'])\n"
        "async def get_item(item_id: str): ...\n\n@router.api_route('/items/stats', methods=['GET', 'POST'])\n"
        "async def stats(): ...",
        "from app.api import router\n\n@router.get('/items/{item_id}')\nasync def get_item(item_id: str): ...\n\n"
        "@router.get('/items/stats')\nasync def stats(): ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get('/items/{item_id}')\n"
        "@router.get('/items/stats')\nasync def both(item_id: str = ''): ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter(route_class=TimedRoute)\n\n"
        "@router.get('/items/{item_id}')\n"
        "async def get_item(item_id: str): ...\n\n@router.get('/items/stats')\nasync def stats(): ...",
        Example(
            "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get('/items/{item_id}')\n"
            "async def get_item(item_id: str): ...\n\n@app.get('/items/stats')\nasync def stats(): ...",
            path="tests/test_routing.py",
        ),
    )
    invalid = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get('/items/{item_id}')\n"
        "async def get_item(item_id: str): ...\n\n@router.get('/items/stats')  # error: HR506\nasync def stats(): ...",
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get('/files/{file_path:path}')\n"
        "async def read_file(file_path: str): ...\n\n@app.get('/files/archive/latest')  # error: HR506\n"
        "async def latest(): ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get('/users/{user_id:int}')\n"
        "async def get_user(user_id: int): ...\n\n@router.get('/users/0')  # error: HR506\n"
        "async def system_user(): ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.api_route('/items/{item_id}', methods=['GET'])\n"
        "async def get_item(item_id: str): ...\n@router.post('/items/{item_id}')\n"
        "async def post_item(item_id: str): ...\n\n"
        "@router.api_route('/items/stats', methods=['GET', 'POST'])  # error: HR506\nasync def stats(): ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.get('/items/stats')  # error: HR506\n"
        "@router.get('/items/{item_id}')\nasync def both(item_id: str = ''): ...",
        "from fastapi import APIRouter\n\ndef register(router: APIRouter) -> None:\n"
        "    @router.get('/items/{item_id}')\n"
        "    async def get_item(item_id: str): ...\n\n    @router.get('/items/{item_id:int}')  # error: HR506\n"
        "    async def get_int(item_id: int): ...",
        "from fastapi import APIRouter\n\nitems_router = APIRouter(prefix='/items')\nrouter = items_router\n\n"
        "@items_router.websocket('/{room}')\nasync def room(ws): ...\n\n@router.websocket('/lobby')  # error: HR506\n"
        "async def lobby(ws): ...",
    )

    def finish(self) -> None:
        """Report each route whose every method an earlier parameterised route on its router takes first."""
        by_router: dict[RouterObject, list[tuple[Route, PathPattern]]] = {}
        for route in self.facts.routes:
            if route.router.unique and route.path is not None and route.methods and _plain(route.router):
                pattern = compile_path(route.path)
                if pattern is not None:
                    by_router.setdefault(route.router, []).append((route, pattern))
        for routes in by_router.values():
            parameterised: list[tuple[Route, PathPattern]] = []
            for later, pattern in routes:
                if parameterised:
                    self._check(later, pattern, parameterised)
                if pattern.convertors:
                    parameterised.append((later, pattern))

    def _check(self, later: Route, pattern: PathPattern, earlier_routes: list[tuple[Route, PathPattern]]) -> None:
        uncovered = set(later.methods or ())
        first: Route | None = None
        for earlier, earlier_pattern in earlier_routes:
            methods = earlier.methods or frozenset()
            if uncovered.isdisjoint(methods) or not shadows(earlier_pattern, pattern):
                continue
            if not self.facts.registered_before(earlier, later):
                continue
            uncovered -= methods
            first = first or earlier
            if not uncovered:
                break
        if first is not None and not uncovered:
            line = getattr(first.decorator, "lineno", 0)
            self.report_route(
                later,
                f"route `{later.path}` can never be reached: `{first.path}` (line {line}) on the same router "
                "matches it first; declare it before that route",
            )


def _plain(router: RouterObject) -> bool:
    """Whether a router matches as FastAPI's own routes do: not built with a custom `route_class=`."""
    node = router.node
    if not isinstance(node, ast.Call):
        return True
    return not any(keyword.arg in {None, "route_class"} for keyword in node.keywords)
