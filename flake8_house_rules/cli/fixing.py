"""Fixing files for `house-rules check --fix` (see `cli/fix.py` for the flags and the report).

Each file is fixed in the worker that lints it (`FixingLinter`): `fixes.apply.fix_source` lints, applies the
allowed fixes in rounds and re-lints (with per-file ignores and `# noqa`, as a check reports), and checks
the result parses on the file's target Python. A changed file is written atomically (a temporary file in
its folder, then `os.replace`), in its own encoding and line endings; a file with nothing to fix is never
written, so its modification time stays.
"""

from __future__ import annotations

import difflib
import functools
import io
import os
import sys
import tempfile
import tokenize
from typing import TYPE_CHECKING

from flake8_house_rules.cli.common import PROG
from flake8_house_rules.cli.fix import FixSettings, fix_settings, fixed_counts, show_fixes
from flake8_house_rules.cli.lint import Linter, lint_files
from flake8_house_rules.cli.results import FileResult, decode, relative_to
from flake8_house_rules.cli.run import Progress, finish, key_of, report_problems, reports_of
from flake8_house_rules.fixes.apply import fix_source
from flake8_house_rules.fixes.model import Fix
from flake8_house_rules.paths import normalise_path, target_version
from flake8_house_rules.rule import Violation

if TYPE_CHECKING:
    from collections.abc import Sequence

    from flake8_house_rules.cli.invocation import Invocation
    from flake8_house_rules.cli.results import Diagnostic
    from flake8_house_rules.cli.settings import Settings


class FixingLinter(Linter):
    """A `Linter` that fixes each file before reporting what remains (one per worker process)."""

    def __init__(self, settings: Settings, fixes: FixSettings) -> None:
        super().__init__(settings)
        self.fixes = fixes

    def lint_path(self, path: str) -> FileResult:
        """Fix the file at an absolute path (write it unless `--diff`), and lint what remains."""
        display = relative_to(path, self.cwd)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return super().lint_path(path)
        result, fixed = self.fix_bytes(data, path, display)
        if fixed is None or self.fixes.diff:
            return result
        try:
            _write_atomic(path, fixed)
        except OSError as exc:
            reason = exc.strerror or exc
            return FileResult(result.digest, errors=(f"{PROG}: cannot write {display}: {reason}",))
        return result

    def fix_bytes(self, data: bytes, path: str | None, display: str) -> tuple[FileResult, bytes | None]:
        """Fix a file's content: what remains (with the fixes per code and the diff), and the new content.

        The new content is `None` when nothing changed, or when a fix would break the file (its result then
        holds the error).
        """
        first = self.lint_bytes(data, path, display)
        if first.errors or not any(self._allowed(d) for d in first.diagnostics):
            return first, None
        text = decode(data)
        encoding = _encoding(data)
        newline = "\r\n" if b"\r\n" in data else "\n"
        if encoding is None or (b"\r" in data.replace(b"\r\n", b"")):
            return first, None  # an encoding or mixed line endings it could not write back byte for byte
        results: dict[str, FileResult] = {text: first}

        def lint(source: str) -> list[Violation]:
            result = results.get(source)
            if result is None:
                try:
                    encoded = source.encode(encoding)
                except UnicodeEncodeError:
                    return []  # a fix's text the file's encoding cannot hold: nothing more to fix
                result = results[source] = self.lint_bytes(encoded, path, display)
            return [_violation(d) for d in result.diagnostics]

        config = self.settings.config
        target = target_version(normalise_path(path, config.cwd) if path else None, config)
        outcome = fix_source(text, lint, self._allowed_violation, target, lint(text))
        if outcome.error is not None:
            error = f"{PROG}: {display}: {outcome.error}; the file is left as it was"
            return FileResult(first.digest, first.diagnostics, first.warnings, (error,)), None
        new_text = outcome.source
        if not outcome.changed or new_text == text:
            return first, None
        try:
            fixed = new_text.replace("\n", newline).encode(encoding)
        except UnicodeEncodeError:
            return first, None
        final = results.get(new_text) or self.lint_bytes(new_text.encode(encoding), path, display)
        diff = ""
        if self.fixes.diff:
            before, after = text.splitlines(keepends=True), new_text.splitlines(keepends=True)
            diff = "".join(difflib.unified_diff(before, after, display, display))
        counts = tuple(sorted(outcome.fixed.items()))
        return FileResult(final.digest, final.diagnostics, final.warnings, final.errors, fixed=counts, diff=diff), fixed

    def _allowed(self, diagnostic: Diagnostic) -> bool:
        """Whether the run may apply this diagnostic's fix."""
        data = diagnostic.fix
        return bool(data) and self.fixes.allows(diagnostic.code, data[0])

    def _allowed_violation(self, violation: Violation) -> bool:
        """Whether the run may apply this violation's fix."""
        fix = violation.fix
        return fix is not None and self.fixes.allows(violation.code, fix.applicability)


