"""Output formats, in the shapes ruff prints, so that what reads ruff's output reads this command's.

- `full` (the default): each violation with the source lines around it and a marker under it, then a summary;
  a line longer than `SNIPPET_WIDTH` characters is clipped around the marker, as ruff clips it.
- `concise`: one line per violation, `path:line:col: CODE message`, then a summary.
- `json`: ruff's JSON array (`code`, `name`, `message`, `filename` absolute, `location`/`end_location` with
  1-based `row`/`column`, `noqa_row`, `fix` (always `null`: no fixer ships yet), `url` (the rule's page;
  `null` for a project's pattern rule), `cell`, `severity`).
- `github`: GitHub Actions workflow commands (`::error title=...,file=...,line=...::...`); `file` relative to
  the root of the git work tree (GitHub resolves it there, whatever the step's working directory), else
  absolute.
- `gitlab`: GitLab's Code Quality report (a JSON array of `description`, `check_name`, `fingerprint`,
  `severity`, `location` with the path from the git work tree's root and the lines), as ruff writes it.
- `junit`: JUnit XML, one test suite per file and one failed test case per violation, as ruff writes it.
- `sarif`: SARIF 2.1.0 for code-scanning uploads; paths relative to the git work tree's root (`%SRCROOT%`;
  the project root outside git), a partial fingerprint per result (file, code, enclosing definition, the
  violation's own text, and its occurrence among results sharing those), so alerts survive unrelated edits
  and distinct results never share one; each rule's `helpUri`; a file that could not be read or parsed is
  also a tool execution notification, and the run is then not `executionSuccessful`.

Columns are characters (Unicode code points), as ruff, editors and flake8's own checks count them: 0-based
inside, shown 1-based.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flake8_house_rules import __version__
from flake8_house_rules.cli.results import PROBLEM_NAMES
from flake8_house_rules.stamps import blake2b

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from flake8_house_rules.cli.results import Diagnostic
    from flake8_house_rules.rule import Rule

FORMATS = ("full", "concise", "json", "github", "sarif", "gitlab", "junit")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@dataclass(frozen=True, slots=True)
class Report:
    """One diagnostic and the file it is in: on disk (`None` for a nameless buffer), shown, and by key."""

    path: str | None
    display: str
    key: str
    diagnostic: Diagnostic

    def sort_key(self) -> tuple[str, int, int, str]:
        """Files in order of their shown path, then position, then code."""
        d = self.diagnostic
        return (self.display, d.line, d.col, d.code)


def identity(key: str, diagnostic: Diagnostic) -> str:
    """A digest of what a violation is, wherever it moves: file, code, enclosing definition, its own text."""
    text = f"{key}\0{diagnostic.code}\0{diagnostic.scope}\0{diagnostic.anchor}"
    return blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def fingerprints(reports: Sequence[Report]) -> list[str]:
    """Each report's fingerprint: its `identity`, then `:N`, its occurrence among reports with that identity."""
    seen: Counter[str] = Counter()
    found = []
    for report in reports:
        digest = identity(report.key, report.diagnostic)
        seen[digest] += 1
        found.append(f"{digest}:{seen[digest]}")
    return found


def rule_url(code: str, rule: type[Rule] | None) -> str | None:
    """The published page of a rule (`None` for a project's pattern rule, and for unknown codes)."""
    if code in PROBLEM_NAMES:
        return None
    if rule is None or code.startswith("HR9"):
        return None
    return f"{rule_pages()}/{code}.md"


def rule_pages() -> str:
    """Where the rule pages are published: the package metadata's `Rule pages` URL."""
    if not _PAGES:
        from importlib import metadata  # noqa: PLC0415 - only formats that link rules read the metadata

        found = RULE_PAGES
        entries: list[str] = []
        with contextlib.suppress(metadata.PackageNotFoundError):  # a source tree that is not installed
            entries = metadata.metadata("flake8-house-rules").get_all("Project-URL") or []
        for entry in entries:
            label, _, url = entry.partition(",")
            if label.strip().lower() == "rule pages" and url.strip():
                found = url.strip().rstrip("/")
        _PAGES.append(found)
    return _PAGES[0]


