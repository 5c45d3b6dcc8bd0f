"""HR507 route-without-rate-limit."""

from __future__ import annotations

import ast

from flake8_house_rules.context.fastapi import Route
from flake8_house_rules.rule import Example
from flake8_house_rules.rules.hr5xx_fastapi.common import RouteRule

LIMIT_METHODS = frozenset({"limit", "shared_limit", "exempt"})
DEPENDS = frozenset({"fastapi.Depends", "fastapi.params.Depends", "fastapi.param_functions.Depends"})
MAX_DEPTH = 2
PROBES = frozenset({"/health", "/healthz", "/livez", "/readyz", "/ping"})
#: The last path segment of a liveness or readiness probe under another path (`/health/liveness`).
PROBE_SEGMENTS = frozenset({"liveness", "liveliness", "readiness", "livez", "readyz", "healthz"})
PROBE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RouteWithoutRateLimit(RouteRule):
    """## What it does
    Checks for an HTTP route without a rate limit: no `@<limiter>.limit(...)` decorator (slowapi's
    `limit`, `shared_limit`, or an explicit `exempt`) on a limiter named in `hr-limiter-names` (default
    `limiter`), or whose name ends in `limiter` (`@fides_limiter.limit(...)`; `app.state.limiter` and
    `self.limiter` count too). Reported at the route decorator.

    A limit given as a dependency also counts, on the route, on its router's constructor, or as a
    parameter (`limiter: Annotated[None, Depends(ApiUserRateLimiter(...))]`, `= Depends(...)`):
    `dependencies=[Depends(RateLimiter(times=2, seconds=5))]` (fastapi-limiter), that is, a dependency that
    names a limiter or something whose name contains `limit`. So does a limit applied in the body: a call
    of a method of a limiter (a name in `hr-limiter-names`, or one ending in `limiter`: `if await
    login_limiter.is_limited(email): raise HTTPException(429)`). Liveness and readiness probes (`GET`,
    `HEAD` or `OPTIONS` at `/health`, `/healthz`, `/livez`, `/readyz`, `/ping`, or a path ending in
    `/liveness`, `/liveliness`, `/readiness`) are not checked: an orchestrator polls them, and
    a limit would make it restart a healthy service. Websocket routes are not checked (slowapi does
    not limit them). The rule is opt-in: which endpoints are public is the team's call.

    Test modules (`hr-test-modules`) are not checked: the apps they build are fixtures, not the API.

    ## Why is this bad?
    An endpoint without a limit is one script away from exhausting the service or its upstream quota.
    Style guide 001 (FastAPI Routes): "Always add `@limiter.limit()` decorator for public endpoints"; 002
    (Security Best Practices): "Implement rate limiting for API endpoints".

    ## Example
    ```python
    @router.get("/search", summary="Search")
    async def search(request: Request, q: str) -> SearchResponse: ...
    ```

    Use instead:
    ```python
    @router.get("/search", summary="Search")
    @limiter.limit("30/minute")
    async def search(request: Request, q: str) -> SearchResponse: ...
    ```
    """

    code = "HR507"
    name = "route-without-rate-limit"
    message = "rate-limit the route: add `@limiter.limit(...)` under the route decorator"
    tier = "opt-in"
    source = "001 FastAPI Routes; 002 Security Best Practices"
    options = ("hr-limiter-names", "hr-test-modules")
    valid = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.get('/search')\n@limiter.limit('30/minute')\nasync def search(request): ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.get('/health')\n@limiter.exempt\nasync def health(request): ...",
        # fides: a limiter of another name; litellm: probes under `/health/`
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.post('/token')\n"
        "@fides_limiter.limit('10/minute')\nasync def token(request): ...\n\n"
        "@router.api_route('/health/liveness', methods=['GET', 'OPTIONS'])\nasync def liveness() -> str: ...",
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n"
        "@app.get('/search')\n@app.state.limiter.limit('5/second')\nasync def search(request): ...",
        "from fastapi import APIRouter, Depends\n\nrouter = APIRouter()\n\n"
        "@router.get('/search', dependencies=[Depends(RateLimiter(times=2, seconds=5))])\nasync def search(): ...",
        "from fastapi import APIRouter, Depends\n\nrouter = APIRouter(dependencies=[Depends(rate_limit)])\n\n"
        "@router.get('/search')\nasync def search(): ...",
        "from fastapi import APIRouter, Depends\n\nrouter = APIRouter()\n\n@router.post('/phone')\n"
        "async def phone(number: str, per_day=Depends(ApiUserRateLimiter(requests=5, window=86400))): ...",
        Example(
            "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
            "@router.get('/search')\n@throttle.limit('30/minute')\nasync def search(request): ...",
            options={"hr-limiter-names": "throttle"},
        ),
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n@router.websocket('/ws')\n"
        "async def ws(websocket): ...",
        "from app.api import router\n\n@router.get('/search')\nasync def search(request): ...",
        # a limit applied in the body; a liveness probe
        "from fastapi import APIRouter, HTTPException\n\nfrom app.rate_limit import login_limiter\n\n"
        "router = APIRouter()\n\n@router.post('/signin', status_code=201)\nasync def signin(email: str) -> dict:\n"
        "    if await login_limiter.is_limited(email):\n        raise HTTPException(status_code=429)\n"
        "    return {}\n\n@router.get('/health')\nasync def health() -> dict:\n    return {'status': 'ok'}",
    )
    invalid = (
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.get('/search')  # error: HR507\nasync def search(request): ...",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.post('/health')  # error: HR507\nasync def report_health(request): ...\n\n"
        "@router.get('/signin')  # error: HR507\nasync def signin(email: str) -> dict:\n"
        "    if await cache.is_limited(email):\n        return {}\n    return {}",
        "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n"
        "@router.get('/search')  # error: HR507\n@throttle.limit('30/minute')\nasync def search(request): ...",
    )

    def start(self) -> None:
        """Per module: the configured limiter names."""
        self._names = frozenset(self.ctx.config.limiter_names)

    def finish(self) -> None:
        """Report each route without a limit."""
        routes = self.http_routes()
        limited = self._limited_in_body() if routes else set()
        for route in routes:
            if route.splat or route.function in limited or self._probe(route) or self._limited(route):
                continue
            self.report_route(route)

    def _probe(self, route: Route) -> bool:
        """A liveness or readiness probe: `GET`/`HEAD`/`OPTIONS` of `/health`, ..., or `.../liveness`."""
        if not route.methods or not route.methods <= PROBE_METHODS or route.path is None:
            return False
        path = route.path.rstrip("/")
        return path in PROBES or path.rpartition("/")[2] in PROBE_SEGMENTS

    def _limited_in_body(self) -> set[ast.AST]:
        """The functions whose body calls a method of a limiter (`login_limiter.is_limited(...)`)."""
        found: set[ast.AST] = set()
        for call in self.ctx.nodes_of(ast.Call):
            func = call.func
            if not isinstance(func, ast.Attribute):
                continue
            if self._is_limiter(func.value):
                function = self.ctx.enclosing_function(call)
                if function is not None:
                    found.add(function)
        return found

    def _limited(self, route: Route) -> bool:
        if any(self._is_limit_decorator(decorator) for decorator in route.function.decorator_list):
            return True
        if self._mentions_limiter(route.keyword("dependencies")):
            return True
        if any(self._mentions_limiter(dependency) for dependency in self._parameter_dependencies(route.function)):
            return True
        constructor = route.router.node
        if isinstance(constructor, ast.Call):
            return any(k.arg == "dependencies" and self._mentions_limiter(k.value) for k in constructor.keywords)
        return False

    def _parameter_dependencies(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.expr]:
        """The `Depends(...)` calls among a function's defaults and `Annotated[...]` metadata."""
        args = function.args
        found: list[ast.expr] = [
            default
            for default in (*args.defaults, *args.kw_defaults)
            if default is not None and self._is_depends(default)
        ]
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
            annotation = arg.annotation
            if isinstance(annotation, ast.Subscript) and isinstance(annotation.slice, ast.Tuple):
                found.extend(item for item in annotation.slice.elts[1:] if self._is_depends(item))
        return found

    def _is_depends(self, node: ast.expr) -> bool:
        return isinstance(node, ast.Call) and self.ctx.qualname(node.func) in DEPENDS

    def _is_limit_decorator(self, decorator: ast.expr) -> bool:
        func = decorator.func if isinstance(decorator, ast.Call) else decorator
        if not isinstance(func, ast.Attribute) or func.attr not in LIMIT_METHODS:
            return False
        return self._is_limiter(func.value)

    def _is_limiter(self, receiver: ast.expr) -> bool:
        """A name or attribute in `hr-limiter-names`, or one whose name ends in `limiter` (`fides_limiter`)."""
        name = receiver.id if isinstance(receiver, ast.Name) else getattr(receiver, "attr", "")
        return name in self._names or name.lower().endswith("limiter")

    def _mentions_limiter(self, value: ast.expr | None) -> bool:
        """Whether a `dependencies=` value or a `Depends(...)` call names a limiter (a bounded look: the
        items, their callees and arguments, and those arguments' callees).
        """
        if value is None:
            return False
        items = value.elts if isinstance(value, ast.List | ast.Tuple | ast.Set) else [value]
        pending: list[tuple[ast.expr, int]] = [(item, 0) for item in items]
        while pending:
            node, depth = pending.pop()
            if isinstance(node, ast.Call):
                pending.append((node.func, depth))
                if depth < MAX_DEPTH:
                    pending.extend((arg, depth + 1) for arg in node.args)
                    pending.extend((keyword.value, depth + 1) for keyword in node.keywords)
            elif isinstance(node, ast.Name):
                if self._is_limiter_word(node.id):
                    return True
            elif isinstance(node, ast.Attribute) and self._is_limiter_word(node.attr):
                return True
        return False

    def _is_limiter_word(self, word: str) -> bool:
        return word in self._names or "limit" in word.lower()
