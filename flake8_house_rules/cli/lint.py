r"""Linting files for the command: read, parse once, one engine walk, per-file ignores, `# noqa`; in parallel.

A file is read as flake8 reads it (the encoding its coding line or BOM declares, else UTF-8, falling back
to latin-1; newlines made `\\n`), parsed once, and linted by one `Engine` holding every selected rule. A
worker process builds its `Linter` (and so its `Engine`) once, in its initializer, and then lints chunks of
files, the largest first so that the last chunks finish together.

A file the parser rejects is not checked and gives a warning; a failure inside a rule (or anywhere in the
file's check) gives an internal error: the rest of the file, and every other file, are still checked.
"""

from __future__ import annotations

import ast
import gc
import logging
import multiprocessing
import os
import sys
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from flake8_house_rules.cli.cache import CHOSEN, UsingResult
from flake8_house_rules.cli.noqa import NoqaLines, source_is_ignored, without_noqa
from flake8_house_rules.cli.results import Diagnostic, FileResult, content_digest, decode, relative_to, split_lines
from flake8_house_rules.context import project
from flake8_house_rules.context.summary_cache import use_folder
from flake8_house_rules.engine import Engine
from flake8_house_rules.patterns import all_rules

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from flake8_house_rules.cli.settings import Settings

#: Below this much source a second process costs more than it saves.
BYTES_PER_WORKER = 400_000


class Linter:
    """Lints one file at a time with the rules of one configuration; one per process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cwd = os.getcwd()
        self._errors: list[str] = []
        # the engine reports failures through `on_error`; its log record must not reach Python's last-resort handler
        logging.getLogger("flake8_house_rules").addHandler(logging.NullHandler())
        rules = settings.rules(all_rules(settings.config))  # the pack's rules and the project's pattern rules
        self.engine = Engine(settings.config, rules, on_error=self._errors.append)

    def lint_path(self, path: str) -> FileResult:
        """Read and lint the file at an absolute path."""
        display = relative_to(path, self.cwd)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            return FileResult(b"", warnings=(f"cannot read {display}: {exc.strerror or exc}; the file is not checked",))
        return self.lint_bytes(data, path, display)

    def lint_bytes(self, data: bytes, path: str | None, display: str) -> FileResult:
        """Lint a file's content under its absolute path (`None` for a buffer without one), shown as `display`."""
        digest = content_digest(data)
        self._errors.clear()
        try:
            return self._lint(data, digest, path, display)
        except Exception as exc:  # noqa: HR701 - a failure outside the engine's per-rule guard must not end the run
            message = (
                f"house-rules: internal error while checking {display}: {type(exc).__name__}: {exc} "
                "(please report this)"
            )
            return FileResult(digest, errors=(*self._errors, message))

    def _lint(self, data: bytes, digest: bytes, path: str | None, display: str) -> FileResult:
        text = decode(data)
        if source_is_ignored(text):
            return FileResult(digest)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes is the compiler's business
                tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError) as exc:
            where = f"{display}:{getattr(exc, 'lineno', None) or 1}:{getattr(exc, 'offset', None) or 1}"
            reason = getattr(exc, "msg", None) or str(exc) or type(exc).__name__
            return FileResult(digest, warnings=(f"cannot parse {where}: {reason}; the file is not checked",))
        lines = split_lines(text)
        # the engine sees the path relative to the project root, as flake8 run from there passes it
        project.record_uses()
        try:
            violations = self.engine.lint(tree, lines, relative_to(path, self.settings.config.cwd) if path else "stdin")
        finally:
            uses = project.recorded_uses()  # the summaries of other modules this result depends on
        errors = tuple(self._errors)
        if not violations:
            return UsingResult(digest, errors=errors, uses=uses)
        posix = path.replace(os.sep, "/") if path else None
        if posix is not None and self.settings.per_file_ignores:
            ignores = self.settings.per_file_ignores
            violations = [v for v in violations if not any(entry.ignores(posix, v.code) for entry in ignores)]
        noqa = NoqaLines(lines, text)
        violations = without_noqa(violations, noqa, text)
        diagnostics = tuple(
            Diagnostic(
                v.line,
                v.col,
                v.end_line if v.end_line is not None else v.line,
                v.end_col if v.end_col is not None and v.end_line is not None else v.col,
                v.code,
                v.message,
                noqa.row_for(v.line),
                lines[v.line - 1].rstrip("\n") if 0 < v.line <= len(lines) else "",
            )
            for v in violations
        )
        return UsingResult(digest, diagnostics, errors=errors, uses=uses)


