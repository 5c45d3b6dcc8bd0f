"""Where configuration lives: the project of a file, its `[tool.flake8-house-rules]` table, flake8's files.

A file's project, for configuration, is the folder of the nearest `pyproject.toml` at or above the file that
has a `[tool.flake8-house-rules]` table (ruff resolves the nearest `[tool.ruff]` the same way); a
`pyproject.toml` without the table is passed over, so a sub-package's own packaging file does not hide the
configuration above it. flake8's own configuration is the first `setup.cfg`, `tox.ini` or `.flake8` with a
`[flake8]` section, searching upwards from a folder as flake8 does from its working directory (not beyond
the home folder). Nothing here validates option values: `config.py` does, naming where each came from.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flake8_house_rules.errors import ConfigError

PYPROJECT_TABLE = "flake8-house-rules"
#: flake8's configuration files, in the order it tries them in one folder.
FLAKE8_FILES = ("setup.cfg", "tox.ini", ".flake8")
FLAKE8_SECTION = "flake8"


def split_list(value: object) -> list[str]:
    """Split a comma- or newline-separated string (or a TOML list) into stripped, non-empty items."""
    if isinstance(value, str):
        items: list[object] = re.split(r"[,\s]+", value)
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        return [str(value)]
    return [str(item).strip() for item in items if str(item).strip()]


def glob_problem(pattern: str) -> str | None:
    """What makes a path pattern unusable (an unclosed `[`), or `None`; fnmatch would take it literally."""
    index = 0
    while (index := pattern.find("[", index)) != -1:
        end = index + 1
        if end < len(pattern) and pattern[end] == "!":
            end += 1
        if end < len(pattern) and pattern[end] == "]":
            end += 1
        close = pattern.find("]", end)
        if close == -1:
            return "an unclosed '[' (write [[] for a literal '[')"
        index = close + 1
    return None


@dataclass(frozen=True, slots=True)
class Table:
    """A `[tool.flake8-house-rules]` table and the `pyproject.toml` that holds it (`path` is `None`: no file)."""

    path: Path | None
    values: dict[str, Any] = field(default_factory=dict)  # Any: raw TOML values, validated by their readers

    @property
    def root(self) -> str | None:
        """The folder of the `pyproject.toml`, the project's root; `None` without one."""
        return str(self.path.parent) if self.path is not None else None

    def where(self, key: str) -> str:
        """How messages name one of the table's keys: `key 'x' in [tool.flake8-house-rules] of /p/pyproject.toml`."""
        return f"key '{key}' in [tool.{PYPROJECT_TABLE}] of {self.path}"


@dataclass(frozen=True, slots=True)
class Flake8File:
    """The `[flake8]` section of one flake8 configuration file (`path` is `None`: none was found)."""

    path: Path | None
    values: dict[str, str] = field(default_factory=dict)  # option names as written, `_` made `-`

    def where(self, name: str) -> str:
        """How messages name one of its options: `option 'hr-x' in [flake8] of /p/setup.cfg`."""
        return f"option '{name}' in [{FLAKE8_SECTION}] of {self.path}"


def _pyproject_data(path: Path) -> dict[str, Any] | None:  # Any: TOML values of every type
    """A `pyproject.toml`'s tables; `None` when there is no such file; `ConfigError` when it cannot be read."""
    try:
        if not path.is_file():
            return None
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        msg = f"cannot read {path}: {exc.strerror or exc}"
        raise ConfigError(msg) from None
    except UnicodeDecodeError as exc:
        msg = f"cannot read {path}: {exc}"
        raise ConfigError(msg) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = f"cannot read {path}: {exc}"
        raise ConfigError(msg) from None


