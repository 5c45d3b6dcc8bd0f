"""Facts the FastAPI rules share: status codes, response classes, and a base class for rules about routes."""

from __future__ import annotations

import ast
import re
from http import HTTPStatus
from typing import TYPE_CHECKING, Literal

from flake8_house_rules.context.fastapi import FastAPIRoutes, Route, imports_fastapi
from flake8_house_rules.rule import Rule, Violation

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

STATUS_MODULES = ("fastapi.status.", "starlette.status.")
STATUS_NAME_RE = re.compile(r"HTTP_(\d{3})_")
RESPONSE_MODULES = ("fastapi.responses.", "starlette.responses.", "fastapi.sse.", "sse_starlette.")
RESPONSE_CLASSES = frozenset({"fastapi.Response"})
#: FastAPI's functions that build a response (its docs pages: `-> HTMLResponse`).
RESPONSE_FUNCTIONS = frozenset(
    {
        "fastapi.openapi.docs.get_swagger_ui_html",
        "fastapi.openapi.docs.get_redoc_html",
        "fastapi.openapi.docs.get_swagger_ui_oauth2_redirect_html",
    }
)
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
#: Words in a variable's name that say it holds a response.
RESPONSE_NAME_WORDS = frozenset({"response", "resp", "redirect"})
REQUEST_CLASSES = frozenset({"fastapi.Request", "fastapi.requests.Request", "starlette.requests.Request"})
WEBSOCKET_CLASSES = frozenset({"fastapi.WebSocket", "fastapi.websockets.WebSocket", "starlette.websockets.WebSocket"})

#: Whether an expression is a response: yes, maybe (a helper whose name says so), unknown, or provably not.
ResponseAnswer = Literal["yes", "maybe", "unknown", "no"]
ANSWER_ORDER: tuple[ResponseAnswer, ...] = ("yes", "maybe", "unknown", "no")
#: Returned values that are plainly not responses.
PLAIN_VALUES = (
    ast.Constant,
    ast.Dict,
    ast.List,
    ast.Tuple,
    ast.Set,
    ast.JoinedStr,
    ast.ListComp,
    ast.DictComp,
    ast.SetComp,
    ast.BinOp,
    ast.Compare,
)


class RouteRule(Rule):
    """A rule about the module's FastAPI routes: runs only in modules that import `fastapi`, outside tests.

    Test modules (`hr-test-modules`) are skipped: the apps they build are fixtures that exercise FastAPI's
    behaviour (a deliberately shadowed route, an untyped body), not the project's API.
    """

    options = ("hr-test-modules",)
    shared_condition = True  # `applies_to` reads the module only

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

    def report_route(self, route: Route, message: str | None = None) -> None:
        """Report at the route decorator's `@` (column 1 of a top-level decorator line), like every other rule."""
        decorator = route.decorator
        line, column = at_sign(self.ctx, decorator)
        end_line, end_column = decorator.end_lineno, decorator.end_col_offset
        fix = self.fix_for(decorator) if self.wants_fixes else None  # HR504's `status_code=201`
        self._sink(Violation(line, column, self.code, message or self.message, end_line, end_column, fix))


def at_sign(ctx: ModuleContext, decorator: ast.expr) -> tuple[int, int]:
    """Where a decorator's `@` is: its line, and the column of the `@` (ast columns count UTF-8 bytes)."""
    line, column = decorator.lineno, decorator.col_offset
    text = ctx.lines[line - 1].encode() if 0 < line <= len(ctx.lines) else b""
    found = text.rfind(b"@", 0, column)
    if found >= 0 and text[found + 1 : column].strip(b" \t(") == b"":
        return line, found
    return line, column


def hidden(route: Route) -> bool:
    """Whether a route may be left out of the OpenAPI schema: `include_in_schema=` other than a literal `True`."""
    shown = route.keyword("include_in_schema")
    return shown is not None and not (isinstance(shown, ast.Constant) and shown.value is True)


