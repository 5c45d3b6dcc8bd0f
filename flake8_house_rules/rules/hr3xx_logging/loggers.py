"""Which logging library a logger comes from, per call: the fact every HR3xx rule needs.

A receiver is classified through the module's bindings, never by its spelling: `structlog.get_logger()`
(and `getLogger`, `stdlib.get_logger`, `wrap_logger`, the house factories in `hr-structlog-factories`, also
under a package prefix: `app.core.logger.get_logger` for `core.logger.get_logger`),
`loguru.logger`, `logging.getLogger(...)`, `logging.root`, Flask's `current_app.logger`, `.bind()`/`.new()`/`.opt()`
chains on any of those, the project's own factories and loggers found in their modules (a house
`get_logger()` whose `return` is `structlog.get_logger(...)`, a `logger = structlog.get_logger()` imported
from `app/core/logging.py`: see `context/project.py`; no `hr-structlog-factories` needed; a factory the
module defines itself is read from its own `return`s), parameters
annotated with a logger type, and `self.<name>` attributes assigned such a logger in the class. A name
bound in two different ways, or whose origin cannot be seen, is not a logger of any library.

The standard library's module-level functions (`logging.info(...)`, `from logging import error`, `import
logging as log; log.warning(...)`) log on the root logger: rules take them by resolved name
(`STDLIB_FUNCTIONS`, through `calls`), and `function_log_call` gives their library and method.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from flake8_house_rules.context import ModuleContext

Library = Literal["structlog", "loguru", "stdlib"]

LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "msg"})
#: The standard library's module-level log functions, which log on the root logger (`logging.info(...)`).
STDLIB_FUNCTIONS = frozenset(f"logging.{method}" for method in LOG_METHODS - {"msg"})
#: Logger objects known by their dotted name.
KNOWN_LOGGERS: dict[str, Library] = {
    "loguru.logger": "loguru",
    "logging.root": "stdlib",
    "flask.current_app.logger": "stdlib",
}
STRUCTLOG_FACTORIES = frozenset(
    {"structlog.get_logger", "structlog.getLogger", "structlog.stdlib.get_logger", "structlog.wrap_logger"}
)
STDLIB_FACTORIES = frozenset({"logging.getLogger", "logging.getLoggerClass"})
CACHE_DECORATORS = frozenset({"functools.cache", "functools.lru_cache"})
CHAIN_METHODS = frozenset({"bind", "new", "unbind", "try_unbind", "opt", "patch"})
LOGGER_TYPES: dict[str, Library] = {
    "structlog.BoundLogger": "structlog",
    "structlog.stdlib.BoundLogger": "structlog",
    "structlog.typing.FilteringBoundLogger": "structlog",
    "structlog.types.FilteringBoundLogger": "structlog",
    "logging.Logger": "stdlib",
    "logging.LoggerAdapter": "stdlib",
    "loguru.Logger": "loguru",
}
#: What the project model calls the loggers a project builds (`context/project.py`).
PROJECT_KINDS: dict[str, Library] = {"structlog_logger": "structlog", "stdlib_logger": "stdlib"}
MAX_DEPTH = 8


def library_of(ctx: ModuleContext, expr: ast.expr, depth: int = 0) -> Library | None:
    """The logging library a logger expression provably comes from, or `None`."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(expr, ast.Call):
        return _library_of_call(ctx, expr, depth)
    if isinstance(expr, ast.Name):
        return _library_of_name(ctx, expr, depth)
    if isinstance(expr, ast.Attribute):
        known = KNOWN_LOGGERS.get(ctx.qualname(expr) or "")
        if known is not None:
            return known
        if isinstance(expr.value, ast.Name) and expr.value.id in {"self", "cls"}:
            return _library_of_attribute(ctx, expr, depth)
    return None


def log_call(ctx: ModuleContext, node: ast.Call) -> tuple[Library, str] | None:
    """`(library, method)` when a call is a log method (`info`, `error`, ...) on a resolved logger."""
    func = node.func
    if not isinstance(func, ast.Attribute) or func.attr not in LOG_METHODS:
        return None
    library = library_of(ctx, func.value)
    return None if library is None else (library, func.attr)


def function_log_call(name: str) -> tuple[Library, str]:
    """`("stdlib", method)` for a module-level log function resolved as `logging.<method>`."""
    return "stdlib", name.rpartition(".")[2]


def records_traceback(node: ast.Call) -> bool:
    """Whether a log call records the current exception's traceback: `exc_info=` anything but a false
    constant (`exc_info=True`, `exc_info=err`, `exc_info=sys.exc_info()`).
    """
    for keyword in node.keywords:
        if keyword.arg == "exc_info":
            value = keyword.value
            return not (isinstance(value, ast.Constant) and not value.value)
    return False


def message_argument(node: ast.Call, method: str) -> ast.expr | None:
    """The message (stdlib, loguru) or event (structlog) argument of a log call."""
    index = 1 if method == "log" else 0
    if len(node.args) > index and not any(isinstance(arg, ast.Starred) for arg in node.args[: index + 1]):
        return node.args[index]
    for keyword in node.keywords:
        if keyword.arg in {"msg", "event", "message"}:
            return keyword.value
    return None


