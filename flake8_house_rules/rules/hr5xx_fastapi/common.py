"""Facts the FastAPI rules share: status codes, response classes, and a base class for rules about routes."""

from __future__ import annotations

import ast
import re
from http import HTTPStatus
from typing import TYPE_CHECKING, Literal

from flake8_house_rules.context.fastapi import FastAPIRoutes, Route, imports_fastapi
from flake8_house_rules.rule import Rule

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

STATUS_MODULES = ("fastapi.status.", "starlette.status.")
STATUS_NAME_RE = re.compile(r"HTTP_(\d{3})_")
RESPONSE_MODULES = ("fastapi.responses.", "starlette.responses.", "fastapi.sse.", "sse_starlette.")
RESPONSE_CLASSES = frozenset({"fastapi.Response"})
BINARY_RESPONSES = frozenset({"FileResponse", "StreamingResponse"})
#: A class of unknown origin whose name ends so may be a response (`CustomStreamingResponse`); a class named
#: `UserResponse` is a model in style guide 002's naming.
STARLETTE_RESPONSE_NAMES = (
    "JSONResponse",
    "StreamingResponse",
    "FileResponse",
    "HTMLResponse",
    "PlainTextResponse",
    "RedirectResponse",
    "EventSourceResponse",
)
#: Words in a function's name that say it may build a response: `authorize_redirect`, `_base_vertex_proxy_route`.
RESPONSE_WORDS = ("response", "redirect", "proxy", "passthrough", "pass_through", "relay", "forward", "stream")
MAX_DEPTH = 4
WEBSOCKET_CLASSES = frozenset({"fastapi.WebSocket", "fastapi.websockets.WebSocket", "starlette.websockets.WebSocket"})

#: Whether an expression is a response: yes, no, or maybe (a class named `*Response` of unknown origin).
ResponseAnswer = Literal["yes", "no", "maybe"]


class RouteRule(Rule):
    """A rule about the module's FastAPI routes: runs only in modules that import `fastapi`, outside tests.

    Test modules (`hr-test-modules`) are skipped: the apps they build are fixtures that exercise FastAPI's
    behaviour (a deliberately shadowed route, an untyped body), not the project's API.
    """

    options = ("hr-test-modules",)

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Only modules that import `fastapi` can declare routes; test modules are not the API."""
        return imports_fastapi(ctx) and not ctx.is_test_module() and super().applies_to(ctx)

    @property
    def facts(self) -> FastAPIRoutes:
        """The module's apps, routers and routes (built once per module, shared by the family)."""
        return self.ctx.fact(FastAPIRoutes)

    def http_routes(self) -> list[Route]:
        """The module's HTTP routes (not websocket routes), in registration order."""
        return [route for route in self.facts.routes if not route.is_websocket]


def hidden(route: Route) -> bool:
    """Whether a route may be left out of the OpenAPI schema: `include_in_schema=` other than a literal `True`."""
    shown = route.keyword("include_in_schema")
    return shown is not None and not (isinstance(shown, ast.Constant) and shown.value is True)


def status_code(ctx: ModuleContext, expr: ast.expr) -> int | None:
    """The number a `status_code=` value stands for: `201`, `status.HTTP_201_CREATED`, `HTTPStatus.CREATED`."""
    if isinstance(expr, ast.Constant):
        value = expr.value
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    qualname = ctx.qualname(expr)
    if qualname is None:
        return None
    if qualname.startswith(STATUS_MODULES):
        found = STATUS_NAME_RE.match(qualname.rpartition(".")[2] + "_")
        return int(found.group(1)) if found else None
    module, _, member = qualname.rpartition(".")
    if module == "http.HTTPStatus" and member in HTTPStatus.__members__:
        return int(HTTPStatus[member])
    return None


def route_status(ctx: ModuleContext, route: Route, default: int = 200) -> int | None:
    """The status code a route answers with: its `status_code=`, else FastAPI's default; `None` if unknown."""
    value = route.keyword("status_code")
    if value is None:
        return None if route.splat else default
    return status_code(ctx, value)


def response_class(ctx: ModuleContext, expr: ast.expr) -> str | None:
    """The name of the FastAPI/Starlette response class an expression names (`StreamingResponse`), else `None`.

    A class of the module that inherits from one counts as its base's name.
    """
    qualname = ctx.qualname(expr)
    if qualname is not None:
        if qualname in RESPONSE_CLASSES or qualname.startswith(RESPONSE_MODULES):
            return qualname.rpartition(".")[2]
        return None
    if isinstance(expr, ast.Name):
        bindings = ctx.lookup(expr)
        if bindings and len(bindings) == 1 and isinstance(bindings[0].node, ast.ClassDef):
            for name in ctx.classes.ancestry(bindings[0].node).names:
                if name in RESPONSE_CLASSES or name.startswith(RESPONSE_MODULES):
                    return name.rpartition(".")[2]
    return None