def schema_off(route: Route) -> bool:
    """Whether the route's app serves no schema (`FastAPI(openapi_url=None)`), or its router is hidden from it
    (`APIRouter(include_in_schema=False)`).
    """
    constructor = route.router.node
    if not isinstance(constructor, ast.Call):
        return False
    for keyword in constructor.keywords:
        value = keyword.value
        if not isinstance(value, ast.Constant):
            continue
        if route.router.kind == "app" and keyword.arg == "openapi_url" and value.value is None:
            return True
        if route.router.kind == "router" and keyword.arg == "include_in_schema" and value.value is False:
            return True
    return False


def mounted_without_schema(ctx: ModuleContext, route: Route) -> bool:
    """Whether the route's module-level router is mounted, in another module of the project, on an app
    that serves no schema or with `include_in_schema=False` (`context/schemaless.py`).
    """
    router = route.router
    if router.kind != "router" or router.node is None:
        return False
    place = ctx.in_project
    if place.project is None or not place.module:
        return False
    if ctx.scope_at(router.node) is not ctx.module_scope:
        return False
    return f"{place.module}.{router.name}" in place.project.schemaless_routers()


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
    `templates.TemplateResponse(...)`, a function of the module annotated to return a response class, or
    unannotated with a `return` that answers so (followed a few calls deep).
    `maybe`: a name of unknown value called for a response (`response = await backend.login(user)`, see
    `_named_response`), or a call the module cannot see into whose name says it may build a response: a
    class named like Starlette's (`CustomStreamingResponse`, but not a model named `UserResponse`), a
    function whose name holds `response`, `redirect`, `proxy`, `relay`, `forward`, `stream`
    (`authorize_redirect`, `relay_request`), a callable made by such a call (`handler =
    create_pass_through_route(...)`, then `handler(...)`), a call handed the route's raw `Request`
    (`process_request(request=request)`: a pass-through whose helper builds the answer), or a call handed a
    response class
    (`TypeAdapter(Response).validate_python(...)`).
    `no`: provably something else: a literal, an f-string, a class called (a model), a function of the
    module annotated to return something else, or returning only such values. `unknown`: any other call,
    attribute or name.
    """
    if expr is None or depth > MAX_DEPTH:
        return "no"
    if isinstance(expr, ast.Await):
        expr = expr.value
    if isinstance(expr, ast.Name):
        return _is_response_name(ctx, expr, depth)
    if isinstance(expr, ast.BoolOp | ast.IfExp):  # `a or b`, `a if c else b`: either may be returned
        values = expr.values if isinstance(expr, ast.BoolOp) else [expr.body, expr.orelse]
        return _strongest({is_response(ctx, value, depth + 1) for value in values})
    if not isinstance(expr, ast.Call):
        return "no" if isinstance(expr, PLAIN_VALUES) else "unknown"
    func = expr.func
    if response_class(ctx, func) is not None or ctx.qualname(func) in RESPONSE_FUNCTIONS:
        return "yes"
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name == "TemplateResponse":
        return "yes"
    helper = _local_function(ctx, func)
    if helper is not None:
        if isinstance(helper.returns, ast.Constant) and isinstance(helper.returns.value, str):
            return "yes" if _quoted_response(ctx, helper.returns.value) else "no"  # `-> "StreamingResponse"`
        if helper.returns is not None:
            return "yes" if response_class(ctx, helper.returns) is not None else "no"
        returned = {is_response(ctx, node.value, depth + 1) for node in ctx.fact(FastAPIRoutes).returns(helper)}
        return _strongest(returned) if returned else "no"
    if name[:1].isupper():  # a class: one named like Starlette's responses may be one of them
        return "maybe" if name == "Response" or name.endswith(STARLETTE_RESPONSE_NAMES) else "no"
    lowered = name.lower()
    if any(word in lowered for word in RESPONSE_WORDS) or _handed_a_response_class(ctx, expr):
        return "maybe"
    if _handed_the_request(ctx, expr):
        return "maybe"  # a pass-through: the helper given the raw request builds the answer
    if isinstance(func, ast.Name):  # a callable made earlier: `handler = create_pass_through_route(...)`
        made = ctx.assigned_value(func)
        if isinstance(made, ast.Await):
            made = made.value
        if isinstance(made, ast.Call) and is_response(ctx, made, depth + 1) in {"yes", "maybe"}:
            return "maybe"
    return "unknown"


def _quoted_response(ctx: ModuleContext, text: str) -> bool:
    """Whether a quoted return annotation names a response class the module imports (`"StreamingResponse"`)."""
    head, _, rest = text.strip().partition(".")
    for origin in ctx.import_names.get(head, ()):
        dotted = f"{origin}.{rest}" if rest else origin
        if dotted in RESPONSE_CLASSES or dotted.startswith(RESPONSE_MODULES):
            return True
    return False


def _handed_the_request(ctx: ModuleContext, call: ast.Call) -> bool:
    """`processor.base_process_llm_request(request=request)`: a call handed the route's raw `Request` (a
    parameter annotated `fastapi.Request`/`starlette.requests.Request`), whose helper then owns the answer.
    """
    values = [*call.args, *(keyword.value for keyword in call.keywords)]
    for value in values:
        if not isinstance(value, ast.Name):
            continue
        bindings = ctx.lookup(value)
        if bindings and len(bindings) == 1 and bindings[0].kind == "param":
            annotation = getattr(bindings[0].node, "annotation", None)
            if annotation is not None and ctx.qualname(annotation) in REQUEST_CLASSES:
                return True
    return False


def _handed_a_response_class(ctx: ModuleContext, call: ast.Call) -> bool:
    """`cast(Response, x)`, `TypeAdapter(Response).validate_python(x)`: a response class among the arguments
    of the call or of the call it is a method of.
    """
    calls = [call]
    if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Call):
        calls.append(call.func.value)
    return any(
        isinstance(arg, ast.Name | ast.Attribute) and response_class(ctx, arg) is not None
        for each in calls
        for arg in each.args
    )


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
        return "unknown"
    answers: set[ResponseAnswer] = set()
    for binding in bindings:
        if binding.kind == "param":
            annotation = getattr(binding.node, "annotation", None)
            answers.add("yes" if annotation is not None and response_class(ctx, annotation) else "unknown")
        elif binding.kind == "assign" and binding.value is not None:
            answer = is_response(ctx, binding.value, depth + 1)
            answers.add("maybe" if answer == "unknown" and _named_response(name.id) else answer)
        else:
            answers.add("unknown")
    return _strongest(answers)


def _named_response(name: str) -> bool:
    """A variable named for a response (`response`, `resp`, `auth_response`, `redirect`): a value of unknown
    type held under that name may be one (`response = await backend.login(user)`).
    """
    words = name.lower().strip("_").split("_")
    return not RESPONSE_NAME_WORDS.isdisjoint(words)


def _strongest(answers: set[ResponseAnswer]) -> ResponseAnswer:
    """The first of `yes`, `maybe`, `unknown`, `no` among the answers (`unknown` when there are none)."""
    return next((answer for answer in ANSWER_ORDER if answer in answers), "unknown")


def returns_response(ctx: ModuleContext, facts: FastAPIRoutes, route: Route) -> ResponseAnswer:
    """The strongest answer among the route's `return` values (see `is_response`): `yes`, else `maybe`, ...

    A route function named for streaming (`google_stream_generate_content`) whose returns are all calls the
    module cannot see into streams a response: `maybe`.
    """
    answers = {is_response(ctx, node.value) for node in facts.returns(route.function)}
    if answers == {"unknown"} and "stream" in route.function.name.lower():
        return "maybe"
    return _strongest(answers) if answers else "no"


def answers_with_responses(ctx: ModuleContext, facts: FastAPIRoutes, route: Route) -> bool:
    """Whether the route answers with response objects: some `return` is (or may be) one, and none provably
    returns anything else (the others call helpers the module cannot see into).
    """
    answers = {is_response(ctx, node.value) for node in facts.returns(route.function)}
    if answers == {"unknown"} and "stream" in route.function.name.lower():
        return True
    return "no" not in answers and not answers.isdisjoint({"yes", "maybe"})


def websocket_parameters(ctx: ModuleContext, function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The names of a function's parameters annotated `WebSocket` (fastapi's or starlette's)."""
    args = function.args
    return {
        arg.arg
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs)
        if arg.annotation is not None and ctx.qualname(arg.annotation) in WEBSOCKET_CLASSES
    }
