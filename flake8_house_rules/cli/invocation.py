"""One run's settings, resolved once from the command line and the project, and handed down.

`Invocation.from_args` reads the parsed flags into typed fields (`Overrides` for what bears on the
configuration, plain fields for discovery and output) and locates the project. What costs time is built on
first need and then kept: the validated `Settings` (it loads the rules, which a run served by the cache
never needs), the rule registry, the exclusion matcher, the cache folder and the configuration fingerprint.
Discovery, the cache, the linter and the renderers read these; none goes back to the raw flags.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from flake8_house_rules.cli.settings import Overrides, Project
from flake8_house_rules.config import OPTIONS, PYPROJECT_TABLE, ConfigError

if TYPE_CHECKING:
    import argparse

    from flake8_house_rules.cli.discover import PathMatcher
    from flake8_house_rules.cli.settings import Settings
    from flake8_house_rules.rule import Rule


def overrides_of(args: argparse.Namespace) -> Overrides:
    """What the flags say about the configuration."""

    def joined(values: list[list[str]] | None) -> tuple[str, ...] | None:
        return None if values is None else tuple(item for group in values for item in group)

    values = {spec.name: getattr(args, f"hr_option_{spec.dest}", None) for spec in OPTIONS}
    if values.get("hr-target-version") is None:
        values["hr-target-version"] = getattr(args, "target_version", None)  # ruff's spelling, `py312`
    options = tuple(
        (spec.name, os.path.abspath(value) if spec.kind == "path" and value else value)  # a path: from here
        for spec in OPTIONS
        if (value := values[spec.name]) is not None
    )
    ignore = (*(joined(getattr(args, "ignore", [])) or ()), *(joined(getattr(args, "extend_ignore", [])) or ()))
    return Overrides(
        select=joined(getattr(args, "select", None)),
        extend_select=joined(getattr(args, "extend_select", [])) or (),
        ignore=ignore,
        exclude=joined(getattr(args, "exclude", None)),
        extend_exclude=joined(getattr(args, "extend_exclude", [])) or (),
        options=options,
    )


@dataclass(frozen=True, slots=True)
class Output:
    """How a run reports: the format and the flags around it."""

    format: str = "full"
    statistics: bool = False
    quiet: bool = False
    verbose: bool = False
    exit_zero: bool = False
    baseline: str | None = None
    strict_baseline: bool = False
    output_file: str | None = None
    allow_unparseable: bool = False


@dataclass(frozen=True, slots=True)
class Files:
    """Which files a run reads, and how."""

    paths: tuple[str, ...] = ()
    stdin_filename: str | None = None
    respect_gitignore: bool = True
    force_exclude: bool = False
    no_cache: bool = False
    cache_dir: str | None = None
    jobs: int | None = None

    @property
    def reads_stdin(self) -> bool:
        """Whether the run lints standard input (`-`, or a `--stdin-filename`)."""
        return self.stdin_filename is not None or self.paths == ("-",)


def _project(config: str | None, cwd: str) -> Project:
    """The project of `--config FILE` (a `pyproject.toml`: its folder is the root), else the one `cwd` is in."""
    if config is None:
        return Project.locate(cwd)
    path = os.path.abspath(config)
    if os.path.basename(path) != "pyproject.toml":
        msg = f"option '--config' has a bad value {config!r}: name a pyproject.toml (its [tool.{PYPROJECT_TABLE}])"
        raise ConfigError(msg)
    if not os.path.isfile(path):
        msg = f"option '--config' has a bad value {config!r}: no such file"
        raise ConfigError(msg)
    return Project.locate(os.path.dirname(path))


@dataclass
class Invocation:
    """A subcommand's run: where it runs, its flags, and what they resolve to (each part built once)."""

    project: Project
    overrides: Overrides
    files: Files = field(default_factory=Files)
    output: Output = field(default_factory=Output)
    cwd: str = field(default_factory=os.getcwd)
    extra: dict[str, object] = field(default_factory=dict)  # a subcommand's own flags (`rule CODE`, `-o FILE`)

    @classmethod
    def from_args(cls, args: argparse.Namespace, cwd: str | None = None) -> Invocation:
        """The run the parsed flags describe, in the project at (or above) `cwd`."""
        cwd = cwd or os.getcwd()
        files = Files(
            paths=tuple(getattr(args, "paths", None) or ()),
            stdin_filename=getattr(args, "stdin_filename", None),
            respect_gitignore=not getattr(args, "no_respect_gitignore", False),
            force_exclude=getattr(args, "force_exclude", False),
            no_cache=getattr(args, "no_cache", False),
            cache_dir=getattr(args, "cache_dir", None),
            jobs=getattr(args, "jobs", None),
        )
        output = Output(
            format=getattr(args, "output_format", "full"),
            statistics=getattr(args, "statistics", False),
            quiet=getattr(args, "quiet", False),
            verbose=getattr(args, "verbose", False),
            exit_zero=getattr(args, "exit_zero", False),
            baseline=getattr(args, "baseline", None),
            strict_baseline=getattr(args, "strict_baseline", False),
            output_file=getattr(args, "output_file", None),
            allow_unparseable=getattr(args, "allow_unparseable", False),
        )
        known = {*Files.__dataclass_fields__, *Output.__dataclass_fields__, "command", "output_format", "config"}
        known |= {"no_respect_gitignore", "select", "extend_select", "ignore", "exclude", "extend_exclude"}
        known |= {"extend_ignore", "target_version"}
        extra = {
            name: value for name, value in vars(args).items() if name not in known and not name.startswith("hr_option_")
        }
        return cls(_project(getattr(args, "config", None), cwd), overrides_of(args), files, output, cwd, extra)

    @cached_property
    def repository(self) -> str | None:
        """The root of the git work tree holding the project (else the working directory), if any."""
        from flake8_house_rules.cli.discover import git_root  # noqa: PLC0415 - only the formats that need it

        return git_root(self.project.root) or git_root(self.cwd)

    @cached_property
    def settings(self) -> Settings:
        """The validated configuration (loads the rules: a run served by the cache never asks)."""
        from flake8_house_rules.rule import load_rules  # noqa: PLC0415 - a run served by the cache needs no rules

        return self.project.resolve(self.overrides, load_rules())

    @property
    def resolved(self) -> bool:
        """Whether `settings` has been built."""
        return "settings" in self.__dict__

    @cached_property
    def registry(self) -> dict[str, type[Rule]]:
        """Every rule of this configuration by code: the pack's, and the project's pattern rules (HR9xx)."""
        from flake8_house_rules.patterns import all_rules  # noqa: PLC0415 - only formats that name rules load them
        from flake8_house_rules.rule import load_rules  # noqa: PLC0415 - only formats that name rules load them

        if not self.project.declares_patterns(self.overrides):
            return load_rules()
        return all_rules(self.settings.config)

    @cached_property
    def exclusions(self) -> PathMatcher:
        """The exclusion matcher of this project and these flags."""
        return self.project.exclusions(self.overrides)

    @cached_property
    def fingerprint(self) -> str:
        """The digest of everything a file's result depends on besides the file."""
        return self.project.fingerprint(self.overrides)

    @cached_property
    def cache_folder(self) -> str:
        """The cache folder: `--cache-dir`, else `HOUSE_RULES_CACHE_DIR`, else `.house_rules_cache` at the root."""
        from flake8_house_rules.cli.cache import CACHE_DIR_NAME  # noqa: PLC0415 - light, but only where cached

        folder = (
            self.files.cache_dir
            or os.environ.get("HOUSE_RULES_CACHE_DIR")  # noqa: HR401 - a command line tool has no settings class
            or os.path.join(self.project.root, CACHE_DIR_NAME)
        )
        return os.path.abspath(folder)
