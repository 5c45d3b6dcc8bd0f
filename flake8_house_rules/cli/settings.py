"""The command's configuration: `[tool.flake8-house-rules]` of the nearest `pyproject.toml`, and the flags.

The `hr-*` options are the flake8 plugin's, read and validated by the same `build_config` (a `--hr-*` flag
wins over the table, as a flake8 option does). The keys only the command reads (`config.OWNED_KEYS`) are
validated here: `select`, `extend-select`, `ignore`, `extend-ignore`, `per-file-ignores`, `exclude` and
`extend-exclude`. A bad value raises `ConfigError` naming the key (or flag) and the value.

Selection works as ruff's: the selected set starts as every `HR` code; a layer (the table, then the flags)
with `select` starts again from its codes; within a layer, a more specific prefix wins (`select = ["HR1"]`
with `ignore = ["HR101"]` leaves HR101 out; `ignore = ["HR1"]` with `extend-select = ["HR101"]` keeps it),
and `ignore` wins a tie. A rule reports when it is selected and its tier is on: default-tier rules always,
opt-in rules when `enable` names them, exactly as in the flake8 plugin.
"""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flake8_house_rules import __version__
from flake8_house_rules.cli.discover import DEFAULT_EXCLUDE, PathMatcher
from flake8_house_rules.config import (
    CODE_PREFIX_RE,
    PYPROJECT_TABLE,
    Config,
    ConfigError,
    build_config,
    flake8_file_options,
    load_pyproject_table,
    split_list,
)
from flake8_house_rules.sources import Flake8File, Table, find_flake8_file, find_table, glob_problem, table_in
from flake8_house_rules.stamps import blake2b

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from flake8_house_rules.rule import Rule

