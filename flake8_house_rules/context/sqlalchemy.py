"""SQLAlchemy and layering facts for the HR6xx rules: sessions, session factories, and where imports lead.

`Sessions` answers "is this expression a SQLAlchemy session, or a factory of sessions?" through bindings,
never by spelling. An expression is a **session** when it is

- a parameter, variable or `self.<attr>` annotated `Session`/`AsyncSession` (from `sqlalchemy.orm`,
  `sqlalchemy.ext.asyncio` or `sqlmodel`), or a scoped session (`scoped_session`, `async_scoped_session`),
  also as `X | None`, `Optional[X]`, `Annotated[X, ...]` or a quoted annotation;
- a name or `self.<attr>` bound from `Session(...)`/`AsyncSession(...)`/`scoped_session(...)`, from a call
  of a factory, or by `with`/`async with factory() as session` (and `factory.begin()`, `Session(engine)`);

and a **factory** when it is bound from `sessionmaker(...)`/`async_sessionmaker(...)` or annotated with one
of those types. A name imported from another module of the project is what that module binds it to
(`from app.db import SessionLocal`, `SessionLocal = sessionmaker(...)` in `app/db.py`; a function there that
returns `SessionLocal()` gives sessions), read from its summary (`context/project.py`). A name bound in
several ways that disagree, a name from outside the project, an unannotated parameter, and anything the
module does not show are unknown (`None`): rules stay silent on them. A `.query(...)` on a search client or
a pandas frame is therefore never taken for a session's.

`ImportTargets` gives, for each import statement, the module paths it may load (`app/users/store.py`,
`app/users/store/__init__.py`), absolute imports by their dotted name and relative ones resolved against the
module's own package (from `ctx.path`, which is the `--stdin-display-name` for an editor buffer), and the
layer (`store`, `service`, `router`) each has: a module found in the project by its path and its content
(`context/roles.py`: a `routers.py` holding an enum is no router), any other by the path options.
"""

from __future__ import annotations

import ast
import functools
import os
import posixpath
from typing import TYPE_CHECKING, Literal

from flake8_house_rules.context.annotations import parse_annotation
from flake8_house_rules.context.roles import SESSION_KINDS, target_roles
from flake8_house_rules.context.root import nearest
from flake8_house_rules.paths import matches, module_roles, normalise_path

if TYPE_CHECKING:
    from collections.abc import Collection

    from flake8_house_rules.context import ModuleContext
    from flake8_house_rules.context.walk import Binding

Kind = Literal["session", "factory"]
Layer = Literal["store", "service", "router"]

SESSION_TYPES = frozenset(
    {
        "sqlalchemy.orm.Session",
        "sqlalchemy.orm.session.Session",
        "sqlalchemy.ext.asyncio.AsyncSession",
        "sqlalchemy.ext.asyncio.session.AsyncSession",
        "sqlalchemy.orm.scoped_session",
        "sqlalchemy.orm.scoping.scoped_session",
        "sqlalchemy.ext.asyncio.async_scoped_session",
        "sqlalchemy.ext.asyncio.scoping.async_scoped_session",
        "sqlmodel.Session",
        "sqlmodel.orm.session.Session",
        "sqlmodel.ext.asyncio.session.AsyncSession",
    }
)
#: Session classes whose call builds a new session that must be closed (scoped sessions are registries).
SESSION_CLASSES = frozenset(name for name in SESSION_TYPES if "scoped" not in name)
FACTORY_TYPES = frozenset(
    {
        "sqlalchemy.orm.sessionmaker",
        "sqlalchemy.orm.session.sessionmaker",
        "sqlalchemy.ext.asyncio.async_sessionmaker",
        "sqlalchemy.ext.asyncio.session.async_sessionmaker",
    }
)
SQL_PACKAGES = ("sqlalchemy", "sqlmodel")
WRAPPERS = frozenset({"typing.Optional", "typing.Annotated", "typing.Union"})
LAYERS: tuple[Layer, ...] = ("store", "service", "router")
MAX_DEPTH = 6
MAX_PROJECT_IMPORTS = 64
#: Methods only a session (or a query on one) is called with, and the names sessions are usually given.
SESSION_METHODS = frozenset({"query", "execute", "scalars", "scalar", "add", "add_all", "commit", "flush", "merge"})
SESSION_NAMES = frozenset({"session", "db", "db_session", "sess", "async_session"})