def _library_of_call(ctx: ModuleContext, call: ast.Call, depth: int) -> Library | None:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in CHAIN_METHODS:
        return library_of(ctx, func.value, depth + 1)
    qualname = ctx.qualname(func)
    if qualname is None:
        return _library_of_local_factory(ctx, func, depth) if isinstance(func, ast.Name) else None
    if qualname in STRUCTLOG_FACTORIES or is_house_factory(qualname, ctx.config.structlog_factories):
        return "structlog"
    if qualname in STDLIB_FACTORIES:
        return "stdlib"
    return PROJECT_KINDS.get(ctx.in_project.built_by(qualname) or "")  # a house factory the project defines


def _library_of_local_factory(ctx: ModuleContext, func: ast.Name, depth: int) -> Library | None:
    """A call of a function this module defines: the library every `return` of its own body agrees on.

    Only a plain `def` bound once, undecorated (or cached with `functools.cache`/`lru_cache`), that is no
    generator and returns a value on every `return`; anything else (an `async def`, a wrapping decorator, a
    `return` of something unknown, a function also bound another way) stays unknown.
    """
    bindings = ctx.lookup(func)
    if not bindings or len(bindings) != 1 or bindings[0].kind != "def":
        return None
    node = bindings[0].node
    if not isinstance(node, ast.FunctionDef) or not all(_is_cache(ctx, d) for d in node.decorator_list):
        return None
    returns = _function_returns(ctx).get(node)
    if not returns or any(value is None for value in returns):
        return None
    found = {library_of(ctx, value, depth + 1) for value in returns if value is not None}
    return found.pop() if len(found) == 1 else None


def _is_cache(ctx: ModuleContext, decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return ctx.qualname(target) in CACHE_DECORATORS


def _function_returns(ctx: ModuleContext) -> dict[ast.AST, list[ast.expr | None]]:
    return ctx.derived("logging.function_returns", lambda: _collect_function_returns(ctx))


def _collect_function_returns(ctx: ModuleContext) -> dict[ast.AST, list[ast.expr | None]]:
    """`function -> the values of its own returns`; a generator's list holds `None` (it returns no value)."""
    found: dict[ast.AST, list[ast.expr | None]] = {}
    for node in ctx.nodes_of(ast.Return):
        function = ctx.enclosing_function(node)
        if function is not None and isinstance(node, ast.Return):
            found.setdefault(function, []).append(node.value)
    for node in [*ctx.nodes_of(ast.Yield), *ctx.nodes_of(ast.YieldFrom)]:
        function = ctx.enclosing_function(node)
        if function is not None:
            found.setdefault(function, []).append(None)
    return found


def is_house_factory(qualname: str, factories: tuple[str, ...]) -> bool:
    """`core.logger.get_logger`, also under a package prefix (`app.core.logger.get_logger`)."""
    return any(qualname == factory or qualname.endswith("." + factory) for factory in factories)


def _library_of_name(ctx: ModuleContext, name: ast.Name, depth: int) -> Library | None:
    bindings = ctx.lookup(name)
    if not bindings:
        return None
    found: set[Library | None] = set()
    for binding in bindings:
        if binding.kind == "import":
            known = KNOWN_LOGGERS.get(binding.origin)
            if known is None:  # a logger another module of the project builds (`from app.log import logger`)
                known = PROJECT_KINDS.get(ctx.in_project.kind(binding.origin) or "")
            found.add(known)
        elif binding.kind == "assign" and binding.value is not None:
            found.add(library_of(ctx, binding.value, depth + 1))
        elif binding.kind == "param" and isinstance(binding.node, ast.arg) and binding.node.annotation:
            found.add(LOGGER_TYPES.get(ctx.qualname(binding.node.annotation) or ""))
        else:
            found.add(None)
    return found.pop() if len(found) == 1 else None


def _library_of_attribute(ctx: ModuleContext, expr: ast.Attribute, depth: int) -> Library | None:
    """`self.log`: the values the enclosing class assigns to that attribute (in methods or its body)."""
    method = ctx.enclosing_function(expr)
    cls = ctx.parent(method) if method is not None else None
    if not isinstance(cls, ast.ClassDef):
        return None
    values = _class_attributes(ctx).get((cls, expr.attr))
    if not values:
        return None
    found = {library_of(ctx, value, depth + 1) for value in values}
    return found.pop() if len(found) == 1 else None


def _class_attributes(ctx: ModuleContext) -> dict[tuple[ast.ClassDef, str], list[ast.expr]]:
    return ctx.derived("logging.class_attributes", lambda: _collect_class_attributes(ctx))


def _collect_class_attributes(ctx: ModuleContext) -> dict[tuple[ast.ClassDef, str], list[ast.expr]]:
    """`(class, attribute) -> assigned values`, from `self.x = ...` in methods and `x = ...` in the body."""
    found: dict[tuple[ast.ClassDef, str], list[ast.expr]] = {}
    for node in [*ctx.nodes_of(ast.Assign), *ctx.nodes_of(ast.AnnAssign)]:
        if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        parent = ctx.parent(node)
        for target in targets:
            if isinstance(parent, ast.ClassDef) and isinstance(target, ast.Name):
                found.setdefault((parent, target.id), []).append(node.value)
            elif (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id in {"self", "cls"}
            ):
                method = ctx.enclosing_function(node)
                cls = ctx.parent(method) if method is not None else None
                if isinstance(cls, ast.ClassDef):
                    found.setdefault((cls, target.attr), []).append(node.value)
    return found
