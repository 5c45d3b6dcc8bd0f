"""`house-rules baseline [PATHS]`: record today's violations; `check --baseline FILE` hides them."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from flake8_house_rules.cli.common import DEFAULT_BASELINE, PROG, UsageError
from flake8_house_rules.cli.parser import add_configuration, add_discovery
from flake8_house_rules.cli.results import PROBLEM_NAMES
from flake8_house_rules.cli.run import discover, lint_all, plural, report_problems, reports_of

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
    reports = [report for report in reports_of(results, invocation) if report.diagnostic.code not in PROBLEM_NAMES]
    try:
        with open(target, "w", encoding="utf-8") as out:
            out.write(baseline.render(reports))
    except OSError as exc:
        msg = f"cannot write {target}: {exc.strerror or exc}"
        raise UsageError(msg) from None
    files_with = len({report.key for report in reports})
    sys.stdout.write(f"{PROG}: wrote {plural(len(reports), 'violation')} in {plural(files_with, 'file')} to {target}\n")
    unchecked = [report for report in reports_of(results, invocation) if report.diagnostic.code in PROBLEM_NAMES]
    for report in unchecked:
        d = report.diagnostic
        sys.stderr.write(f"{PROG}: warning: cannot check {report.display}:{d.line}:{d.col + 1}: {d.message}\n")
    return 2 if failed else 1 if unchecked else 0
