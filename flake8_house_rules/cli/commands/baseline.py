"""`house-rules baseline [PATHS]`: record today's violations; `check --baseline FILE` hides them."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from flake8_house_rules.cli.common import DEFAULT_BASELINE, PROG
from flake8_house_rules.cli.parser import add_configuration, add_discovery
from flake8_house_rules.cli.run import discover, lint_all, report_problems, reports_of

if TYPE_CHECKING:
    import argparse

    from flake8_house_rules.cli.invocation import Invocation

HELP = "write today's violations to a baseline file"


def arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of `baseline`."""
    add_discovery(parser)
    add_configuration(parser)
    parser.add_argument("--output", "-o", default=DEFAULT_BASELINE, metavar="FILE", help=f"default: {DEFAULT_BASELINE}")


def run(invocation: Invocation) -> int:
    """Write the current violations to a baseline file."""
    from flake8_house_rules.cli import baseline  # noqa: PLC0415 - only this command writes one

    target = str(invocation.extra["output"])
    files = discover(invocation)
    results, warnings = lint_all(invocation, files)
    failed = report_problems(results, warnings, quiet=False)
    reports = reports_of(results, invocation)
    with open(target, "w", encoding="utf-8") as out:
        out.write(baseline.render(reports))
    files_with = len({report.key for report in reports})
    sys.stdout.write(f"{PROG}: wrote {len(reports)} violations in {files_with} files to {target}\n")
    return 2 if failed else 0
