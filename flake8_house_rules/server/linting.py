"""What the language server asks of the engine: each document linted under its own project's configuration.

The server is a thin face over the same pieces the command uses: `Project.locate` finds the nearest
`pyproject.toml` above the document (its `[tool.flake8-house-rules]` table is the document's configuration),
the client's settings become command-line overrides (`select`, `ignore`, `extend-select`), and one `Linter`
per project lints the in-memory buffer, with the rest of the project read from disk. A project's linter is
kept until a configuration file changes (the server drops it on `workspace/didChangeWatchedFiles`) or the
client's settings change.
"""

from __future__ import annotations

import dataclasses
import io
import os
import tokenize
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flake8_house_rules.cli.fix import FixSettings, table_fix_settings
from flake8_house_rules.cli.lint import Linter
from flake8_house_rules.cli.settings import Overrides, Project
from flake8_house_rules.config import ConfigError
from flake8_house_rules.paths import normalise_path, target_version

if TYPE_CHECKING:
    from collections.abc import Iterable

    from flake8_house_rules.cli.results import Diagnostic, FileResult
    from flake8_house_rules.cli.settings import Settings


def encoded(text: str) -> bytes:
    """A buffer's text as the bytes of its file: UTF-8, or the encoding its coding line declares (PEP 263).

    So the engine, which reads bytes as Python does, sees the same characters the editor shows.
    """
    data = text.encode("utf-8", "surrogatepass")
    if "coding" not in text[:400]:
        return data
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data if encoding in {"utf-8", "utf-8-sig"} else text.encode(encoding)
    except (SyntaxError, LookupError, UnicodeEncodeError):
        return data


@dataclass(frozen=True, slots=True)
class ClientSettings:
    """What the editor's settings say: rule selection over the project's, and whether unsafe fixes are offered."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fix_unsafe: bool = False

    @classmethod
    def from_data(cls, data: object) -> ClientSettings:
        """Read the settings object a client sends (`initializationOptions` or `house-rules` configuration).

        Keys may be spelled as in `pyproject.toml` (`extend-select`, `fix-unsafe`) or in camelCase
        (`extendSelect`, `fixUnsafe`); anything else, or a value of the wrong type, is ignored.
        """
        if not isinstance(data, dict):
            return cls()
        nested = data.get("house-rules", data.get("houseRules"))
        if isinstance(nested, dict):
            data = nested

        def codes(*keys: str) -> tuple[str, ...] | None:
            for key in keys:
                value = data.get(key)
                if isinstance(value, str):
                    value = [value]
                if isinstance(value, list) and all(isinstance(item, str) for item in value):
                    return tuple(item.strip().upper() for item in value if item.strip())
            return None

        fix_unsafe = data.get("fix-unsafe", data.get("fixUnsafe", data.get("unsafe-fixes", False)))
        return cls(
            select=codes("select"),
            extend_select=codes("extend-select", "extendSelect") or (),
            ignore=codes("ignore") or (),
            fix_unsafe=fix_unsafe is True,
        )

    def overrides(self) -> Overrides:
        """These settings as the command's overrides: they win over the project's table, as flags do."""
        return Overrides(select=self.select, extend_select=self.extend_select, ignore=self.ignore)


@dataclass(slots=True)
class Outcome:
    """What linting one buffer gave: diagnostics (`E999` for a buffer that does not parse), or problems."""

    diagnostics: tuple[Diagnostic, ...] = ()
    problems: tuple[str, ...] = ()


class ProjectLinter(Linter):
    """A project's `Linter`, with what the project (and the client) allow to fix: the command's `--fix` settings.

    Unsafe fixes are allowed when the client's `fix-unsafe` or the project's `unsafe-fixes` says so;
    `fixable` and `unfixable` come from the project's table, as for `house-rules check --fix`.
    """

    def __init__(self, settings: Settings, fixes: FixSettings) -> None:
        super().__init__(settings)
        self.fixes = fixes

    def lint_text(self, text: str, path: str) -> FileResult:
        """Lint a buffer's text as the file at `path`, encoded as its coding line (if any) declares."""
        return self.lint_bytes(encoded(text), path, path)

    def target(self, path: str) -> tuple[int, int]:
        """The Python version the file at `path` targets (what a fixed buffer must still parse on)."""
        config = self.settings.config
        return target_version(normalise_path(path, config.cwd), config)


@dataclass(slots=True)
class Linters:
    """One `Linter` per project root, built on first use under the current client settings."""

    settings: ClientSettings = field(default_factory=ClientSettings)
    folders: tuple[str, ...] = ()
    _by_root: dict[str, ProjectLinter | ConfigError] = field(default_factory=dict)
    _projects: dict[str, Project] = field(default_factory=dict)

    def reset(self, settings: ClientSettings | None = None, folders: Iterable[str] | None = None) -> None:
        """Forget every project (a configuration file or the client's settings changed)."""
        if settings is not None:
            self.settings = settings
        if folders is not None:
            self.folders = tuple(os.path.abspath(folder) for folder in folders)
        self._by_root.clear()
        self._projects.clear()

    def project_for(self, path: str) -> Project:
        """The project a file belongs to: the nearest `pyproject.toml` above it, else its workspace folder."""
        folder = os.path.dirname(path)
        project = self._projects.get(folder)
        if project is None:
            project = Project.locate(folder)
            if project.pyproject is None:
                inside = [root for root in self.folders if path.startswith(root.rstrip(os.sep) + os.sep)]
                if inside:
                    project = Project.locate(max(inside, key=len))
            self._projects[folder] = project
        return project

    def linter_for(self, path: str) -> ProjectLinter | ConfigError:
        """The linter of the file's project, or the configuration error that stops it from being built."""
        project = self.project_for(path)
        found = self._by_root.get(project.root)
        if found is None:
            from flake8_house_rules.rule import load_rules  # noqa: PLC0415 - the registry loads on first lint

            try:
                settings = project.resolve(self.settings.overrides(), load_rules())
                fixes = table_fix_settings(project.table, project.pyproject, {})
                if self.settings.fix_unsafe:
                    fixes = dataclasses.replace(fixes, unsafe=True)
                found = ProjectLinter(settings, fixes)
            except ConfigError as exc:
                found = exc
            self._by_root[project.root] = found
        return found

    def lint(self, path: str, text: str) -> Outcome:
        """Lint a buffer's text as the file at `path` (absolute), with the rest of its project read from disk."""
        linter = self.linter_for(path)
        if isinstance(linter, ConfigError):
            return Outcome(problems=(f"house-rules: configuration error: {linter}",))
        result = linter.lint_text(text, path)
        return Outcome(result.diagnostics, problems=(*result.warnings, *result.errors))
