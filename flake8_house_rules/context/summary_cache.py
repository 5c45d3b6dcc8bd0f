"""The on-disk cache of module summaries, shared by the flake8 plugin and the `house-rules` command.

Summaries are kept in one file per project and pack version: `<root>/.house_rules_cache/<version>/summaries`
(beside the command's result cache; the folder holds a `.gitignore` of `*` and a `CACHEDIR.TAG`). Each entry
is keyed by the module's path and records its stamp (`stamps.py`: size, modification and change times,
inode; none for a file changed in the last two seconds) and content digest: a module whose stamp is
unchanged is taken as it is, any other is read and hashed, and rebuilt only when its content changed.
The environment variable `HOUSE_RULES_SUMMARY_CACHE` moves the folder
(`HOUSE_RULES_SUMMARY_CACHE=/tmp/hr`) or turns the cache off (`HOUSE_RULES_SUMMARY_CACHE=off`, also `0`,
`false`, `no` or empty). The `house-rules` command keeps them in its own cache folder instead
(`--cache-dir`, `HOUSE_RULES_CACHE_DIR`) and keeps none with `--no-cache`. A tree with no root marker
above it (an installed package) is never written to. A project that cannot be written is still linted:
summaries are then built once per process and not kept.

Each process loads the file at most once, when a summary is first asked for, and writes it back (merged
with what other processes wrote meanwhile) when it exits, only if it built anything. The file is written
with `marshal` (plain tuples and strings: loading it runs no code) to a temporary name and renamed.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import marshal
import os
from typing import TYPE_CHECKING

from flake8_house_rules import __version__
from flake8_house_rules.context.root import project_root
from flake8_house_rules.stamps import content_digest, stamp_of

if TYPE_CHECKING:
    from collections.abc import Iterable

    from flake8_house_rules.context.summary import ModuleSummary
    from flake8_house_rules.stamps import Stamp

ENVIRONMENT = "HOUSE_RULES_SUMMARY_CACHE"
_STORES: dict[str | None, SummaryStore] = {}
FOLDER = ".house_rules_cache"
FORMAT = 7  # 2: an async def, a generator or a wrapped function returns no known kind; 3: `class_=` factories;
#            4: short string constants (`("text", value)`); 5: stamps (`stamps.py`) for size and time;
#            6: `("def", callee, "n")` for a function that never returns; 7: `("described",)` aliases
OFF = frozenset({"", "0", "off", "false", "no"})
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by house-rules.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
#: The digest recorded for a dependency that is a folder (a package without `__init__.py`) or a file whose
#: content was not read, only found.
FOLDER_MARK = b"<folder>"
FILE_MARK = b"<file>"

Entry = tuple["Stamp | None", bytes, tuple[object, ...]]


#: The folder a front end chose for this process (`use_folder`); `False` while none chose.
_CHOSEN: list[str | None] = []
_CURRENT: dict[tuple[str, bytes], bool] = {}


def load_marshal(path: str) -> object:
    """A `marshal` file's content, read whole and decoded with the cyclic collector paused.

    `marshal.load` on an open file reads it a few bytes at a time, and decoding a cache of many small tuples
    would otherwise start several collector passes over objects that cannot be garbage: together about ten
    times the cost of decoding the bytes (65 ms against 6 ms for a 1.9 MB result cache).
    """
    with open(path, "rb") as handle:
        data = handle.read()
    paused = gc.isenabled()
    gc.disable()
    try:
        return marshal.loads(data)
    finally:
        if paused:
            gc.enable()


def use_folder(folder: str | None) -> None:
    """Keep the summaries in this folder for the rest of the process (`None`: keep none).

    The `house-rules` command keeps them in its own cache folder (`--cache-dir`, `HOUSE_RULES_CACHE_DIR`),
    and keeps none with `--no-cache`.
    """
    _CHOSEN[:] = [folder]
    _STORES.clear()
    _CURRENT.clear()


def cache_folder(root: str) -> str | None:
    """Where the summaries of a project are kept, or `None` when the cache is turned off."""
    setting = os.environ.get(ENVIRONMENT)  # noqa: HR401 - a tool's own switch; it has no settings class
    if setting is not None and setting.strip().lower() in OFF:
        return None
    if _CHOSEN:
        return _CHOSEN[0]
    return os.path.abspath(setting) if setting else os.path.join(root, FOLDER)


class SummaryStore:
    """The stored summaries of one project (see the module docstring)."""

    def __init__(self, folder: str | None) -> None:
        self.folder = folder
        self.path = os.path.join(folder, __version__, "summaries") if folder is not None else None
        self.entries: dict[str, Entry] = {}
        self._loaded = folder is None
        self._changed = False
        self._pid = os.getpid()
        self._registered = 0
        self._digests: dict[str, bytes] = {}

    def load(self) -> None:
        """Read the stored summaries once (nothing when there are none or they cannot be read)."""
        if self._loaded:
            return
        self._loaded = True
        self.entries = self._read()

    def _read(self) -> dict[str, Entry]:
        if self.path is None:
            return {}
        try:
            data = load_marshal(self.path)
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("entries"), dict):
            return {}
        return data["entries"]

    def get(self, path: str, module: str) -> tuple[ModuleSummary, bytes] | None:
        """A module's stored summary and content digest, when the file has not changed since; else `None`."""
        self.load()
        entry = self.entries.get(path)
        if entry is None:
            return None
        try:
            stamp = stamp_of(path)  # before the file is read, if it is
        except OSError:
            return None
        stored, digest, data = entry
        if stamp is None or stamp != stored:
            current = _file_digest(path)
            if current != digest:
                return None
            if stamp != stored:
                self.entries[path] = (stamp, digest, data)
                self._changed = True
        try:
            from flake8_house_rules.context.summary import ModuleSummary  # noqa: PLC0415 - a warm check needs none

            summary = ModuleSummary.from_data(data)
        except (TypeError, ValueError):
            return None
        if summary.module != module:
            return None
        self._digests[path] = digest
        return summary, digest

    def put(self, path: str, digest: bytes, summary: ModuleSummary, stamp: Stamp | None) -> None:
        """Keep a module's summary under the stamp its file had before the content it was built from was read."""
        self._digests[path] = digest
        if self.path is None:
            return
        self.entries[path] = (stamp, digest, summary.to_data())
        self._changed = True
        if self._registered != os.getpid():
            _register(self)

    def digest_of(self, path: str) -> bytes:
        """The content digest of a module whose summary this process has used (`b""` when unknown)."""
        return self._digests.get(path, b"")

    def current(self, path: str, recorded: bytes) -> bool:
        """Whether a dependency recorded as `(path, digest)` still holds (the command's cache asks this)."""
        if recorded == FOLDER_MARK:
            return os.path.isdir(path) and not os.path.isfile(os.path.join(path, "__init__.py"))
        if recorded == FILE_MARK:
            return os.path.isfile(path)
        if not recorded:
            return not os.path.exists(path)
        self.load()
        entry = self.entries.get(path)
        if entry is not None:
            try:
                stamp = stamp_of(path)
            except OSError:
                return False
            if stamp is not None and stamp == entry[0]:
                return entry[1] == recorded
        return _file_digest(path) == recorded

    def save(self) -> None:
        """Write the summaries back if this process built any, merged with what others wrote meanwhile."""
        if not self._changed or self.path is None or os.getpid() != self._pid:
            return
        self._changed = False
        with contextlib.suppress(OSError):  # a read-only project is still linted, just not cached
            merged = self._read()
            merged.update(self.entries)
            folder = os.path.dirname(self.path)
            os.makedirs(folder, exist_ok=True)
            _mark(self.folder or folder)
            temporary = f"{self.path}.{os.getpid()}.tmp"
            try:
                with open(temporary, "wb") as out:
                    marshal.dump({"format": FORMAT, "entries": merged}, out)
                os.replace(temporary, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise


def _file_digest(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return content_digest(handle.read())
    except OSError:
        return b""


def _mark(folder: str) -> None:
    for name, text in (
        (".gitignore", "# Automatically created by house-rules.\n*\n"),
        ("CACHEDIR.TAG", CACHEDIR_TAG),
    ):
        marker = os.path.join(folder, name)
        if not os.path.exists(marker):
            with open(marker, "w", encoding="utf-8") as out:
                out.write(text)


def _register(store: SummaryStore) -> None:
    """Save the store when this process ends: at exit, or as a worker process of `multiprocessing` ends."""
    store._pid = os.getpid()
    if store._registered == store._pid:
        return
    store._registered = store._pid
    atexit.register(store.save)
    from multiprocessing import util  # noqa: PLC0415 - imported when a store is first used, not by every run

    util.Finalize(store, store.save, exitpriority=10)


def store_for(root: str) -> SummaryStore:
    """The summary store of a project root, one per process."""
    folder = cache_folder(root)
    found = _STORES.get(folder)
    if found is None:
        found = _STORES[folder] = SummaryStore(folder)
    return found


def still_current(uses: Iterable[tuple[str, bytes]]) -> bool:
    """Whether every summary (or module location) a cached result used is unchanged.

    Each dependency is checked once per process (by size and time against the stored summaries where it
    can, else by reading and hashing the file), however many results share it.
    """
    for path, recorded in uses:
        key = (path, recorded)
        known = _CURRENT.get(key)
        if known is None:
            known = _CURRENT[key] = _owner(path).current(path, recorded)
        if not known:
            return False
    return True


def _owner(path: str) -> SummaryStore:
    """The store that holds a module's summary: its project's (found by the root markers above it)."""
    root = project_root(os.path.dirname(path))
    return store_for(root) if root is not None else SummaryStore(None)