def lint_each(linter: Linter, paths: Sequence[str]) -> Iterator[tuple[str, FileResult]]:
    """Lint files one by one, with the garbage collector run once per file instead of every 700 objects.

    A file's tree and context are garbage as a whole once it is linted: one young-generation collection
    after each file frees them (memory stays at one file's worth) and costs less than the collector's
    frequent automatic passes. What was loaded before (rules, configuration) is frozen out of its way.
    """
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        for path in paths:
            result = linter.lint_path(path)
            gc.collect(0)
            yield path, result
    finally:
        if enabled:
            gc.enable()


_WORKER: list[Linter] = []


def _start_worker(settings: Settings) -> None:
    _WORKER.append(Linter(settings))


def _lint_chunk(paths: Sequence[str]) -> list[tuple[str, FileResult]]:
    return list(lint_each(_WORKER[0], paths))


def _chunks(paths: Sequence[str], sizes: Sequence[int], workers: int) -> list[list[str]]:
    """Chunks of files, largest files first, each about 1/8 of a worker's share (at most 64 files)."""
    target = max(1, sum(sizes) // (workers * 8))
    chunks: list[list[str]] = []
    current: list[str] = []
    weight = 0
    for size, path in sorted(zip(sizes, paths, strict=True), reverse=True):
        current.append(path)
        weight += size
        if weight >= target or len(current) >= 64:
            chunks.append(current)
            current, weight = [], 0
    if current:
        chunks.append(current)
    return chunks


def available_cores() -> int:
    """How many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def lint_files(
    paths: Sequence[str],
    settings: Settings,
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, FileResult]:
    """Lint files, in worker processes when there is enough source to share; results by path."""
    sizes = []
    for path in paths:
        try:
            sizes.append(os.path.getsize(path))
        except OSError:
            sizes.append(0)
    workers = jobs or min(available_cores(), max(1, sum(sizes) // BYTES_PER_WORKER), len(paths))
    results: dict[str, FileResult] = {}
    if not CHOSEN:
        use_folder(None)  # `--no-cache`: no module summaries are kept either
    if workers > 1:
        project.preload(paths)  # the stored module summaries, read once here and shared with the workers
        try:
            return _lint_parallel(paths, sizes, settings, workers, progress)
        except (BrokenProcessPool, OSError) as exc:  # no worker processes here: lint in this one
            sys.stderr.write(f"house-rules: warning: worker processes failed ({exc}); checking in one process\n")
    for path, result in lint_each(Linter(settings), paths):
        results[path] = result
        if progress is not None:
            progress(1)
    return results


def _lint_parallel(
    paths: Sequence[str],
    sizes: Sequence[int],
    settings: Settings,
    workers: int,
    progress: Callable[[int], None] | None,
) -> dict[str, FileResult]:
    # fork shares the rules already imported here; elsewhere the worker imports them once in its initializer
    method = "fork" if sys.platform == "linux" else None
    context = multiprocessing.get_context(method)
    results: dict[str, FileResult] = {}
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(settings,)) as pool:
        futures = [pool.submit(_lint_chunk, chunk) for chunk in _chunks(paths, sizes, workers)]
        for future in as_completed(futures):
            done = future.result()
            results.update(done)
            if progress is not None:
                progress(len(done))
    return results
