"""The projects of one command run: each file is checked under the configuration of its own project.

A file's project is the nearest `[tool.flake8-house-rules]` table at or above it (`sources.find_table`), as
ruff takes each file's closest configuration; a file under no table belongs to the run's own project (the
working directory's). Each project's `Settings` are validated once and kept; the cache's fingerprint covers
every project the run's files belong to, so that editing any of their tables invalidates what they gave.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from flake8_house_rules.cli.settings import Project
from flake8_house_rules.sources import find_table
from flake8_house_rules.stamps import blake2b

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from flake8_house_rules.cli.settings import Overrides, Settings
    from flake8_house_rules.rule import Rule


class Projects:
    """The run's own project and those of the files' own tables, each with its settings built once."""

    def __init__(self, default: Project, overrides: Overrides, *, hierarchical: bool = True) -> None:
        self.default = default
        self.overrides = overrides
        self.hierarchical = hierarchical  # False (`--config`): every file takes the run's own project
        self._by_folder: dict[str, Project] = {}
        self._by_root: dict[str, Project] = {default.root: default}
        self._settings: dict[str, Settings] = {}

    def project_of(self, path: str) -> Project:
        """The project of a file (an absolute or relative path)."""
        if not self.hierarchical:
            return self.default
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in self._by_folder:
            table = find_table(folder)
            if table is None or table.root is None:
                project = self.default
            elif table.root in self._by_root:
                project = self._by_root[table.root]
            else:
                project = self._by_root[table.root] = Project.of_table(table)
            self._by_folder[folder] = project
        return self._by_folder[folder]

    def group(self, paths: Iterable[str]) -> dict[str, list[str]]:
        """The paths by the root of their project, in the order given (the run's own project first)."""
        groups: dict[str, list[str]] = {self.default.root: []}
        for path in paths:
            groups.setdefault(self.project_of(path).root, []).append(path)
        return {root: members for root, members in groups.items() if members}

    def project(self, root: str) -> Project:
        """A project seen so far, by its root."""
        return self._by_root[root]

    def settings(self, root: str, registry: Mapping[str, type[Rule]] | None = None) -> Settings:
        """The validated settings of the project at `root` (built on first need; the pack's rules by default)."""
        if root not in self._settings:
            if registry is None:
                from flake8_house_rules.rule import load_rules  # noqa: PLC0415 - a cached run needs no rules

                registry = load_rules()
            self._settings[root] = self._by_root[root].resolve(self.overrides, registry)
        return self._settings[root]

    def validate(self, paths: Iterable[str], registry: Mapping[str, type[Rule]] | None = None) -> tuple[str, ...]:
        """Build the settings of every project of these paths (a bad one raises); their warnings."""
        warnings: list[str] = []
        for root in (self.default.root, *self.group(paths)):
            warnings.extend(self.settings(root, registry).warnings)
        return tuple(dict.fromkeys(warnings))

    def fingerprint(self, paths: Iterable[str]) -> str:
        """The run's own project's fingerprint, combined with that of every other project of these paths."""
        own = self.default.fingerprint(self.overrides)
        others = sorted(root for root in self.group(paths) if root != self.default.root)
        if not others:
            return own
        digest = blake2b(digest_size=16)
        digest.update(own.encode())
        for root in others:
            digest.update(b"\0" + self._by_root[root].fingerprint(self.overrides).encode())
        return digest.hexdigest()[:20]
