"""Which files `house-rules check` lints: ruff's discovery, in Python.

- A file named on the command line is linted whatever its name, unless `--force-exclude` and an exclusion
  matches it or a folder above it (up to the project root).
- A folder is walked (symlinked folders are not followed): `.py` and `.pyi` files are linted, except those
  under an excluded path or ignored by git.
- An exclusion pattern (`exclude`, `extend-exclude`) is a glob matched, as ruff matches it, against the
  entry's absolute path with the pattern anchored at the project root (`build/*`, `src/**/legacy`), and,
  for a pattern without `/`, against the entry's name (`migrations`, `*_pb2.py`). `*` also crosses `/`.
- Inside a git work tree (a folder above holds `.git`), the `.gitignore` files of the walked folders and of
  the folders above them up to the work tree's root, and `.git/info/exclude`, are honoured with git's
  semantics (a deeper file wins, `!` re-includes, a pattern with a slash is anchored to its file's folder);
  `pathspec`'s `GitIgnoreSpec` matches each file's patterns. Outside a work tree `.gitignore` files are not
  read (ruff does the same). The user's global excludes file is not read.
"""

from __future__ import annotations

import contextlib
import functools
import os
import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import pathspec

#: ruff's default `exclude`, plus this command's own cache folder.
DEFAULT_EXCLUDE = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".house_rules_cache",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pyenv",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    ".vscode",
    "__pypackages__",
    "_build",
    "buck-out",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
)
PYTHON_SUFFIXES = (".py", ".pyi")
_GLOB_CHARS = re.compile(r"[*?\[{]")


def _translate(pattern: str) -> str:
    """A glob as a regular expression, as ruff's globset reads it: `*` crosses `/`, `**/` may be empty."""
    out: list[str] = []
    index, size = 0, len(pattern)
    while index < size:
        char = pattern[index]
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
            continue
        if char == "*":
            out.append(".*")
            while index < size and pattern[index] == "*":
                index += 1
            continue
        if char == "?":
            out.append(".")
        elif char == "[" and (close := pattern.find("]", index + 2)) != -1:
            body = pattern[index + 1 : close]
            negate = body[:1] in {"!", "^"}
            body = body[1:] if negate else body
            out.append(("[^" if negate else "[") + body.replace("\\", "\\\\") + "]")
            index = close
        elif char == "{" and (close := pattern.find("}", index)) != -1:
            choices = pattern[index + 1 : close].split(",")
            out.append("(?:" + "|".join(_translate(choice) for choice in choices) + ")")
            index = close
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


@functools.lru_cache(maxsize=512)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """A compiled glob that must match a whole path."""
    return re.compile(_translate(pattern) + r"\Z", re.DOTALL)


@dataclass(frozen=True, slots=True)
class PathMatcher:
    """Glob patterns as ruff's exclusions and per-file-ignores match them: anchored at the root, or by name."""

    paths: frozenset[str]  # patterns without glob characters are compared, not matched
    names: frozenset[str]
    anchored: tuple[re.Pattern[str], ...]
    by_name: tuple[re.Pattern[str], ...]

    @classmethod
    def build(cls, patterns: Iterable[str], root: str, *, builtin: Iterable[str] = ()) -> PathMatcher:
        """User patterns are anchored at `root` and, without a slash, also match a name; built-ins match as is."""
        whole: list[str] = []
        last: list[str] = []
        for pattern in builtin:
            whole.append(pattern)
            last.append(pattern)
        base = root.replace(os.sep, "/").rstrip("/")
        for pattern in patterns:
            text = pattern.replace(os.sep, "/")
            whole.append(posixpath.normpath(text if text.startswith("/") else f"{base}/{text}"))
            if "/" not in text:
                last.append(text)
        return cls(
            frozenset(item for item in whole if not _GLOB_CHARS.search(item)),
            frozenset(item for item in last if not _GLOB_CHARS.search(item)),
            tuple(compile_glob(item) for item in whole if _GLOB_CHARS.search(item)),
            tuple(compile_glob(item) for item in last if _GLOB_CHARS.search(item)),
        )

    def matches(self, path: str) -> bool:
        """Whether an absolute POSIX path, or its last part, matches."""
        name = path.rsplit("/", 1)[-1]
        if name in self.names or path in self.paths:
            return True
        return any(p.match(path) for p in self.anchored) or any(p.match(name) for p in self.by_name)


