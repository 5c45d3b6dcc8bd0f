"""The result cache, modelled on ruff's: one ignorable folder at the project root.

`.house_rules_cache/` holds a `.gitignore` of `*` (so git, and this command, skip it), a `CACHEDIR.TAG`, and
one file per pack version and configuration fingerprint (`0.1.0/<fingerprint>`; the fingerprint digests the
pack's code, the Python version, the project's `pyproject.toml`, the tool files beside it that rules read
(`settings.TOOL_FILES`) and the flags). That file maps each checked
file's path to the digest of its content, its target Python version, what checking it gave, the
summaries of the other modules it used (each module's path and content digest, or whether it was found as a
file or a package: see `context/project.py`), and the file's stamp. A file whose content, target version,
configuration or pack changed, or one of whose imported modules changed, is checked again; nothing else is.

The stamp (`stamps.py`: size, modification and change times, inode, none for a file changed in the last
two seconds) spares reading and hashing a file whose stamp is unchanged, as git's index does. A file with
another stamp, or none, is read and hashed; when its content is unchanged after all (a `touch`, a
checkout), the entry takes the new stamp. A folder
found where a cache file goes (the cache's own subfolder, so nothing of the user's) is replaced. Results
with an internal error are never stored, so a crash is reported on every run until it is fixed. Entries of
files that no longer exist are dropped when the cache is written.

The file is written with `marshal` (plain tuples, strings and bytes: fast, and loading it runs no code), to
a temporary name and then renamed, so a run that stops half-way leaves the previous cache intact.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flake8_house_rules import __version__
from flake8_house_rules.cli.results import FileResult
from flake8_house_rules.context.summary_cache import load_marshal, still_current, use_folder

if TYPE_CHECKING:
    from collections.abc import Iterable

    from flake8_house_rules.stamps import Stamp

CACHE_DIR_NAME = ".house_rules_cache"
#: The cache folders this process made a `Cache` for (none with `--no-cache`).
CHOSEN: list[str] = []
FORMAT = 3
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by house-rules.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


@dataclass(frozen=True, slots=True)
class UsingResult(FileResult):
    """A file's result with the summaries of other modules it used (`(path, digest)` pairs).

    It is stale once any of them changes (`context/summary_cache.py`), as when an imported module becomes
    a package.
    """

    uses: tuple[tuple[str, bytes], ...] = ()


class Cache:
    """The stored results of one configuration."""

    def __init__(self, folder: str, fingerprint: str) -> None:
        use_folder(folder)  # the module summaries of the project model live beside the results
        CHOSEN.append(folder)
        self.folder = folder
        self.path = os.path.join(folder, __version__, fingerprint)
        self.entries: dict[str, tuple[Any, ...]] = {}  # Any: marshal-able parts of a FileResult
        self.warnings: tuple[str, ...] = ()
        self.found = False
        self._changed = False

    def load(self) -> bool:
        """Read the stored results; `False` when there are none for this configuration."""
        try:
            data = load_marshal(self.path)
        except (OSError, EOFError, ValueError, TypeError):
            return False
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return False
        self.entries = data["entries"]
        self.warnings = tuple(data["warnings"])
        self.found = True
        return True

    def get_stamped(self, key: str, stamp: Stamp | None, target: tuple[int, int]) -> tuple[bool, FileResult | None]:
        """Whether a file's stamp is the one stored with it, and then its stored result.

        A matching stamp says the content is unchanged (no need to read it); the result is `None` when a
        module the file used changed since.
        """
        entry = self.entries.get(key)
        if stamp is None or entry is None or entry[5] != stamp or entry[1] != target:
            return False, None
        return True, self._current(entry)

    def get(self, key: str, digest: bytes, target: tuple[int, int], stamp: Stamp | None = None) -> FileResult | None:
        """The stored result of a file, if its content and target version are unchanged (it takes `stamp`)."""
        entry = self.entries.get(key)
        if entry is None or entry[0] != digest or entry[1] != target:
            return None
        found = self._current(entry)
        if found is not None and entry[5] != stamp:
            self.entries[key] = (*entry[:5], stamp)
            self._changed = True
        return found

    def _current(self, entry: tuple[Any, ...]) -> FileResult | None:  # Any: marshal-able parts of a FileResult
        if entry[4] and not still_current(entry[4]):
            return None  # a module it imports changed (or moved, or became a package)
        return FileResult.from_data((entry[0], entry[2], entry[3]))

    def put(self, key: str, target: tuple[int, int], result: FileResult, stamp: Stamp | None = None) -> None:
        """Store a file's result (unless it had an internal error or could not be read), with its stamp."""
        if result.errors or not result.digest:
            self.entries.pop(key, None)
            return
        digest, diagnostics, found = result.to_data()
        self.entries[key] = (digest, target, diagnostics, found, getattr(result, "uses", ()), stamp)
        self._changed = True

    def save(self, seen: Iterable[str], warnings: tuple[str, ...], exists: Any) -> None:  # Any: a path predicate
        """Write the cache if anything changed, dropping entries of files that are gone."""
        seen = set(seen)
        for key in [key for key in self.entries if key not in seen and not exists(key)]:
            del self.entries[key]
            self._changed = True
        if not self._changed and self.found and warnings == self.warnings:
            return
        data = {"format": FORMAT, "warnings": warnings, "entries": self.entries}
        with contextlib.suppress(OSError):  # a read-only tree is still checked, just not cached
            self._prepare()
            temporary = f"{self.path}.{os.getpid()}.tmp"
            if os.path.isdir(self.path) and not os.path.islink(self.path):
                import shutil  # noqa: PLC0415 - only to repair a cache folder

                shutil.rmtree(self.path)  # a folder where this cache file goes: the cache would stay off
            try:
                with open(temporary, "wb") as out:
                    marshal.dump(data, out)
                os.replace(temporary, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise

    def _prepare(self) -> None:
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        for name, text in (
            (".gitignore", "# Automatically created by house-rules.\n*\n"),
            ("CACHEDIR.TAG", CACHEDIR_TAG),
        ):
            marker = os.path.join(self.folder, name)
            if not os.path.exists(marker):
                with open(marker, "w", encoding="utf-8") as out:
                    out.write(text)


def clean(folder: str) -> bool:
    """Remove a cache folder; `False` when there was none."""
    import shutil  # noqa: PLC0415 - only `house-rules clean` needs it

    if not os.path.isdir(folder):
        return False
    shutil.rmtree(folder)
    return True
