"""A `check` or `baseline` run over files: discovery, the cache, linting, and turning results into reports.

Every function here takes the run's `Invocation` (its settings, resolved once) rather than raw flags.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING, TextIO

from flake8_house_rules.cli import output
from flake8_house_rules.cli.common import PROG, UsageError
from flake8_house_rules.cli.output import Report
from flake8_house_rules.cli.results import PROBLEM_NAMES, decode, relative_to, split_lines
from flake8_house_rules.stamps import content_digest

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from flake8_house_rules.cli.cache import Cache
    from flake8_house_rules.cli.invocation import Invocation
    from flake8_house_rules.cli.results import FileResult
    from flake8_house_rules.stamps import Stamp


class Progress:
    """A one-line `checked N/M files` on a terminal's stderr, for runs long enough to need it; else nothing."""

    def __init__(self, total: int, stream: TextIO | None = None, *, enabled: bool = True) -> None:
        self.total = total
        self.done = 0
        self.stream = stream = stream or sys.stderr
        self.enabled = enabled and total > 0 and stream.isatty()
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


def plural(count: int, noun: str) -> str:
    """`1 file`, `2 files`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def key_of(path: str, root: str) -> str:
    """A path as the cache and baselines key it: POSIX, relative to the project root when under it."""
    return relative_to(path, root).replace(os.sep, "/")


def discover(invocation: Invocation) -> list[str]:
    """The files the run lints: its paths (default `.`) walked with the project's exclusions."""
    from flake8_house_rules.cli.discover import Discovery  # noqa: PLC0415 - keeps `rule`/`rules` start-up light

    paths = list(invocation.files.paths) or ["."]
    for path in paths:
        if not os.path.lexists(path):  # a symbolic link that leads nowhere is linted, and fails to be read
            msg = f"path {path!r} does not exist"
            raise UsageError(msg)
    discovery = Discovery(
        invocation.project.root,
        invocation.exclusions,
        respect_gitignore=invocation.files.respect_gitignore,
        force_exclude=invocation.files.force_exclude,
    )
    return discovery.files(paths)


def _cache(invocation: Invocation, files: Sequence[str]) -> Cache | None:
    if invocation.files.no_cache:
        return None
    from flake8_house_rules.cli.cache import Cache  # noqa: PLC0415 - not for --no-cache

    return Cache(invocation.cache_folder, invocation.projects.fingerprint(files))  # every project of the files


def _lint_by_project(invocation: Invocation, todo: Sequence[str]) -> dict[str, FileResult]:
    """Lint files, each group under the settings of its project, with one progress line for them all."""
    from flake8_house_rules.cli.lint import lint_files  # noqa: PLC0415 - a fully cached run lints nothing

    progress = Progress(len(todo), enabled=not invocation.output.quiet)
    fresh: dict[str, FileResult] = {}
    try:
        for root, members in invocation.projects.group(todo).items():
            settings = invocation.projects.settings(root)
            fresh.update(lint_files(members, settings, jobs=invocation.files.jobs, progress=progress.advance))
    finally:
        progress.close()
    return fresh


def _from_cache(
    cache: Cache,
    root: str,
    files: Sequence[str],
    results: dict[str, FileResult],
    targets: dict[str, tuple[int, int]],
    stamps: dict[str, Stamp | None],
) -> list[str]:
    """Fill `results` with the cached results still current, noting each file's target and stamp; the rest."""
    from flake8_house_rules.config import Config  # noqa: PLC0415 - cache runs only
    from flake8_house_rules.paths import normalise_path, target_version  # noqa: PLC0415 - cache runs only
    from flake8_house_rules.stamps import stamp_of  # noqa: PLC0415 - cache runs only

    todo = []
    bare = Config(cwd=root)
    by_folder: dict[str, tuple[int, int]] = {}  # the target version comes from the nearest pyproject.toml
    for path in files:
        key = key_of(path, root)
        folder = os.path.dirname(path)
        if folder not in by_folder:
            by_folder[folder] = target_version(normalise_path(path, root), bare)
        target = targets[path] = by_folder[folder]
        try:
            stamp = stamps[path] = stamp_of(path)  # before the file is read: see `cli/cache.py`
            unchanged, found = cache.get_stamped(key, stamp, target)
            if not unchanged and key in cache.entries:  # a file new to the cache is not read twice
                with open(path, "rb") as handle:
                    found = cache.get(key, content_digest(handle.read()), target, stamp)
        except OSError:
            found = None
        if found is None:
            todo.append(path)
        else:
            results[path] = found
    return todo