@dataclass(frozen=True, slots=True)
class _IgnoreFile:
    """The patterns of one `.gitignore` (or `info/exclude`), and the folder they are relative to."""

    base: str  # absolute POSIX folder
    patterns: tuple[pathspec.Pattern, ...]

    def decide(self, path: str, is_dir: bool) -> bool | None:
        """True (ignored), False (re-included by `!`) or None (no pattern of this file matches)."""
        relative = path[len(self.base) + 1 :] if self.base != "/" else path[1:]
        if is_dir:
            relative += "/"
        for pattern in reversed(self.patterns):
            if pattern.include is not None and pattern.match_file(relative) is not None:
                return bool(pattern.include)
        return None


def _read_ignore_file(path: str, base: str) -> _IgnoreFile | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    import pathspec  # noqa: PLC0415 - costs more to import than a cached run takes; only for .gitignore files

    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    patterns = tuple(pattern for pattern in spec.patterns if pattern.include is not None)
    return _IgnoreFile(base, patterns) if patterns else None


def _posix(path: str) -> str:
    return path.replace(os.sep, "/")


def git_root(folder: str) -> str | None:
    """The work tree root at or above `folder`: the nearest folder that holds `.git`."""
    here = folder
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


@dataclass
class Discovery:
    """Walks paths into the list of files to lint, with the exclusions and git ignores of one project."""

    root: str
    exclude: PathMatcher
    respect_gitignore: bool = True
    force_exclude: bool = False
    _ignore_cache: dict[str, _IgnoreFile | None] = field(default_factory=dict)

    def is_excluded(self, path: str) -> bool:
        """Whether an absolute path or a folder above it (up to the project root) matches an exclusion."""
        here = _posix(os.path.abspath(path))
        root = _posix(self.root)
        while True:
            if self.exclude.matches(here):
                return True
            parent = posixpath.dirname(here)
            if here in {root, parent}:
                return False
            here = parent

    def files(self, paths: Sequence[str]) -> list[str]:
        """Absolute paths of the files to lint under `paths` (each must exist), sorted, without repeats."""
        found: dict[str, None] = {}
        for given in paths:
            path = os.path.abspath(given)
            if os.path.isdir(path):
                if self.force_exclude and self.is_excluded(path):
                    continue
                for file in self._walk(path):
                    found.setdefault(file)
            elif not (self.force_exclude and self.is_excluded(path)):
                found.setdefault(path)
        return sorted(found)

    def _ignore_file(self, folder: str, name: str, base: str) -> _IgnoreFile | None:
        key = os.path.join(folder, name)
        if key not in self._ignore_cache:
            self._ignore_cache[key] = _read_ignore_file(key, _posix(base))
        return self._ignore_cache[key]

    def _initial_ignores(self, folder: str) -> tuple[_IgnoreFile, ...]:
        """The ignore files that apply in `folder` from above it: info/exclude, then `.gitignore` downwards."""
        if not self.respect_gitignore:
            return ()
        top = git_root(folder)
        if top is None:
            return ()
        found: list[_IgnoreFile] = []
        exclude = self._ignore_file(os.path.join(top, ".git", "info"), "exclude", top)
        if exclude is not None:
            found.append(exclude)
        chain = [folder]
        while chain[-1] != top:
            chain.append(os.path.dirname(chain[-1]))
        for here in reversed(chain[1:]):  # the folders above `folder`; its own file is read by the walk
            ignore = self._ignore_file(here, ".gitignore", here)
            if ignore is not None:
                found.append(ignore)
        return tuple(found)

    @staticmethod
    def _ignored(ignores: tuple[_IgnoreFile, ...], path: str, is_dir: bool) -> bool:
        for ignore in reversed(ignores):
            decision = ignore.decide(path, is_dir)
            if decision is not None:
                return decision
        return False

    def _walk(self, start: str) -> list[str]:
        files: list[str] = []
        in_git = self.respect_gitignore and git_root(start) is not None
        stack: list[tuple[str, tuple[_IgnoreFile, ...]]] = [(start, self._initial_ignores(start))]
        while stack:
            folder, ignores = stack.pop()
            if in_git:
                own = self._ignore_file(folder, ".gitignore", folder)
                if own is not None:
                    ignores = (*ignores, own)
            entries: list[os.DirEntry[str]] = []
            with contextlib.suppress(OSError):  # a folder that cannot be read holds nothing to lint
                entries = list(os.scandir(folder))
            for entry in entries:
                path = _posix(entry.path)
                is_dir: bool | None = None
                with contextlib.suppress(OSError):  # an entry that vanished or cannot be read is passed over
                    is_dir = entry.is_dir(follow_symlinks=False)
                if is_dir is None:
                    continue
                if not is_dir and not entry.name.endswith(PYTHON_SUFFIXES):
                    continue
                if self.exclude.matches(path) or (ignores and self._ignored(ignores, path, is_dir)):
                    continue
                if is_dir:
                    stack.append((entry.path, ignores))
                else:
                    files.append(entry.path)
        return files
