"""FastAPI facts: which expressions are apps and routers, and the routes declared on them, in registration order.

`ctx.fact(FastAPIRoutes)` answers, once per module:

- **Apps and routers** (`router_of(expr)`): an expression is a FastAPI app or router when it provably is one
  through the module's bindings:
  - a name bound to `fastapi.FastAPI(...)` / `fastapi.APIRouter(...)` (also `fastapi.applications.FastAPI`,
    `fastapi.routing.APIRouter`), or annotated as one (`router: APIRouter = make_router()`);
  - an alias of such a name (`router = feature_router`, style guide 002's convention), followed a few steps;
  - a parameter annotated `APIRouter` or `FastAPI` (`def register(router: APIRouter) -> None`);
  - `self.<attr>` inside a method, when every assignment to `self.<attr>` in that class is such a call;
  - `<app>.router` of a known app: it is the app's own router, so it holds the same routes.

  - an instance of a subclass of `APIRouter` or `FastAPI` (`router = AppRouter(prefix="/users")`), the
    subclass defined in the module or in another module of the project (`context/project.py`), however the
    import spells it (`from app.api import AppRouter` through a re-export, `from ..api import base` then
    `base.AppRouter()`, a subclass of a project subclass); a name or parameter annotated with such a class;
  - at module level, what the bindings above the decorator made the name: `app = SomeMiddleware(app)`
    after the routes does not hide them.

  Anything else is unknown, and a decorator on an unknown object is not a route: an app or router imported
  from another module (its constructor, which rules read, is out of sight), a name bound two different
  ways (unless every binding is a router: then it is a router, but not one the module can tell apart from
  another), a call of a factory.
  Starlette's own `Starlette`/`Router` are not supported: they have no `get`/`post` decorators (their
  deprecated `@app.route` takes a list of methods and is not a FastAPI path operation).
- **Routes** (`routes`): each decorator `<router>.get/post/put/patch/delete/head/options/trace/api_route/
  websocket(...)` on a `def` or `async def`, with its router, methods (`api_route` without `methods=` is
  `GET`, as in FastAPI; `None` when `methods=` is not a literal), literal path (`None` when not a string
  literal), keywords, and whether a `**kwargs` could set any other keyword. Routes are listed in the order
  FastAPI registers them: functions in source order, and a function's decorators from the bottom up (a
  decorator registers the route when it is applied to the function).
- **Returns** (`returns(function)`): the `return` statements of a function's own body (asked for route
  functions and the module's helpers they return from).
- **Path matching** (`compile_path`, `shadows`): Starlette's path patterns (`{name}`, `{name:int}`,
  `{name:path}`, ...) and whether an earlier pattern matches every request path a later one matches.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from flake8_house_rules.context.walk import CODE_BOUNDARIES, FUNCTION_TYPES

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext
    from flake8_house_rules.context.walk import Binding

Function = ast.FunctionDef | ast.AsyncFunctionDef
RouterKind = Literal["app", "router"]

#: FastAPI's parameter markers (`Depends(...)`, `Query(...)`, ...), by the names they are imported under.
MARKERS = ("Depends", "Security", "Query", "Path", "Header", "Cookie", "Body", "Form", "File")
MARKER_NAMES = frozenset(
    f"{module}.{name}" for module in ("fastapi", "fastapi.param_functions", "fastapi.params") for name in MARKERS
)
APP_CLASSES = frozenset({"fastapi.FastAPI", "fastapi.applications.FastAPI"})
ROUTER_CLASSES = frozenset({"fastapi.APIRouter", "fastapi.routing.APIRouter"})
HTTP_DECORATORS = {
    "get": "GET",
    "post": "POST",
    "put": "PUT",
    "patch": "PATCH",
    "delete": "DELETE",
    "head": "HEAD",
    "options": "OPTIONS",
    "trace": "TRACE",
}
ROUTE_DECORATORS = frozenset({*HTTP_DECORATORS, "api_route", "websocket"})
WEBSOCKET = "WEBSOCKET"
MAX_ALIASES = 8
STATEMENT_LISTS = ("body", "orelse", "finalbody")
BOUNDARY_TYPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda})

#: Starlette's path parameter syntax and its built-in convertors (`starlette.convertors.CONVERTOR_TYPES`).
PARAM_RE = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(:[a-zA-Z_][a-zA-Z0-9_]*)?}")
CONVERTORS = {
    "str": "[^/]+",
    "path": ".*",
    "int": "[0-9]+",
    "float": r"[0-9]+(\.[0-9]+)?",
    "uuid": "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}",
}
SEGMENT_RES = {name: re.compile(regex) for name, regex in CONVERTORS.items() if name != "path"}
#: Which convertors' values a whole-segment parameter of each convertor also matches (none holds a `/`).
SEGMENT_COVERS = {
    "str": frozenset({"str", "int", "float", "uuid"}),
    "int": frozenset({"int"}),
    "float": frozenset({"float", "int"}),
    "uuid": frozenset({"uuid"}),
}


def imports_fastapi(ctx: ModuleContext) -> bool:
    """Whether the module imports anything from `fastapi`, or declares routes on a router it can prove.

    The second covers a module that builds its routers from a subclass of `APIRouter`/`FastAPI` imported
    from another module of the project (`from app.api.base import AppRouter`, `from app.api import base`
    then `base.AppRouter(...)`): its routers are FastAPI's all the same. Computed once per module.
    """
    return _imports_fastapi_directly(ctx) or bool(ctx.fact(FastAPIRoutes).routes)


def _imports_fastapi_directly(ctx: ModuleContext) -> bool:
    return ctx.fact(_imports_fastapi)


def _imports_fastapi(ctx: ModuleContext) -> bool:
    return any(
        origin == "fastapi" or origin.startswith("fastapi.")
        for origins in ctx.import_names.values()
        for origin in origins
    )


def _may_declare_routes(ctx: ModuleContext) -> bool:
    """Whether the module may hold routes: it imports `fastapi`, or it is in a project and decorates like a route."""
    if _imports_fastapi_directly(ctx):
        return True
    return ctx.in_project.project is not None and _decorates_routes(ctx)


def _decorates_routes(ctx: ModuleContext) -> bool:
    """Whether some function is decorated like a route (`@<name>.post(...)`), whatever the name is."""
    for kind in FUNCTION_TYPES:
        for node in ctx.nodes_of(kind):
            for decorator in node.decorator_list:
                func = decorator.func if isinstance(decorator, ast.Call) else None
                if isinstance(func, ast.Attribute) and func.attr in ROUTE_DECORATORS:
                    return True
    return False


@dataclass(frozen=True, slots=True, eq=False)
class RouterObject:
    """A FastAPI app or router. Two routes are on the same router when they hold the same object.

    `node`: the constructor call or annotated parameter that proves it; `None` when the name was bound
    several ways (each a router): then the object stands for "some router" and equals no other.
    """

    kind: RouterKind
    name: str
    node: ast.AST | None

    @property
    def unique(self) -> bool:
        """Whether the object is one known router (and not one of several a name may hold)."""
        return self.node is not None


@dataclass(frozen=True, slots=True, eq=False)
class Route:
    """One path operation: a route decorator on a function."""

    router: RouterObject
    decorator: ast.Call
    function: Function
    verb: str
    methods: frozenset[str] | None
    path: str | None
    keywords: dict[str, ast.expr]
    splat: bool

    @property
    def is_websocket(self) -> bool:
        """Whether this is a `@<router>.websocket(...)` route."""
        return self.verb == "websocket"

    def keyword(self, name: str) -> ast.expr | None:
        """The value of a keyword of the decorator, when written."""
        return self.keywords.get(name)

    def may_have(self, name: str) -> bool:
        """Whether the decorator sets a keyword, or may set it through `**kwargs`."""
        return name in self.keywords or self.splat


@dataclass(frozen=True, slots=True)
class PathPattern:
    """A route path compiled as Starlette compiles it.

    `shape`: the path with each parameter replaced by its convertor (`/items/{int}`), so two patterns that
    differ only in parameter names have the same shape.
    """

    text: str
    source: str
    convertors: tuple[str, ...]
    shape: str

    def matches(self, path: str) -> bool:
        """Whether a literal request path matches the pattern, as Starlette matches it."""
        return _regex(self.source).fullmatch(path) is not None


def compile_path(path: str) -> PathPattern | None:
    """Compile a route path; `None` for a path Starlette rejects or this module cannot model (a custom convertor)."""
    regex, shape, idx = "", "", 0
    names: set[str] = set()
    convertors: list[str] = []
    for match in PARAM_RE.finditer(path):
        name, convertor = match.group(1), (match.group(2) or ":str")[1:]
        if convertor not in CONVERTORS or name in names:
            return None
        names.add(name)
        convertors.append(convertor)
        literal = path[idx : match.start()]
        regex += re.escape(literal) + f"(?:{CONVERTORS[convertor]})"
        shape += literal + "{" + convertor + "}"
        idx = match.end()
    regex += re.escape(path[idx:])
    shape += path[idx:]
    return PathPattern(path, regex, tuple(convertors), shape)


@functools.lru_cache(maxsize=1024)
def _regex(source: str) -> re.Pattern[str]:
    """A pattern's regular expression, compiled only when a path is matched against it."""
    return re.compile(source)