def lint_all(invocation: Invocation, files: Sequence[str]) -> tuple[dict[str, FileResult], tuple[str, ...]]:
    """Each file's result, from the cache where it is current; and the configuration's warnings.

    Each file is linted under the settings of its own project (`Invocation.projects`).
    """
    project = invocation.project
    cache = _cache(invocation, files)
    warnings: tuple[str, ...] | None = None
    if cache is None or not cache.load():
        # validate every project before any work; a stored cache means these configurations were valid
        warnings = invocation.projects.validate(files)
    results: dict[str, FileResult] = {}
    todo: list[str] = list(files)
    targets: dict[str, tuple[int, int]] = {}
    stamps: dict[str, Stamp | None] = {}
    if cache is not None:
        todo = _from_cache(cache, project.root, files, results, targets, stamps)
    if invocation.output.verbose:
        where = f"{len(files) - len(todo)} from the cache {cache.path}" if cache is not None else "the cache off"
        sys.stderr.write(
            f"{PROG}: {plural(len(files), 'file')} under {project.root} "
            f"({project.pyproject or 'no pyproject.toml'}): {where}, {len(todo)} to check\n"
        )
    if todo:
        if warnings is None:
            warnings = invocation.projects.validate(files)
        fresh = _lint_by_project(invocation, todo)
        results.update(fresh)
        if cache is not None:
            for path, result in fresh.items():
                cache.put(key_of(path, project.root), targets[path], result, stamps.get(path))
    if warnings is None:
        warnings = cache.warnings if cache else ()
    if cache is not None:
        root = project.root
        cache.save(
            (key_of(path, root) for path in files),
            warnings,
            lambda key: os.path.exists(os.path.join(root, key)),
        )
    return results, warnings


def report_problems(results: dict[str, FileResult], warnings: Sequence[str], *, quiet: bool) -> bool:
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


def reports_of(results: dict[str, FileResult], invocation: Invocation) -> list[Report]:
    """Every diagnostic of the results as a report, in output order."""
    reports = []
    for path, result in results.items():
        if result.diagnostics:
            display, key = relative_to(path, invocation.cwd), key_of(path, invocation.project.root)
            reports.extend(Report(path, display, key, diagnostic) for diagnostic in result.diagnostics)
    reports.sort(key=Report.sort_key)
    return reports


def _read_lines(path: str) -> list[str] | None:
    try:
        with open(path, "rb") as handle:
            return split_lines(decode(handle.read()))
    except OSError:
        return None


