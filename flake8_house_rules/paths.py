"""Module paths and roles, and the target Python version, whatever name the caller passes.

flake8 hands a plugin `stdin` (or the `--stdin-display-name` value) for an editor buffer, a path relative to
the working directory for files on disk, or sometimes an absolute path; the plugin makes a path absolute
when the module's project root is not the working directory. `normalise_path` reduces each of them to one
form, a POSIX path relative to the project root (`Config.cwd`) where the file is under it, else absolute;
`stdin` with no display name has no path, and so no role: unknown stays unknown, and no layer rule fires
on a guess. Path patterns match that form: one with `/` from the project root (`scripts/*`, `app/db/*`),
or at any depth when it starts with `*/` (`*/tests/*`).
"""

from __future__ import annotations

import ast
import contextlib
import fnmatch
import functools
import os
import posixpath
import re
import sys
import tomllib
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flake8_house_rules.config import Config, parse_version

if TYPE_CHECKING:
    from collections.abc import Callable

STDIN_NAMES = frozenset({"", "-", "stdin", "<stdin>"})
ROLES = ("test", "settings", "store", "service", "router")
REQUIRES_RE = re.compile(r"(?:>=|~=|==|>)\s*3\.(\d+)")
ASYNCIO_MODE_OPTION_RE = re.compile(r"--asyncio-mode(?:=|\s+)(\w+)")
#: pytest's configuration files in the order pytest tries them in one folder, and the section it reads.
PYTEST_FILES = (
    ("pytest.ini", "pytest"),
    (".pytest.ini", "pytest"),
    ("pyproject.toml", "tool.pytest.ini_options"),
    ("tox.ini", "pytest"),
    ("setup.cfg", "tool:pytest"),
)
#: coverage.py's configuration files, in the order it reads them, with its report section.
COVERAGE_FILES = (
    (".coveragerc", "report"),
    (".coveragerc.toml", "report"),
    ("setup.cfg", "coverage:report"),
    ("tox.ini", "coverage:report"),
    ("pyproject.toml", "tool.coverage.report"),
)


def normalise_path(filename: str, cwd: str) -> str | None:
    """A POSIX path relative to `cwd` when the file is under it (else absolute), or `None` for bare stdin."""
    name = filename.strip()
    if name in STDIN_NAMES:
        return None
    name = name.replace("\\", "/")
    if posixpath.isabs(name) or (len(name) > 1 and name[1] == ":"):
        base = cwd.replace("\\", "/").rstrip("/")
        if base and name.startswith(base + "/"):
            name = name[len(base) + 1 :]
    name = posixpath.normpath(name)
    return name.removeprefix("./")


def matches(path: str | None, patterns: tuple[str, ...]) -> bool:
    """Whether a normalised path matches any pattern; a pattern without '/' matches the file name only.

    A pattern with '/' matches the whole path from the project root (`scripts/*` matches `scripts/run.py`,
    not `tools/scripts/run.py`), and also the path with a leading '/', so that `*/scripts/*` matches at any
    depth, the root's own `scripts/` included, and `/scripts/*` is anchored as in a `.gitignore`. Each pattern
    matches as `fnmatch.fnmatchcase` would (`*` crosses folders); the patterns of a tuple are compiled once,
    into one regular expression for those with a '/' and one for the others.
    """
    if path is None or not patterns:
        return False
    whole, name = _compiled(patterns)
    if name is not None and name.match(path.rpartition("/")[2]):  # the file name, as posixpath.basename
        return True
    if whole is None:
        return False
    if whole.match(path) is not None:
        return True
    return not path.startswith("/") and whole.match("/" + path) is not None


@functools.lru_cache(maxsize=256)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """The patterns with a '/' and those without, each as one expression (`None` when there are none)."""
    whole = [fnmatch.translate(pattern) for pattern in patterns if "/" in pattern]
    name = [fnmatch.translate(pattern) for pattern in patterns if "/" not in pattern]
    return (re.compile("|".join(whole)) if whole else None, re.compile("|".join(name)) if name else None)


#: Where generated migration scripts live: a module there has the `migration` role whatever it imports.
MIGRATION_PATHS = ("*/alembic/versions/*", "*/migrations/versions/*", "alembic/versions/*", "migrations/versions/*")


#: The layer roles, which also need evidence in the module's content (`context/roles.py`).
LAYER_ROLES = frozenset({"store", "service", "router"})