def shadows(earlier: PathPattern, later: PathPattern) -> bool:
    """Whether a parameterised earlier pattern matches every path the later, more literal pattern matches.

    A literal later path is matched exactly as Starlette matches a request path. A later path with
    parameters of its own is compared segment by segment (`/items/{id:int}` is covered by `/items/{id}`; a
    trailing `{p:path}` covers everything below it); shapes this cannot decide are not covered. Two patterns
    of the same shape (`/items/{id}` twice) are a duplicate, not a shadowing, and are not covered.
    """
    if not earlier.convertors or earlier.shape == later.shape:
        return False
    if (
        not later.convertors
        and "path" in earlier.convertors
        and _whole_param(earlier.text.rpartition("/")[2]) != "path"
    ):
        return earlier.matches(later.text)  # a `{p:path}` inside the path: only the regex can tell
    return _segments_cover(earlier.text, later.text)


def _whole_param(segment: str) -> str | None:
    """The convertor of a segment that is exactly one parameter (`{id}` -> `str`), else `None`."""
    match = PARAM_RE.fullmatch(segment)
    return None if match is None else (match.group(2) or ":str")[1:]


def _segments_cover(earlier: str, later: str) -> bool:
    """Whether each segment of the earlier pattern covers the later one's (see `shadows`)."""
    outer, inner = earlier.split("/"), later.split("/")
    if any("path" in _convertors_of(segment) for segment in inner):
        return False
    if _whole_param(outer[-1]) == "path":
        outer = outer[:-1]
        if len(inner) <= len(outer):
            return False
        inner = inner[: len(outer)]
    elif len(inner) != len(outer):
        return False
    return all(_segment_covers(mine, theirs) for mine, theirs in zip(outer, inner, strict=True))