def render(
    invocation: Invocation,
    reports: list[Report],
    hidden: int,
    *,
    failed: bool,
    buffers: dict[str, list[str]],
    fixed: Mapping[str, int] | None = None,
    listing: str = "",
) -> str:
    """The report in the run's output format (`fixed`: the fixes `check --fix` applied, per code)."""
    from flake8_house_rules.cli import fix  # noqa: PLC0415 - light; the marks and summary of fixes

    style = invocation.output.format
    marked = fix.marker(invocation)
    if invocation.output.statistics:
        return output.render_statistics(
            reports, invocation.registry, as_json=style == "json", hidden=hidden, marked=marked
        )
    if style in {"full", "concise"}:
        lines_cache: dict[str, Sequence[str] | None] = dict(buffers)

        def source(report: Report) -> Sequence[str] | None:
            key = report.path or report.display
            if key not in lines_cache:
                lines_cache[key] = _read_lines(key)
            return lines_cache[key]

        summary = listing + fix.summary(invocation, reports, hidden, fixed)
        return output.render_text(
            reports, style, source, hidden, quiet=invocation.output.quiet, marked=marked, summary=summary
        )
    if style == "json":
        return output.render_json(reports, invocation.registry)
    if style == "github":
        return output.render_github(reports, invocation.repository)
    if style == "gitlab":
        return output.render_gitlab(reports, invocation.repository)
    if style == "junit":
        return output.render_junit(reports)
    root = invocation.repository or invocation.project.root
    return output.render_sarif(reports, invocation.registry, root, failed=failed)


def write_report(invocation: Invocation, text: str) -> None:
    """Write the report to `--output-file` or stdout; `UsageError` (one line, exit 2) when that fails."""
    target = invocation.output.output_file
    if target is not None:
        try:
            with open(target, "w", encoding="utf-8") as out:
                out.write(text)
        except OSError as exc:
            msg = f"cannot write the report to {target}: {exc.strerror or exc}"
            raise UsageError(msg) from None
        return
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that the interpreter's final flush has nowhere to fail
        msg = f"cannot write the report: {exc.strerror or exc}"
        raise UsageError(msg) from None


def _unchecked_as_warnings(reports: list[Report], *, quiet: bool) -> list[Report]:
    """With `--allow-unparseable`: files that could not be read or parsed are warnings, not violations."""
    kept = []
    for report in reports:
        if report.diagnostic.code in PROBLEM_NAMES:
            if not quiet:
                d = report.diagnostic
                where = f"{report.display}:{d.line}:{d.col + 1}"
                sys.stderr.write(f"{PROG}: warning: cannot check {where}: {d.message}; the file is not checked\n")
        else:
            kept.append(report)
    return kept


def finish(
    invocation: Invocation,
    reports: list[Report],
    *,
    failed: bool,
    buffers: dict[str, list[str]],
    checked: set[str],
    fixed: Mapping[str, int] | None = None,
    listing: str = "",
) -> int:
    """Subtract the baseline, write the report, and give the exit status.

    With `check --fix`, `fixed` holds the fixes applied per code and `listing` what `--show-fixes` prints.

    `checked` holds the keys of the files this run checked: only their baseline entries can be stale.
    """
    if invocation.output.allow_unparseable:
        reports = _unchecked_as_warnings(reports, quiet=invocation.output.quiet)
    hidden = stale = 0
    if invocation.output.baseline:
        from flake8_house_rules.cli import baseline  # noqa: PLC0415 - only with --baseline

        recorded = baseline.load(invocation.output.baseline)
        reports, hidden, stale = baseline.subtract(reports, recorded, checked)
    text = render(invocation, reports, hidden, failed=failed, buffers=buffers, fixed=fixed, listing=listing)
    write_report(invocation, text)
    if stale and not invocation.output.quiet:
        one = stale == 1
        sys.stderr.write(
            f"{PROG}: warning: {stale} entr{'y' if one else 'ies'} of {invocation.output.baseline} "
            f"match{'es' if one else ''} no violation any more (fixed, or changed): "
            f"`{PROG} baseline` writes the file again without {'it' if one else 'them'}\n"
        )
    if failed:
        return 2
    if fixed is not None:
        from flake8_house_rules.cli.fix import fix_settings  # noqa: PLC0415 - light; a fix run's exit status

        fixes = fix_settings(invocation)
        if fixes.exit_non_zero_on_fix and sum(fixed.values()):
            return 1
        if fixes.fix_only:
            return 0
    if invocation.output.exit_zero:
        return 0
    return 1 if reports or (stale and invocation.output.strict_baseline) else 0