def imports_sql_package(ctx: ModuleContext) -> bool:
    """Whether the module imports SQLAlchemy or SQLModel, or a session of the project.

    Anything from `sqlalchemy` or `sqlmodel`, anywhere in the module; or a session, session factory, engine
    or session getter from another module of the project (`from app.db import SessionLocal`).
    """
    return ctx.derived("sqlalchemy.imported", lambda: _imports_sql_package(ctx))


def _imports_sql_package(ctx: ModuleContext) -> bool:
    for origins in ctx.import_names.values():
        for origin in origins:
            if origin.startswith(SQL_PACKAGES) and origin.partition(".")[0] in SQL_PACKAGES:
                return True
    place = ctx.in_project
    if place.project is None:
        return False
    asked = 0
    for name in session_like_uses(ctx):
        for origin in ctx.import_names.get(name, ()):
            if asked >= MAX_PROJECT_IMPORTS or "." not in origin.lstrip("."):
                continue
            asked += 1
            if place.kind(origin) in SESSION_KINDS:
                return True
    return False


def session_like_uses(ctx: ModuleContext) -> set[str]:
    """Imported names used the way sessions and their factories are.

    Called in a `with` item, called into a name like a session's (`session = SessionLocal()`), or given a
    session's method (`db.query(...)`).

    Only these are looked up in the project, so that a module's other imports are never read for this.
    """
    return ctx.derived("sqlalchemy.session_like_uses", lambda: _session_like_uses(ctx))


def _session_like_uses(ctx: ModuleContext) -> set[str]:
    names: set[str] = set()
    imported = ctx.import_names
    for item in ctx.nodes_of(ast.withitem):
        expr = item.context_expr
        func = expr.func if isinstance(expr, ast.Call) else expr
        if isinstance(func, ast.Attribute):
            func = func.value
        if isinstance(func, ast.Name) and func.id in imported:
            names.add(func.id)
    for call in ctx.nodes_of(ast.Call):
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr in SESSION_METHODS:
            receiver = func.value.func if isinstance(func.value, ast.Call) else func.value
            if isinstance(receiver, ast.Name) and receiver.id in imported:
                names.add(receiver.id)
        elif isinstance(func, ast.Name) and func.id in imported:
            parent = ctx.parent(call)
            if isinstance(parent, ast.Assign) and any(
                isinstance(target, ast.Name) and _session_like(target.id) for target in parent.targets
            ):
                names.add(func.id)
    return names


def _session_like(name: str) -> bool:
    lowered = name.lower()
    return lowered in SESSION_NAMES or lowered.endswith("_session")


