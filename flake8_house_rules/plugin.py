"""The flake8 face of the pack: options, their validation, and one `run` per file.

flake8 loads this class through the `flake8.extension` entry point (`HR = flake8_house_rules.plugin:Plugin`).
Importing it stays light: the rule modules are imported when options are parsed, not when flake8 starts.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, ClassVar

from flake8_house_rules import __version__
from flake8_house_rules.config import OPTIONS, ConfigError, build_config

if TYPE_CHECKING:
    import ast
    from collections.abc import Iterator

    from flake8.options.manager import OptionManager

    from flake8_house_rules.engine import Engine


class Plugin:
    """The flake8 plugin: lints one module with every enabled HR rule."""

    name = "flake8-house-rules"
    version = __version__
    _engine: ClassVar[Engine | None] = None

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
        """Validate the options once per run; a bad value prints one line and exits with status 2."""
        from flake8_house_rules.engine import Engine  # noqa: PLC0415 - rules load after flake8 starts
        from flake8_house_rules.patterns import all_rules  # noqa: PLC0415 - rules load after flake8 starts
        from flake8_house_rules.rule import load_rules  # noqa: PLC0415 - rules load after flake8 starts

        rules = load_rules()
        values = {spec.name: getattr(options, spec.dest, None) for spec in OPTIONS}
        try:
            config = build_config(
                values,
                frozenset(rules),
                stdin_display_name=getattr(options, "stdin_display_name", None) or "stdin",
            )
        except ConfigError as exc:
            sys.stderr.write(f"flake8-house-rules: error: {exc}\n")
            raise SystemExit(2) from None
        cls._engine = Engine(config, all_rules(config).values())  # built-in rules and the project's HR9xx

    def run(self) -> Iterator[tuple[int, int, str, type[Plugin]]]:
        """Yield flake8's `(line, column, message, type)` for each violation in the module."""
        if type(self)._engine is None:
            type(self).parse_options(argparse.Namespace())
        engine = type(self)._engine
        if engine is None:
            return
        for violation in engine.lint(self.tree, self.lines, self.filename):
            yield violation.line, violation.col, violation.text, type(self)
