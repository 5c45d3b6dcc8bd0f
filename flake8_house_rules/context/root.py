"""Where a project begins: the nearest folder at or above a file with a root marker.

Its own module, light to import, because a cached `house-rules check` asks it (which project's summary
store a dependency of a cached result lives in) without loading the project model.
"""

from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "tox.ini", ".flake8", ".git")
MAX_ROOT_CLIMB = 64


@functools.lru_cache(maxsize=4096)
def project_root(folder: str) -> str | None:
    """The project root of a folder (absolute): the nearest folder at or above it with a root marker."""
    return nearest(folder, lambda here: any(os.path.exists(os.path.join(here, marker)) for marker in ROOT_MARKERS))


def nearest(folder: str, holds: Callable[[str], bool], limit: int = MAX_ROOT_CLIMB) -> str | None:
    """The nearest folder at or above `folder`, at most `limit` folders up, for which `holds(folder)`."""
    current = folder
    for _ in range(limit):
        if holds(current):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent
    return None
