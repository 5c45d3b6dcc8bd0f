"""Layer roles from evidence: a module whose path puts it in a layer must also show it in its content.

The path options (`hr-store-modules`, `hr-service-modules`, `hr-router-modules`) say where a layer may be;
within a project (see `context/project.py`) a module keeps a layer role only when its content shows it:

- **store**: it touches a SQLAlchemy session: imports a `Session`/`AsyncSession`/session factory type (a
  class that takes one is annotated with it), uses a session factory, engine or session getter imported
  from another project module like a session (`with SessionLocal() as session`), or imports from
  SQLAlchemy/SQLModel and has a function taking a parameter named like a session (`session`, `db`,
  `db_session`, `*_session`);
- **router**: it builds a FastAPI app or router (`FastAPI(...)`, `APIRouter(...)`, or a project subclass of
  either, at module level or in an app factory), or decorates a function as a route of one, also of a
  router imported from another project module;
- **service**: it touches a session as a store does, imports a module of the store layer, or imports a
  module of the service layer that shows it on its own (touches a session or imports a store module).

A module that defines no function or class of its own (an `__init__.py` or a façade that only imports and
re-exports) keeps the role its path gives: it stands for the layer it re-exports. A module whose path
matches two layers (`app/api/job_state_store.py`) is ambiguous and gets no layer role at all. Outside any
project (bare stdin, code with no root marker above it, the rules' documentation examples) the path alone
decides, as before.

`layer_roles(ctx)` applies this to the linted module (its own tree, so an editor buffer counts as written);
`target_roles(project, located, roles)` to a module an import reaches (HR607), from its own summary only
(what it imports is not followed further: checking one import reads one module).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from flake8_house_rules.context.summary import summarise
from flake8_house_rules.paths import LAYER_ROLES, module_roles, normalise_path

if TYPE_CHECKING:
    from collections.abc import Callable

    from flake8_house_rules.context import ModuleContext
    from flake8_house_rules.context.project import Located, Project
    from flake8_house_rules.context.summary import ModuleSummary

#: Kinds of project names whose import shows that a module touches a session.
SESSION_KINDS = frozenset({"factory", "engine", "session", "returns:factory", "returns:session", "returns:engine"})
ROUTER_KINDS = frozenset({"router", "app"})
MAX_IMPORTS = 64
#: Words an import target must spell to show its layer on its own summary (`deep=False` in `shows`): router
#: evidence needs a `FastAPI`/`APIRouter` call, session evidence an import from SQLAlchemy or SQLModel.
ROUTER_WORDS = (b"FastAPI", b"APIRouter")
SESSION_WORDS = (b"sqlalchemy", b"sqlmodel")


def layer_roles(ctx: ModuleContext) -> frozenset[str]:
    """The linted module's roles: its path's, with layer roles kept only on evidence (see the module docs)."""
    roles = ctx.path_roles
    layers = roles & LAYER_ROLES
    if not layers:
        return roles
    if len(layers) > 1:
        return roles - LAYER_ROLES  # ambiguous: no layer rule applies
    place = ctx.in_project
    project = place.project
    if project is None:
        return roles
    summary = project.offered(place.path) or summarise(ctx.tree, place.module or "__main__", package=place.package)
    config = ctx.config

    def roles_of(path: str) -> frozenset[str]:
        return module_roles(normalise_path(path, config.cwd), config)

    from flake8_house_rules.context.sqlalchemy import session_like_uses  # noqa: PLC0415 - an import cycle

    if shows(project, summary, next(iter(layers)), place.start, roles_of, session_names=session_like_uses(ctx)):
        return roles
    return roles - LAYER_ROLES


def target_roles(project: Project, located: Located, roles: frozenset[str]) -> frozenset[str]:
    """The layer roles of a module an import reaches, on the evidence of its summary."""
    layers = roles & LAYER_ROLES
    if len(layers) != 1:
        return roles - LAYER_ROLES if layers else roles
    layer = next(iter(layers))
    if project.lacks_words(located, ROUTER_WORDS if layer == "router" else SESSION_WORDS):
        return roles - LAYER_ROLES  # it defines things, but cannot show its layer: no need to parse it
    summary = project.summary(located)
    if not summary.has("d"):
        reexported = _reexported(project, summary, located)
        if reexported:  # a package `__init__.py` that re-exports: what it re-exports shows its layer
            return (
                roles
                if any(shows(project, s, layer, None, None, deep=False) for s in reexported)
                else roles - LAYER_ROLES
            )
    return roles if shows(project, summary, layer, None, None, deep=False) else roles - LAYER_ROLES


def _reexported(project: Project, summary: ModuleSummary, located: Located) -> list[ModuleSummary]:
    """The summaries of the project modules a module of only imports re-exports from (at most `MAX_IMPORTS`)."""
    found: list[ModuleSummary] = []
    for origin in _project_imports(project, summary):
        target = project.locate(origin) or project.locate(origin.rpartition(".")[0])
        if target is None or target.path is None or target.path == located.path:
            continue
        found.append(project.summary(target))
    return found


def shows(
    project: Project,
    summary: ModuleSummary,
    layer: str,
    start: str | None,
    roles_of: Callable[[str], frozenset[str]] | None,
    *,
    deep: bool = True,
    session_names: set[str] | None = None,
) -> bool:
    """Whether a module's summary shows that it is of a layer.

    `deep`: also ask the project what the module's imports are (a session factory from `app/db.py`); an
    import target is judged by its own summary only, so that checking one import reads one module.
    `session_names`: the imported names the module uses like sessions (only those are looked up).
    """
    if not summary.has("d"):
        return True  # only imports and re-exports: it stands for what its path says
    if layer == "router":
        return _builds_router(project, summary, deep=deep)
    if _touches_session(project, summary, session_names if deep else set()):
        return True
    if layer == "service" and roles_of is not None:
        return _imports_layer(project, summary, start, roles_of)
    return False


def _touches_session(project: Project, summary: ModuleSummary, names: set[str] | None) -> bool:
    if summary.has("s") or (summary.has("q") and summary.has("p")):
        return True
    asked = 0
    for name in sorted(names or ()):
        entry = summary.names.get(name)
        if entry is None or entry[0] != "import" or not project.in_project(entry[1]) or asked >= MAX_IMPORTS:
            continue
        asked += 1
        if project.kind(entry[1]) in SESSION_KINDS:
            return True
    return False


def _builds_router(project: Project, summary: ModuleSummary, *, deep: bool) -> bool:
    if summary.has("r"):
        return True
    if not deep:
        return False
    if any(project.built_by(callee) in ROUTER_KINDS for callee in summary.calls if project.in_project(callee)):
        return True
    for name in summary.receivers:
        entry = summary.names.get(name)
        if entry is None:
            continue
        if entry[0] == "import" and project.kind(entry[1]) in ROUTER_KINDS:
            return True
        if entry[0] == "call" and project.in_project(entry[1]) and project.built_by(entry[1]) in ROUTER_KINDS:
            return True
    return False


def _imports_layer(
    project: Project, summary: ModuleSummary, start: str | None, roles_of: Callable[[str], frozenset[str]]
) -> bool:
    """Whether a module imports a store module, or a service module that shows its layer on its own.

    A service module's path alone is no evidence for another: zenml's `integrations/*/services/` modules
    (model-server daemons) import `zenml/services/` (their base classes), and neither is a service layer.
    The imported service module counts when its own summary touches a session or imports a store module.
    """
    for origin in _project_imports(project, summary):
        located = project.locate(origin, start)
        path = located.path if located is not None else None
        if path is None and located is not None and located.folder is not None:
            path = os.path.join(located.folder, "__init__.py")
        if path is None:
            continue
        roles = roles_of(path)
        if "store" in roles:
            return True
        if "service" in roles and located is not None and located.path is not None:
            target = project.summary(located)
            if _touches_session(project, target, set()) or _imports_store(project, target, roles_of):
                return True
    return False


def _imports_store(project: Project, summary: ModuleSummary, roles_of: Callable[[str], frozenset[str]]) -> bool:
    """Whether a module imports a module of the store layer, by that module's path (one level: not followed)."""
    for origin in _project_imports(project, summary):
        located = project.locate(origin)
        if located is not None and located.path is not None and "store" in roles_of(located.path):
            return True
    return False


def _project_imports(project: Project, summary: ModuleSummary) -> list[str]:
    """The module's imported names that are in the project (at most `MAX_IMPORTS`)."""
    return [origin for origin in summary.imports if project.in_project(origin)][:MAX_IMPORTS]