#: The `Rule pages` URL of `pyproject.toml`'s `[project.urls]`, for a source tree that is not installed.
RULE_PAGES = "https://github.com/flake8-house-rules/flake8-house-rules/blob/main/docs/rules"  # noqa: HR410 - the docs' address, not a setting
_PAGES: list[str] = []


def _summary(count: int, hidden: int) -> str:
    text = f"Found {count} error{'s' if count != 1 else ''}." if count else "All checks passed!"
    if hidden:
        text += f" ({hidden} more in the baseline)" if count else f" ({hidden} in the baseline)"
    return text


#: The widest source text a `full` snippet shows of a line; longer lines are clipped around the marker.
SNIPPET_WIDTH = 160
#: How much of a clipped line a snippet keeps before the marker.
SNIPPET_LEAD = 40
ELLIPSIS = "…"


def _length(line: str) -> int:
    """A physical line's length without its newline (the text read has line feeds only)."""
    return len(line) - line.endswith("\n")


def _window(line: str, start: int) -> str:
    """At most `SNIPPET_WIDTH` characters of a line from `start`, with an ellipsis where it was clipped.

    Slices before it strips: a long line is never copied whole.
    """
    length = _length(line)
    if start == 0 and length <= SNIPPET_WIDTH:
        return line[:length]
    part = line[start : min(start + SNIPPET_WIDTH, length)]
    return (ELLIPSIS if start else "") + part + (ELLIPSIS if start + SNIPPET_WIDTH < length else "")


def _blank(line: str) -> bool:
    """Whether a line holds only whitespace (stops at the first other character)."""
    return not line or line.isspace()


def _snippet(lines: Sequence[str], d: Diagnostic) -> list[str]:
    """The snippet ruff shows: two lines of context either side (blank edges trimmed) and a marker line.

    Each line shown is at most `SNIPPET_WIDTH` characters (clipped in one window around the marker), so the
    output stays proportional to the number of violations, however long the lines.
    """
    first, last = max(1, d.line - 2), min(len(lines), d.line + 2)
    while first < d.line and _blank(lines[first - 1]):
        first += 1
    while last > d.line and _blank(lines[last - 1]):
        last -= 1
    width = len(str(last))
    own = _length(lines[d.line - 1])
    start = 0 if own <= SNIPPET_WIDTH or d.col < SNIPPET_WIDTH - SNIPPET_LEAD else d.col - SNIPPET_LEAD
    out = [f"{' ' * width} |"]
    for number in range(first, last + 1):
        shown = _window(lines[number - 1], start).expandtabs(1)
        out.append(f"{number:>{width}} | {shown}".rstrip())
        if number == d.line:
            end = d.end_col if d.end_line == d.line and d.end_col > d.col else max(own, d.col + 1)
            end = min(end, own, start + SNIPPET_WIDTH)
            lead = d.col - start + (1 if start else 0)
            out.append(f"{' ' * width} | {' ' * lead}{'^' * max(1, end - d.col)}")
    out.append(f"{' ' * width} |")
    return out


def render_text(
    reports: Sequence[Report],
    style: str,
    source: Callable[[Report], Sequence[str] | None],
    hidden: int = 0,
    *,
    quiet: bool = False,
    marked: Callable[[Diagnostic], bool] | None = None,
    summary: str | None = None,
) -> str:
    """The `full` or `concise` text.

    `marked` says which diagnostics get `[*]` (fixable); `summary` replaces the summary line (the fix counts
    of `check --fix`).
    """
    out: list[str] = []
    for report in reports:
        d = report.diagnostic
        star = "[*] " if marked is not None and marked(d) else ""
        if style == "concise":
            out.append(f"{report.display}:{d.line}:{d.col + 1}: {d.code} {star}{d.message}")
            continue
        out.extend([f"{d.code} {star}{d.message}", f" --> {report.display}:{d.line}:{d.col + 1}"])
        lines = source(report)
        if lines and 0 < d.line <= len(lines):
            out.extend(_snippet(lines, d))
        out.append("")
    if not quiet:
        out.append(_summary(len(reports), hidden) if summary is None else summary)
    return "\n".join(out) + "\n" if out else ""


def _location(row: int, col: int) -> dict[str, int]:
    return {"column": col + 1, "row": row}


