"""`house-rules check [PATHS]`: lint; exit 0 clean, 1 violations, 2 error."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from flake8_house_rules.cli import fix
from flake8_house_rules.cli.common import PROG, UsageError
from flake8_house_rules.cli.output import FORMATS, Report
from flake8_house_rules.cli.parser import add_configuration, add_discovery
from flake8_house_rules.cli.results import decode, relative_to, split_lines
from flake8_house_rules.cli.run import discover, finish, key_of, lint_all, report_problems, reports_of, write_report

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
    out.add_argument("--output-file", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    out.add_argument("--statistics", action="store_true", help="print counts per code instead of each violation")
    out.add_argument("--baseline", metavar="FILE", help="report only violations not recorded in this baseline file")
    out.add_argument(
        "--strict-baseline",
        action="store_true",
        help="with --baseline, also fail when baseline entries match no violation any more (so it only shrinks)",
    )
    out.add_argument(
        "--stdin-filename", metavar="PATH", help="lint stdin as the file at PATH (roles, per-file options)"
    )
    out.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are violations")
    out.add_argument(
        "--allow-unparseable",
        action="store_true",
        help="a file that cannot be read or parsed is a warning, not a violation (E902, E999) that fails the run",
    )
    out.add_argument("--quiet", "-q", action="store_true", help="no summary line, no warnings and no progress")
    fix.add_arguments(parser)
    show = parser.add_argument_group("inspection")
    show.add_argument("--show-settings", action="store_true", help="print the resolved settings and exit")
    show.add_argument("--show-files", action="store_true", help="print the files that would be checked and exit")


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
    settings = invocation.projects.settings(invocation.projects.project_of(path).root) if path else invocation.settings
    data = sys.stdin.buffer.read()
    display = relative_to(path, invocation.cwd) if path else "-"
    result = Linter(settings).lint_bytes(data, path, display)
    key = key_of(path, project.root) if path else "-"
    failed = report_problems({display: result}, settings.warnings, quiet=invocation.output.quiet)
    reports = sorted((Report(path, display, key, d) for d in result.diagnostics), key=Report.sort_key)
    buffers = {path or display: split_lines(decode(data))}
    return finish(invocation, reports, failed=failed, buffers=buffers, checked={key})


def run(invocation: Invocation) -> int:
    """`house-rules check`."""
    if invocation.output.quiet and invocation.output.verbose:
        msg = "the argument '--quiet' cannot be used with '--verbose'"
        raise UsageError(msg)
    if invocation.extra.get("show_settings"):
        write_report(invocation, show_settings(invocation))
        return 0
    fixes = fix.fix_settings(invocation)  # a bad `fix`/`fixable` key is an error in any run
    if invocation.files.reads_stdin:
        if fixes.applies:
            from flake8_house_rules.cli import fixing  # noqa: PLC0415 - only a fix run loads it

            return fixing.fix_stdin(invocation)
        return _check_stdin(invocation)
    baseline = invocation.output.baseline
    if baseline and not os.path.isfile(baseline):
        msg = f"option '--baseline' has a bad value {baseline!r}: no such file (write one with `{PROG} baseline`)"
        raise UsageError(msg)
    files = discover(invocation)
    if invocation.extra.get("show_files"):
        _ = invocation.settings  # a bad configuration is still an error
        write_report(invocation, "".join(relative_to(path, invocation.cwd) + "\n" for path in files))
        return 0
    if not files:
        if not invocation.output.quiet:
            sys.stderr.write(f"{PROG}: warning: no Python files found under the given paths\n")
        _ = invocation.settings  # a bad configuration is still an error
        return 0
    if fixes.applies:
        from flake8_house_rules.cli import fixing  # noqa: PLC0415 - only a fix run loads it

        return fixing.run(invocation, files)
    results, warnings = lint_all(invocation, files)
    failed = report_problems(results, warnings, quiet=invocation.output.quiet)
    checked = {key_of(path, invocation.project.root) for path in files}
    return finish(invocation, reports_of(results, invocation), failed=failed, buffers={}, checked=checked)


def show_settings(invocation: Invocation) -> str:
    """The settings a run resolves to, as `--show-settings` prints them: where they come from, then each value."""
    import dataclasses  # noqa: PLC0415 - only for --show-settings

    project, settings = invocation.project, invocation.settings
    lines = [
        f"Project root: {project.root}",
        f"Settings path: {project.pyproject or '(none: defaults)'}",
        f"Cache: {'(off)' if invocation.files.no_cache else invocation.cache_folder}",
        f"Selected codes ({len(settings.codes)}): {', '.join(sorted(settings.codes))}",
        f"Per-file ignores: {len(settings.per_file_ignores)}",
        "Options:",
    ]
    for item in dataclasses.fields(settings.config):
        if item.name in {"cwd", "stdin_display_name"}:
            continue
        value = getattr(settings.config, item.name)
        if item.name == "target_version" and value is None:
            from flake8_house_rules.paths import target_version  # noqa: PLC0415 - only for --show-settings

            found = target_version("__init__.py", settings.config)
            lines.append(f"  target-version = {found!r}  # at the project root; each file's nearest pyproject.toml")
            continue
        if item.name == "patterns":
            value = tuple(spec.code for spec in value)
        elif isinstance(value, frozenset | set):
            value = sorted(value)
        lines.append(f"  {item.name.replace('_', '-')} = {value!r}")
    return "\n".join(lines) + "\n"