def _convertors_of(segment: str) -> list[str]:
    return [(match.group(2) or ":str")[1:] for match in PARAM_RE.finditer(segment)]


def _segment_covers(earlier: str, later: str) -> bool:
    mine = _convertors_of(earlier)
    if "path" in mine:
        return False
    theirs = _convertors_of(later)
    if not theirs:
        if not mine:
            return earlier == later
        whole = _whole_param(earlier)
        if whole is not None:
            return SEGMENT_RES[whole].fullmatch(later) is not None
        pattern = compile_path(earlier)
        return pattern is not None and pattern.matches(later)
    if not mine:
        return False
    outer, inner = _whole_param(earlier), _whole_param(later)
    return outer is not None and inner is not None and inner in SEGMENT_COVERS.get(outer, frozenset())


class FastAPIRoutes:
    """The module's FastAPI apps, routers and routes (see the module docstring). Built once per module."""

    def __init__(self, ctx: ModuleContext) -> None:
        self.ctx = ctx
        self._objects: dict[object, RouterObject | None] = {}
        self._self_attributes: dict[tuple[ast.ClassDef, str], list[ast.expr | None]] | None = None
        self._returns: dict[ast.AST, list[ast.Return]] | None = None
        self.routes: list[Route] = self._collect() if _may_declare_routes(ctx) else []
        self.by_function: dict[Function, list[Route]] = {}
        for route in self.routes:
            self.by_function.setdefault(route.function, []).append(route)

    # -- routes -----------------------------------------------------------------------------------------

    def _collect(self) -> list[Route]:
        functions: list[Function] = [
            node for kind in FUNCTION_TYPES for node in self.ctx.nodes_of(kind) if node.decorator_list
        ]
        functions.sort(key=lambda node: (node.lineno, node.col_offset))
        routes = []
        for function in functions:
            for decorator in reversed(function.decorator_list):
                route = self._route(decorator, function)
                if route is not None:
                    routes.append(route)
        return routes

    def _route(self, decorator: ast.expr, function: Function) -> Route | None:
        if not isinstance(decorator, ast.Call):
            return None
        func = decorator.func
        if not isinstance(func, ast.Attribute) or func.attr not in ROUTE_DECORATORS:
            return None
        router = self.router_of(func.value)
        if router is None:
            return None
        keywords = {keyword.arg: keyword.value for keyword in decorator.keywords if keyword.arg is not None}
        splat = any(keyword.arg is None for keyword in decorator.keywords)
        path_node = decorator.args[0] if decorator.args else keywords.get("path")
        path = path_node.value if isinstance(path_node, ast.Constant) and isinstance(path_node.value, str) else None
        return Route(
            router, decorator, function, func.attr, _methods(func.attr, keywords, splat), path, keywords, splat
        )

    def registered_before(self, earlier: Route, later: Route) -> bool:
        """Whether the earlier route is registered before the later one whenever the later one is.

        On one function, the lower decorator registers first. Across functions, the earlier `def` must sit
        in a statement list that also holds, further down, the later `def` or a statement around it, in the
        same code (so the earlier `def` has run by the time the later one runs: not in another branch of an
        `if`, not in another function that may be called in any order).
        """
        if earlier.function is later.function:
            decorators = earlier.function.decorator_list
            return _index(decorators, earlier.decorator) > _index(decorators, later.decorator)
        first = earlier.function
        holder = self.ctx.parent(first)
        child, parent = later.function, self.ctx.parent(later.function)
        while parent is not None:
            if parent is holder:
                for field in STATEMENT_LISTS:
                    statements = getattr(parent, field, None)
                    if isinstance(statements, list):
                        position = _index(statements, first)
                        if position >= 0:
                            return _index(statements, child) > position
                return False
            if isinstance(parent, CODE_BOUNDARIES):
                return False
            child, parent = parent, self.ctx.parent(parent)
        return False

    def returns(self, function: ast.AST) -> list[ast.Return]:
        """The `return` statements of a function's own body (not of functions nested in it)."""
        if self._returns is None:
            self._returns = {}
            parents = self.ctx.parents
            for node in self.ctx.nodes_of(ast.Return):
                owner = parents.get(node)
                while owner is not None and type(owner) not in BOUNDARY_TYPES:
                    owner = parents.get(owner)
                if owner is not None:
                    self._returns.setdefault(owner, []).append(node)
        return self._returns.get(function, [])

    # -- apps and routers -------------------------------------------------------------------------------

    def router_of(self, expr: ast.expr, depth: int = 0) -> RouterObject | None:
        """The app or router an expression provably is, or `None` (see the module docstring)."""
        if depth > MAX_ALIASES:
            return None
        if isinstance(expr, ast.Name):
            return self._router_of_name(expr, depth)
        if isinstance(expr, ast.Attribute):
            if expr.attr == "router":
                owner = self.router_of(expr.value, depth + 1)
                if owner is not None and owner.kind == "app":
                    return owner
            if isinstance(expr.value, ast.Name):
                return self._router_of_self_attribute(expr, expr.value, depth)
        return None

    def _router_of_name(self, name: ast.Name, depth: int) -> RouterObject | None:
        bindings = self.ctx.lookup(name)
        if not bindings:
            return None
        if len(bindings) > 1:
            bindings = self._bindings_in_effect(name, bindings)
        key = tuple(bindings)
        if key in self._objects:
            return self._objects[key]
        found = [self._router_of_binding(binding, name.id, depth) for binding in bindings]
        result: RouterObject | None = None
        first = found[0]
        if first is not None and all(other is first for other in found):
            result = first
        elif first is not None and all(other is not None and other.kind == first.kind for other in found):
            result = RouterObject(first.kind, name.id, None)
        self._objects[key] = result
        return result

    def _bindings_in_effect(self, name: ast.Name, bindings: list[Binding]) -> list[Binding]:
        """At module level, the bindings of a module-level name made above the place it is read.

        `app = FastAPI()`, routes on `app`, then `app = SomeMiddleware(app)`: a decorator runs when its `def`
        does, so the later binding does not change what it registers on. Bindings inside functions (`global
        app`) may run at any time: then every binding counts.
        """
        ctx = self.ctx
        if ctx.enclosing_function(name) is not None:
            return bindings
        place = (name.lineno, name.col_offset)
        earlier = []
        for binding in bindings:
            node = binding.node
            if ctx.enclosing_function(node) is not None or not hasattr(node, "lineno"):
                return bindings
            if (node.lineno, node.col_offset) < place:
                earlier.append(binding)
        return earlier or bindings

    def _router_of_binding(self, binding: Binding, spelled: str, depth: int) -> RouterObject | None:
        node = binding.node
        if binding.kind == "param":
            annotation = getattr(node, "annotation", None)
            kind = self._declared_kind(annotation)
            return None if kind is None else self._object(node, kind, spelled, node)
        if binding.kind != "assign":
            return None
        parent = self.ctx.parent(node)
        value = binding.value
        if isinstance(parent, ast.AnnAssign) and parent.target is node:
            kind = self._declared_kind(parent.annotation)
            if kind is not None:
                return self._object(node, kind, spelled, node)
        if not isinstance(parent, ast.Assign | ast.AnnAssign) or value is None:
            return None
        if isinstance(value, ast.Call):
            kind = self._constructed_kind(value)
            return None if kind is None else self._object(value, kind, spelled, value)
        if isinstance(value, ast.Name | ast.Attribute):
            return self.router_of(value, depth + 1)
        return None

    def _router_of_self_attribute(self, expr: ast.Attribute, receiver: ast.Name, depth: int) -> RouterObject | None:
        cls = self._class_of_self(receiver)
        if cls is None:
            return None
        values = self._attributes().get((cls, expr.attr))
        if not values:
            return None
        kinds = {self._constructed_kind(value) if isinstance(value, ast.Call) else None for value in values}
        if len(kinds) != 1:
            return None
        kind = kinds.pop()
        return None if kind is None else self._object((cls, expr.attr), kind, f"{receiver.id}.{expr.attr}", cls)

    def _class_of_self(self, name: ast.Name) -> ast.ClassDef | None:
        """The class whose method's first parameter a name is (`self` in a method), else `None`."""
        method = self.ctx.enclosing_function(name)
        if not isinstance(method, FUNCTION_TYPES):
            return None
        cls = self.ctx.parent(method)
        positional = [*method.args.posonlyargs, *method.args.args]
        if not isinstance(cls, ast.ClassDef) or not positional or positional[0].arg != name.id:
            return None
        if any(isinstance(d, ast.Name) and d.id in {"staticmethod", "classmethod"} for d in method.decorator_list):
            return None
        bindings = self.ctx.lookup(name)
        return cls if bindings is not None and len(bindings) == 1 and bindings[0].kind == "param" else None

    def _attributes(self) -> dict[tuple[ast.ClassDef, str], list[ast.expr | None]]:
        """Every `self.<attr> = value` in the module's methods, by class and attribute (`None`: not a plain value)."""
        if self._self_attributes is not None:
            return self._self_attributes
        found: dict[tuple[ast.ClassDef, str], list[ast.expr | None]] = {}
        statements = [
            *self.ctx.nodes_of(ast.Assign),
            *self.ctx.nodes_of(ast.AnnAssign),
            *self.ctx.nodes_of(ast.AugAssign),
        ]
        for statement in statements:
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            plain = not isinstance(statement, ast.AugAssign)
            for target in targets:
                for attribute, whole in _attribute_targets(target):
                    if not isinstance(attribute.value, ast.Name):
                        continue
                    cls = self._class_of_self(attribute.value)
                    if cls is not None:
                        value = statement.value if plain and whole else None
                        found.setdefault((cls, attribute.attr), []).append(value)
        self._self_attributes = found
        return found

    def _object(self, key: object, kind: RouterKind, spelled: str, node: ast.AST) -> RouterObject:
        """The one object of a router, made on first sight of its key (a constructor call, parameter, ...)."""
        found = self._objects.get(key)
        if found is None:
            found = self._objects[key] = RouterObject(kind, spelled, node)
        return found

    def _constructed_kind(self, call: ast.Call) -> RouterKind | None:
        ctx = self.ctx
        qualname = ctx.qualname(call.func)
        if qualname in APP_CLASSES:
            return "app"
        if qualname in ROUTER_CLASSES:
            return "router"
        return self._subclass_kind(call.func, qualname)

    def _subclass_kind(self, expr: ast.expr, qualname: str | None) -> RouterKind | None:
        """Whether a class expression is a subclass of `FastAPI` (`app`) or `APIRouter` (`router`) the module can prove.

        A class of another project module (imported, or through an imported module: `base.AppRouter`), or
        a class defined in this module once, whose bases (followed across the project) include one of them.
        """
        ctx = self.ctx
        if qualname is not None:  # a subclass from another module of the project
            built = ctx.in_project.built_by(qualname)
            return built if built in {"app", "router"} else None
        if isinstance(expr, ast.Name):  # a subclass defined in this module
            bindings = ctx.lookup(expr)
            if bindings and len(bindings) == 1 and isinstance(bindings[0].node, ast.ClassDef):
                names = ctx.classes.ancestry(bindings[0].node).names
                if not names.isdisjoint(ROUTER_CLASSES):
                    return "router"
                if not names.isdisjoint(APP_CLASSES):
                    return "app"
        return None

    def _declared_kind(self, annotation: ast.expr | None) -> RouterKind | None:
        if annotation is None:
            return None
        qualname = self.ctx.qualname(annotation)
        if qualname in APP_CLASSES:
            return "app"
        if qualname in ROUTER_CLASSES:
            return "router"
        return self._subclass_kind(annotation, qualname)


