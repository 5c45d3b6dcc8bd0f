"""Baselines: today's violations, recorded so that a legacy codebase adopts the pack on new code only.

A baseline entry is keyed by a violation's fingerprint: the file (its path relative to the project root),
the code, the enclosing definition's qualified name (`""` at module level), and a digest of the violation's
own text (of its message, for a report at a bare position such as a module's missing docstring), with a
count: lines added above (a licence header, a new import), a block re-indented or moved, leave it matching;
changing the offending code, or adding one more such violation in the same definition, makes a violation
new. `check --baseline FILE` reports only the violations beyond the counts, and says how many entries
matched nothing (the violation was fixed: `house-rules baseline` rewrites the file smaller). The message is
written beside each entry for the reader; it is not part of the key. Files that could not be read or
parsed (`E902`, `E999`) are never recorded nor hidden: such a file is not checked at all.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

from flake8_house_rules.cli.results import PROBLEM_NAMES
from flake8_house_rules.config import ConfigError

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from flake8_house_rules.cli.output import Report

FORMAT = 2
Key = tuple[str, str, str, str]


def key_of(report: Report) -> Key:
    """The baseline key of a violation: file, code, enclosing definition, and its own text's digest."""
    d = report.diagnostic
    return report.key, d.code, d.scope, d.anchor


def render(reports: Sequence[Report]) -> str:
    """The baseline file for these violations, sorted, one entry per key with its count."""
    kept = [report for report in reports if report.diagnostic.code not in PROBLEM_NAMES]
    counts = Counter(key_of(report) for report in kept)
    messages: dict[Key, str] = {}
    for report in kept:
        messages.setdefault(key_of(report), report.diagnostic.message)
    entries = [
        {"file": file, "code": code, "scope": scope, "anchor": anchor, "count": count, "message": messages[key]}
        for key, count in sorted(counts.items())
        for file, code, scope, anchor in (key,)
    ]
    data = {"tool": "house-rules", "format": FORMAT, "violations": entries}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def load(path: str) -> Counter[Key]:
    """The counts of a baseline file; `ConfigError` when it cannot be read."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        if data.get("format") != FORMAT:
            msg = f"unsupported format {data.get('format')!r}: write it again with `house-rules baseline`"
            raise ValueError(msg)
        counts: Counter[Key] = Counter()
        for entry in data["violations"]:
            key = (str(entry["file"]), str(entry["code"]), str(entry["scope"]), str(entry["anchor"]))
            counts[key] += int(entry.get("count", 1))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        msg = f"option '--baseline' has a bad value {path!r}: cannot read it as a baseline ({exc})"
        raise ConfigError(msg) from None
    return counts


def subtract(
    reports: Sequence[Report], baseline: Counter[Key], checked: Collection[str]
) -> tuple[list[Report], int, int]:
    """The violations beyond the baseline's counts, how many it hid, and how many recorded ones match nothing.

    Later violations with one key count as new. Only entries of the `checked` files (by key) can be stale
    (fixed since, or changed): a run over some files says nothing of the others.
    """
    remaining = Counter(baseline)
    kept: list[Report] = []
    hidden = 0
    for report in reports:
        key = key_of(report)
        if report.diagnostic.code not in PROBLEM_NAMES and remaining[key] > 0:
            remaining[key] -= 1
            hidden += 1
        else:
            kept.append(report)
    return kept, hidden, sum(count for key, count in remaining.items() if count > 0 and key[0] in checked)
