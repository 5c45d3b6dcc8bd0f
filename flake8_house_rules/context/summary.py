"""Module summaries: what one module defines at its top level, read from its tree once, as a small record.

A summary is what other modules may ask of a module without walking it again: for each module-level name,
how it is bound (`ModuleSummary.names`), whether a star import leaves its names open, which modules it
imports, and the evidence of its layer. Each entry is a plain tuple of strings, so a summary is stored as
is in the on-disk cache (`marshal`) and shared between processes:

- `("class", bases, flags, methods)`: a class statement; `bases` are the dotted names of its bases as this module
  resolves them (an import's origin, `<module>.<Class>` for a class of the module, `builtins.X` for a
  builtin, `""` for a base it cannot resolve: a call, a name bound elsewhere); `flags` holds `c` when the
  class sets pydantic configuration (`model_config`, `class Config`, class keywords), `t` for `table=True`
  (a SQLModel table), `x` when a starred base or `**kwargs` may add anything; `methods` are the names of
  the functions its body defines (directly, or under an `if`/`try` there), sorted, so that a module can
  tell an override of a base's method in another module (HR001, HR008, HR010's `__new__`);
- `("import", origin)`: an import (its absolute dotted origin; relative imports resolved against the
  module's own package);
- `("call", callee)`: an assignment of a call (`router = APIRouter()`, `SessionLocal = sessionmaker(...)`);
  a `sessionmaker(class_=...)` with any class but SQLAlchemy's own `Session` is recorded as
  `async_sessionmaker` (the 1.4 spelling of an async factory, or a class that cannot be told synchronous);
- `("def", callee)`: a function; `callee` is what every `return` of its own body calls when they agree
  (`return structlog.get_logger(name)`), else `""` (also for an `async def`, a generator, and a function
  with a decorator other than `functools.cache`/`lru_cache`: a call of it does not give what it returns);
  `("def", callee, "n")` for a function annotated `-> NoReturn` or `-> Never` (a call of it raises or
  exits: HR701 counts a handler that calls one as handled);
- `("alias", name)`: an assignment of another name (`Base = _Base`, `router = api_router`);
- `("described",)`: a type alias whose `Annotated` metadata describes its field (`Labels = Annotated[dict,
  Field(description="...")]`), so that a model importing it has a described field (HR403);
- `("text", value)`: an assignment of a short string literal (`TOKEN = "/oauth/token"`, `ENV_VAR =
  "_APP_JOB_PARAMS"`), so that an importer can tell what a path or a key it imports holds;
- `("other",)`: bound some other way, or several ways (unknown).

Evidence letters (`ModuleSummary.evidence`): `d` the module defines a function or class of its own (else it
only imports and re-exports), `s` it imports a SQLAlchemy/SQLModel session or session factory type, `q` it
imports anything from SQLAlchemy/SQLModel, `p` a function takes a parameter named like a session
(`session`, `db`, `db_session`, `*_session`), `r` it builds a FastAPI app or router (`FastAPI(...)`,
`APIRouter(...)`) or decorates a function as a route. `receivers` are the names route-like decorators are
called on (`@router.get(...)`), and `calls` the callees of module-level and app-factory assignments, which
the project resolves when the module's own evidence cannot decide (a router built from a project subclass);
inside functions only the calls spelled like a class (`app = MyApp()` in `create_app()`) are kept.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flake8_house_rules.context.walk import canonical_module

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

Entry = tuple[str, ...]

#: Route decorators of FastAPI apps and routers (`@router.get(...)`).
ROUTE_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace", "api_route", "websocket"})
APP_AND_ROUTER_CLASSES = frozenset(
    {"fastapi.FastAPI", "fastapi.applications.FastAPI", "fastapi.APIRouter", "fastapi.routing.APIRouter"}
)
#: SQLAlchemy/SQLModel session and session factory types: importing one is evidence of touching a session.
SESSION_NAMES = frozenset(
    {
        "sqlalchemy.orm.Session",
        "sqlalchemy.orm.session.Session",
        "sqlalchemy.orm.sessionmaker",
        "sqlalchemy.orm.session.sessionmaker",
        "sqlalchemy.orm.scoped_session",
        "sqlalchemy.orm.scoping.scoped_session",
        "sqlalchemy.ext.asyncio.AsyncSession",
        "sqlalchemy.ext.asyncio.session.AsyncSession",
        "sqlalchemy.ext.asyncio.async_sessionmaker",
        "sqlalchemy.ext.asyncio.session.async_sessionmaker",
        "sqlalchemy.ext.asyncio.async_scoped_session",
        "sqlmodel.Session",
        "sqlmodel.orm.session.Session",
        "sqlmodel.ext.asyncio.session.AsyncSession",
    }
)
SQL_PACKAGES = frozenset({"sqlalchemy", "sqlmodel"})
SESSION_PARAMETERS = frozenset({"session", "db", "db_session", "dbsession", "async_session", "sess"})
BLOCKS = (ast.If, ast.Try, ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While, ast.TryStar)
MAX_STATEMENTS = 20_000
#: Decorators that keep what a function returns: a call of the decorated function still gives its value.
CACHE_DECORATORS = frozenset({"functools.cache", "functools.lru_cache"})
MAX_CHAIN = 20
#: The longest string constant a summary keeps (`("text", value)`): paths, keys, names; not documents.
MAX_TEXT = 200
#: SQLAlchemy's synchronous session factory, and what one is recorded as when it builds another class.
SYNC_FACTORIES = frozenset({"sqlalchemy.orm.sessionmaker", "sqlalchemy.orm.session.sessionmaker"})
ASYNC_FACTORY = "sqlalchemy.ext.asyncio.async_sessionmaker"
PLAIN_SESSIONS = frozenset({"sqlalchemy.orm.Session", "sqlalchemy.orm.session.Session", "sqlmodel.Session"})


@dataclass(frozen=True, slots=True)
class ModuleSummary:
    """What a module defines at its top level (see the module docstring). Plain data: tuples of strings."""

    module: str
    package: bool
    names: dict[str, Entry]
    star: bool
    imports: tuple[str, ...]
    evidence: str
    receivers: tuple[str, ...]
    calls: tuple[str, ...]

    def to_data(self) -> tuple[object, ...]:
        """The summary as plain tuples, for `marshal`."""
        return (
            self.module,
            self.package,
            self.names,
            self.star,
            self.imports,
            self.evidence,
            self.receivers,
            self.calls,
        )

    @classmethod
    def from_data(cls, data: tuple[object, ...]) -> ModuleSummary:
        """A summary read back from `to_data`."""
        module, package, names, star, imports, evidence, receivers, calls = data
        return cls(module, package, names, star, imports, evidence, receivers, calls)  # type: ignore[arg-type] - marshal-ed data

    def has(self, letter: str) -> bool:
        """Whether the summary holds one evidence letter (see the module docstring)."""
        return letter in self.evidence


def unparsable(module: str, *, package: bool) -> ModuleSummary:
    """The summary of a module that cannot be read or parsed: every name unknown."""
    return ModuleSummary(module, package, {}, True, (), "d", (), ())


def absolute(origin: str, module: str, *, package: bool) -> str | None:
    """An import origin with leading dots (`..models.User`) as an absolute dotted name, seen from `module`.

    `None` when the dots climb above the top package. An absolute origin is returned as it is.
    """
    if not origin.startswith("."):
        return origin
    level = len(origin) - len(origin.lstrip("."))
    rest = origin[level:]
    base = module if package else module.rpartition(".")[0]
    for _ in range(level - 1):
        if not base:
            return None
        base = base.rpartition(".")[0]
    if not base:
        return rest or None
    return f"{base}.{rest}" if rest else base


#: The annotations of a function that never returns.
NO_RETURN = frozenset({"typing.NoReturn", "typing.Never"})  # `typing_extensions` is `typing` (`canonical_module`)


def never_returns(node: ast.AST, resolve: Callable[[ast.expr], str | None]) -> bool:
    """Whether a `def` is annotated `-> NoReturn` or `-> Never` (also as a string): a call of it raises or exits.

    `resolve` gives an annotation's dotted name (`typing.NoReturn`). An `async def` is not: a call of it
    gives a coroutine. HR701 asks this of a function of the linted module; summaries record it for others.
    """
    if not isinstance(node, ast.FunctionDef) or node.returns is None:
        return False
    returns = node.returns
    if isinstance(returns, ast.Constant) and isinstance(returns.value, str):
        return returns.value.rpartition(".")[2] in {"NoReturn", "Never"}
    return resolve(returns) in NO_RETURN


def describes(call: ast.Call) -> bool | None:
    """Whether a call (`Field(...)`) passes `description=`: `True`, `False`, or `None` when `**kwargs` may."""
    verdict: bool | None = False
    for keyword in call.keywords:
        if keyword.arg == "description":
            return True
        if keyword.arg is None:
            verdict = None
    return verdict


class _Builder:
    """Reads one module's top level into a `ModuleSummary`."""

    def __init__(self, module: str, *, package: bool) -> None:
        self.module = module
        self.package = package
        self.names: dict[str, Entry] = {}
        self.imports: list[str] = []
        self.star = False
        self.evidence: set[str] = set()
        self.receivers: set[str] = set()
        self.calls: set[str] = set()

    def bind(self, name: str, entry: Entry) -> None:
        known = self.names.get(name)
        self.names[name] = entry if known is None or known == entry else ("other",)

    def origin(self, node: ast.ImportFrom, alias: ast.alias) -> str | None:
        module = "." * node.level + (node.module or "")
        dotted = f"{module}.{alias.name}" if not module.endswith(".") else module + alias.name
        found = absolute(canonical_module(dotted) if not node.level else dotted, self.module, package=self.package)
        return found

    def on_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                name = canonical_module(alias.name)
                self.imports.append(name)
                self._import_evidence(name)
                if alias.asname:
                    self.bind(alias.asname, ("import", name))
                else:
                    head = name.partition(".")[0]
                    self.bind(head, ("import", head))
            return
        base = absolute("." * node.level + (node.module or ""), self.module, package=self.package)
        if node.level == 0 and base is not None:
            base = canonical_module(base)
        if base is not None:
            self.imports.append(base)
        for alias in node.names:
            if alias.name == "*":
                self.star = True
                continue
            origin = self.origin(node, alias)
            if origin is None:
                self.bind(alias.asname or alias.name, ("other",))
                continue
            self.imports.append(origin)
            self._import_evidence(origin)
            self.bind(alias.asname or alias.name, ("import", origin))

    def _import_evidence(self, origin: str) -> None:
        if origin.partition(".")[0] in SQL_PACKAGES:
            self.evidence.add("q")
            if origin in SESSION_NAMES:
                self.evidence.add("s")

    def dotted(self, node: ast.expr) -> str | None:
        """A name or attribute chain as this module resolves it, from its module-level bindings."""
        parts: list[str] = []
        steps = 0
        while isinstance(node, ast.Attribute) and steps < MAX_CHAIN:
            parts.append(node.attr)
            node = node.value
            steps += 1
        if not isinstance(node, ast.Name):
            return None
        entry = self.names.get(node.id)
        if entry is None:
            head = f"builtins.{node.id}" if not parts and not self.star else None
            return head
        if entry[0] == "import":
            head = entry[1]
        elif entry[0] in {"class", "call", "def", "alias"}:
            head = f"{self.module}.{node.id}"
        else:
            return None
        return ".".join([head, *reversed(parts)])

    def on_class(self, node: ast.ClassDef) -> None:
        self.evidence.add("d")
        bases: list[str] = []
        flags = ""
        methods: set[str] = set()
        for base in node.bases:
            if isinstance(base, ast.Starred):
                flags += "x"
                continue
            target = base.value if isinstance(base, ast.Subscript) else base
            bases.append(self.dotted(target) or "")
        for keyword in node.keywords:
            if keyword.arg is None:
                flags += "x"
            elif keyword.arg == "table" and isinstance(keyword.value, ast.Constant) and keyword.value.value is True:
                flags += "t"
            elif keyword.arg != "metaclass":
                flags += "c"
        for statement in node.body:
            if isinstance(statement, ast.ClassDef) and statement.name == "Config":
                flags += "c"
            elif isinstance(statement, ast.Assign | ast.AnnAssign):
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                if any(isinstance(target, ast.Name) and target.id == "model_config" for target in targets):
                    flags += "c"
            elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                methods.add(statement.name)
                self.on_function(statement, top=False)
            elif isinstance(statement, ast.If | ast.Try | ast.TryStar):
                methods.update(
                    item.name
                    for item in _block_statements(statement)
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                )
        self.bind(node.name, ("class", tuple(bases), "".join(sorted(set(flags))), tuple(sorted(methods))))

    def on_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, *, top: bool) -> None:
        self.evidence.add("d")
        args = node.args
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
            name = arg.arg.lower()
            if name in SESSION_PARAMETERS or name.endswith("_session"):
                self.evidence.add("p")
        for decorator in node.decorator_list:
            func = decorator.func if isinstance(decorator, ast.Call) else None
            if isinstance(func, ast.Attribute) and func.attr in ROUTE_VERBS and isinstance(func.value, ast.Name):
                self.receivers.add(func.value.id)
        if not top:
            return
        callees: set[str] = set()
        returns = 0
        for statement in self._own_statements(node.body):
            if isinstance(statement, ast.Expr | ast.Assign) and isinstance(statement.value, ast.Yield | ast.YieldFrom):
                callees.add("")  # a generator: a call gives a generator, whatever it returns at the end
            elif isinstance(statement, ast.Return):
                returns += 1
                value = statement.value
                callee = self.dotted(value.func) if isinstance(value, ast.Call) else None
                callees.add(callee or "")
            elif isinstance(statement, ast.Assign | ast.AnnAssign) and isinstance(statement.value, ast.Call):
                callee = self.dotted(statement.value.func)
                if callee is not None and _class_like(callee):
                    self.calls.add(callee)  # an app factory: `app = FastAPI()` inside `create_app()`
        callee = callees.pop() if len(callees) == 1 and returns else ""
        if isinstance(node, ast.AsyncFunctionDef) or not all(self._caches(d) for d in node.decorator_list):
            callee = ""  # a call gives a coroutine, or whatever a wrapping decorator makes of the function
        if self._never_returns(node):
            self.bind(node.name, ("def", callee, "n"))
        else:
            self.bind(node.name, ("def", callee))

    def _never_returns(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        return never_returns(node, self.dotted)

    def _caches(self, decorator: ast.expr) -> bool:
        """Whether a decorator only caches what the function returns (`functools.cache`, `lru_cache`)."""
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        return self.dotted(target) in CACHE_DECORATORS

    def _own_statements(self, body: list[ast.stmt]) -> Iterator[ast.stmt]:
        """The statements of a function's own body, into `if`/`try`/`with`/loops, not into nested defs."""
        pending = list(reversed(body))
        seen = 0
        while pending and seen < MAX_STATEMENTS:
            statement = pending.pop()
            seen += 1
            yield statement
            if isinstance(statement, BLOCKS):
                pending.extend(reversed(_block_statements(statement)))

    def _plain_session_class(self, call: ast.Call) -> bool:
        """Whether a `sessionmaker(...)` call builds SQLAlchemy's own `Session` (no `class_=`, or that class)."""
        for keyword in call.keywords:
            if keyword.arg == "class_":
                return self.dotted(keyword.value) in PLAIN_SESSIONS
            if keyword.arg is None:
                return False  # `**options` may pass any `class_`
        return len(call.args) < 2  # `sessionmaker(bind, class_, ...)`: the class is the second argument

    def _described_annotation(self, value: ast.Subscript) -> bool:
        """`Annotated[T, ..., Field(..., description="...")]`: a type alias that describes its field."""
        inner = value.slice
        if self.dotted(value.value) != "typing.Annotated" or not isinstance(inner, ast.Tuple):
            return False
        return any(isinstance(item, ast.Call) and describes(item) is True for item in inner.elts[1:])

    def on_assign(self, statement: ast.Assign | ast.AnnAssign) -> None:
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        value = statement.value
        entry: Entry = ("other",)
        if isinstance(value, ast.Call):
            callee = self.dotted(value.func)
            if callee is not None:
                if callee in SYNC_FACTORIES and not self._plain_session_class(value):
                    callee = ASYNC_FACTORY
                entry = ("call", callee)
                self.calls.add(callee)
        elif isinstance(value, ast.Name | ast.Attribute):
            found = self.dotted(value)
            if found is not None:
                entry = ("alias", found)
        elif isinstance(value, ast.Constant) and type(value.value) is str and len(value.value) <= MAX_TEXT:
            entry = ("text", value.value)  # `TOKEN = "/oauth/token"`: what an importer's path or key holds
        elif isinstance(value, ast.Subscript) and self._described_annotation(value):
            entry = ("described",)  # `Labels = Annotated[dict, Field(description=...)]`: HR403 across modules
        elif value is None:
            return  # a bare annotation binds nothing
        for target in targets:
            if isinstance(target, ast.Name):
                self.bind(target.id, entry)
            else:
                for name in _names_in(target):
                    self.bind(name, ("other",))

    def build(self, tree: ast.AST) -> ModuleSummary:
        body = tree.body if isinstance(tree, ast.Module) else []
        pending = list(reversed(body))
        seen = 0
        while pending and seen < MAX_STATEMENTS:
            statement = pending.pop()
            seen += 1
            if isinstance(statement, ast.Import | ast.ImportFrom):
                self.on_import(statement)
            elif isinstance(statement, ast.ClassDef):
                self.on_class(statement)
            elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                self.on_function(statement, top=True)
            elif isinstance(statement, ast.Assign | ast.AnnAssign):
                self.on_assign(statement)
            elif isinstance(statement, ast.AugAssign | ast.Delete):
                for name in _names_in(statement.target if isinstance(statement, ast.AugAssign) else statement):
                    self.bind(name, ("other",))
            elif isinstance(statement, BLOCKS):
                if isinstance(statement, ast.For | ast.AsyncFor):
                    for name in _names_in(statement.target):
                        self.bind(name, ("other",))
                pending.extend(reversed(_block_statements(statement)))
        if self.calls & APP_AND_ROUTER_CLASSES:
            self.evidence.add("r")
        return ModuleSummary(
            self.module,
            self.package,
            self.names,
            self.star,
            tuple(dict.fromkeys(self.imports)),
            "".join(sorted(self.evidence)),
            tuple(sorted(self.receivers)),
            tuple(sorted(self.calls)),
        )


def _class_like(callee: str) -> bool:
    """Whether a callee is spelled like a class (`MyRouter`, `fastapi.FastAPI`), not a function (`get_cache`).

    Inside a function only such calls are kept in `calls`: an app factory instantiates an app or router class,
    while the function calls of ordinary bodies (`Policy.get_by(...)`) would each cost a module read when a
    layer is judged, and show nothing.
    """
    return callee.rpartition(".")[2][:1].isupper()


def _block_statements(statement: ast.stmt) -> list[ast.stmt]:
    found: list[ast.stmt] = []
    for field in ("body", "orelse", "finalbody"):
        found.extend(getattr(statement, field, None) or ())
    for handler in getattr(statement, "handlers", None) or ():
        found.extend(handler.body)
    return found


def _names_in(target: ast.AST) -> list[str]:
    """The plain names an assignment target (or `del` statement) binds or unbinds."""
    found: list[str] = []
    pending: list[ast.AST] = [target]
    while pending and len(found) < MAX_STATEMENTS:
        node = pending.pop()
        if isinstance(node, ast.Name):
            found.append(node.id)
        elif isinstance(node, ast.Tuple | ast.List):
            pending.extend(node.elts)
        elif isinstance(node, ast.Starred):
            pending.append(node.value)
        elif isinstance(node, ast.Delete):
            pending.extend(node.targets)
    return found


def summarise(tree: ast.AST, module: str, *, package: bool) -> ModuleSummary:
    """The summary of a parsed module named `module` (`package`: it is a package's `__init__.py`)."""
    return _Builder(module, package=package).build(tree)