def module_roles(path: str | None, config: Config) -> frozenset[str]:
    """The roles (`test`, `settings`, `store`, `service`, `router`, `migration`) a module's path gives it.

    The layer patterns match file names on whole words (`whole_words`): `*store.py` matches `store.py` and
    `user_store.py`, not `restore.py` or `keystore.py`. Whether a module of a layer's path really is of
    that layer is for its content to show (`context/roles.py`).
    """
    return _path_roles(
        path,
        config.test_modules,
        config.settings_modules,
        config.store_modules,
        config.service_modules,
        config.router_modules,
    )


@functools.lru_cache(maxsize=8192)
def _path_roles(
    path: str | None,
    test: tuple[str, ...],
    settings: tuple[str, ...],
    store: tuple[str, ...],
    service: tuple[str, ...],
    router: tuple[str, ...],
) -> frozenset[str]:
    """`module_roles` for one path and set of patterns, once per run: import targets are asked again and again."""
    table = {
        "test": test,
        "settings": settings,
        "store": whole_words(store),
        "service": whole_words(service),
        "router": whole_words(router),
    }
    roles = {role for role, patterns in table.items() if matches(path, patterns)}
    if matches(path, MIGRATION_PATHS):
        roles.add("migration")
    return frozenset(roles)


@functools.lru_cache(maxsize=64)
def whole_words(patterns: tuple[str, ...]) -> tuple[str, ...]:
    """File-name patterns that match a word on its own: `*store.py` as `store.py` and `*_store.py`.

    Only a pattern without '/' that starts with `*` and then a letter changes; any other stays as written.
    """
    found: list[str] = []
    for pattern in patterns:
        if "/" not in pattern and pattern.startswith("*") and pattern[1:2].isalpha():
            found.extend((pattern[1:], f"*_{pattern[1:]}"))
        else:
            found.append(pattern)
    return tuple(found)


