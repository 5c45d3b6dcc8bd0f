"""`house-rules check --fix`: applying the rules' fixes to files, as ruff does, and what the report says of them.

- Flags: `--fix`/`--no-fix`, `--unsafe-fixes`/`--no-unsafe-fixes`, `--diff` (print a unified diff, write
  nothing; exit 1 when there is something to fix), `--fix-only` (fix, report nothing that remains),
  `--show-fixes` (list what was fixed), `--exit-non-zero-on-fix`, `--fixable`/`--unfixable CODES`; and the
  keys `fix`, `unsafe-fixes`, `fixable`, `unfixable` of `[tool.flake8-house-rules]` (a flag wins).
- Each file is fixed in the worker that lints it (`FixingLinter`): `fixes.apply.fix_source` lints, applies
  the allowed fixes in rounds and re-lints (with per-file ignores and `# noqa`, as a check reports), and
  checks the result parses on the file's target Python. A changed file is written atomically (a temporary
  file in its folder, then `os.replace`), in its own encoding and line endings; a file with nothing to fix
  is never written (its modification time stays).
- Reports: `[*]` before the message of a diagnostic the current flags could fix; the summary lines ruff
  prints ("Found 12 errors (9 fixed, 3 remaining).", "[*] 4 fixable with the `--fix` option."); the JSON
  `fix` object and SARIF `fixes` (`fix_json`, `sarif_fixes`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flake8_house_rules.cli.common import codes
from flake8_house_rules.cli.results import relative_to
from flake8_house_rules.config import PYPROJECT_TABLE, ConfigError
from flake8_house_rules.fixes.model import Fix

if TYPE_CHECKING:
    import argparse
    from collections.abc import Mapping, Sequence

    from flake8_house_rules.cli.invocation import Invocation
    from flake8_house_rules.cli.output import Report
    from flake8_house_rules.cli.results import Diagnostic, FileResult
    from flake8_house_rules.rule import Rule

#: The pyproject keys this module reads (`config.OWNED_KEYS` names them so the table accepts them).
KEYS = ("fix", "unsafe-fixes", "fixable", "unfixable")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The fix flags of `check`."""
    group = parser.add_argument_group("fixes")
    group.add_argument("--fix", action="store_true", default=None, help="apply the safe fixes")
    group.add_argument("--no-fix", dest="fix", action="store_false", help="do not fix (over `fix = true`)")
    group.add_argument(
        "--unsafe-fixes", action="store_true", default=None, help="also apply (and show) the unsafe fixes"
    )
    group.add_argument("--no-unsafe-fixes", dest="unsafe_fixes", action="store_false", help="only safe fixes")
    group.add_argument("--diff", action="store_true", help="print the fixes as a unified diff and write nothing")
    group.add_argument("--fix-only", action="store_true", help="apply fixes without reporting what remains")
    group.add_argument("--show-fixes", action="store_true", help="list the fixes applied, per file and code")
    group.add_argument(
        "--exit-non-zero-on-fix", action="store_true", help="exit 1 when something was fixed, even if nothing remains"
    )
    group.add_argument("--fixable", type=codes, action="append", metavar="CODES", help="only fix these codes")
    group.add_argument("--unfixable", type=codes, action="append", default=[], metavar="CODES", help="never fix these")


@dataclass(frozen=True, slots=True)
class FixSettings:
    """What the flags and the table say about fixing."""

    fix: bool = False
    unsafe: bool = False
    diff: bool = False
    fix_only: bool = False
    show_fixes: bool = False
    exit_non_zero_on_fix: bool = False
    fixable: tuple[str, ...] | None = None
    unfixable: tuple[str, ...] = ()

    @property
    def applies(self) -> bool:
        """Whether the run fixes (or, with `--diff`, works out the fixes)."""
        return self.fix or self.fix_only or self.diff

    def allows(self, code: str, applicability: str) -> bool:
        """Whether a fix of this code and applicability is applied (and marked `[*]`) in this run."""
        if applicability != "safe" and not self.unsafe:
            return False
        if self.fixable is not None and not code.startswith(self.fixable):
            return False
        return not (self.unfixable and code.startswith(self.unfixable))


def fix_settings(invocation: Invocation) -> FixSettings:
    """The run's fix settings: flags over the `[tool.flake8-house-rules]` table; a bad value is a `ConfigError`."""
    cached = invocation.extra.get("_fix_settings")
    if isinstance(cached, FixSettings):
        return cached
    settings = table_fix_settings(invocation.project.table, invocation.project.pyproject, invocation.extra)
    invocation.extra["_fix_settings"] = settings
    return settings


def table_fix_settings(
    table: Mapping[str, Any],  # Any: raw TOML values, checked here
    where: object,
    extra: Mapping[str, Any],  # Any: parsed flags, as `Invocation.extra` holds them
) -> FixSettings:
    """The fix settings of a `[tool.flake8-house-rules]` table (of the file `where`), flags in `extra` over it."""

    def flag_or_key(flag: str, key: str) -> bool:
        value = extra.get(flag)
        if value is not None:
            return bool(value)
        found = table.get(key, False)
        if not isinstance(found, bool):
            msg = (
                f"key '{key}' in [tool.{PYPROJECT_TABLE}] of {where} has a bad value {found!r}: expected true or false"
            )
            raise ConfigError(msg)
        return found

    def code_list(flag: str, key: str) -> tuple[str, ...] | None:
        given = extra.get(flag)
        if given:
            return tuple(item for group in given for item in group)  # type: ignore[union-attr] - lists of lists
        if key not in table:
            return None
        value = table[key]
        if isinstance(value, str):
            value = [item.strip() for item in value.split(",") if item.strip()]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            msg = f"key '{key}' in [tool.{PYPROJECT_TABLE}] of {where} has a bad value {value!r}: expected a list"
            raise ConfigError(msg)
        return tuple("" if item.upper() == "ALL" else item.upper() for item in value)

    fixable = code_list("fixable", "fixable")
    return FixSettings(
        fix=flag_or_key("fix", "fix"),
        unsafe=flag_or_key("unsafe_fixes", "unsafe-fixes"),
        diff=bool(extra.get("diff")),
        fix_only=bool(extra.get("fix_only")),
        show_fixes=bool(extra.get("show_fixes")),
        exit_non_zero_on_fix=bool(extra.get("exit_non_zero_on_fix")),
        fixable=fixable,
        unfixable=code_list("unfixable", "unfixable") or (),
    )