def render_json(reports: Sequence[Report], registry: Mapping[str, type[Rule]]) -> str:
    """The JSON ruff prints (`fix` in ruff's shape where the rule gave one)."""
    from flake8_house_rules.cli.fix import fix_json  # noqa: PLC0415 - light, but only this format needs it

    items = []
    for report in reports:
        d = report.diagnostic
        rule = registry.get(d.code)
        items.append(
            {
                "cell": None,
                "code": d.code,
                "end_location": _location(d.end_line, d.end_col),
                "filename": report.path or report.display,
                "fix": fix_json(d),
                "location": _location(d.line, d.col),
                "message": d.message,
                "name": rule.name if rule else PROBLEM_NAMES.get(d.code),
                "noqa_row": d.noqa_row,
                "severity": "error",
                "url": rule_url(d.code, rule),
            }
        )
    return _dumps(items) + "\n"


def _escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def repository_path(report: Report, repository: str | None) -> str:
    """A report's file as a POSIX path relative to the git work tree's root; absolute outside it."""
    path = report.path
    if path is None:
        return report.display
    if repository is not None:
        prefix = repository.rstrip(os.sep) + os.sep
        if path.startswith(prefix):
            return path[len(prefix) :].replace(os.sep, "/")
    return path


def render_github(reports: Sequence[Report], repository: str | None = None) -> str:
    """GitHub Actions workflow commands: one `::error` annotation per violation, the file from the repository."""
    out = []
    for report in reports:
        d = report.diagnostic
        file = repository_path(report, repository)
        props = (
            f"title={_escape(f'house-rules ({d.code})', prop=True)},file={_escape(file, prop=True)},"
            f"line={d.line},col={d.col + 1},endLine={d.end_line},endColumn={d.end_col + 1}"
        )
        out.append(f"::error {props}::{_escape(f'{report.display}:{d.line}:{d.col + 1}: {d.code} {d.message}')}")
    return "".join(line + "\n" for line in out)


def render_gitlab(reports: Sequence[Report], repository: str | None = None) -> str:
    """GitLab's Code Quality report: fingerprints as SARIF's; paths from the repository's root.

    Outside a git work tree, paths are as `concise` shows them.
    """
    items = [
        {
            "check_name": report.diagnostic.code,
            "description": f"{report.diagnostic.code}: {report.diagnostic.message}",
            "fingerprint": print_.replace(":", "-"),
            "severity": "major",
            "location": {
                "path": repository_path(report, repository) if repository else report.display,
                "positions": {
                    "begin": {"line": report.diagnostic.line, "column": report.diagnostic.col + 1},
                    "end": {"line": report.diagnostic.end_line, "column": report.diagnostic.end_col + 1},
                },
            },
        }
        for report, print_ in zip(reports, fingerprints(reports), strict=True)
    ]
    return _dumps(items) + "\n"


