r"""Linting files for the command: read, parse once, one engine walk, per-file ignores, `# noqa`; in parallel.

A file is read as flake8 reads it (the encoding its coding line or BOM declares, else UTF-8, falling back
to latin-1; newlines made `\\n`), parsed once, and linted by one `Engine` holding every selected rule. A
worker process builds its `Linter` (and so its `Engine`) once, in its initializer, and then lints chunks of
files, the largest first so that the last chunks finish together.

A file that cannot be read, or that Python would refuse (a syntax error, an encoding it cannot use), is
not checked: it gives one diagnostic at the error (`E902`, `E999`, as flake8 names them), so the run fails
as ruff's does. A failure inside a rule (or anywhere in the file's check) gives an internal error: the rest
of the file, and every other file, are still checked.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import logging
import multiprocessing
import os
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from flake8_house_rules.cli.cache import CHOSEN, UsingResult
from flake8_house_rules.cli.common import PROG
from flake8_house_rules.cli.noqa import NoqaLines, ruff_file_exemptions, source_is_ignored, without_noqa
from flake8_house_rules.cli.results import (
    READ_ERROR,
    SCOPE_CHARS,
    SYNTAX_ERROR,
    Diagnostic,
    FileResult,
    anchor,
    decode,
    encoding_problem,
    relative_to,
    split_lines,
)
from flake8_house_rules.context import project
from flake8_house_rules.context.summary_cache import use_folder
from flake8_house_rules.engine import Engine
from flake8_house_rules.patterns import all_rules
from flake8_house_rules.stamps import content_digest

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
        self.engine = Engine(settings.config, rules, on_error=self._errors.append, fixes=True, reviews=True)

    def lint_path(self, path: str) -> FileResult:
        """Read and lint the file at an absolute path."""
        display = relative_to(path, self.cwd)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            reason = f"{type(exc).__name__}: {exc.strerror or exc}"
            return FileResult(b"", (Diagnostic(1, 0, 1, 0, READ_ERROR, reason, 1, "", anchor([], 1, 0, 1, 0, reason)),))
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

    def _newer_target(self, path: str | None) -> str:
        """A hint for a file that targets a newer Python than this one, whose parser may not know its syntax."""
        from flake8_house_rules.paths import normalise_path, target_version  # noqa: PLC0415 - only on a failure

        config = self.settings.config
        target = target_version(normalise_path(path, config.cwd) if path else None, config)
        running = sys.version_info[:2]
        if target <= running:
            return ""
        return (
            f" (this is Python {running[0]}.{running[1]} and the file targets {target[0]}.{target[1]}: "
            f"run {PROG} with Python {target[0]}.{target[1]} or later)"
        )

    def _lint(self, data: bytes, digest: bytes, path: str | None, display: str) -> FileResult:
        text = decode(data)
        if source_is_ignored(text):
            return FileResult(digest)
        lines = split_lines(text)
        refused = encoding_problem(data)
        if refused is not None:
            return FileResult(digest, (_unparsed(lines, 1, 1, None, None, f"SyntaxError: {refused}"),))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes is the compiler's business
                tree = ast.parse(text)
        except SyntaxError as exc:
            reason = f"{type(exc).__name__}: {exc.msg or exc}{self._newer_target(path)}"
            problem = _unparsed(lines, exc.lineno, exc.offset, exc.end_lineno, exc.end_offset, reason)
            return FileResult(digest, (problem,))
        except (ValueError, RecursionError, MemoryError, OverflowError) as exc:
            reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            return FileResult(digest, (_unparsed(lines, 1, 1, None, None, reason),))
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
        exempt = ruff_file_exemptions(text) if "ruff" in text else None
        if exempt is not None:
            violations = [v for v in violations if not v.code.startswith(exempt)]
        if not violations:
            return UsingResult(digest, errors=errors, uses=uses)
        scopes = Scopes(tree, len(lines))
        diagnostics = []
        for v in violations:
            end_line = v.end_line if v.end_line is not None else v.line
            end_col = v.end_col if v.end_col is not None and v.end_line is not None else v.col
            diagnostics.append(
                Diagnostic(
                    v.line,
                    v.col,
                    end_line,
                    end_col,
                    v.code,
                    v.message,
                    noqa.row_for(v.line),
                    scopes.at(v.line),
                    anchor(lines, v.line, v.col, end_line, end_col, v.message),
                    None if v.fix is None else v.fix.to_data(),
                )
            )
        return UsingResult(digest, tuple(diagnostics), errors=errors, uses=uses)


def _unparsed(
    lines: list[str], line: int | None, offset: int | None, end_line: int | None, end_offset: int | None, reason: str
) -> Diagnostic:
    """The diagnostic of a file Python refuses, at the error (1-based `offset`, in characters, as Python gives)."""
    row = min(max(line or 1, 1), max(len(lines), 1))
    col = max((offset or 1) - 1, 0)
    end_row, end_col = row, col
    if end_line is not None and end_offset is not None and (end_line, end_offset - 1) > (row, col):
        end_row, end_col = end_line, end_offset - 1
    digest = anchor(lines, row, col, row, col, reason)
    return Diagnostic(row, col, end_row, end_col, SYNTAX_ERROR, reason, row, "", digest)


class Scopes:
    """The innermost definition (`def` or `class`, by qualified name) around each line of a module.

    Built only for a file with violations, from the statements alone: definitions are statements, so no
    expression is visited.
    """

    def __init__(self, tree: ast.AST, line_count: int) -> None:
        self.names: list[str] = [""]
        self.by_line: list[int] = []
        spans: list[tuple[int, int, str]] = []
        stack: list[tuple[ast.AST, str]] = [(tree, "")]
        while stack:
            node, prefix = stack.pop()
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                for child in getattr(node, field, ()):
                    if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                        name = f"{prefix}{child.name}"[:SCOPE_CHARS]
                        spans.append((child.lineno, getattr(child, "end_lineno", None) or child.lineno, name))
                        stack.append((child, name + "."))
                    elif isinstance(child, ast.AST):
                        stack.append((child, prefix))
        if spans:
            self.by_line = [0] * (line_count + 2)
            for start, end, name in sorted(spans, key=lambda span: (span[0], -span[1])):  # outer before inner
                self.names.append(name)
                index = len(self.names) - 1
                for number in range(start, min(end, line_count + 1) + 1):
                    self.by_line[number] = index

    def at(self, line: int) -> str:
        """The qualified name of the definition around `line`; `""` at module level."""
        if not 0 <= line < len(self.by_line):
            return ""
        return self.names[self.by_line[line]]


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
#: `prctl(PR_SET_PDEATHSIG, ...)`: Linux sends the signal to this process when its parent ends.
PR_SET_PDEATHSIG = 1
#: How often a worker looks whether its parent is still there (where the kernel cannot tell it).
PARENT_CHECK_SECONDS = 1.0


def _start_worker(settings: Settings, parent: int, linter: Callable[[Settings], Linter] | None = None) -> None:
    _end_with_parent(parent)
    _WORKER.append((linter or Linter)(settings))


def _end_with_parent(parent: int) -> None:
    """Make this worker end when the command ends, even when it is killed (SIGKILL) and cannot stop it.

    On Linux the kernel sends SIGTERM at the parent's death (`PR_SET_PDEATHSIG`); everywhere, a daemon thread
    checks once a second that the parent is still this process's parent. SIGTERM gets its default action
    back (a forked worker inherits the command's handler), and SIGINT is left to the command.
    """
    import signal  # noqa: PLC0415 - workers only
    import threading  # noqa: PLC0415 - workers only

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the command stops the pool
    if sys.platform == "linux":
        import ctypes  # noqa: PLC0415 - Linux workers only

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent ended before the line above
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="house-rules-parent-watch", daemon=True).start()


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
    linter: Callable[[Settings], Linter] | None = None,
) -> dict[str, FileResult]:
    """Lint files, in worker processes when there is enough source to share; results by path.

    `linter` builds each process's `Linter` (`check --fix` passes one that fixes the files it lints).
    """
    sizes = []
    for path in paths:
        try:
            sizes.append(os.path.getsize(path))
        except OSError:
            sizes.append(0)
    cores = available_cores()
    # never more workers than files, nor (asked or not) than the cores this process may run on
    workers = min(jobs or max(1, sum(sizes) // BYTES_PER_WORKER), cores, len(paths))
    results: dict[str, FileResult] = {}
    if not CHOSEN:
        use_folder(None)  # `--no-cache`: no module summaries are kept either
    if workers > 1:
        project.preload(paths)  # the stored module summaries, read once here and shared with the workers
        try:
            return _lint_parallel(paths, sizes, settings, workers, progress, linter)
        except (BrokenProcessPool, OSError) as exc:  # no worker processes here: lint in this one
            sys.stderr.write(f"house-rules: warning: worker processes failed ({exc}); checking in one process\n")
    for path, result in lint_each((linter or Linter)(settings), paths):
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
    linter: Callable[[Settings], Linter] | None = None,
) -> dict[str, FileResult]:
    # fork shares the rules already imported here; elsewhere the worker imports them once in its initializer
    method = "fork" if sys.platform == "linux" else None
    context = multiprocessing.get_context(method)
    results: dict[str, FileResult] = {}
    initargs = (settings, os.getpid(), linter)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=initargs)
    previous = _stop_on_sigterm()
    try:
        futures = [pool.submit(_lint_chunk, chunk) for chunk in _chunks(paths, sizes, workers)]
        for future in as_completed(futures):
            done = future.result()
            results.update(done)
            if progress is not None:
                progress(len(done))
    except BaseException:  # SIGTERM, Ctrl-C, a broken pool: the workers end now, not after their chunks
        _terminate(pool)
        raise
    finally:
        _restore_sigterm(previous)
    pool.shutdown()
    return results


def _stop_on_sigterm() -> object:
    """While workers run, SIGTERM ends the command as `SystemExit(143)` (so the pool is stopped first)."""
    import signal  # noqa: PLC0415 - parallel runs only
    import threading  # noqa: PLC0415 - parallel runs only

    if threading.current_thread() is not threading.main_thread():
        return None

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    return signal.signal(signal.SIGTERM, stop)


def _restore_sigterm(previous: object) -> None:
    import signal  # noqa: PLC0415 - parallel runs only

    if previous is not None:
        signal.signal(signal.SIGTERM, previous)  # type: ignore[arg-type]  # a handler signal.signal returned


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers at once and forget its queued work."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # the executor keeps them by pid
    for process in processes:
        with contextlib.suppress(OSError, AttributeError):
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, AttributeError, ValueError):
            process.join(1)
