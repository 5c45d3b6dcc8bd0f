"""`house-rules`: the pack's rules as a ruff-style command, for teams that lint with ruff.

The command runs the same rules through the same `Engine`, with the same configuration, as the flake8 plugin:

    house-rules check [PATHS]           lint (default: the current folder); exit 0 clean, 1 violations, 2 error
    house-rules baseline [PATHS]        record today's violations; `check --baseline FILE` hides them
    house-rules rule HR210              one rule's documentation
    house-rules rules                   every rule, its tier and fix, and whether it is enabled here
    house-rules clean                   remove the cache folder

See `docs/cli.md` for discovery, configuration, selection, output formats, the cache and baselines.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import TYPE_CHECKING, TextIO

from flake8_house_rules import __version__
from flake8_house_rules.cli import output
from flake8_house_rules.cli.output import FORMATS, Report
from flake8_house_rules.cli.results import content_digest, decode, relative_to, split_lines
from flake8_house_rules.cli.settings import Overrides, Project, Settings
from flake8_house_rules.config import OPTIONS, ConfigError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from flake8_house_rules.cli.cache import Cache
    from flake8_house_rules.cli.results import FileResult
    from flake8_house_rules.rule import Rule

PROG = "house-rules"
DEFAULT_BASELINE = "house-rules-baseline.json"


class UsageError(Exception):
    """A command line or configuration the command cannot run with; exit status 2."""


def _codes(text: str) -> list[str]:
    return [item.strip() for item in text.replace(" ", ",").split(",") if item.strip()]


def _add_configuration(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("rule selection (over [tool.flake8-house-rules] in pyproject.toml)")
    group.add_argument("--select", type=_codes, action="append", metavar="CODES", help="only these codes or prefixes")
    group.add_argument("--extend-select", type=_codes, action="append", default=[], metavar="CODES", help="also these")
    group.add_argument("--ignore", type=_codes, action="append", default=[], metavar="CODES", help="not these")
    options = parser.add_argument_group("options of the pack (as the flake8 plugin's; they win over pyproject.toml)")
    for spec in OPTIONS:
        options.add_argument(
            f"--{spec.name}", dest=f"hr_option_{spec.dest}", metavar="VALUE", help=spec.help.replace("%", "%%")
        )


def _add_discovery(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to lint (default: .); - reads stdin")
    group = parser.add_argument_group("files")
    group.add_argument("--exclude", type=_codes, action="append", metavar="GLOBS", help="replace `exclude`")
    group.add_argument("--extend-exclude", type=_codes, action="append", default=[], metavar="GLOBS", help="add to it")
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
        type=int,
        metavar="N",
        help="worker processes (default: as many as the work needs, up to the cores)",
    )
    group.add_argument("--verbose", "-v", action="store_true", help="say how many files were checked and how")


def _check_arguments(check: argparse.ArgumentParser) -> None:
    _add_discovery(check)
    _add_configuration(check)
    out = check.add_argument_group("output")
    out.add_argument("--output-format", choices=FORMATS, default="full", help="default: full")
    out.add_argument("--statistics", action="store_true", help="print counts per code instead of each violation")
    out.add_argument("--baseline", metavar="FILE", help="report only violations not recorded in this baseline file")
    out.add_argument(
        "--stdin-filename", metavar="PATH", help="lint stdin as the file at PATH (roles, per-file options)"
    )
    out.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are violations")
    out.add_argument("--quiet", "-q", action="store_true", help="no summary line and no warnings")


def _baseline_arguments(baseline: argparse.ArgumentParser) -> None:
    _add_discovery(baseline)
    _add_configuration(baseline)
    baseline.add_argument(
        "--output", "-o", default=DEFAULT_BASELINE, metavar="FILE", help=f"default: {DEFAULT_BASELINE}"
    )


def _rule_arguments(rule: argparse.ArgumentParser) -> None:
    rule.add_argument("code", metavar="CODE")
    _add_configuration(rule)  # a project's pattern rules (HR9xx) come from its configuration
    rule.add_argument("--output-format", choices=("text", "json"), default="text")


def _rules_arguments(rules: argparse.ArgumentParser) -> None:
    _add_configuration(rules)
    rules.add_argument("--output-format", choices=("text", "json"), default="text")


def _clean_arguments(clean: argparse.ArgumentParser) -> None:
    clean.add_argument("--cache-dir", metavar="DIR")


SUBCOMMANDS = {
    "check": ("lint files (default: the current folder)", _check_arguments),
    "baseline": ("write today's violations to a baseline file", _baseline_arguments),
    "rule": ("print one rule's documentation", _rule_arguments),
    "rules": ("list every rule: tier, fix, and whether it is enabled here", _rules_arguments),
    "clean": ("remove the cache folder", _clean_arguments),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line; with `command`, only that subcommand's arguments are set up (a faster start)."""
    parser = argparse.ArgumentParser(prog=PROG, description="The house rules of flake8-house-rules, ruff-style.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (text, arguments) in SUBCOMMANDS.items():
        subparser = commands.add_parser(name, help=text)
        if command in {None, name}:
            arguments(subparser)
    return parser


def _overrides(args: argparse.Namespace) -> Overrides:
    def joined(values: list[list[str]] | None) -> tuple[str, ...] | None:
        return None if values is None else tuple(item for group in values for item in group)

    options = tuple(
        (spec.name, os.path.abspath(value) if spec.kind == "path" and value else value)  # a path: from here
        for spec in OPTIONS
        if (value := getattr(args, f"hr_option_{spec.dest}", None)) is not None
    )
    return Overrides(
        select=joined(args.select),
        extend_select=joined(args.extend_select) or (),
        ignore=joined(args.ignore) or (),
        exclude=joined(getattr(args, "exclude", None)),
        extend_exclude=joined(getattr(args, "extend_exclude", [])) or (),
        options=options,
    )


def _resolve(project: Project, overrides: Overrides) -> Settings:
    from flake8_house_rules.rule import load_rules  # noqa: PLC0415 - a run served by the cache needs no rules

    return project.resolve(overrides, load_rules())


def _registry(project: Project, overrides: Overrides) -> dict[str, type[Rule]]:
    """Every rule of this configuration by code: the pack's, and the project's pattern rules (HR9xx)."""
    from flake8_house_rules.patterns import all_rules  # noqa: PLC0415 - only formats that name rules load them
    from flake8_house_rules.rule import load_rules  # noqa: PLC0415 - only formats that name rules load them

    if not project.declares_patterns(overrides):
        return load_rules()
    return all_rules(_resolve(project, overrides).config)


class Progress:
    """A one-line `checked N/M files` on a terminal's stderr, for runs long enough to need it; else nothing."""

    def __init__(self, total: int, stream: TextIO = sys.stderr) -> None:
        self.total = total
        self.done = 0
        self.stream = stream
        self.enabled = total > 0 and stream.isatty()
        self.delay = float(os.environ.get("HOUSE_RULES_PROGRESS_DELAY", "0.3"))  # noqa: HR401 - a command's knob; tests set 0
        self.start = time.monotonic()
        self.drawn = 0.0

    def advance(self, count: int) -> None:
        """Count finished files, and redraw at most ten times a second once the delay has passed."""
        self.done += count
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.start >= self.delay and (now - self.drawn >= 0.1 or self.done == self.total):
            self.stream.write(f"\r{PROG}: checked {self.done}/{self.total} files")
            self.stream.flush()
            self.drawn = now

    def close(self) -> None:
        """Erase the line, if one was drawn."""
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _key(path: str, root: str) -> str:
    """A path as the cache and baselines key it: POSIX, relative to the project root when under it."""
    return relative_to(path, root).replace(os.sep, "/")


class Run:
    """One `check` or `baseline` run over files on disk."""

    def __init__(self, args: argparse.Namespace, project: Project, overrides: Overrides) -> None:
        self.args = args
        self.project = project
        self.overrides = overrides
        self.cwd = os.getcwd()
        self.settings: Settings | None = None

    def settings_now(self) -> Settings:
        """The validated settings, built on first need."""
        if self.settings is None:
            self.settings = _resolve(self.project, self.overrides)
        return self.settings

    def _cache(self) -> Cache | None:
        if self.args.no_cache:
            return None
        from flake8_house_rules.cli.cache import CACHE_DIR_NAME, Cache  # noqa: PLC0415 - not for --no-cache

        folder = (
            self.args.cache_dir
            or os.environ.get("HOUSE_RULES_CACHE_DIR")  # noqa: HR401 - a command line tool has no settings class
            or os.path.join(self.project.root, CACHE_DIR_NAME)
        )
        return Cache(os.path.abspath(folder), self.project.fingerprint(self.overrides))

    def results(self, files: Sequence[str]) -> tuple[dict[str, FileResult], tuple[str, ...]]:
        """Each file's result, from the cache where it is current; and the configuration's warnings."""
        cache = self._cache()
        if cache is None or not cache.load():
            self.settings_now()  # validate before any work; a stored cache means this configuration was valid
        results: dict[str, FileResult] = {}
        todo: list[str] = []
        targets: dict[str, tuple[int, int]] = {}
        if cache is not None:
            from flake8_house_rules.config import Config  # noqa: PLC0415 - cache runs only
            from flake8_house_rules.paths import normalise_path, target_version  # noqa: PLC0415 - cache runs only

            bare = Config(cwd=self.project.root)
            by_folder: dict[str, tuple[int, int]] = {}  # the target version comes from the nearest pyproject.toml
            for path in files:
                key = _key(path, self.project.root)
                folder = os.path.dirname(path)
                if folder not in by_folder:
                    by_folder[folder] = target_version(normalise_path(path, self.project.root), bare)
                targets[path] = by_folder[folder]
                try:
                    with open(path, "rb") as handle:
                        digest = content_digest(handle.read())
                except OSError:
                    todo.append(path)
                    continue
                found = cache.get(key, digest, targets[path])
                if found is None:
                    todo.append(path)
                else:
                    results[path] = found
        else:
            todo = list(files)
        if self.args.verbose:
            where = f"the cache {cache.path}" if cache is not None else "no cache"
            sys.stderr.write(
                f"{PROG}: {len(files)} files under {self.project.root} "
                f"({self.project.pyproject or 'no pyproject.toml'}): "
                f"{len(files) - len(todo)} from {where}, {len(todo)} to check\n"
            )
        if todo:
            from flake8_house_rules.cli.lint import lint_files  # noqa: PLC0415 - a fully cached run lints nothing

            progress = Progress(len(todo))
            try:
                fresh = lint_files(todo, self.settings_now(), jobs=self.args.jobs, progress=progress.advance)
            finally:
                progress.close()
            results.update(fresh)
            if cache is not None:
                for path, result in fresh.items():
                    cache.put(_key(path, self.project.root), targets[path], result)
        warnings = self.settings.warnings if self.settings is not None else cache.warnings if cache else ()
        if cache is not None:
            root = self.project.root
            cache.save(
                (_key(path, root) for path in files),
                warnings,
                lambda key: os.path.exists(os.path.join(root, key)),
            )
        return results, warnings


def _report_problems(results: dict[str, FileResult], warnings: Sequence[str], *, quiet: bool) -> bool:
    """Write warnings and internal errors to stderr; whether any internal error happened."""
    failed = False
    if not quiet:
        for warning in warnings:
            sys.stderr.write(f"{PROG}: warning: {warning}\n")
    for path in sorted(results):
        result = results[path]
        if not quiet:
            for warning in result.warnings:
                sys.stderr.write(f"{PROG}: warning: {warning}\n")
        for error in result.errors:
            sys.stderr.write(error + "\n")
            failed = True
    return failed


def _reports(results: dict[str, FileResult], project: Project, cwd: str) -> list[Report]:
    reports = []
    for path, result in results.items():
        if result.diagnostics:
            display, key = relative_to(path, cwd), _key(path, project.root)
            reports.extend(Report(path, display, key, diagnostic) for diagnostic in result.diagnostics)
    reports.sort(key=Report.sort_key)
    return reports


def _read_lines(path: str) -> list[str] | None:

    try:
        with open(path, "rb") as handle:
            return split_lines(decode(handle.read()))
    except OSError:
        return None


def _emit(
    args: argparse.Namespace,
    reports: list[Report],
    hidden: int,
    project: Project,
    overrides: Overrides,
    *,
    failed: bool,
    buffers: dict[str, list[str]],
) -> None:
    style, root = args.output_format, project.root
    if args.statistics:
        text = output.render_statistics(reports, _registry(project, overrides), as_json=style == "json", hidden=hidden)
    elif style in {"full", "concise"}:
        lines_cache: dict[str, Sequence[str] | None] = dict(buffers)

        def source(report: Report) -> Sequence[str] | None:
            key = report.path or report.display
            if key not in lines_cache:
                lines_cache[key] = _read_lines(key)
            return lines_cache[key]

        text = output.render_text(reports, style, source, hidden, quiet=args.quiet)
    elif style == "json":
        text = output.render_json(reports, _registry(project, overrides))
    elif style == "github":
        text = output.render_github(reports)
    else:
        text = output.render_sarif(reports, _registry(project, overrides), root, failed=failed)
    sys.stdout.write(text)


def _files(args: argparse.Namespace, project: Project, overrides: Overrides) -> list[str]:
    from flake8_house_rules.cli.discover import Discovery  # noqa: PLC0415 - keeps `rule`/`rules` start-up light

    paths = args.paths or ["."]
    for path in paths:
        if not os.path.exists(path):
            msg = f"path {path!r} does not exist"
            raise UsageError(msg)
    discovery = Discovery(
        project.root,
        project.exclusions(overrides),
        respect_gitignore=not args.no_respect_gitignore,
        force_exclude=args.force_exclude,
    )
    return discovery.files(paths)


def _check_stdin(args: argparse.Namespace, project: Project, overrides: Overrides) -> int:
    from flake8_house_rules.cli.discover import Discovery  # noqa: PLC0415 - as in _files
    from flake8_house_rules.cli.lint import Linter  # noqa: PLC0415 - as in Run.results

    name = args.stdin_filename
    path = os.path.abspath(name) if name else None
    if path is not None and args.force_exclude:
        discovery = Discovery(project.root, project.exclusions(overrides), force_exclude=True)
        if discovery.is_excluded(path):
            return 0
    settings = _resolve(project, overrides)
    data = sys.stdin.buffer.read()
    display = relative_to(path, os.getcwd()) if path else "-"
    result = Linter(settings).lint_bytes(data, path, display)
    key = _key(path, project.root) if path else "-"
    failed = _report_problems({display: result}, settings.warnings, quiet=args.quiet)
    reports = sorted((Report(path, display, key, d) for d in result.diagnostics), key=Report.sort_key)
    buffers = {path or display: split_lines(decode(data))}
    return _finish(args, reports, project, overrides, failed=failed, buffers=buffers)


def _finish(
    args: argparse.Namespace,
    reports: list[Report],
    project: Project,
    overrides: Overrides,
    *,
    failed: bool,
    buffers: dict[str, list[str]],
) -> int:
    hidden = 0
    if args.baseline:
        from flake8_house_rules.cli import baseline  # noqa: PLC0415 - only with --baseline

        reports, hidden = baseline.subtract(reports, baseline.load(args.baseline))
    _emit(args, reports, hidden, project, overrides, failed=failed, buffers=buffers)
    if failed:
        return 2
    return 1 if reports and not args.exit_zero else 0


def cmd_check(args: argparse.Namespace) -> int:
    """`house-rules check`."""
    project = Project.locate(os.getcwd())
    overrides = _overrides(args)
    if args.stdin_filename is not None or args.paths == ["-"]:
        return _check_stdin(args, project, overrides)
    if args.baseline and not os.path.isfile(args.baseline):
        msg = f"option '--baseline' has a bad value {args.baseline!r}: no such file (write one with `{PROG} baseline`)"
        raise UsageError(msg)
    files = _files(args, project, overrides)
    if not files:
        if not args.quiet:
            sys.stderr.write(f"{PROG}: warning: no Python files found under the given paths\n")
        _resolve(project, overrides)  # a bad configuration is still an error
        return 0
    run = Run(args, project, overrides)
    results, warnings = run.results(files)
    failed = _report_problems(results, warnings, quiet=args.quiet)
    return _finish(args, _reports(results, project, run.cwd), project, overrides, failed=failed, buffers={})


def cmd_baseline(args: argparse.Namespace) -> int:
    """`house-rules baseline`: write the current violations to a baseline file."""
    from flake8_house_rules.cli import baseline  # noqa: PLC0415 - only this command writes one

    project = Project.locate(os.getcwd())
    overrides = _overrides(args)
    files = _files(args, project, overrides)
    run = Run(args, project, overrides)
    results, warnings = run.results(files)
    failed = _report_problems(results, warnings, quiet=False)
    reports = _reports(results, project, run.cwd)
    with open(args.output, "w", encoding="utf-8") as out:
        out.write(baseline.render(reports))
    files_with = len({report.key for report in reports})
    sys.stdout.write(f"{PROG}: wrote {len(reports)} violations in {files_with} files to {args.output}\n")
    return 2 if failed else 0


def _rule_data(rule: type[Rule], *, enabled: bool | None = None) -> dict[str, object]:
    import inspect  # noqa: PLC0415 - only the rule listings read docstrings

    data: dict[str, object] = {
        "code": rule.code,
        "name": rule.name,
        "message": rule.message,
        "tier": rule.tier,
        "fix": rule.fix,
        "source": rule.source,
        "options": list(rule.options),
    }
    if enabled is not None:
        data["enabled"] = enabled
    data["explanation"] = inspect.cleandoc(rule.__doc__ or "")
    return data


def cmd_rule(args: argparse.Namespace) -> int:
    """`house-rules rule CODE`: the rule's page, as `docs/rules/CODE.md` shows it."""
    import json  # noqa: PLC0415 - only for --output-format json

    from flake8_house_rules.docs import rule_page  # noqa: PLC0415 - documentation is only for this command

    rule = _registry(Project.locate(os.getcwd()), _overrides(args)).get(args.code.upper())
    if rule is None:
        msg = f"unknown rule code {args.code!r} (`{PROG} rules` lists them)"
        raise UsageError(msg)
    if args.output_format == "json":
        sys.stdout.write(json.dumps(_rule_data(rule), indent=2) + "\n")
    else:
        sys.stdout.write(rule_page(rule))
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    """`house-rules rules`: every rule with its tier, fix and whether this configuration enables it."""
    import json  # noqa: PLC0415 - only for --output-format json

    project, overrides = Project.locate(os.getcwd()), _overrides(args)
    registry = _registry(project, overrides)
    settings = project.resolve(overrides, registry)
    if args.output_format == "json":
        rows = [_rule_data(rule, enabled=code in settings.codes) for code, rule in registry.items()]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    width = max((len(rule.name) for rule in registry.values()), default=4)
    lines = [f"{'code':<6}  {'name':<{width}}  {'tier':<7}  {'fix':<6}  enabled"]
    for code, rule in registry.items():
        enabled = "yes" if code in settings.codes else "no"
        lines.append(f"{code:<6}  {rule.name:<{width}}  {rule.tier:<7}  {rule.fix:<6}  {enabled}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def cmd_clean(args: argparse.Namespace) -> int:
    """`house-rules clean`: remove the cache folder."""
    from flake8_house_rules.cli.cache import CACHE_DIR_NAME, clean  # noqa: PLC0415 - only this command

    project = Project.locate(os.getcwd())
    environ_folder = os.environ.get("HOUSE_RULES_CACHE_DIR")  # noqa: HR401 - a command line tool has no settings class
    folder = args.cache_dir or environ_folder or os.path.join(project.root, CACHE_DIR_NAME)
    if clean(folder):
        sys.stdout.write(f"{PROG}: removed {folder}\n")
    return 0


COMMANDS = {"check": cmd_check, "baseline": cmd_baseline, "rule": cmd_rule, "rules": cmd_rules, "clean": cmd_clean}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; the exit status: 0 clean, 1 violations, 2 usage, configuration or internal error."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command = next((item for item in argv if not item.startswith("-")), None)
    parser = build_parser(command if command in SUBCOMMANDS else None)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](args)
    except (ConfigError, UsageError) as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `house-rules check | head`: the reader left; say nothing more
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that the interpreter's final flush has nowhere to fail
        return 1
