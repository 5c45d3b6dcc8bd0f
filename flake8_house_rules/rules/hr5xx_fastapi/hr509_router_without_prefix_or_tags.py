"""HR509 router-without-prefix-or-tags."""

from __future__ import annotations

import ast

from flake8_house_rules.context.fastapi import ROUTER_CLASSES
from flake8_house_rules.rules.hr5xx_fastapi.common import RouteRule

REQUIRED = ("prefix", "tags")


class RouterWithoutPrefixOrTags(RouteRule):
    """## What it does
    Checks for an `APIRouter(...)` call (`fastapi.APIRouter`, `fastapi.routing.APIRouter`) that lacks
    `prefix=` or `tags=`; the message says which. Reported at the call. A call with `**kwargs` may carry
    both and is not reported; `FastAPI(...)` apps are not routers.

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
    ```

    Use instead:
    ```python
    router = APIRouter(prefix="/feature", tags=["feature"])

    @router.get("/items")
    async def list_items() -> list[Item]: ...
    ```
    """

    code = "HR509"
    name = "router-without-prefix-or-tags"
    message = "give the router `prefix=` and `tags=`: `APIRouter(prefix='/feature', tags=['feature'])`"
    source = "002 Router Definition"
    valid = (
        "from fastapi import APIRouter\n\nrouter = APIRouter(prefix='/feature', tags=['feature'])",
        "from fastapi import APIRouter\n\nrouter = APIRouter(**router_options)",
        "from fastapi import FastAPI\n\napp = FastAPI()",
        "from app.routing import APIRouter\n\nrouter = APIRouter()",
    )
    invalid = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()  # error: HR509",
        "from fastapi import routing\n\nrouter = routing.APIRouter(prefix='/feature')  # error: HR509",
        "import fastapi\n\nrouter = fastapi.APIRouter(tags=['feature'], redirect_slashes=False)  # error: HR509",
    )

    calls = ROUTER_CLASSES

    def visit_call(self, node: ast.Call, name: str) -> None:
        """Report a router definition without its prefix or tags."""
        written = {keyword.arg for keyword in node.keywords}
        if None in written:
            return
        missing = [keyword for keyword in REQUIRED if keyword not in written]
        if missing:
            self.report(node, f"give the router {' and '.join(f'`{k}=`' for k in missing)}: " + _example(missing))


def _example(missing: list[str]) -> str:
    values = {"prefix": "prefix='/feature'", "tags": "tags=['feature']"}
    return "`APIRouter(" + ", ".join(values[keyword] for keyword in missing) + ")`"
