"""The command line: the top-level parser, and the argument groups the subcommands share.

Each subcommand is a module of `flake8_house_rules.cli.commands` with `HELP` (one line), `arguments(parser)`
(its flags) and `run(invocation) -> int`; `COMMANDS` names them, in the order `--help` lists them. Adding a
subcommand is one module and one entry here.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import TYPE_CHECKING, Any

from flake8_house_rules import __version__
from flake8_house_rules.cli.common import PROG, codes
from flake8_house_rules.config import OPTIONS

if TYPE_CHECKING:
    from types import ModuleType

#: Subcommand name -> its module under `flake8_house_rules.cli.commands`.
COMMANDS = {
    "check": "check",
    "baseline": "baseline",
    "rule": "rule",
    "rules": "rules",
    "clean": "clean",
    "server": "server",
}


def command_module(name: str) -> ModuleType:
    """The module of a subcommand, imported on first use (a `rule` run never imports the linter)."""
    return importlib.import_module(f"flake8_house_rules.cli.commands.{COMMANDS[name]}")


def add_configuration(parser: argparse.ArgumentParser) -> None:
    """Rule selection and the pack's `--hr-*` options."""
    group = parser.add_argument_group("rule selection (over [tool.flake8-house-rules] in pyproject.toml)")
    group.add_argument("--select", type=codes, action="append", metavar="CODES", help="only these codes or prefixes")
    group.add_argument("--extend-select", type=codes, action="append", default=[], metavar="CODES", help="also these")
    group.add_argument("--ignore", type=codes, action="append", default=[], metavar="CODES", help="not these")
    group.add_argument(
        "--extend-ignore", type=codes, action="append", default=[], metavar="CODES", help="not these either"
    )
    group.add_argument(
        "--config",
        metavar="FILE",
        help="read [tool.flake8-house-rules] of this pyproject.toml (its folder is the project root)",
    )
    group.add_argument(
        "--target-version", metavar="VERSION", help="the Python the code targets: py312 or 3.12 (--hr-target-version)"
    )
    options = parser.add_argument_group("options of the pack (as the flake8 plugin's; they win over pyproject.toml)")
    for spec in OPTIONS:
        options.add_argument(
            f"--{spec.name}", dest=f"hr_option_{spec.dest}", metavar="VALUE", help=spec.help.replace("%", "%%")
        )


def _jobs(text: str) -> int:
    """`--jobs`: a whole number, at least 1."""
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        msg = f"expected a whole number of at least 1, not {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def add_discovery(parser: argparse.ArgumentParser) -> None:
    """Paths, exclusions, the cache and the workers."""
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to lint (default: .); - reads stdin")
    group = parser.add_argument_group("files")
    group.add_argument("--exclude", type=codes, action="append", metavar="GLOBS", help="replace `exclude`")
    group.add_argument("--extend-exclude", type=codes, action="append", default=[], metavar="GLOBS", help="add to it")
    group.add_argument(
        "--force-exclude", action="store_true", help="apply exclusions to paths named on the command line too"
    )
    group.add_argument("--no-respect-gitignore", action="store_true", help="lint files .gitignore ignores too")
    group.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    group.add_argument(
        "--cache-dir", metavar="DIR", help="the cache folder (default: .house_rules_cache at the project root)"
    )
    group.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        metavar="N",
        help="at most N worker processes (default: as many as the work needs); never more than the files or cores",
    )
    group.add_argument("--verbose", "-v", action="store_true", help="say how many files were checked and how")


class Formatter(argparse.HelpFormatter):
    """argparse's help layout, as wide as argparse makes it, without importing `shutil` to measure the terminal.

    argparse builds a formatter for every argument it adds, and its own measures the terminal with
    `shutil.get_terminal_size`, whose import (with zlib, bz2 and lzma) is a tenth of a cached check's start-up.
    This one reads the width as that function does (`COLUMNS`, else the terminal of stdout, else 80).
    """

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
        **options: Any,  # Any: what a later argparse passes on (3.14's `color`)
    ) -> None:
        width = terminal_columns() - 2 if width is None else width
        super().__init__(prog, indent_increment, max_help_position, width, **options)


def terminal_columns() -> int:
    """The terminal's width in columns, as `shutil.get_terminal_size().columns` gives it."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))  # noqa: HR401 - the terminal's, read as the standard library does
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr] - caught
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


def build_parsers(command: str | None = None) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The command line and each subcommand's parser.

    With `command`, only that subcommand's arguments are set up (a faster start).
    """
    parser = argparse.ArgumentParser(
        prog=PROG, description="The house rules of flake8-house-rules, ruff-style.", formatter_class=Formatter
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND")
    parsers = {}
    for name in COMMANDS:
        if command in {None, name}:
            module = command_module(name)
            parsers[name] = subcommands.add_parser(
                name, help=module.HELP, description=module.HELP, formatter_class=Formatter
            )
            module.arguments(parsers[name])
        else:
            parsers[name] = subcommands.add_parser(name, formatter_class=Formatter)
    return parser, parsers


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line (see `build_parsers`)."""
    return build_parsers(command)[0]


def parse(argv: list[str]) -> argparse.Namespace:
    """The parsed command line; a flag the subcommand does not take is an error with that subcommand's usage."""
    command = next((item for item in argv if not item.startswith("-")), None)
    parser, parsers = build_parsers(command if command in COMMANDS else None)
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        owner = parsers.get(args.command) if args.command else None
        (owner or parser).error(f"unrecognized arguments: {' '.join(unknown)}")
    return args