def _table_of(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:  # Any: raw TOML values
    """`[tool.flake8-house-rules]` of parsed pyproject data, `None` when it has none."""
    tool = data.get("tool")
    if not isinstance(tool, dict) or PYPROJECT_TABLE not in tool:
        return None
    table = tool[PYPROJECT_TABLE]
    if not isinstance(table, dict):
        msg = f"[tool.{PYPROJECT_TABLE}] in {path} must be a table, not {table!r}"
        raise ConfigError(msg)
    return table


@functools.lru_cache(maxsize=1024)
def _read_table(pyproject: str, stamp: tuple[int, int]) -> Table | None:
    """The table of one `pyproject.toml` (`None` when it has none); cached by the file's size and time."""
    del stamp  # part of the cache key only: an edited file is read again
    path = Path(pyproject)
    data = _pyproject_data(path)
    if data is None:
        return None
    table = _table_of(path, data)
    return None if table is None else Table(path, table)


def _stamp(path: str) -> tuple[int, int] | None:
    """A file's size and modification time, or `None` when it is not a readable file."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns) if os.path.isfile(path) else None


def table_in(folder: str) -> Table | None:
    """The table of `folder/pyproject.toml`, or `None` when the folder has no such file or it has no table."""
    pyproject = os.path.join(folder, "pyproject.toml")
    stamp = _stamp(pyproject)
    return _read_table(pyproject, stamp) if stamp is not None else None


def _ancestors(start: str) -> list[str]:
    """`start` (made absolute, not resolved: paths keep the spelling the user gave) and every folder above it."""
    here = os.path.abspath(start)
    folders = [here]
    while (parent := os.path.dirname(here)) != here:
        folders.append(parent)
        here = parent
    return folders


def find_table(start: str) -> Table | None:
    """The table of the nearest `pyproject.toml` at or above the folder `start` that has one."""
    for folder in _ancestors(start):
        found = table_in(folder)
        if found is not None:
            return found
    return None


def find_pyproject(start: str) -> Path | None:
    """The nearest `pyproject.toml` at or above `start`, with or without the table."""
    for folder in _ancestors(start):
        candidate = os.path.join(folder, "pyproject.toml")
        try:
            if os.path.isfile(candidate):
                return Path(candidate)
        except OSError:  # an unreadable folder on the way up holds no configuration we can use
            return None
    return None


def load_pyproject_table(start: str) -> tuple[Path | None, dict[str, Any]]:  # Any: TOML values of every type
    """The nearest `pyproject.toml` at or above `start` and its raw table (`{}` when it has none)."""
    path = find_pyproject(start)
    if path is None:
        return None, {}
    data = _pyproject_data(path)
    table = _table_of(path, data) if data is not None else None
    return path, table or {}


def read_flake8_file(path: Path) -> Flake8File | None:
    """The `[flake8]` section of one file, or `None` when the file has none or flake8 could not parse it."""
    import configparser  # noqa: PLC0415 - only where a setup.cfg, tox.ini or .flake8 is read

    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (UnicodeDecodeError, configparser.Error, OSError):
        return None  # flake8 passes over a file it cannot parse, with a warning of its own
    if not parser.has_section(FLAKE8_SECTION) and not parser.has_section("flake8:local-plugins"):
        return None
    values = {}
    if parser.has_section(FLAKE8_SECTION):
        values = {name.replace("_", "-"): value for name, value in parser.items(FLAKE8_SECTION)}
    return Flake8File(path, values)


def find_flake8_file(start: str) -> Flake8File | None:
    """flake8's configuration for a run from `start`: the first file with a `[flake8]` section, upwards.

    As flake8 searches: per folder `setup.cfg`, `tox.ini`, `.flake8`; from `start` up to the root, but not
    into the home folder itself.
    """
    home = os.path.abspath(os.path.expanduser("~"))
    for index, folder in enumerate(_ancestors(start)):
        if index and folder == home:
            break
        for name in FLAKE8_FILES:
            candidate = Path(folder, name)
            if candidate.is_file() and (found := read_flake8_file(candidate)) is not None:
                return found
    return None