PACKAGE_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class Overrides:
    """What the command line says about configuration; `None` where it says nothing."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    options: tuple[tuple[str, str], ...] = ()  # `--hr-*` values by option name
    origins: tuple[tuple[str, str], ...] = ()  # how messages name an option given under another flag


@dataclass(frozen=True, slots=True)
class PerFileIgnore:
    """One `per-file-ignores` entry: a path glob (negated with `!`) and the code prefixes it silences."""

    matcher: PathMatcher
    negated: bool
    codes: tuple[str, ...]

    def ignores(self, path: str, code: str) -> bool:
        """Whether this entry silences `code` in the file at absolute POSIX `path`."""
        return code.startswith(self.codes) and self.matcher.matches(path) != self.negated


@dataclass(frozen=True, slots=True)
class Settings:
    """A validated configuration: the `Config` the engine reads, the codes that report, per-file ignores."""

    config: Config
    codes: frozenset[str]
    per_file_ignores: tuple[PerFileIgnore, ...]
    warnings: tuple[str, ...]

    def rules(self, registry: Mapping[str, type[Rule]]) -> list[type[Rule]]:
        """The rule classes that report under this configuration."""
        return [rule for code, rule in registry.items() if code in self.codes]


def _where(key: str, path: Path | None) -> str:
    if path is None:
        return f"option '--{key}'"
    return f"key '{key}' in [tool.{PYPROJECT_TABLE}] of {path}"


def _strings(key: str, value: object, path: Path | None) -> tuple[str, ...]:
    """A TOML list of strings (or one comma-separated string) as a tuple of stripped items."""
    if isinstance(value, str) or (isinstance(value, list) and all(isinstance(item, str) for item in value)):
        return tuple(split_list(value)) if isinstance(value, str) else tuple(item.strip() for item in value)
    msg = f"{_where(key, path)} has a bad value {value!r}: expected a list of strings"
    raise ConfigError(msg)


def _globs(key: str, globs: Iterable[str], path: Path | None) -> tuple[str, ...]:
    """Path globs, each checked: one that leaves a `[` unclosed is an error (as ruff's)."""
    globs = tuple(globs)
    for glob in globs:
        if (problem := glob_problem(glob)) is not None:
            msg = f"{_where(key, path)} has a bad value {glob!r}: a path pattern with {problem}"
            raise ConfigError(msg)
    return globs


def _selectors(key: str, value: object, path: Path | None, known: frozenset[str]) -> tuple[str, ...]:
    """Code prefixes (`HR`, `HR1`, `HR101`) or `ALL`, each naming at least one rule."""
    items = tuple(item.upper() for item in _strings(key, value, path) if item)
    for item in items:
        if item != "ALL" and (not CODE_PREFIX_RE.match(item) or not any(code.startswith(item) for code in known)):
            msg = f"{_where(key, path)} has a bad value {item!r}: no HR rule has that code or prefix"
            raise ConfigError(msg)
    return items


def resolve_selection(
    layers: Iterable[tuple[tuple[str, ...] | None, tuple[str, ...], tuple[str, ...]]], known: Iterable[str]
) -> set[str]:
    """The selected codes after ruff's layering of `(select, extend_select, ignore)` triples."""
    codes = sorted(known)
    selected = set(codes)
    for select, extend_select, ignore in layers:
        base = set() if select is not None else selected
        decided: dict[str, bool] = {}
        updates = [(item, True) for item in (*(select or ()), *extend_select)] + [(item, False) for item in ignore]
        # less specific first, and at equal specificity `ignore` after `select`: the later update wins
        for item, keep in sorted(
            updates, key=lambda update: (0 if update[0] == "ALL" else len(update[0]), not update[1])
        ):
            prefix = "" if item == "ALL" else item
            for code in codes:
                if code.startswith(prefix):
                    decided[code] = keep
        selected = {code for code in codes if decided.get(code, code in base)}
    return selected


#: Other tools' configuration files that rules read beside `pyproject.toml` (HR803: pytest-asyncio's mode
#: and the plugins a `conftest.py` loads; HR804: coverage's exclusions); the cache's key includes those of
#: the project's folder.
TOOL_FILES = (
    "pytest.ini",
    ".pytest.ini",
    "tox.ini",
    "setup.cfg",
    ".coveragerc",
    ".coveragerc.toml",
    "conftest.py",
    "tests/conftest.py",
)


def _tool_file(path: str) -> bytes:
    """A tool configuration file's content, or nothing when it is missing or unreadable."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _read_bytes(path: Path | None) -> bytes:
    """A configuration file's bytes, for the fingerprint (`b""` without one, or when it cannot be read)."""
    try:
        return path.read_bytes() if path is not None else b""
    except OSError:
        return b""


@functools.lru_cache(maxsize=1)
def _code_stamp() -> str:
    """Sizes and times of the pack's own modules: a changed rule invalidates the cache, even unreleased."""
    parts = [__version__, f"{sys.version_info[0]}.{sys.version_info[1]}"]
    for folder, dirs, files in os.walk(PACKAGE_DIR):
        dirs[:] = sorted(name for name in dirs if name != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(folder, name))
                parts.append(
                    f"{os.path.relpath(os.path.join(folder, name), PACKAGE_DIR)}:{stat.st_size}:{stat.st_mtime_ns}"
                )
    return "\n".join(parts)


@dataclass(frozen=True, slots=True)
class Project:
    """A project: its root, its `pyproject.toml` and raw table, and flake8's configuration file found from it."""

    root: str
    pyproject: Path | None
    table: dict[str, Any]  # Any: raw TOML values, validated by `resolve`
    text: bytes
    #: The `[flake8]` configuration flake8 would read run from the root: its `hr-*` options sit under the table.
    flake8_file: Flake8File | None = None

    @classmethod
    def locate(cls, cwd: str) -> Project:
        """The project of the working directory: the nearest `[tool.flake8-house-rules]` at or above `cwd`.

        Without one, the nearest `pyproject.toml`'s folder is the root (else `cwd` is), with an empty table.
        """
        found = find_table(cwd)
        if found is not None:
            return cls.of_table(found)
        path, table = load_pyproject_table(cwd)
        root = str(path.parent) if path is not None else os.path.abspath(cwd)
        return cls(root, path, table, _read_bytes(path), find_flake8_file(root))

    @classmethod
    def of_pyproject(cls, path: Path) -> Project:
        """The project of one given `pyproject.toml` (`--config`), with or without the table; its folder is the root."""
        table = table_in(str(path.parent))
        return cls.of_table(table if table is not None else Table(path, {}))

    @classmethod
    def of_table(cls, table: Table) -> Project:
        """The project a `[tool.flake8-house-rules]` table configures; its folder is the root."""
        root = table.root or os.getcwd()
        return cls(root, table.path, table.values, _read_bytes(table.path), find_flake8_file(root))

    def fingerprint(self, overrides: Overrides) -> str:
        """A digest of everything a file's result depends on besides the file: pack, Python, configuration."""
        digest = blake2b(digest_size=16)
        selection = (overrides.select, overrides.extend_select, overrides.ignore, overrides.options)
        for part in (_code_stamp(), self.root, repr(selection)):
            digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(self.text)
        for name in TOOL_FILES:
            digest.update(b"\0" + _tool_file(os.path.join(self.root, name)))
        digest.update(b"\0" + self._pattern_file_text(overrides))
        if self.flake8_file is not None and self.flake8_file.path is not None:  # its `hr-*` options
            digest.update(b"\0" + str(self.flake8_file.path).encode("utf-8", "surrogateescape"))
            digest.update(b"\0" + _tool_file(str(self.flake8_file.path)))
        return digest.hexdigest()[:20]

    def declares_patterns(self, overrides: Overrides) -> bool:
        """Whether the configuration may declare pattern rules (HR9xx): then the rules depend on it."""
        return "patterns" in self.table or "pattern-file" in self.table or self._pattern_file_option(overrides)

    @staticmethod
    def _pattern_file_option(overrides: Overrides) -> bool:
        return any(name == "hr-pattern-file" for name, _ in overrides.options)

    def _pattern_file_text(self, overrides: Overrides) -> bytes:
        """The content of the pattern file the configuration names (`b""` without one): part of the fingerprint."""
        from flake8_house_rules.patterns.spec import pattern_file_path  # noqa: PLC0415 - light, but only here

        flag = next((value for name, value in overrides.options if name == "hr-pattern-file"), None)
        if flag is None and "pattern-file" not in self.table:  # then flake8's file may name it
            flag = flake8_file_options(self.flake8_file).get("hr-pattern-file", (None, ""))[0]
        path = pattern_file_path(self.root, flag, self.pyproject, self.table)
        try:
            return path.read_bytes() if path is not None else b""
        except OSError:
            return b"\1"  # unreadable: `resolve` reports it

    def exclusions(self, overrides: Overrides) -> PathMatcher:
        """The exclusion matcher: `exclude` (or ruff's defaults) plus `extend-exclude`, flags over table."""
        if overrides.exclude is not None:
            exclude, builtin = _globs("exclude", overrides.exclude, None), ()
        elif "exclude" in self.table:
            exclude, builtin = (
                _globs("exclude", _strings("exclude", self.table["exclude"], self.pyproject), self.pyproject),
                (),
            )
        else:
            exclude, builtin = (), DEFAULT_EXCLUDE
        extend = _strings("extend-exclude", self.table.get("extend-exclude", []), self.pyproject)
        extend = (
            *_globs("extend-exclude", extend, self.pyproject),
            *_globs("extend-exclude", overrides.extend_exclude, None),
        )
        return PathMatcher.build((*exclude, *extend), self.root, builtin=builtin)

    def resolve(self, overrides: Overrides, registry: Mapping[str, type[Rule]]) -> Settings:
        """Validate the whole configuration against the rule registry."""
        if overrides.select is not None and not overrides.select:
            msg = "option '--select' has a bad value '': expected codes or prefixes such as HR1 (or ALL)"
            raise ConfigError(msg)
        config = build_config(
            dict(overrides.options),
            frozenset(registry),
            cwd=self.root,
            origins=dict(overrides.origins),
            table=Table(self.pyproject, self.table) if self.pyproject is not None else None,
            fallback=flake8_file_options(self.flake8_file),
        )
        from flake8_house_rules.patterns import pattern_rules  # noqa: PLC0415 - light; only with a configuration

        registry = {**registry, **pattern_rules(config)}  # the project's HR9xx select and ignore as any code
        known = frozenset(registry)
        table, path = self.table, self.pyproject

        def selectors(key: str) -> tuple[str, ...]:
            return _selectors(key, table[key], path, known) if key in table else ()

        layers = [
            (
                selectors("select") if "select" in table else None,
                selectors("extend-select"),
                (*selectors("ignore"), *selectors("extend-ignore")),
            ),
            (
                _selectors("select", list(overrides.select), None, known) if overrides.select is not None else None,
                _selectors("extend-select", list(overrides.extend_select), None, known),
                _selectors("ignore", list(overrides.ignore), None, known),
            ),
        ]
        selected = resolve_selection(layers, known)
        codes = frozenset(code for code in selected if config.is_enabled(code, registry[code].tier))
        warnings = []
        for select, extend_select, _ in layers:
            for item in (*(select or ()), *extend_select):
                rule = registry.get(item)
                if rule is not None and item in selected and item not in codes:
                    warnings.append(f"{item} is opt-in: add it to `enable` (or `--hr-enable`) to report it")
        return Settings(config, codes, self._per_file_ignores(known), tuple(dict.fromkeys(warnings)))

    def _per_file_ignores(self, known: frozenset[str]) -> tuple[PerFileIgnore, ...]:
        value = self.table.get("per-file-ignores", {})
        if not isinstance(value, dict):
            msg = f"{_where('per-file-ignores', self.pyproject)} has a bad value {value!r}: expected a table"
            raise ConfigError(msg)
        entries = []
        for pattern, codes in value.items():
            negated = pattern.startswith("!")
            glob = pattern.removeprefix("!")
            prefixes = _selectors(f"per-file-ignores.{pattern}", codes, self.pyproject, known)
            prefixes = tuple("" if item == "ALL" else item for item in prefixes)
            _globs(f"per-file-ignores.{pattern}", [glob], self.pyproject)
            entries.append(PerFileIgnore(PathMatcher.build([glob], self.root), negated, prefixes))
        return tuple(entries)