class Sessions:
    """Which expressions of a module are SQLAlchemy sessions or session factories. Built once per module."""

    def __init__(self, ctx: ModuleContext) -> None:
        self.ctx = ctx
        self._kinds: dict[ast.AST, Kind | None] = {}
        self._attributes: dict[tuple[ast.ClassDef, str], list[tuple[ast.AST, bool]]] | None = None

    def is_session(self, expr: ast.AST) -> bool:
        """Whether the expression is provably a session (`Session`, `AsyncSession`, a scoped session)."""
        return self.kind(expr) == "session"

    def is_factory(self, expr: ast.AST) -> bool:
        """Whether the expression is provably a session factory (`sessionmaker(...)`, `async_sessionmaker(...)`)."""
        return self.kind(expr) == "factory"

    @property
    def imports_factory(self) -> bool:
        """Whether the module uses a session factory imported from another module of the project.

        `from app.db import SessionLocal`: its calls are then worth looking for.
        """
        place = self.ctx.in_project
        if place.project is None:
            return False
        return any(
            place.kind(origin) == "factory"
            for name in session_like_uses(self.ctx)
            for origin in self.ctx.import_names.get(name, ())
        )

    def builds_session(self, call: ast.Call) -> bool:
        """Whether a call opens a new session: `Session(...)`, `AsyncSession(...)`, or a factory called."""
        if self.ctx.qualname(call.func) in SESSION_CLASSES:
            return True
        return self.is_factory(call.func)

    def kind(self, expr: ast.AST, depth: int = 0) -> Kind | None:
        """`session`, `factory`, or `None` when the expression is neither or cannot be proven either."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, ast.Name | ast.Attribute):
            try:
                return self._kinds[expr]
            except KeyError:
                self._kinds[expr] = None  # a guard against cycles while this one is being resolved
                found = self._kinds[expr] = self._reference_kind(expr, depth)
                return found
        if isinstance(expr, ast.Call):
            return self._call_kind(expr, depth)
        if isinstance(expr, ast.NamedExpr):
            return self.kind(expr.value, depth + 1)
        return None

    def _reference_kind(self, expr: ast.Name | ast.Attribute, depth: int) -> Kind | None:
        qualname = self.ctx.qualname(expr)
        if qualname is not None:  # an imported name: what the other module of the project binds it to
            kind = self.ctx.in_project.kind(qualname)
            return kind if kind in {"session", "factory"} else None
        if isinstance(expr, ast.Name):
            bindings = self.ctx.lookup(expr)
            return self._agree(bindings, depth) if bindings else None
        if isinstance(expr.value, ast.Name) and expr.value.id in {"self", "cls"}:
            return self._attribute_kind(expr, depth)
        return None

    def _call_kind(self, call: ast.Call, depth: int) -> Kind | None:
        qualname = self.ctx.qualname(call.func)
        if qualname is not None:
            if qualname in SESSION_TYPES:
                return "session"
            if qualname in FACTORY_TYPES:
                return "factory"
            built = self.ctx.in_project.built_by(qualname)  # a factory or session getter of the project
            return built if built in {"session", "factory"} else None
        return "session" if self.kind(call.func, depth + 1) == "factory" else None

    def _agree(self, bindings: list[Binding], depth: int) -> Kind | None:
        """The kind every binding gives the name, or `None` when one is unknown or they disagree."""
        found: set[Kind | None] = set()
        for binding in bindings:
            found.add(self._binding_kind(binding, depth))
            if None in found or len(found) > 1:
                return None
        return found.pop() if len(found) == 1 else None

    def _binding_kind(self, binding: Binding, depth: int) -> Kind | None:
        node = binding.node
        if binding.kind == "param":
            annotation = node.annotation if isinstance(node, ast.arg) else None
            return self.annotation_kind(annotation) if annotation is not None else None
        if binding.kind != "assign":
            return None
        parent = self.ctx.parent(node)
        if isinstance(parent, ast.AnnAssign) and parent.target is node:
            declared = self.annotation_kind(parent.annotation)
            if declared is not None or parent.value is None:
                return declared
        if isinstance(parent, ast.withitem) and parent.optional_vars is node:
            return self.entered_kind(parent.context_expr, depth + 1)
        if binding.value is not None and isinstance(parent, ast.Assign | ast.AnnAssign | ast.NamedExpr):
            return self.kind(binding.value, depth + 1)
        return None

    def entered_kind(self, expr: ast.expr, depth: int = 0) -> Kind | None:
        """What `with <expr> as x` binds `x` to: a session for `factory()`, `Session(engine)`, `factory.begin()`."""
        if (
            isinstance(expr, ast.Call)
            and isinstance(expr.func, ast.Attribute)
            and expr.func.attr == "begin"
            and self.kind(expr.func.value, depth + 1) == "factory"
        ):
            return "session"
        return "session" if self.kind(expr, depth + 1) == "session" else None

    def annotation_kind(self, annotation: ast.expr | None) -> Kind | None:
        """The kind an annotation declares: `AsyncSession`, `Session | None`, `async_sessionmaker[...]`, ..."""
        pending: list[ast.expr] = [annotation] if annotation is not None else []
        found: set[Kind | None] = set()
        steps = 0
        while pending and steps < MAX_DEPTH * 4:
            steps += 1
            node = pending.pop()
            if isinstance(node, ast.Constant):
                if node.value is None:
                    continue
                parsed = parse_annotation(node.value) if isinstance(node.value, str) else None
                if parsed is None:
                    return None
                pending.append(parsed)
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
                pending.extend((node.left, node.right))
            elif isinstance(node, ast.Subscript):
                outer = resolve_name(self.ctx, node.value)
                if outer in FACTORY_TYPES:
                    found.add("factory")
                elif outer == "typing.Annotated" and isinstance(node.slice, ast.Tuple) and node.slice.elts:
                    pending.append(node.slice.elts[0])
                elif outer in WRAPPERS:
                    pending.extend(node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice])
                else:
                    return None
            elif isinstance(node, ast.Name | ast.Attribute):
                qualname = resolve_name(self.ctx, node)
                found.add("session" if qualname in SESSION_TYPES else "factory" if qualname in FACTORY_TYPES else None)
            else:
                return None
            if None in found or len(found) > 1:
                return None
        if pending:
            return None
        return found.pop() if len(found) == 1 else None

    def _attribute_kind(self, expr: ast.Attribute, depth: int) -> Kind | None:
        """`self.db`: what the enclosing class declares or assigns to that attribute, when all agree."""
        cls = self.ctx.enclosing_class(expr)
        if cls is None:
            return None
        entries = self._class_attributes().get((cls, expr.attr))
        if not entries:
            return None
        declared = {self.annotation_kind(node) for node, is_annotation in entries if is_annotation}
        if declared:
            return declared.pop() if len(declared) == 1 else None
        found = {self.kind(node, depth + 1) for node, _ in entries}
        return found.pop() if len(found) == 1 else None

    def _class_attributes(self) -> dict[tuple[ast.ClassDef, str], list[tuple[ast.AST, bool]]]:
        """`(class, attribute) -> [(annotation or value, is_annotation)]`, from class bodies and `self.x = ...`."""
        if self._attributes is not None:
            return self._attributes
        found: dict[tuple[ast.ClassDef, str], list[tuple[ast.AST, bool]]] = {}
        ctx = self.ctx
        for node in [*ctx.nodes_of(ast.Assign), *ctx.nodes_of(ast.AnnAssign)]:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            parent = ctx.parent(node)
            for target in targets:
                if isinstance(parent, ast.ClassDef) and isinstance(target, ast.Name):
                    key = (parent, target.id)
                elif (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id in {"self", "cls"}
                    and (cls := ctx.enclosing_class(node)) is not None
                ):
                    key = (cls, target.attr)
                else:
                    continue
                if isinstance(node, ast.AnnAssign):
                    found.setdefault(key, []).append((node.annotation, True))
                elif node.value is not None:
                    found.setdefault(key, []).append((node.value, False))
        self._attributes = found
        return found


def resolve_name(ctx: ModuleContext, node: ast.expr) -> str | None:
    """`ctx.qualname`, also for a name parsed from a quoted annotation.

    Such a node is outside the module's tree: it is looked up in the module scope, where those names are
    imported (often under `if TYPE_CHECKING:`).
    """
    return ctx.qualname(node) if node in ctx.parents else ctx.qualname_in(node, ctx.module_scope)


class ImportTargets:
    """The module paths each import statement of the module may load, and the layer of each. Built once."""

    def __init__(self, ctx: ModuleContext) -> None:
        self.ctx = ctx
        path = ctx.path
        self.package: str | None = posixpath.dirname(path) if path is not None else None

    def module_path(self, node: ast.ImportFrom) -> str | None:
        """The module a `from` import names, as a path without suffix (`app/users/store`).

        Relative imports are resolved against the module's own package. `None` when it cannot be resolved
        (a relative import read from bare stdin, or one that climbs above the path's first folder).
        """
        dotted = (node.module or "").replace(".", "/")
        if not node.level:
            return dotted or None
        if self.package is None:
            return None
        base = self.package
        for _ in range(node.level - 1):
            if not base or base in {".", "/"}:
                return None
            base = posixpath.dirname(base)
        if base in {".", "/"}:
            base = ""
        if not dotted:
            return base or None
        return posixpath.join(base, dotted) if base else dotted

    def targets(self, node: ast.Import | ast.ImportFrom) -> list[str]:
        """Every module path (`.py` file or package `__init__.py`) the statement may load.

        `import a.b` and `from a.b import c` load `a/b.py` or `a/b/__init__.py`. `from a import b` loads a
        submodule `a/b` too when `b` is a bare layer name (`store`, `services`, `routes`: a name that the
        layer patterns match without their wildcard): a name such as `get_user_service` or
        `daily_activity_repository` is far more often a function or an object than a module.
        """
        relative = isinstance(node, ast.ImportFrom) and bool(node.level)
        return [path for module, _ in self._modules(node) for path in self._forms(module, relative=relative)]

    def _modules(self, node: ast.Import | ast.ImportFrom) -> list[tuple[str, str | None]]:
        """The modules a statement may load: as a path without suffix, and as a dotted name.

        Relative names are resolved against the module's package in its project (`None` when they cannot be).
        """
        if isinstance(node, ast.Import):
            return [(alias.name.replace(".", "/"), alias.name) for alias in node.names]
        base = self.module_path(node)
        if base is None:
            return []
        place = self.ctx.in_project
        dotted = place.absolute("." * node.level + (node.module or "")) if node.level else node.module
        modules = [(base, dotted)]
        for alias in node.names:
            if self._bare_layer(alias.name):
                modules.append((posixpath.join(base, alias.name), f"{dotted}.{alias.name}" if dotted else None))
        return modules

    def _forms(self, module: str, *, relative: bool) -> tuple[str, ...]:
        """The paths a module may be: `a/b.py` or `a/b/__init__.py`, or the one of them found on disk.

        A module is looked for on disk beside the linted file's project (a relative import from the file's
        folder, an absolute one from the nearest folder above the file that holds its first package), so that
        `from mlflow.tracking._tracking_service import utils` is known to load a package, not a
        `_tracking_service.py` that a `*service.py` pattern would match. Not found (stdin, code elsewhere):
        both forms stay possible.
        """
        both = (f"{module}.py", f"{module}/__init__.py")
        path = self.ctx.path
        if path is None:
            return both
        cwd = self.ctx.config.cwd
        if relative:
            root: str | None = cwd
        else:
            root = _package_root(os.path.dirname(os.path.join(cwd, path)), module.partition("/")[0])
        if root is None:
            return both
        found = os.path.join(root, module)
        if os.path.isdir(found):
            return (both[1],)
        if os.path.isfile(found + ".py"):
            return (both[0],)
        return both

    def layers(self, node: ast.Import | ast.ImportFrom, wanted: Collection[Layer] | None = None) -> set[Layer]:
        """The layers (`store`, `service`, `router`) of the modules the statement may load.

        A module found in the project is of a layer when its path says so and its content shows it (its
        summary, see `context/roles.py`): an enum module named `routers.py` or an SDK package under `api/`
        is no router. An absolute import of a package that is not the project's (a library, another
        distribution) is of no layer: nothing shows what it is. Otherwise a module the project cannot find
        (outside any project, or a relative import of a missing file) is of the layers its possible paths
        give. `wanted`:
        only these layers matter to the caller; a module whose path gives another layer is not read (the
        answer then leaves that layer out, as it would leave out no layer).
        """
        found: set[Layer] = set()
        config = self.ctx.config
        place = self.ctx.in_project
        relative = isinstance(node, ast.ImportFrom) and bool(node.level)
        for module, dotted in self._modules(node):
            located = place.locate(dotted) if dotted and place.project is not None else None
            if located is not None and place.project is not None:
                path = located.path or os.path.join(located.folder or "", "__init__.py")
                roles = module_roles(normalise_path(path, config.cwd), config)
                if wanted is not None and layer_of(roles) not in wanted:
                    continue  # of no wanted layer whatever its content shows: nothing to read
                layer = layer_of(target_roles(place.project, located, roles))
                if layer is not None:
                    found.add(layer)
                continue
            if place.project is not None and not relative and dotted and not place.project.in_project(dotted):
                continue  # another distribution's module (langflow's `lfx....store`): its content is unknown
            for path in self._forms(module, relative=relative):
                layer = layer_of(module_roles(path, config))
                if layer is not None:
                    found.add(layer)
        return found

    def _bare_layer(self, name: str) -> bool:
        """Whether a name is a layer's module name as such: `store` for `*store.py`, `stores` for `*/stores/*`."""
        if name == "*":
            return False
        config = self.ctx.config
        for patterns in (config.store_modules, config.service_modules, config.router_modules):
            bare = tuple(pattern.removeprefix("*") for pattern in patterns)
            if matches(f"{name}.py", bare) or matches(f"{name}/__init__.py", bare):
                return True
        return False


@functools.lru_cache(maxsize=1024)
def _package_root(folder: str, package: str, limit: int = 12) -> str | None:
    """The nearest folder at or above `folder` that holds `package` (a folder or a `.py` file), or `None`."""
    if not package:
        return None
    return nearest(
        folder,
        lambda here: os.path.isdir(os.path.join(here, package)) or os.path.isfile(os.path.join(here, package + ".py")),
        limit,
    )


def layer_of(roles: frozenset[str]) -> Layer | None:
    """The one layer a set of module roles gives, or `None` when it gives none or several (ambiguous)."""
    found = [layer for layer in LAYERS if layer in roles]
    return found[0] if len(found) == 1 else None
