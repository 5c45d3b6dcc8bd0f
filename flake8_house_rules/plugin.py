"""The flake8 face of the pack: options, their validation, and one `run` per file.

flake8 loads this class through the `flake8.extension` entry point (`HR = flake8_house_rules.plugin:Plugin`).
Importing it stays light: the rule modules are imported when options are parsed, not when flake8 starts.

Each file is linted under the configuration of its own project: the nearest `pyproject.toml` at or above
the file with a `[tool.flake8-house-rules]` table (a file under no such table: the one found from the
working directory). flake8's own values (its command line and its configuration file) win over every
project's table. One `Config` and one `Engine` per project root, built once per process; the projects under
the paths flake8 is given are found and validated before any file is linted, so that a bad table stops the
run with one line and exit status 2 even when flake8 lints in several processes.
"""

from __future__ import annotations

import argparse
import fnmatch
import multiprocessing
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from flake8_house_rules import __version__
from flake8_house_rules.config import OPTIONS, Config, ConfigError, build_config, flake8_file_options
from flake8_house_rules.sources import (
    Flake8File,
    Table,
    find_flake8_file,
    find_pyproject,
    find_table,
    read_flake8_file,
    table_in,
)

if TYPE_CHECKING:
    import ast
    from collections.abc import Iterable, Iterator

    from flake8.options.manager import OptionManager

    from flake8_house_rules.engine import Engine
    from flake8_house_rules.rule import Rule

STDIN_NAMES = frozenset({"", "-", "stdin", "<stdin>"})
#: Folders never searched for project tables below a path flake8 is given (flake8 does not lint them either).
DEFAULT_EXCLUDE = (".svn", "CVS", ".bzr", ".hg", ".git", "__pycache__", ".tox", ".nox", ".eggs", "*.egg")


def _fail(message: str) -> SystemExit:
    sys.stderr.write(f"flake8-house-rules: error: {message}\n")
    return SystemExit(2)


def _flake8_files(options: argparse.Namespace) -> list[Flake8File]:
    """flake8's configuration files for this run, in the order flake8 reads them (a later one wins)."""
    if getattr(options, "isolated", False):
        return []
    explicit = getattr(options, "config", None)
    first = read_flake8_file(Path(explicit)) if explicit else find_flake8_file(os.getcwd())
    extra = [read_flake8_file(Path(path)) for path in getattr(options, "append_config", None) or ()]
    return [found for found in (first, *extra) if found is not None]


def _flake8_values(options: argparse.Namespace) -> tuple[dict[str, object], dict[str, str]]:
    """The `--hr-*` values flake8 parsed, and where each came from when a configuration file gave it.

    flake8 hands a plugin the merged values only; a value equal to the one a configuration file sets, and
    not named on the command line, is that file's (a relative `hr-pattern-file` is then from its folder).
    """
    values: dict[str, object] = {spec.name: getattr(options, spec.dest, None) for spec in OPTIONS}
    origins: dict[str, str] = {}
    argv = " ".join(sys.argv[1:])
    files = _flake8_files(options)
    for found in reversed(files):  # the last file that sets an option is the one flake8 took it from
        for name, (resolved, where) in flake8_file_options(found).items():
            value = values.get(name)
            if name in origins or value is None or f"--{name}" in argv or str(value) != found.values[name]:
                continue
            values[name], origins[name] = resolved, where
    pattern_file = values.get("hr-pattern-file")
    if isinstance(pattern_file, str) and pattern_file.strip() and "hr-pattern-file" not in origins:
        values["hr-pattern-file"] = os.path.abspath(pattern_file.strip())  # from the working directory
    return values, origins


