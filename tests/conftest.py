"""Shared helpers for the test suite."""

from __future__ import annotations

import re

from flake8_house_rules.rule import Example

MARKER_RE = re.compile(r"\s*#\s*error:\s*(HR\d{3}(?:\s*,\s*HR\d{3})*)\s*$")


def as_example(example: str | Example) -> Example:
    """Any example as an `Example`."""
    return example if isinstance(example, Example) else Example(example)


def split_markers(code: str) -> tuple[str, list[tuple[int, str]]]:
    """Remove `# error: HR101` markers; return the clean code and the expected `(line, code)` pairs."""
    clean, expected = [], []
    for number, line in enumerate(code.splitlines(), start=1):
        found = MARKER_RE.search(line)
        if found:
            expected.extend((number, code.strip()) for code in found.group(1).split(","))
        clean.append(line[: found.start()] if found else line)
    return "\n".join(clean) + "\n", sorted(expected)
