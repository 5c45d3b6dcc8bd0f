"""Baselines: today's violations, recorded so that a legacy codebase adopts the pack on new code only.

A baseline entry is keyed by the file (its path relative to the project root), the code, and the offending
line's text with surrounding whitespace stripped, with a count: edits elsewhere in the file (lines added
above, the block re-indented) leave it matching; changing the offending line, or adding one more such line,
makes a violation new. `check --baseline FILE` reports only the violations beyond the counts. The message is
written beside each entry for the reader; it is not part of the key.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

from flake8_house_rules.config import ConfigError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from flake8_house_rules.cli.output import Report

FORMAT = 1
Key = tuple[str, str, str]


def key_of(report: Report) -> Key:
    """The baseline key of a violation: file, code, and the offending line's text."""
    return report.key, report.diagnostic.code, report.diagnostic.source_line.strip()


def render(reports: Sequence[Report]) -> str:
    """The baseline file for these violations, sorted, one entry per key with its count."""
    counts = Counter(key_of(report) for report in reports)
    messages = {}
    for report in reports:
        messages.setdefault(key_of(report), report.diagnostic.message)
    entries = [
        {"file": file, "code": code, "line": line, "count": count, "message": messages[(file, code, line)]}
        for (file, code, line), count in sorted(counts.items())
    ]
    data = {"tool": "house-rules", "format": FORMAT, "violations": entries}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def load(path: str) -> Counter[Key]:
    """The counts of a baseline file; `ConfigError` when it cannot be read."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        if data.get("format") != FORMAT:
            msg = f"unsupported format {data.get('format')!r}"
            raise ValueError(msg)
        counts: Counter[Key] = Counter()
        for entry in data["violations"]:
            counts[(str(entry["file"]), str(entry["code"]), str(entry["line"]))] += int(entry.get("count", 1))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        msg = f"option '--baseline' has a bad value {path!r}: cannot read it as a baseline ({exc})"
        raise ConfigError(msg) from None
    return counts


def subtract(reports: Sequence[Report], baseline: Counter[Key]) -> tuple[list[Report], int]:
    """The violations beyond the baseline's counts (later ones in a file count as new), and how many it hid."""
    remaining = Counter(baseline)
    kept: list[Report] = []
    hidden = 0
    for report in reports:
        key = key_of(report)
        if remaining[key] > 0:
            remaining[key] -= 1
            hidden += 1
        else:
            kept.append(report)
    return kept, hidden