@dataclass(slots=True)
class Projects:
    """Every project configuration of one flake8 run: a `Config` per project root, an `Engine` per process."""

    values: dict[str, object]
    origins: dict[str, str]
    registry: dict[str, type[Rule]]
    default_table: Table | None
    #: The root of the files under no table: the working directory's project (see `default_root`).
    default_root: str = field(default_factory=os.getcwd)
    cwd: str = field(default_factory=os.getcwd)
    configs: dict[Path | None, Config] = field(default_factory=dict)
    engines: dict[Path | None, Engine] = field(default_factory=dict)
    folders: dict[str, Table | None] = field(default_factory=dict)

    def config_for(self, table: Table | None) -> Config:
        """The validated configuration of the project a table configures (`None`: the working directory's)."""
        key = table.path if table is not None else None
        if key not in self.configs:
            root = table.root if table is not None else self.default_root
            self.configs[key] = build_config(
                self.values,
                frozenset(self.registry),
                cwd=root,
                origins=self.origins,
                table=table if table is not None else self.default_table,
            )
        return self.configs[key]

    def table_of(self, folder: str) -> Table | None:
        """The table that configures the files of a folder (`None`: the working directory's is used)."""
        if folder not in self.folders:
            self.folders[folder] = find_table(folder)
        return self.folders[folder]

    def discover(self, paths: Iterable[str], exclude: Iterable[str]) -> None:
        """Validate the configuration of every project under or above the paths flake8 lints."""
        patterns = tuple(exclude)
        self.config_for(None)
        for given in paths:
            path = os.path.abspath(given)
            folder = path if os.path.isdir(path) else os.path.dirname(path)
            self.config_for(self.table_of(folder))
            if not os.path.isdir(path):
                continue
            for here, dirs, files in os.walk(path):
                dirs[:] = [name for name in dirs if not _excluded(os.path.join(here, name), patterns)]
                if "pyproject.toml" in files and (table := table_in(here)) is not None:
                    self.folders[here] = table
                    self.config_for(table)

    def engine_for(self, filename: str) -> tuple[Engine, str]:
        """The engine of the file's project, and the name to hand it (absolute when the root is elsewhere)."""
        if filename.strip() in STDIN_NAMES:
            table, name = None, filename
        else:
            name = os.path.abspath(filename)
            table = self.table_of(os.path.dirname(name))
        key = table.path if table is not None else None
        if key not in self.engines:
            from flake8_house_rules.engine import Engine  # noqa: PLC0415 - rules load after flake8 starts
            from flake8_house_rules.patterns import all_rules  # noqa: PLC0415 - rules load after flake8 starts

            config = self.config_for(table)
            self.engines[key] = Engine(config, all_rules(config).values())  # built-in rules and the project's HR9xx
        engine = self.engines[key]
        if engine.config.cwd == self.cwd:
            return engine, filename  # relative to the working directory, as flake8 gave it
        return engine, name


def default_root(cwd: str, flake8_files: list[Flake8File]) -> str:
    """The root of files under no table: the nearer of `pyproject.toml` and flake8's file above `cwd`.

    So that `scripts/*` means the same from a subfolder; with neither, the working directory.
    """
    folders = [str(found.path.parent) for found in flake8_files[:1] if found.path is not None]
    pyproject = find_pyproject(cwd)
    if pyproject is not None:
        folders.append(str(pyproject.parent))
    return max(folders, key=len, default=cwd)


def _excluded(path: str, patterns: tuple[str, ...]) -> bool:
    """Whether flake8 would exclude a folder: a pattern matches its name or its absolute path."""
    name = os.path.basename(path)
    return any(fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(path, pattern) for pattern in patterns)


class Plugin:
    """The flake8 plugin: lints one module with every enabled HR rule of its project's configuration."""

    name = "flake8-house-rules"
    version = __version__
    _projects: ClassVar[Projects | None] = None

    def __init__(self, tree: ast.AST, filename: str, lines: list[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, option_manager: OptionManager) -> None:
        """Register the `--hr-*` options; each is also read from flake8's config files."""
        for spec in OPTIONS:
            default = f" Default: {spec.default}." if spec.default else ""
            option_manager.add_option(
                f"--{spec.name}",
                default=None,
                parse_from_config=True,
                metavar=spec.kind.upper().rstrip("S") if spec.kind != "choice" else "|".join(spec.choices),
                help=f"[house-rules] {spec.help}{default}".replace("%", "%%"),
            )

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        """Validate every project's configuration once per run; a bad value: one line and exit status 2."""
        from flake8_house_rules.rule import load_rules  # noqa: PLC0415 - rules load after flake8 starts

        try:
            values, origins = _flake8_values(options)
            cwd = os.getcwd()
            root = default_root(cwd, _flake8_files(options))
            projects = Projects(values, origins, load_rules(), find_table(cwd), root)
            paths = list(getattr(options, "filenames", None) or ["."])
            display = getattr(options, "stdin_display_name", None) or "stdin"
            paths = [display if path == "-" else path for path in paths if path != "-" or display not in STDIN_NAMES]
            exclude = getattr(options, "exclude", None) or DEFAULT_EXCLUDE
            exclude = [*exclude, *(getattr(options, "extend_exclude", None) or ())]
            projects.discover(paths, exclude)
        except ConfigError as exc:
            raise _fail(str(exc)) from None
        cls._projects = projects

    def run(self) -> Iterator[tuple[int, int, str, type[Plugin]]]:
        """Yield flake8's `(line, column, message, type)` for each violation in the module."""
        if type(self)._projects is None:
            type(self).parse_options(argparse.Namespace())
        projects = type(self)._projects
        if projects is None:
            return
        try:
            engine, name = projects.engine_for(self.filename)
        except ConfigError as exc:
            if multiprocessing.parent_process() is None:
                raise _fail(str(exc)) from None
            # a worker cannot stop the run; a violation makes it fail (a table the discovery did not see)
            yield 1, 0, f"HR000 flake8-house-rules configuration error: {exc}", type(self)
            return
        for violation in engine.lint(self.tree, self.lines, name):
            yield violation.line, violation.col, violation.text, type(self)
