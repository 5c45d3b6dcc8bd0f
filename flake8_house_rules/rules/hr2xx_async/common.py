"""Facts the async, HTTP client and cache rules share: what a call builds, where it runs, what guards it."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from flake8_house_rules.config import Config
    from flake8_house_rules.context import ModuleContext

HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"})
CACHE_CLASSES = frozenset(
    f"cachetools.{name}"
    for name in ("Cache", "TTLCache", "LRUCache", "LFUCache", "RRCache", "FIFOCache", "MRUCache", "TLRUCache")
)
LOCKS = frozenset({"asyncio.Lock", "anyio.Lock", "threading.Lock", "threading.RLock"})
OFFLOADERS = frozenset(
    {
        "asyncio.to_thread",
        "anyio.to_thread.run_sync",
        "starlette.concurrency.run_in_threadpool",
        "fastapi.concurrency.run_in_threadpool",
    }
)
SLEEPS = frozenset({"asyncio.sleep", "time.sleep"})
MAX_UNPACK_DEPTH = 8
#: httpx transports that talk to an application in the same process, or to none.
IN_PROCESS = frozenset({"ASGITransport", "WSGITransport", "MockTransport"})


def client_names(config: Config) -> frozenset[str]:
    """The dotted names of the HTTP client classes of the configured modules (`httpx.AsyncClient`, ...)."""
    return frozenset(f"{module}.{name}" for module in config.http_client_modules for name in ("AsyncClient", "Client"))


def in_process_client(ctx: ModuleContext, node: ast.Call) -> bool:
    """Whether a client construction talks to an app in the same process (`transport=httpx.ASGITransport(app)`,
    `app=`, also with the transport bound to a name first): no network, no pool, no timeout to wait out.
    """
    for keyword in node.keywords:
        if keyword.arg == "app":
            return True
        value = keyword.value
        if keyword.arg == "transport" and isinstance(value, ast.Name):
            value = ctx.assigned_value(value)
        if keyword.arg == "transport" and isinstance(value, ast.Call):
            found = ctx.qualname(value.func) or ""
            module, _, cls = found.rpartition(".")
            if module in ctx.config.http_client_modules and cls in IN_PROCESS:
                return True
    return False


def verb_names(config: Config) -> frozenset[str]:
    """The dotted names of the module-level request functions of the configured modules (`httpx.get`, ...)."""
    return frozenset(f"{module}.{verb}" for module in config.http_client_modules for verb in HTTP_VERBS)


def client_kind(ctx: ModuleContext, node: ast.AST) -> Literal["async", "sync"] | None:
    """Whether a call constructs an HTTP client of a configured module (`httpx.AsyncClient(...)`)."""
    if not isinstance(node, ast.Call):
        return None
    qualname = ctx.qualname(node.func)
    if qualname is None:
        return None
    module, _, name = qualname.rpartition(".")
    if module not in ctx.config.http_client_modules:
        return None
    if name == "AsyncClient":
        return "async"
    return "sync" if name == "Client" else None


def is_cache_construction(ctx: ModuleContext, node: ast.AST | None) -> bool:
    """Whether an expression builds a `cachetools` cache."""
    return isinstance(node, ast.Call) and ctx.qualname(node.func) in CACHE_CLASSES


def offloaded(ctx: ModuleContext, node: ast.AST) -> bool:
    """Whether the node is an argument of a call that runs it in a worker thread (`asyncio.to_thread`)."""
    for ancestor in ctx.ancestors_in_function(node):
        if isinstance(ancestor, ast.Call):
            func = ancestor.func
            if isinstance(func, ast.Attribute) and func.attr == "run_in_executor":
                return True
            if ctx.qualname(func) in OFFLOADERS:
                return True
    return False


def may_be_lock(ctx: ModuleContext, expr: ast.expr) -> bool:
    """Whether a `with`/`async with` item could be a lock: a lock constructor, or a name or attribute that
    is not provably something else (the rules never report code they cannot prove unguarded).
    """
    if isinstance(expr, ast.Call):
        return ctx.qualname(expr.func) in LOCKS
    if isinstance(expr, ast.Name):
        value = ctx.assigned_value(expr)
        if isinstance(value, ast.Call):
            return ctx.qualname(value.func) in LOCKS or ctx.qualname(value.func) is None
        return True
    return isinstance(expr, ast.Attribute)


def under_lock(ctx: ModuleContext, node: ast.AST) -> bool:
    """Whether the node runs inside a `with`/`async with` block (in its own function) that may hold a lock."""
    for ancestor in ctx.ancestors_in_function(node):
        if isinstance(ancestor, ast.AsyncWith | ast.With) and any(
            may_be_lock(ctx, item.context_expr) for item in ancestor.items
        ):
            return True
    return False


def module_global_target(ctx: ModuleContext, node: ast.Call) -> ast.Name | None:
    """The global name a call's result is assigned to inside a function (`global c; c = Client()`)."""
    parent = ctx.parent(node)
    targets: list[ast.expr] = []
    if isinstance(parent, ast.Assign):
        targets = parent.targets
    elif isinstance(parent, ast.AnnAssign):
        targets = [parent.target]
    for target in targets:
        if isinstance(target, ast.Name):
            scope = ctx.scope_at(target)
            if scope is not ctx.module_scope and target.id in scope.globals:
                return target
    return None


def unpacked_value(ctx: ModuleContext, name: ast.Name) -> ast.expr | None:
    """The value a name takes from a tuple assignment: `p` in `p, q = Path("a"), Path("b")` is `Path("a")`.

    Only when the right side is a tuple or list literal of the same shape (no starred elements), so the
    element is known without running anything.
    """
    path: list[int] = []
    child: ast.AST = name
    parent = ctx.parent(name)
    while isinstance(parent, ast.Tuple | ast.List) and len(path) < MAX_UNPACK_DEPTH:
        path.append(next(index for index, element in enumerate(parent.elts) if element is child))
        child, parent = parent, ctx.parent(parent)
    if not path or not isinstance(parent, ast.Assign) or len(parent.targets) != 1 or parent.targets[0] is not child:
        return None
    value: ast.expr = parent.value
    target: ast.expr = parent.targets[0]
    for index in reversed(path):
        if not isinstance(value, ast.Tuple | ast.List) or not isinstance(target, ast.Tuple | ast.List):
            return None
        if len(value.elts) != len(target.elts) or any(isinstance(e, ast.Starred) for e in (*value.elts, *target.elts)):
            return None
        value, target = value.elts[index], target.elts[index]
    return value


def annotated_classes(ctx: ModuleContext, annotation: ast.expr | None) -> set[str]:
    """The dotted names an annotation allows besides `None`: `httpx.Client | None` -> `{"httpx.Client"}`."""
    if annotation is None:
        return set()
    members: list[ast.expr] = [annotation]
    found: set[str] = set()
    while members and len(found) < MAX_UNPACK_DEPTH:
        member = members.pop()
        if isinstance(member, ast.BinOp) and isinstance(member.op, ast.BitOr):
            members.extend((member.left, member.right))
        elif isinstance(member, ast.Subscript) and ctx.qualname(member.value) == "typing.Optional":
            members.append(member.slice)
        elif not (isinstance(member, ast.Constant) and member.value is None):
            found.add(ctx.qualname(member) or "")
    return found
