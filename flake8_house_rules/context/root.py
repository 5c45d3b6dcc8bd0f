"""Where a project begins: the nearest folder at or above a file with a root marker.

Its own module, light to import, because a cached `house-rules check` asks it (which project's summary
store a dependency of a cached result lives in) without loading the project model.
"""

from __future__ import annotations

import functools
import os

ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "tox.ini", ".flake8", ".git")
MAX_ROOT_CLIMB = 64


@functools.lru_cache(maxsize=4096)
def project_root(folder: str) -> str | None:
    """The project root of a folder (absolute): the nearest folder at or above it with a root marker."""
    current = folder
    for _ in range(MAX_ROOT_CLIMB):
        for marker in ROOT_MARKERS:
            if os.path.exists(os.path.join(current, marker)):
                return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent
    return None