def _toml(text: str) -> dict[str, Any] | None:  # Any: TOML values of every type
    """A pyproject text's tables, or `None` when it is not valid TOML."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def _tool_table(data: dict[str, Any], name: str) -> dict[str, Any] | None:  # Any: TOML values of every type
    """`[tool.<name>]` of a parsed pyproject, or `None` when there is no such table."""
    tool = data.get("tool")
    table = tool.get(name) if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def version_from_pyproject(text: str) -> tuple[int, int] | None:
    """`[tool.ruff] target-version`, else the `[project] requires-python` lower bound, of a pyproject text."""
    data = _toml(text)
    if data is None:
        return None
    ruff = _tool_table(data, "ruff")
    target = ruff.get("target-version") if ruff is not None else None
    if isinstance(target, str):
        with contextlib.suppress(ValueError):  # a bad target-version: fall back to requires-python
            return parse_version(target)
    project = data.get("project")
    requires = project.get("requires-python") if isinstance(project, dict) else None
    if isinstance(requires, str) and (found := REQUIRES_RE.findall(requires)):
        return (3, min(int(minor) for minor in found))
    return None


def pydantic_major_from_pyproject(text: str) -> int | None:
    """1 when a pyproject's dependencies keep pydantic below 2 (`pydantic~=1.10`, `<2`, poetry's `^1.10`), else `None`.

    `[project] dependencies` and `[tool.poetry.dependencies]`; a requirement that allows 2 says nothing.
    """
    data = _toml(text)
    if data is None:
        return None
    specifiers: list[str] = []
    project = data.get("project")
    dependencies = project.get("dependencies") if isinstance(project, dict) else None
    for requirement in dependencies if isinstance(dependencies, list) else ():
        if isinstance(requirement, str) and (found := PYDANTIC_REQUIREMENT_RE.match(requirement)):
            specifiers.append(found.group(1))
    poetry = _tool_table(data, "poetry")
    poetry_dependencies = poetry.get("dependencies") if poetry is not None else None
    if isinstance(poetry_dependencies, dict):
        value = poetry_dependencies.get("pydantic")
        if isinstance(value, dict):
            value = value.get("version")
        if isinstance(value, str):
            specifiers.append(value)
    return 1 if any(PYDANTIC_V1_SPECIFIER_RE.search(specifier) for specifier in specifiers) else None


#: A requirement on pydantic itself (not `pydantic-settings`), and its specifier up to any marker.
PYDANTIC_REQUIREMENT_RE = re.compile(r"^\s*pydantic\s*(?:\[[^\]]*\])?\s*((?![-_.\w])[^;]*)", re.IGNORECASE)
#: A specifier that keeps the major version at 1: `~=1.10`, `==1.*`, `^1.10`, `<2`, `<2.0`, `<=1.10.26`.
PYDANTIC_V1_SPECIFIER_RE = re.compile(r"(?:~=|==|\^|~)\s*1(?:\.|\b)|<\s*2(?:\.0+)*\b(?!\.[1-9])|<=\s*1\.")


def force_included_from_pyproject(text: str) -> tuple[str, ...] | None:
    """The paths hatch's `force-include` tables copy from and to, relative to the `pyproject.toml`.

    `[tool.hatch.build.force-include]` and `[tool.hatch.build.targets.*.force-include]`; `None` when it has none.
    """
    data = _toml(text)
    hatch = _tool_table(data, "hatch") if data is not None else None
    build = hatch.get("build") if hatch is not None else None
    if not isinstance(build, dict):
        return None
    tables = [build.get("force-include")]
    targets = build.get("targets")
    if isinstance(targets, dict):
        tables.extend(target.get("force-include") for target in targets.values() if isinstance(target, dict))
    found: list[str] = []
    for table in tables:
        if isinstance(table, dict):
            for source, destination in table.items():
                found.append(source)
                if isinstance(destination, str):
                    found.append(destination)
    return tuple(os.path.normpath(item) for item in found) or None


#: What each kind of project fact reads from one `pyproject.toml` (see `_nearest`).
PYPROJECT_READERS: dict[str, Callable[[str], object]] = {
    "version": version_from_pyproject,
    "pydantic": pydantic_major_from_pyproject,
    "force-include": force_included_from_pyproject,
}


@functools.lru_cache(maxsize=2048)
def _nearest(folder: str, kind: str) -> object:
    """What the nearest `pyproject.toml` at or above a folder that gives it says of one kind of fact.

    A `pyproject.toml` that gives none (a package's own in a monorepo, `[tool.ruff]` without a target and no
    `[project]`) does not end the search: the repository's may. Each folder is looked at once per kind.
    """
    pyproject = os.path.join(folder, "pyproject.toml")
    if os.path.isfile(pyproject) and (found := _read_pyproject(pyproject, kind)) is not None:
        return found
    parent = os.path.dirname(folder)
    return None if parent == folder else _nearest(parent, kind)


@functools.lru_cache(maxsize=512)
def _read_pyproject(pyproject: str, kind: str) -> object:
    """One kind of fact from one `pyproject.toml`, read and parsed once however many folders it serves."""
    try:
        with open(pyproject, encoding="utf-8", errors="replace") as handle:
            return PYPROJECT_READERS[kind](handle.read())
    except OSError:
        return None


def _folder_of(path: str | None, config: Config) -> str:
    folder = os.path.dirname(os.path.join(config.cwd, path)) if path is not None else config.cwd
    return os.path.abspath(folder or ".")


def force_included(path: str | None, config: Config) -> bool:
    """Whether a build copies the module's folder into a package, or the module is such a copy.

    Read from hatch's `force-include` tables of the nearest `pyproject.toml` that has them (airflow builds
    `shared/.../airflow_shared/logging` into `src/airflow/_shared/logging`): the same code runs under several
    package names.
    """
    if path is None:
        return False
    target = os.path.abspath(os.path.join(config.cwd, path))
    return target.startswith(_force_included_folders(os.path.dirname(target)))


@functools.lru_cache(maxsize=2048)
def _force_included_folders(folder: str) -> tuple[str, ...]:
    """The absolute folders that the nearest `force-include` tables at or above a folder copy from and to.

    Empty when no `pyproject.toml` above has any; each folder is looked at once.
    """
    pyproject = os.path.join(folder, "pyproject.toml")
    if os.path.isfile(pyproject):
        found = _read_pyproject(pyproject, "force-include")
        if isinstance(found, tuple):
            return tuple(os.path.normpath(os.path.join(folder, item)) + os.sep for item in found)
    parent = os.path.dirname(folder)
    return () if parent == folder else _force_included_folders(parent)


def pydantic_major(path: str | None, config: Config) -> int | None:
    """1 when the project of a module keeps pydantic below 2 in its nearest pyproject.toml, else `None`."""
    found = _nearest(_folder_of(path, config), "pydantic")
    return found if isinstance(found, int) else None


def target_version(path: str | None, config: Config) -> tuple[int, int]:
    """The Python version a module targets: the option, else its nearest pyproject.toml, else this Python."""
    if config.target_version is not None:
        return config.target_version
    found = _nearest(_folder_of(path, config), "version")
    return found if isinstance(found, tuple) else (sys.version_info.major, sys.version_info.minor)


def asyncio_mode_from_options(options: dict[str, object]) -> str | None:
    """pytest-asyncio's mode from one pytest configuration's options, or `None` when they do not set it.

    `asyncio_mode`, else `--asyncio-mode` in `addopts`; `trio_mode = true` (pytest-trio then runs every
    async test) and a plugin that runs coroutine tests loaded by `-p` in `addopts` (`-p aiohttp.pytest_plugin`)
    count as `auto`.
    """
    mode = options.get("asyncio_mode")
    addopts = options.get("addopts")
    text = " ".join(str(item) for item in addopts) if isinstance(addopts, list) else str(addopts or "")
    if any(plugin in ASYNCIO_MODE_COROUTINE_PLUGINS for plugin in ASYNCIO_MODE_PLUGIN_OPTION_RE.findall(text)):
        return "auto"
    if isinstance(mode, str) and mode.strip():
        return mode.strip().lower()
    if found := ASYNCIO_MODE_OPTION_RE.search(text):
        return found.group(1).lower()
    trio = options.get("trio_mode")
    if trio is True or (isinstance(trio, str) and trio.strip().lower() in {"true", "1", "yes", "on"}):
        return "auto"
    return None


def pytest_options_in(folder: Path) -> dict[str, object] | None:
    """The options of the configuration file pytest would use in this folder, or `None` if it has none.

    pytest takes, per folder, `pytest.ini` or `.pytest.ini` (even without a `[pytest]` section), then a
    `pyproject.toml` with `[tool.pytest.ini_options]` (or pytest 9's `[tool.pytest]`), then `tox.ini` with
    `[pytest]`, then `setup.cfg` with `[tool:pytest]`. An unreadable file is passed over.
    """
    for name, section in PYTEST_FILES:
        text = _read_text(folder / name)
        if text is None:
            continue
        options = _pyproject_pytest_options(text) if name == "pyproject.toml" else _ini_options(text, section)
        if options is not None:
            return options
        if name in {"pytest.ini", ".pytest.ini"}:
            return {}
    return None


def _read_text(path: Path) -> str | None:
    """A file's text, or `None` when it is missing or unreadable."""
    try:
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
    except OSError:
        return None


def _ini_options(text: str, section: str) -> dict[str, object] | None:
    import configparser  # noqa: PLC0415 - only where a setup.cfg is read

    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    return dict(parser.items(section)) if parser.has_section(section) else None


def _pyproject_pytest_options(text: str) -> dict[str, object] | None:
    data = _toml(text)
    pytest = _tool_table(data, "pytest") if data is not None else None
    if pytest is None:
        return None
    options = pytest.get("ini_options")
    return options if isinstance(options, dict) else pytest


#: pytest plugins that run every coroutine test without a mark: aiohttp's, and those the catalogue names for
#: anyio and pytest-trio. A project loading one (`pytest_plugins` in a `conftest.py`, or `-p` in `addopts`)
#: runs its async tests another way than pytest-asyncio's marks.
ASYNCIO_MODE_COROUTINE_PLUGINS = frozenset(
    {"aiohttp.pytest_plugin", "pytest_aiohttp", "pytest_aiohttp.plugin", "anyio", "anyio.pytest_plugin", "pytest_trio"}
)
ASYNCIO_MODE_PLUGIN_OPTION_RE = re.compile(r"(?:^|\s)-p\s*([\w.]+)")


def asyncio_mode_plugins(source: str) -> frozenset[str]:
    """The plugins a module's source loads by a module-level `pytest_plugins = ...`.

    The value is a string, or a list, tuple or set of strings (`+=` too). Unparseable source loads nothing.
    """
    if "pytest_plugins" not in source:
        return frozenset()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return frozenset()
    found: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign | ast.AugAssign):
            targets, value = [statement.target], statement.value
        else:
            continue
        if value is None or not any(isinstance(item, ast.Name) and item.id == "pytest_plugins" for item in targets):
            continue
        items = value.elts if isinstance(value, ast.List | ast.Tuple | ast.Set) else [value]
        found.update(item.value for item in items if isinstance(item, ast.Constant) and isinstance(item.value, str))
    return frozenset(found)


