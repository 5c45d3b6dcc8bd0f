"""`house-rules check [PATHS]`: lint; exit 0 clean, 1 violations, 2 error."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from flake8_house_rules.cli.common import PROG, UsageError
from flake8_house_rules.cli.output import FORMATS, Report
from flake8_house_rules.cli.parser import add_configuration, add_discovery
from flake8_house_rules.cli.results import decode, relative_to, split_lines
from flake8_house_rules.cli.run import discover, finish, key_of, lint_all, report_problems, reports_of

if TYPE_CHECKING:
    import argparse

    from flake8_house_rules.cli.invocation import Invocation

HELP = "lint files (default: the current folder)"


def arguments(parser: argparse.ArgumentParser) -> None:
    """The flags of `check`."""
    add_discovery(parser)
    add_configuration(parser)
    out = parser.add_argument_group("output")
    out.add_argument("--output-format", choices=FORMATS, default="full", help="default: full")
    out.add_argument("--statistics", action="store_true", help="print counts per code instead of each violation")
    out.add_argument("--baseline", metavar="FILE", help="report only violations not recorded in this baseline file")
    out.add_argument(
        "--stdin-filename", metavar="PATH", help="lint stdin as the file at PATH (roles, per-file options)"
    )
    out.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are violations")
    out.add_argument("--quiet", "-q", action="store_true", help="no summary line and no warnings")


def _check_stdin(invocation: Invocation) -> int:
    from flake8_house_rules.cli.discover import Discovery  # noqa: PLC0415 - as in `discover`
    from flake8_house_rules.cli.lint import Linter  # noqa: PLC0415 - as in `lint_all`

    project = invocation.project
    name = invocation.files.stdin_filename
    path = os.path.abspath(name) if name else None
    if path is not None and invocation.files.force_exclude:
        discovery = Discovery(project.root, invocation.exclusions, force_exclude=True)
        if discovery.is_excluded(path):
            return 0
    settings = invocation.settings
    data = sys.stdin.buffer.read()
    display = relative_to(path, invocation.cwd) if path else "-"
    result = Linter(settings).lint_bytes(data, path, display)
    key = key_of(path, project.root) if path else "-"
    failed = report_problems({display: result}, settings.warnings, quiet=invocation.output.quiet)
    reports = sorted((Report(path, display, key, d) for d in result.diagnostics), key=Report.sort_key)
    buffers = {path or display: split_lines(decode(data))}
    return finish(invocation, reports, failed=failed, buffers=buffers)


def run(invocation: Invocation) -> int:
    """`house-rules check`."""
    if invocation.files.reads_stdin:
        return _check_stdin(invocation)
    baseline = invocation.output.baseline
    if baseline and not os.path.isfile(baseline):
        msg = f"option '--baseline' has a bad value {baseline!r}: no such file (write one with `{PROG} baseline`)"
        raise UsageError(msg)
    files = discover(invocation)
    if not files:
        if not invocation.output.quiet:
            sys.stderr.write(f"{PROG}: warning: no Python files found under the given paths\n")
        _ = invocation.settings  # a bad configuration is still an error
        return 0
    results, warnings = lint_all(invocation, files)
    failed = report_problems(results, warnings, quiet=invocation.output.quiet)
    return finish(invocation, reports_of(results, invocation), failed=failed, buffers={})