def render_junit(reports: Sequence[Report]) -> str:
    """JUnit XML: a test suite per file, a failed test case per violation."""
    from xml.sax.saxutils import escape, quoteattr  # noqa: PLC0415 - only this format writes XML

    by_file: dict[str, list[Report]] = {}
    for report in reports:
        by_file.setdefault(report.display, []).append(report)
    count = len(reports)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="house-rules" tests="{max(count, 1)}" failures="{count}" errors="0">',
    ]
    if not reports:
        out.append(
            '  <testsuite name="house-rules" tests="1" disabled="0" errors="0" failures="0" package="house-rules">'
        )
        out.append('    <testcase name="house-rules.no-violations" classname="house-rules"/>')
        out.append("  </testsuite>")
    for display, group in by_file.items():
        out.append(
            f'  <testsuite name={quoteattr(display)} tests="{len(group)}" disabled="0" errors="0" '
            f'failures="{len(group)}" package="house-rules">'
        )
        for report in group:
            d = report.diagnostic
            out.append(
                f'    <testcase name="house-rules.{d.code}" classname={quoteattr(display)} '
                f'line="{d.line}" column="{d.col + 1}">'
            )
            text = f"line {d.line}, col {d.col + 1}, {d.message}"
            out.append(f"      <failure message={quoteattr(d.message)}>{escape(text)}</failure>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def _sarif_rule(code: str, rule: type[Rule] | None) -> dict[str, Any]:  # Any: JSON values
    if rule is None:
        name = PROBLEM_NAMES.get(code)
        return {"id": code, **({"name": name} if name else {}), "defaultConfiguration": {"level": "error"}}
    import inspect  # noqa: PLC0415 - only SARIF output reads the docs

    doc = inspect.cleandoc(rule.__doc__ or "")
    data: dict[str, Any] = {  # Any: JSON values
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": doc or rule.message, "markdown": doc or rule.message},
        "help": {"text": rule.message},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tier": rule.tier, "fix": rule.fix, "source": rule.source},
    }
    url = rule_url(code, rule)
    if url is not None:
        data["helpUri"] = url
    return data


def render_sarif(reports: Sequence[Report], registry: Mapping[str, type[Rule]], root: str, *, failed: bool) -> str:
    """A SARIF 2.1.0 log of one run; paths relative to `root` (the git work tree's, else the project's)."""
    import urllib.parse  # noqa: PLC0415 - only SARIF needs it; a cached run starts faster without it

    from flake8_house_rules.cli.fix import sarif_fixes  # noqa: PLC0415 - light, but only this format needs it

    codes = sorted({report.diagnostic.code for report in reports})
    index = {code: number for number, code in enumerate(codes)}
    results = []
    notifications = []
    for report, print_ in zip(reports, fingerprints(reports), strict=True):
        d = report.diagnostic
        relative = repository_path(report, root) if report.path is not None else None
        if relative is not None and not Path(relative).is_absolute():
            artifact = {"uri": urllib.parse.quote(relative), "uriBaseId": "%SRCROOT%"}
        elif report.path is not None:
            artifact = {"uri": Path(report.path).as_uri()}
        else:
            artifact = {"uri": urllib.parse.quote(report.display)}
        region = {"startLine": d.line, "startColumn": d.col + 1, "endLine": d.end_line, "endColumn": d.end_col + 1}
        if d.code in PROBLEM_NAMES:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{report.display}: {d.message}; the file is not checked"},
                    "descriptor": {"id": d.code},
                    "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region}}],
                }
            )
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": "error",
                "message": {"text": d.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": artifact,
                            "region": region,
                        }
                    }
                ],
                "partialFingerprints": {"houseRules/v2": print_},
                **({"fixes": fixes} if (fixes := sarif_fixes(d, artifact)) else {}),
            }
        )
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "house-rules",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [_sarif_rule(code, registry.get(code)) for code in codes],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(root).as_uri().rstrip("/") + "/"}},
                "columnKind": "unicodeCodePoints",
                "invocations": [
                    {
                        "executionSuccessful": not failed and not notifications,
                        **({"toolExecutionNotifications": notifications} if notifications else {}),
                    }
                ],
                "results": results,
            }
        ],
    }
    return _dumps(log) + "\n"


def render_statistics(
    reports: Sequence[Report],
    registry: Mapping[str, type[Rule]],
    *,
    as_json: bool,
    hidden: int = 0,
    marked: Callable[[Diagnostic], bool] | None = None,
) -> str:
    """Counts per code, most frequent first, as ruff's `--statistics` prints them (`[*]`: some are fixable)."""
    counts = Counter(report.diagnostic.code for report in reports)
    fixable = Counter(report.diagnostic.code for report in reports if marked is not None and marked(report.diagnostic))
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    names = {code: (registry[code].name if code in registry else PROBLEM_NAMES.get(code, "")) for code in counts}
    if as_json:
        rows = [
            {
                "code": code,
                "name": names[code],
                "count": count,
                "fixable": bool(fixable[code]),
                "fixable_count": fixable[code],
            }
            for code, count in ordered
        ]
        return _dumps(rows) + "\n"
    width = max((len(str(count)) for count in counts.values()), default=1)
    stars = {code: "[*] " if fixable[code] else "" for code in counts}
    lines = [f"{count:>{width}}\t{code}\t{stars[code]}{names[code]}" for code, count in ordered]
    lines.append(_summary(len(reports), hidden))
    return "\n".join(lines) + "\n"


def _dumps(data: object) -> str:
    """JSON text, indented by two (imported only by the output formats that write JSON)."""
    import json  # noqa: PLC0415 - the text formats need none

    return json.dumps(data, indent=2)
