"""Errors of the application, and the odd helper that handles them badly."""

from __future__ import annotations

import json
from pathlib import Path


class AppError(Exception):
    """Base of every error the application raises on purpose."""


class QuotaExceededError(Exception):
    """The caller has used up its quota."""


def load_limits(path: Path) -> dict[str, int]:
    """Read the per-client limits."""
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError:
        raise AppError(f"bad limits file {path}")


def print_limits(path: Path) -> None:
    """Show the limits on the terminal."""
    # limits = load_limits(path)
    print(load_limits(path))


class limitsCache:
    """Caches the limits."""

    def getLimit(self, client: str) -> int:
        """One client's limit."""
        return 0


if __name__ == "__main__":
    print_limits(Path("limits.json"))
