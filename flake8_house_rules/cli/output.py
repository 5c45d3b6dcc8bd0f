"""Output formats, in the shapes ruff prints, so that what reads ruff's output reads this command's.

- `full` (the default): each violation with the source lines around it and a marker under it, then a summary.
- `concise`: one line per violation, `path:line:col: CODE message`, then a summary.
- `json`: ruff's JSON array (`code`, `name`, `message`, `filename` absolute, `location`/`end_location` with
  1-based `row`/`column`, `noqa_row`, `fix` (always `null`: no fixer ships yet), `url`, `cell`, `severity`).
- `github`: GitHub Actions workflow commands (`::error title=...,file=...,line=...::...`).
- `sarif`: SARIF 2.1.0 for code-scanning uploads; paths relative to the project root (`%SRCROOT%`), a
  partial fingerprint per result built like a baseline key, so alerts survive unrelated edits.

Columns are the engine's, as the flake8 plugin reports them (0-based inside, shown 1-based).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flake8_house_rules import __version__
from flake8_house_rules.cli.results import blake2b

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from flake8_house_rules.cli.results import Diagnostic
    from flake8_house_rules.rule import Rule

FORMATS = ("full", "concise", "json", "github", "sarif")
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


def fingerprint(key: str, diagnostic: Diagnostic) -> str:
    """A digest of the file, the code and the offending line's text: unchanged when lines move."""
    text = f"{key}\0{diagnostic.code}\0{diagnostic.source_line.strip()}"
    return blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def _summary(count: int, hidden: int) -> str:
    text = f"Found {count} error{'s' if count != 1 else ''}." if count else "All checks passed!"
    if hidden:
        text += f" ({hidden} more in the baseline)" if count else f" ({hidden} in the baseline)"
    return text


def _snippet(lines: Sequence[str], d: Diagnostic) -> list[str]:
    """The snippet ruff shows: two lines of context either side (blank edges trimmed) and a marker line."""
    first, last = max(1, d.line - 2), min(len(lines), d.line + 2)
    while first < d.line and not lines[first - 1].strip():
        first += 1
    while last > d.line and not lines[last - 1].strip():
        last -= 1
    width = len(str(last))
    out = [f"{' ' * width} |"]
    for number in range(first, last + 1):
        text = lines[number - 1].rstrip("\r\n").expandtabs(1)
        out.append(f"{number:>{width}} | {text}".rstrip())
        if number == d.line:
            end = d.end_col if d.end_line == d.line and d.end_col > d.col else max(len(text), d.col + 1)
            out.append(f"{' ' * width} | {' ' * d.col}{'^' * max(1, min(end, len(text)) - d.col)}")
    out.append(f"{' ' * width} |")
    return out


def render_text(
    reports: Sequence[Report],
    style: str,
    source: Callable[[Report], Sequence[str] | None],
    hidden: int = 0,
    *,
    quiet: bool = False,
) -> str:
    """The `full` or `concise` text."""
    out: list[str] = []
    for report in reports:
        d = report.diagnostic
        if style == "concise":
            out.append(f"{report.display}:{d.line}:{d.col + 1}: {d.code} {d.message}")
            continue
        out.extend([f"{d.code} {d.message}", f" --> {report.display}:{d.line}:{d.col + 1}"])
        lines = source(report)
        if lines and 0 < d.line <= len(lines):
            out.extend(_snippet(lines, d))
        out.append("")
    if not quiet:
        out.append(_summary(len(reports), hidden))
    return "\n".join(out) + "\n" if out else ""


def _location(row: int, col: int) -> dict[str, int]:
    return {"column": col + 1, "row": row}


def render_json(reports: Sequence[Report], registry: Mapping[str, type[Rule]]) -> str:
    """The JSON ruff prints."""
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
                "fix": None,
                "location": _location(d.line, d.col),
                "message": d.message,
                "name": rule.name if rule else None,
                "noqa_row": d.noqa_row,
                "severity": "error",
                "url": None,
            }
        )
    return json.dumps(items, indent=2) + "\n"


def _escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def render_github(reports: Sequence[Report]) -> str:
    """GitHub Actions workflow commands: one `::error` annotation per violation."""
    out = []
    for report in reports:
        d = report.diagnostic
        props = (
            f"title={_escape(f'house-rules ({d.code})', prop=True)},file={_escape(report.display, prop=True)},"
            f"line={d.line},col={d.col + 1},endLine={d.end_line},endColumn={d.end_col + 1}"
        )
        out.append(f"::error {props}::{_escape(f'{report.display}:{d.line}:{d.col + 1}: {d.code} {d.message}')}")
    return "".join(line + "\n" for line in out)


def _sarif_rule(code: str, rule: type[Rule] | None) -> dict[str, Any]:  # Any: JSON values
    if rule is None:
        return {"id": code, "defaultConfiguration": {"level": "error"}}
    import inspect  # noqa: PLC0415 - only SARIF output reads the docs

    doc = inspect.cleandoc(rule.__doc__ or "")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": doc or rule.message, "markdown": doc or rule.message},
        "help": {"text": rule.message},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tier": rule.tier, "fix": rule.fix, "source": rule.source},
    }


def render_sarif(reports: Sequence[Report], registry: Mapping[str, type[Rule]], root: str, *, failed: bool) -> str:
    """A SARIF 2.1.0 log of one run."""
    import urllib.parse  # noqa: PLC0415 - only SARIF needs it; a cached run starts faster without it

    codes = sorted({report.diagnostic.code for report in reports})
    index = {code: number for number, code in enumerate(codes)}
    results = []
    for report in reports:
        d = report.diagnostic
        if report.path is not None and not Path(report.key).is_absolute():
            artifact = {"uri": urllib.parse.quote(report.key), "uriBaseId": "%SRCROOT%"}
        elif report.path is not None:
            artifact = {"uri": Path(report.path).as_uri()}
        else:
            artifact = {"uri": urllib.parse.quote(report.display)}
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
                            "region": {
                                "startLine": d.line,
                                "startColumn": d.col + 1,
                                "endLine": d.end_line,
                                "endColumn": d.end_col + 1,
                            },
                        }
                    }
                ],
                "partialFingerprints": {"houseRules/v1": fingerprint(report.key, d)},
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
                "invocations": [{"executionSuccessful": not failed}],
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def render_statistics(
    reports: Sequence[Report], registry: Mapping[str, type[Rule]], *, as_json: bool, hidden: int = 0
) -> str:
    """Counts per code, most frequent first, as ruff's `--statistics` prints them."""
    counts = Counter(report.diagnostic.code for report in reports)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    names = {code: (registry[code].name if code in registry else "") for code in counts}
    if as_json:
        rows = [
            {"code": code, "name": names[code], "count": count, "fixable": False, "fixable_count": 0}
            for code, count in ordered
        ]
        return json.dumps(rows, indent=2) + "\n"
    width = max((len(str(count)) for count in counts.values()), default=1)
    lines = [f"{count:>{width}}\t{code}\t{names[code]}" for code, count in ordered]
    lines.append(_summary(len(reports), hidden))
    return "\n".join(lines) + "\n"