def is_response(ctx: ModuleContext, expr: ast.expr | None, depth: int = 0) -> ResponseAnswer:
    """Whether a returned expression is a `Response`.

    `yes`: a response class called (also through a name assigned one, or a parameter annotated with one),
    `templates.TemplateResponse(...)`, a function of the module annotated to return a response class.
    `no`: anything else, and a function of the module annotated to return something else. `maybe`: a call
    the module cannot see into whose name says it may build a response: a class named like Starlette's
    (`CustomStreamingResponse`, but not a model named `UserResponse`), a function whose name holds
    `response`, `redirect`, `proxy`, `relay`, `forward`, `stream` (`authorize_redirect`, `relay_request`),
    or a callable made by such a call (`handler = create_pass_through_route(...)`, then `handler(...)`).
    """
    if expr is None or depth > MAX_DEPTH:
        return "no"
    if isinstance(expr, ast.Await):
        expr = expr.value
    if isinstance(expr, ast.Name):
        return _is_response_name(ctx, expr, depth)
    if not isinstance(expr, ast.Call):
        return "no"
    func = expr.func
    if response_class(ctx, func) is not None:
        return "yes"
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name == "TemplateResponse":
        return "yes"
    helper = _local_function(ctx, func)
    if helper is not None and helper.returns is not None:
        return "yes" if response_class(ctx, helper.returns) is not None else "no"
    if name[:1].isupper():  # a class: one named like Starlette's responses may be one of them
        return "maybe" if name == "Response" or name.endswith(STARLETTE_RESPONSE_NAMES) else "no"
    lowered = name.lower()
    if any(word in lowered for word in RESPONSE_WORDS):
        return "maybe"
    if isinstance(func, ast.Name):  # a callable made earlier: `handler = create_pass_through_route(...)`
        made = ctx.assigned_value(func)
        if isinstance(made, ast.Await):
            made = made.value
        if isinstance(made, ast.Call) and is_response(ctx, made, depth + 1) != "no":
            return "maybe"
    return "no"


def _local_function(ctx: ModuleContext, func: ast.expr) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The module's own function a call calls by name, when the name has that one binding."""
    if not isinstance(func, ast.Name):
        return None
    bindings = ctx.lookup(func)
    if bindings and len(bindings) == 1 and isinstance(bindings[0].node, ast.FunctionDef | ast.AsyncFunctionDef):
        return bindings[0].node
    return None


def _is_response_name(ctx: ModuleContext, name: ast.Name, depth: int) -> ResponseAnswer:
    bindings = ctx.lookup(name)
    if not bindings:
        return "no"
    answers: set[ResponseAnswer] = set()
    for binding in bindings:
        if binding.kind == "param":
            annotation = getattr(binding.node, "annotation", None)
            answers.add("yes" if annotation is not None and response_class(ctx, annotation) else "no")
        elif binding.kind == "assign" and isinstance(binding.value, ast.Call | ast.Await):
            answers.add(is_response(ctx, binding.value, depth + 1))
        else:
            answers.add("no")
    if "yes" in answers:
        return "yes"
    return "maybe" if "maybe" in answers else "no"


def returns_response(ctx: ModuleContext, facts: FastAPIRoutes, route: Route) -> ResponseAnswer:
    """Whether some `return` of the route's function returns a response (see `is_response`)."""
    answers = {is_response(ctx, node.value) for node in facts.returns(route.function)}
    if "yes" in answers:
        return "yes"
    return "maybe" if "maybe" in answers else "no"


def always_returns_response(ctx: ModuleContext, facts: FastAPIRoutes, route: Route) -> bool:
    """Whether every `return` of the route's function returns a response or may (and there is one)."""
    returns = facts.returns(route.function)
    return bool(returns) and all(is_response(ctx, node.value) != "no" for node in returns)


def websocket_parameters(ctx: ModuleContext, function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The names of a function's parameters annotated `WebSocket` (fastapi's or starlette's)."""
    args = function.args
    return {
        arg.arg
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs)
        if arg.annotation is not None and ctx.qualname(arg.annotation) in WEBSOCKET_CLASSES
    }