def _index(items: list[ast.AST], node: ast.AST) -> int:
    """The position of a node in a list, by identity; -1 when absent."""
    return next((index for index, item in enumerate(items) if item is node), -1)


def _attribute_targets(target: ast.expr) -> list[tuple[ast.Attribute, bool]]:
    """The attributes an assignment target stores to, and whether each receives the whole value."""
    if isinstance(target, ast.Attribute):
        return [(target, True)]
    if isinstance(target, ast.Tuple | ast.List):
        found: list[tuple[ast.Attribute, bool]] = []
        pending = list(target.elts)
        while pending:
            item = pending.pop()
            if isinstance(item, ast.Starred):
                item = item.value
            if isinstance(item, ast.Attribute):
                found.append((item, False))
            elif isinstance(item, ast.Tuple | ast.List):
                pending.extend(item.elts)
        return found
    return []


def _methods(verb: str, keywords: dict[str, ast.expr], splat: bool) -> frozenset[str] | None:
    """The HTTP methods a route answers (`WEBSOCKET` for a websocket route); `None` when not literal."""
    if verb in HTTP_DECORATORS:
        return frozenset({HTTP_DECORATORS[verb]})
    if verb == "websocket":
        return frozenset({WEBSOCKET})
    value = keywords.get("methods")
    if value is None:
        return None if splat else frozenset({"GET"})
    if not isinstance(value, ast.List | ast.Tuple | ast.Set) or not value.elts:
        return None
    methods = set()
    for item in value.elts:
        if not isinstance(item, ast.Constant) or not isinstance(item.value, str):
            return None
        methods.add(item.value.upper())
    return frozenset(methods)


def is_dependency(ctx: ModuleContext, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a function is a FastAPI dependency: a parameter takes a parameter marker.

    As a default (`user: User = Depends(current_user)`) or in `Annotated[User, Depends(current_user)]`.
    """
    args = function.args
    for default in (*args.defaults, *args.kw_defaults):
        if isinstance(default, ast.Call) and ctx.call_name(default) in MARKER_NAMES:
            return True
    for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
        annotation = arg.annotation
        if not isinstance(annotation, ast.Subscript) or not isinstance(annotation.slice, ast.Tuple):
            continue
        if any(
            isinstance(item, ast.Call) and ctx.call_name(item) in MARKER_NAMES for item in annotation.slice.elts[1:]
        ):
            return True
    return False
