"""HR509 router-without-prefix-or-tags."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from flake8_house_rules.context.fastapi import ROUTER_CLASSES
from flake8_house_rules.rules.hr5xx_fastapi.common import RouteRule, hidden, mounted_without_schema, schema_off

if TYPE_CHECKING:
    from flake8_house_rules.context.fastapi import Route

REQUIRED = ("prefix", "tags")
#: A first path segment that names no feature: an API version, `api` itself, or a well-known location (RFC
#: 8615's `/.well-known/...`, which a protocol fixes: OAuth's metadata, `security.txt`).
VERSION_SEGMENT = re.compile(r"v\d+((alpha|beta|rc)\d*)?(\.\d+)?|api|\.well-known", re.IGNORECASE)


class RouterWithoutPrefixOrTags(RouteRule):
    """## What it does
    Checks for an `APIRouter(...)` call (`fastapi.APIRouter`, `fastapi.routing.APIRouter`) that lacks
    `prefix=` or `tags=`; the message says which. Reported at the call. A call with `**kwargs` may carry
    both and is not reported; `FastAPI(...)` apps are not routers.

    The rule judges a router by the routes the module declares on it, for precision:

    - a missing `tags=` is reported only when some route of the router has no `tags=` of its own (when
      every route is tagged, the operations are grouped on the OpenAPI page already);
    - a missing `prefix=` is reported only when every route of the router has a literal path and they all
      start with the same literal segment (`/telemetry/...`): that segment is the prefix the router should
      carry. Routes under several top-level paths (an OpenAI-compatible API) have no prefix to factor out;
    - a router the module declares no route on (one that only includes others, or one built and returned
      by a factory function, whose caller sets prefix and tags in `include_router()`), a router assembled
      from `routes=`, and a router stored on `self` (a framework's own router, as `FastAPI` builds one) are
      not reported;
    - a prefix is asked for only when two routes or more share a first segment that names a feature: with
      one route any segment is "shared", and an API version (`/v1/traces` beside `/v1/logs`, `/v1beta/...`,
      paths a protocol fixes), `api` alone or `/.well-known` (RFC 8615: OAuth's authorization server
      metadata beside its JWKS) is no feature; tags are asked for only for the HTTP routes in
      the schema (`include_in_schema=False` ones, those of a router built with `include_in_schema=False` or
      mounted with it in another module of the project, group nothing on the docs page; websocket routes are
      in no schema and take no `tags=`).

    The rule reads the router's own definition, as style guide 002 writes it: a router included
    elsewhere with `app.include_router(router, prefix=..., tags=...)` is still reported, because the
    module that defines the routes then does not say where they live.

    Test modules (`hr-test-modules`) are not checked: the apps they build are fixtures, not the API.

    ## Why is this bad?
    The prefix and tags belong with the routes they group: the prefix keeps every path of the feature in
    one place, and the tags group the operations on the OpenAPI page. Style guide 002 (Router Definition):
    `feature_router = APIRouter(prefix="/feature", tags=["feature"], redirect_slashes=False)`.

    ## Example
    ```python
    router = APIRouter()

    @router.get("/feature/items")
    async def list_items() -> list[Item]: ...

    @router.get("/feature/items/{item_id}")
    async def get_item(item_id: str) -> Item: ...
    ```

    Use instead:
    ```python
    router = APIRouter(prefix="/feature", tags=["feature"])

    @router.get("/items")
    async def list_items() -> list[Item]: ...

    @router.get("/items/{item_id}")
    async def get_item(item_id: str) -> Item: ...
    ```
    """

    code = "HR509"
    name = "router-without-prefix-or-tags"
    message = "give the router `prefix=` and `tags=`: `APIRouter(prefix='/feature', tags=['feature'])`"
    source = "002 Router Definition"
    valid = (
        # litellm: a router of one route, one with only a version in common, one whose route is hidden
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.get('/get/latest_release_info', tags=['UI'])\nasync def latest() -> dict[str, str]: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter(tags=['tracing'])\n\n"
        "@router.post('/v1/traces')\nasync def traces() -> None: ...\n\n"
        "@router.post('/v1/logs')\nasync def logs() -> None: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter(prefix='/v1/management')\n\n"
        "@router.get('/users/me', include_in_schema=False)\nasync def me() -> dict[str, str]: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter(prefix='/feature', tags=['feature'])\n\n"
        "@router.get('/items')\nasync def items() -> list[Item]: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter(**router_options)\n\n"
        "@router.get('/items')\nasync def items() -> list[Item]: ...",
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get('/items')\nasync def items() -> list[Item]: ...",
        "from app.routing import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.get('/items')\nasync def items() -> list[Item]: ...",
        # a router factory: the application sets prefix and tags in include_router()
        "from fastapi import APIRouter\n\ndef build_verify_router() -> APIRouter:\n    router = APIRouter()\n\n"
        "    @router.post('/verify', summary='Verify', status_code=202)\n    async def verify() -> None:\n"
        "        return None\n\n    return router\n",
        # an aggregating router; fastapi's own app router
        "from fastapi import APIRouter\n\nfrom app.items import items_router\n\nrouter = APIRouter()\n"
        "router.include_router(items_router)\n",
        "from fastapi import routing\n\nclass App:\n    def __init__(self, routes) -> None:\n"
        "        self.router = routing.APIRouter(routes=routes)\n",
        # every route tagged, and no common first segment to factor out
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.post('/key/generate', tags=['keys'])\nasync def generate() -> Key: ...\n\n"
        "@router.get('/v2/key/info', tags=['keys'])\nasync def info() -> Key: ...\n\n"
        "@router.get(PATH, tags=['keys'])\nasync def other() -> Key: ...",
        # litellm: websocket routes take no tags and are in no schema; a `v1beta` version segment
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.api_route('/gemini/{endpoint:path}', methods=['GET', 'POST'], tags=['Gemini'])\n"
        "async def gemini(endpoint: str) -> dict: ...\n\n"
        "@router.websocket('/openai/{endpoint:path}')\nasync def ws(websocket, endpoint: str) -> None: ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter(tags=['agents'])\n\n"
        "@router.post('/v1beta/agents')\nasync def create() -> dict: ...\n\n"
        "@router.get('/v1beta/agents/{name}')\nasync def get(name: str) -> dict: ...",
        # phoenix: an OAuth authorization server's metadata, where RFC 8615 puts it
        "from fastapi import APIRouter\n\nrouter = APIRouter(tags=['auth'])\n\n"
        "@router.get('/.well-known/oauth-authorization-server')\nasync def meta() -> dict: ...\n\n"
        "@router.get('/.well-known/jwks.json')\nasync def jwks() -> dict: ...",
    )
    invalid = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()  # error: HR509\n\n"
        "@router.get('/feature/items')\nasync def items() -> list[Item]: ...\n\n"
        "@router.get('/feature/items/{id}')\nasync def item(id: str) -> Item: ...",
        "from fastapi import routing\n\nrouter = routing.APIRouter(prefix='/feature')  # error: HR509\n\n"
        "@router.get('/items', tags=['items'])\nasync def items() -> list[Item]: ...\n\n"
        "@router.get('/other')\nasync def other() -> list[Item]: ...",
        "import fastapi\n\nrouter = fastapi.APIRouter(tags=['feature'], redirect_slashes=False)  # error: HR509\n\n"
        "@router.get('/telemetry/reports', tags=['Telemetry'])\nasync def reports() -> list[Item]: ...\n\n"
        "@router.put('/telemetry/settings', tags=['Telemetry'])\nasync def settings() -> Item: ...",
    )

    calls = ROUTER_CLASSES

    def visit_call(self, node: ast.Call, name: str) -> None:
        """Report a router definition without the prefix or tags its routes call for."""
        written = {keyword.arg for keyword in node.keywords}
        if None in written or "routes" in written or self._on_self(node) or self._returned(node):
            return
        routes = [route for route in self.facts.routes if route.router.node is node]
        if not routes:
            return
        missing = []
        if "prefix" not in written and _common_segment(routes):
            missing.append("prefix")
        shown = [
            route
            for route in routes
            if not hidden(route)
            and not route.is_websocket
            and not schema_off(route)
            and not mounted_without_schema(self.ctx, route)
        ]
        if "tags" not in written and any(not route.may_have("tags") for route in shown):
            missing.append("tags")
        if missing:
            self.report(node, f"give the router {' and '.join(f'`{k}=`' for k in missing)}: " + _example(missing))

    def _returned(self, node: ast.Call) -> bool:
        """Whether a function builds the router and returns it (a factory: its caller includes it with a prefix)."""
        function = self.ctx.enclosing_function(node)
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            return False
        statement = self.ctx.parent(node)
        names = set()
        if isinstance(statement, ast.Assign):
            names = {target.id for target in statement.targets if isinstance(target, ast.Name)}
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            names = {statement.target.id}
        return any(
            returned.value is node or (isinstance(returned.value, ast.Name) and returned.value.id in names)
            for returned in self.facts.returns(function)
        )

    def _on_self(self, node: ast.Call) -> bool:
        """`self.router = APIRouter(...)`: a class's own router, as `FastAPI` keeps one."""
        statement = self.ctx.parent(node)
        if isinstance(statement, ast.AnnAssign):
            targets = [statement.target]
        elif isinstance(statement, ast.Assign):
            targets = statement.targets
        else:
            return False
        return any(isinstance(target, ast.Attribute) for target in targets)


def _common_segment(routes: list[Route]) -> bool:
    """Whether every route has a literal path and all start with the same literal segment (`/telemetry/...`).

    Two routes at least (with one, any first segment is "shared"), and a segment that names a feature: an
    API version or `api` alone (`/v1/traces` beside `/v1/logs`, paths a protocol fixes) is none.
    """
    if len({route.path for route in routes}) < 2:  # a prefix is shared by two routes or more
        return False
    firsts = set()
    for route in routes:
        if route.path is None or not route.path.startswith("/"):
            return False
        first = route.path[1:].split("/", 1)[0]
        if not first or "{" in first:
            return False
        firsts.add(first)
    return len(firsts) == 1 and not VERSION_SEGMENT.fullmatch(next(iter(firsts)))


def _example(missing: list[str]) -> str:
    values = {"prefix": "prefix='/feature'", "tags": "tags=['feature']"}
    return "`APIRouter(" + ", ".join(values[keyword] for keyword in missing) + ")`"
