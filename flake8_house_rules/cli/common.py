"""What every part of the command shares: its name and the error that ends a run with status 2."""

from __future__ import annotations

PROG = "house-rules"
DEFAULT_BASELINE = "house-rules-baseline.json"


class UsageError(Exception):
    """A command line or configuration the command cannot run with; exit status 2."""


def codes(text: str) -> list[str]:
    """A comma- or space-separated flag value as its items."""
    return [item.strip() for item in text.replace(" ", ",").split(",") if item.strip()]