@functools.lru_cache(maxsize=1024)
def _asyncio_mode_conftest(folder: str) -> bool:
    """Whether the folder's `conftest.py` loads a plugin that runs coroutine tests."""
    text = _read_text(Path(folder) / "conftest.py")
    return text is not None and not asyncio_mode_plugins(text).isdisjoint(ASYNCIO_MODE_COROUTINE_PLUGINS)


@functools.lru_cache(maxsize=1024)
def _asyncio_mode_for_folder(folder: str) -> str | None:
    """The mode for a folder: `auto` when a `conftest.py` loads a plugin that runs coroutine tests.

    The `conftest.py` files read are those from here up to pytest's configuration folder (the rootdir, whose
    own `conftest.py` counts); else the mode is the configuration's.
    """
    here = Path(folder)
    for candidate in (here, *here.parents):
        if _asyncio_mode_conftest(str(candidate)):
            return "auto"
        options = pytest_options_in(candidate)
        if options is not None:
            return asyncio_mode_from_options(options)
    return None


def asyncio_mode(path: str | None, config: Config) -> str:
    """pytest-asyncio's mode for a module: `auto` or `strict`.

    `hr-asyncio-mode` when set, else the nearest pytest configuration's (pytest's own search: the first
    folder upwards with a pytest configuration file decides), else `strict`, pytest-asyncio's default.
    """
    if config.asyncio_mode:
        return config.asyncio_mode
    folder = os.path.dirname(os.path.join(config.cwd, path)) if path is not None else config.cwd
    return _asyncio_mode_for_folder(os.path.abspath(folder or ".")) or "strict"