def _violation(diagnostic: Diagnostic) -> Violation:
    return Violation(
        diagnostic.line, diagnostic.col, diagnostic.code, diagnostic.message, fix=Fix.from_data(diagnostic.fix)
    )


def _encoding(data: bytes) -> str | None:
    """The encoding to write a file back in (its declared one, BOM kept), or `None` when it is not readable so."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return None
    return encoding


def _write_atomic(path: str, data: bytes) -> None:
    """Write a file as a whole or not at all: a temporary file in its folder, its mode copied, then renamed."""
    folder = os.path.dirname(path) or "."
    handle, temporary = tempfile.mkstemp(prefix=".house-rules-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def run(invocation: Invocation, files: Sequence[str]) -> int:
    """`check --fix` (`--diff`, `--fix-only`) over files: fix in the workers, then report what remains."""
    fixes = fix_settings(invocation)
    settings = invocation.settings
    quiet = invocation.output.quiet
    progress = Progress(len(files), enabled=not quiet)
    try:
        results = lint_files(
            files,
            settings,
            jobs=invocation.files.jobs,
            progress=progress.advance,
            linter=functools.partial(FixingLinter, fixes=fixes),
        )
    finally:
        progress.close()
    failed = report_problems(results, settings.warnings, quiet=quiet)
    fixed = fixed_counts(results)
    if fixes.diff:
        for path in sorted(results):
            if results[path].diff:
                sys.stdout.write(results[path].diff)
        total = sum(fixed.values())
        if not quiet:
            sys.stderr.write(
                f"Would fix {total} error{'s' if total != 1 else ''}.\n" if total else "No errors would be fixed.\n"
            )
        return 2 if failed else (1 if total else 0)
    listing = show_fixes(results, invocation.cwd, invocation.registry) if fixes.show_fixes else ""
    reports = [] if fixes.fix_only else reports_of(results, invocation)
    checked = {key_of(path, invocation.project.root) for path in files}
    return finish(invocation, reports, failed=failed, buffers={}, checked=checked, fixed=fixed, listing=listing)


def fix_stdin(invocation: Invocation) -> int:
    """`check --fix -`: the fixed buffer to stdout (`--diff`: its diff), as ruff does for editors."""
    fixes = fix_settings(invocation)
    name = invocation.files.stdin_filename
    path = os.path.abspath(name) if name else None
    display = relative_to(path, invocation.cwd) if path else "-"
    data = sys.stdin.buffer.read()
    result, fixed = FixingLinter(invocation.settings, fixes).fix_bytes(data, path, display)
    for error in result.errors:
        sys.stderr.write(error + "\n")
    if fixes.diff:
        sys.stdout.write(result.diff)
        return 2 if result.errors else (1 if result.fixed else 0)
    sys.stdout.buffer.write(fixed if fixed is not None else data)
    sys.stdout.flush()
    if result.errors:
        return 2
    if fixes.exit_non_zero_on_fix and result.fixed:
        return 1
    return 0 if fixes.fix_only or invocation.output.exit_zero or not result.diagnostics else 1
