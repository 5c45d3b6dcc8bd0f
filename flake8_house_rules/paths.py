"""Module paths and roles, and the target Python version, whatever name the caller passes.

flake8 hands a plugin `stdin` (or the `--stdin-display-name` value) for an editor buffer, a path relative to
the working directory for files on disk, or sometimes an absolute path. `normalise_path` reduces each of
them to one form, a POSIX path relative to the working directory where possible; `stdin` with no display
name has no path, and so no role: unknown stays unknown, and no layer rule fires on a guess.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
import sys
import tomllib
from fnmatch import fnmatchcase
from pathlib import Path

from flake8_house_rules.config import Config, parse_version

STDIN_NAMES = frozenset({"", "-", "stdin", "<stdin>"})
ROLES = ("test", "settings", "store", "service", "router")
REQUIRES_RE = re.compile(r"(?:>=|~=|==|>)\s*3\.(\d+)")


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
    """Whether a normalised path matches any pattern; a pattern without '/' matches the file name only."""
    if path is None:
        return False
    rooted = "/" + path.lstrip("/")
    base = posixpath.basename(path)
    return any(fnmatchcase(rooted if "/" in pattern else base, pattern) for pattern in patterns)


def module_roles(path: str | None, config: Config) -> frozenset[str]:
    """The roles (`test`, `settings`, `store`, `service`, `router`) a module's path gives it."""
    table = {
        "test": config.test_modules,
        "settings": config.settings_modules,
        "store": config.store_modules,
        "service": config.service_modules,
        "router": config.router_modules,
    }
    return frozenset(role for role, patterns in table.items() if matches(path, patterns))


def version_from_pyproject(text: str) -> tuple[int, int] | None:
    """`[tool.ruff] target-version`, else the `[project] requires-python` lower bound, of a pyproject text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    tool = data.get("tool")
    ruff = tool.get("ruff") if isinstance(tool, dict) else None
    target = ruff.get("target-version") if isinstance(ruff, dict) else None
    if isinstance(target, str):
        try:
            return parse_version(target)
        except ValueError:
            pass
    project = data.get("project")
    requires = project.get("requires-python") if isinstance(project, dict) else None
    if isinstance(requires, str) and (found := REQUIRES_RE.findall(requires)):
        return (3, min(int(minor) for minor in found))
    return None


@functools.lru_cache(maxsize=1024)
def _version_for_folder(folder: str) -> tuple[int, int] | None:
    here = Path(folder)
    for candidate in (here, *here.parents):
        pyproject = candidate / "pyproject.toml"
        try:
            if pyproject.is_file():
                return version_from_pyproject(pyproject.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return None
    return None


def target_version(path: str | None, config: Config) -> tuple[int, int]:
    """The Python version a module targets: the option, else its nearest pyproject.toml, else this Python."""
    if config.target_version is not None:
        return config.target_version
    folder = os.path.dirname(os.path.join(config.cwd, path)) if path is not None else config.cwd
    found = _version_for_folder(os.path.abspath(folder or "."))
    return found or (sys.version_info.major, sys.version_info.minor)