def coverage_excludes_from_options(options: dict[str, object]) -> tuple[str, ...]:
    """The line patterns a coverage `[report]` section excludes: `exclude_lines` and `exclude_also`."""
    found: list[str] = []
    for key in ("exclude_lines", "exclude_also"):
        value = options.get(key)
        items = value if isinstance(value, list) else str(value or "").splitlines()
        found.extend(str(item).strip() for item in items if str(item).strip())
    return tuple(found)


def coverage_options_in(folder: Path) -> dict[str, object] | None:
    """The `[report]` options of the coverage configuration file in this folder, or `None` if it has none.

    coverage.py reads `.coveragerc` (`[report]`, even when missing), else `.coveragerc.toml` (coverage 7.13:
    `[report]` or `[tool.coverage.report]`, even when missing), else `setup.cfg` or `tox.ini` with
    `[coverage:report]`, else `pyproject.toml` with `[tool.coverage.report]`.
    """
    for name, section in COVERAGE_FILES:
        text = _read_text(folder / name)
        if text is None:
            continue
        if name == "pyproject.toml":
            options = _pyproject_table(text, ("tool", "coverage", "report"))
        elif name == ".coveragerc.toml":
            options = _pyproject_table(text, (section,)) or _pyproject_table(text, ("tool", "coverage", section))
        else:
            options = _ini_options(text, section)
        if options is not None:
            return options
        if name.startswith(".coveragerc"):
            return {}  # coverage.py's own file: used whatever it holds
    return None


def _pyproject_table(text: str, keys: tuple[str, ...]) -> dict[str, object] | None:
    try:
        table: object = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    for key in keys:
        table = table.get(key) if isinstance(table, dict) else None
    return table if isinstance(table, dict) else None


@functools.lru_cache(maxsize=1024)
def _coverage_excludes_for_folder(folder: str) -> tuple[re.Pattern[str], ...]:
    here = Path(folder)
    for candidate in (here, *here.parents):
        options = coverage_options_in(candidate)
        if options is not None:
            found = []
            for pattern in coverage_excludes_from_options(options):
                with contextlib.suppress(re.error):  # coverage.py itself rejects a bad pattern; it excludes nothing
                    found.append(re.compile(pattern))
            return tuple(found)
    return ()


def coverage_excludes(path: str | None, config: Config) -> tuple[re.Pattern[str], ...]:
    """The line patterns the nearest coverage configuration excludes (searching upwards from the module)."""
    folder = os.path.dirname(os.path.join(config.cwd, path)) if path is not None else config.cwd
    return _coverage_excludes_for_folder(os.path.abspath(folder or "."))
