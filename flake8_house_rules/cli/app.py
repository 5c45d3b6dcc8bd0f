"""`main`: parse the command line, run the subcommand, and turn failures into one line and an exit status."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from flake8_house_rules.cli.common import PROG, UsageError
from flake8_house_rules.cli.invocation import Invocation
from flake8_house_rules.cli.parser import build_parser, command_module, parse
from flake8_house_rules.config import ConfigError

if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; the exit status: 0 clean, 1 violations, 2 usage, configuration or internal error."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse(argv)
    if args.command is None:
        build_parser().print_help(sys.stderr)
        return 2
    try:
        return command_module(args.command).run(Invocation.from_args(args))
    except (ConfigError, UsageError) as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `house-rules check | head`: the reader left; say nothing more
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that the interpreter's final flush has nowhere to fail
        return 1
