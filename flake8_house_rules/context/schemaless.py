"""Routers the project mounts where no OpenAPI schema shows them: a project-wide fact, found once per run.

A router is usually defined in one module and mounted in another (`app.include_router(jobs.router)` in
`main.py`). Whether its routes appear in a schema depends on that other module: an app built with
`FastAPI(openapi_url=None)` serves none, and `include_router(router, include_in_schema=False)` hides a
router from the app's schema. The router's own module cannot show this, and no import leads from it to
the module that mounts it, so this fact is found from the other side: the project's Python files are
scanned once for the word `include_router` beside `openapi_url` or `include_in_schema`, and only the few
that spell both are parsed. Each gives the dotted names of the routers it mounts that way
(`mlflow.server.jobs.job_api_router`), resolved through its imports (relative ones too) to where they are
bound.

The scan is bounded (`MAX_FILES` files, `MAX_BYTES` per file) and skips hidden, virtual-environment and
vendored folders; a file that cannot be read or parsed gives nothing. Routers mounted through another
router (`parent.include_router(child)`) are not followed: such a child is taken to be in a schema.
A result cache that used this fact is not made stale by a file that starts to spell the words later.
"""

from __future__ import annotations

import ast
import os
import warnings
from typing import TYPE_CHECKING

from flake8_house_rules.context.summary import absolute

if TYPE_CHECKING:
    from flake8_house_rules.context.project import Project

WORDS = (b"openapi_url", b"include_in_schema")
MOUNT = b"include_router"
MAX_FILES = 20_000
MAX_BYTES = 2_000_000
SKIPPED_FOLDERS = frozenset(
    {"node_modules", "site-packages", "__pycache__", "venv", "env", "build", "dist", "vendor", "_vendor"}
)
APP_CLASSES = frozenset({"fastapi.FastAPI", "fastapi.applications.FastAPI"})


def schemaless_routers(project: Project) -> frozenset[str]:
    """The dotted names of the routers the project mounts where no schema shows them."""
    found: set[str] = set()
    for path in _candidates(project.root):
        found.update(_mounted_without_schema(project, path))
    return frozenset(found)


def _candidates(root: str) -> list[str]:
    """The project's Python files that spell one of `WORDS` (at most `MAX_FILES` files are read)."""
    found: list[str] = []
    seen = 0
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if not name.startswith(".") and name not in SKIPPED_FOLDERS)
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            seen += 1
            if seen > MAX_FILES:
                return found
            path = os.path.join(folder, name)
            try:
                with open(path, "rb") as handle:
                    data = handle.read(MAX_BYTES + 1)
            except OSError:
                continue
            if len(data) <= MAX_BYTES and MOUNT in data and any(word in data for word in WORDS):
                found.append(path)
    return found


def _mounted_without_schema(project: Project, path: str) -> set[str]:
    """The routers one module mounts on a schema-less app or with `include_in_schema=False`."""
    from flake8_house_rules.context.project import module_name  # noqa: PLC0415 - project.py imports this module

    named = module_name(path, project.root)
    if named is None:
        return set()
    module, package, _ = named
    try:
        with open(path, "rb") as handle, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    origins: dict[str, str] = {}  # a name an import binds -> its absolute origin
    defined: set[str] = set()  # names the module binds at its top level otherwise
    apps: set[str] = set()  # names bound to `FastAPI(openapi_url=None)` anywhere in the module
    mounts: list[ast.Call] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            for alias in node.names:
                joined = f"{base}.{alias.name}" if not base.endswith(".") else base + alias.name
                origin = absolute(joined, module, package=package)
                if origin is not None and alias.name != "*":
                    origins[alias.asname or alias.name] = origin
        elif isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.partition(".")[0]
                origins[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and _schemaless_app(node.value, origins):
            apps.update(target.id for target in node.targets if isinstance(target, ast.Name))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "include_router"
            and node.args
        ):
            mounts.append(node)
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            defined.update(target.id for target in statement.targets if isinstance(target, ast.Name))
    found: set[str] = set()
    for call in mounts:
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        hidden = any(
            keyword.arg == "include_in_schema"
            and isinstance(keyword.value, ast.Constant)
            and keyword.value.value is False
            for keyword in call.keywords
        )
        if not hidden and not (isinstance(receiver, ast.Name) and receiver.id in apps):
            continue
        dotted = _dotted(call.args[0], origins, defined, module)
        if dotted is not None:
            found.add(_bound_at(project, dotted))
    return found


def _schemaless_app(call: ast.Call, origins: dict[str, str]) -> bool:
    """Whether a call is `FastAPI(..., openapi_url=None)` (FastAPI imported from `fastapi`)."""
    func = call.func
    if isinstance(func, ast.Name):
        callee = origins.get(func.id)
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in origins:
        callee = f"{origins[func.value.id]}.{func.attr}"
    else:
        return False
    if callee not in APP_CLASSES:
        return False
    return any(
        keyword.arg == "openapi_url" and isinstance(keyword.value, ast.Constant) and keyword.value.value is None
        for keyword in call.keywords
    )


def _dotted(expr: ast.expr, origins: dict[str, str], defined: set[str], module: str) -> str | None:
    """The dotted name a mounted router expression stands for (`jobs.router`, an imported `router`)."""
    if isinstance(expr, ast.Name):
        if expr.id in origins:
            return origins[expr.id]
        return f"{module}.{expr.id}" if expr.id in defined else None
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id in origins:
        return f"{origins[expr.value.id]}.{expr.attr}"
    return None


def _bound_at(project: Project, dotted: str) -> str:
    """Where a dotted name is bound, through re-exports (`app.api.router` -> `app.api.jobs.router`)."""
    resolved = project.resolve(dotted)
    if isinstance(resolved, tuple):
        summary, name, _ = resolved
        return f"{summary.module}.{name}"
    return dotted