def fix_json(diagnostic: Diagnostic) -> dict[str, Any] | None:  # Any: JSON values
    """The `fix` object of ruff's JSON output (columns 1-based), or `None`."""
    fix = Fix.from_data(diagnostic.fix)
    if fix is None:
        return None
    return {
        "applicability": fix.applicability,
        "edits": [
            {
                "content": edit.content,
                "end_location": {"column": edit.end[1] + 1, "row": edit.end[0]},
                "location": {"column": edit.start[1] + 1, "row": edit.start[0]},
            }
            for edit in fix.edits
        ],
        "message": fix.message,
    }


def sarif_fixes(diagnostic: Diagnostic, artifact: dict[str, Any]) -> list[dict[str, Any]]:  # Any: JSON values
    """The SARIF `fixes` of a result: one fix whose replacements are its edits."""
    fix = Fix.from_data(diagnostic.fix)
    if fix is None:
        return []
    replacements = [
        {
            "deletedRegion": {
                "startLine": edit.start[0],
                "startColumn": edit.start[1] + 1,
                "endLine": edit.end[0],
                "endColumn": edit.end[1] + 1,
            },
            "insertedContent": {"text": edit.content},
        }
        for edit in fix.edits
    ]
    return [
        {
            "description": {"text": f"{fix.message} ({fix.applicability})"},
            "artifactChanges": [{"artifactLocation": artifact, "replacements": replacements}],
        }
    ]


# --- what the report says ---


def marker(invocation: Invocation) -> Any:  # Any: a predicate on diagnostics
    """A predicate: whether a diagnostic is marked `[*]` (its fix applies with this run's flags)."""
    settings = fix_settings(invocation)

    def marked(diagnostic: Diagnostic) -> bool:
        data = diagnostic.fix
        return bool(data) and settings.allows(diagnostic.code, data[0])

    return marked


def summary(invocation: Invocation, reports: Sequence[Report], hidden: int, fixed: Mapping[str, int] | None) -> str:
    """The summary ruff prints: `Found N errors (F fixed, R remaining).`, then `[*] K fixable ...`."""
    settings = fix_settings(invocation)
    remaining = len(reports)
    done = sum(fixed.values()) if fixed else 0
    if settings.fix_only:
        return f"Fixed {done} error{'s' if done != 1 else ''}." if done else "No errors fixed."
    total = remaining + done
    if total == 0:
        text = "All checks passed!"
    elif done:
        text = f"Found {total} error{'s' if total != 1 else ''} ({done} fixed, {remaining} remaining)."
    else:
        text = f"Found {total} error{'s' if total != 1 else ''}."
    if hidden:
        text += f" ({hidden} more in the baseline)" if total else f" ({hidden} in the baseline)"
    fixable = sum(
        1
        for report in reports
        if _fix_kind(report.diagnostic) and settings.allows(report.diagnostic.code, _fix_kind(report.diagnostic))
    )
    unsafe = sum(
        1
        for report in reports
        if _fix_kind(report.diagnostic) == "unsafe"
        and not settings.unsafe
        and FixSettings(unsafe=True, fixable=settings.fixable, unfixable=settings.unfixable).allows(
            report.diagnostic.code, "unsafe"
        )
    )
    if fixable or unsafe:
        option = "`--fix --unsafe-fixes`" if settings.unsafe else "`--fix`"
        line = f"[*] {fixable} fixable with the {option} option." if fixable else ""
        if unsafe:
            hint = f"{unsafe} hidden fix{'es' if unsafe != 1 else ''} can be enabled with the `--unsafe-fixes` option"
            line = f"{line[:-1]} ({hint})." if line else f"No fixes available ({hint})."
        text += "\n" + line
    return text


def _fix_kind(diagnostic: Diagnostic) -> str:
    data = diagnostic.fix
    return data[0] if data else ""


def show_fixes(results: Mapping[str, FileResult], cwd: str, registry: Mapping[str, type[Rule]]) -> str:
    """`--show-fixes`: each file's fixes per code, as ruff lists them."""
    lines = []
    for path in sorted(results):
        fixed = results[path].fixed
        if not fixed:
            continue
        lines.append(f"{relative_to(path, cwd)}:")
        for code, count in fixed:
            rule = registry.get(code)
            name = f" ({rule.name})" if rule is not None else ""
            lines.append(f"    {count} \N{MULTIPLICATION SIGN} {code}{name}")
    if not lines:
        return ""
    total = sum(count for result in results.values() for _, count in result.fixed)
    return (
        f"\nFixed {total} error{'s' if total != 1 else ''}:\n"
        + "\n".join(f"- {line}" if not line.startswith(" ") else line for line in lines)
        + "\n"
    )


def fixed_counts(results: Mapping[str, FileResult]) -> Counter[str]:
    """Fixes applied per code over every file."""
    counts: Counter[str] = Counter()
    for result in results.values():
        for code, count in result.fixed:
            counts[code] += count
    return counts
