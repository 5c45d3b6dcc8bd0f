"""The project model: which module an imported name comes from, and what that module says it is.

The unit is the project, not the file. A project is the folder tree under its **root**: the nearest folder
at or above a file that holds `pyproject.toml`, `setup.cfg`, `tox.ini`, `.flake8` or `.git`; for a file in
a package with no such folder above it (an unpacked wheel, an installed package), the folder above its
topmost package (its summaries are then not cached on disk). Any other file (bare stdin, a script with no
marker above it) belongs to no project, and every name it imports from elsewhere stays unknown.

**Module names.** A module's dotted name comes from its packages: the folders above it that hold an
`__init__.py` (`app/users/store.py` under `app/__init__.py` and `app/users/__init__.py` is
`app.users.store`); a module outside any package is named from the project root, or from `src/` when it
sits there (a namespace package). A dotted name is found on disk under the folder its importer's packages
start from, the project root, or `src/` (in that order): a `.py` file, or a folder (a package, with or
without `__init__.py`). Relative imports are resolved against the importer's own package.

**Summaries.** What another module may ask of a module is its `ModuleSummary` (`context/summary.py`): read
from its tree once per run, only when an import reaches it, and kept in a cache on disk (see
`SummaryStore`). `Project.resolve(dotted)` follows a name through imports and re-exports (`__init__.py`
files) to where it is bound; a star import, a name bound several ways, a module that does not parse and an
import cycle all end in "unknown". A name from outside the project (a library) is never read: only the
libraries the pack knows mean anything (`pydantic.BaseModel`, `fastapi.APIRouter`, ...), and only by name.

**What a name is.** `Project.ancestry(dotted)` gives a project class's bases across modules, in the same
form as `ClassHierarchy` (`names`, `complete`); `Project.kind(dotted)` what a module-level name holds
(`router`, `app`, `factory`, `engine`, `http_client`, `structlog_logger`, `stdlib_logger`, `session`,
`orm_base`), and for a function, what it returns (`returns:<kind>`). Unknown is `None`, and rules stay
silent on it.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import os
import re
import time
import unicodedata
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flake8_house_rules.context.root import MAX_ROOT_CLIMB, project_root
from flake8_house_rules.context.schemaless import schemaless_routers
from flake8_house_rules.context.summary import ModuleSummary, absolute, summarise, unparsable
from flake8_house_rules.context.summary_cache import FILE_MARK, FOLDER_MARK, store_for
from flake8_house_rules.stamps import content_digest, stamp_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from flake8_house_rules.context import ModuleContext
    from flake8_house_rules.context.summary_cache import SummaryStore
    from flake8_house_rules.stamps import Stamp

#: A `def`, `async def`, `class` or decorator at the start of a line, not indented (`Project.lacks_words`).
TOP_DEFINITION = re.compile(rb"^(?:@|(?:async[ \t\f]+)?(?:def|class)[ \t\f])", re.MULTILINE)
MAX_DEPTH = 24
MAX_CLASSES = 64
#: How many folders without `__init__.py` a module of a marker-less tree may sit in below a package.
NAMESPACE_CLIMB = 2

#: What a call of a known library callable builds.
KNOWN_CALLS: dict[str, str] = {
    "fastapi.FastAPI": "app",
    "fastapi.applications.FastAPI": "app",
    "fastapi.APIRouter": "router",
    "fastapi.routing.APIRouter": "router",
    "sqlalchemy.orm.sessionmaker": "factory",
    "sqlalchemy.orm.session.sessionmaker": "factory",
    "sqlalchemy.ext.asyncio.async_sessionmaker": "factory",
    "sqlalchemy.ext.asyncio.session.async_sessionmaker": "factory",
    "sqlalchemy.orm.scoped_session": "session",
    "sqlalchemy.orm.scoping.scoped_session": "session",
    "sqlalchemy.ext.asyncio.async_scoped_session": "session",
    "sqlalchemy.create_engine": "engine",
    "sqlalchemy.engine.create_engine": "engine",
    "sqlalchemy.ext.asyncio.create_async_engine": "engine",
    "sqlmodel.create_engine": "engine",
    "httpx.AsyncClient": "http_client",
    "httpx.Client": "http_client",
    "structlog.get_logger": "structlog_logger",
    "structlog.getLogger": "structlog_logger",
    "structlog.stdlib.get_logger": "structlog_logger",
    "structlog.wrap_logger": "structlog_logger",
    "logging.getLogger": "stdlib_logger",
    "sqlalchemy.orm.declarative_base": "orm_base",
    "sqlalchemy.ext.declarative.declarative_base": "orm_base",
}
#: Bases that make a class an ORM model (SQLModel only with `table=True`).
ORM_BASES = frozenset(
    {
        "sqlalchemy.orm.DeclarativeBase",
        "sqlalchemy.orm.DeclarativeBaseNoMeta",
        "sqlalchemy.orm.decl_api.DeclarativeBase",
        "sqlalchemy.ext.declarative.DeclarativeMeta",
    }
)
#: The name an `orm_base` value (`Base = declarative_base()`) stands for in an ancestry.
DECLARATIVE_BASE = "sqlalchemy.orm.DeclarativeBase"
ROUTER_BASES = frozenset({"fastapi.APIRouter", "fastapi.routing.APIRouter"})
APP_BASES = frozenset({"fastapi.FastAPI", "fastapi.applications.FastAPI"})


@dataclass(frozen=True, slots=True)
class Located:
    """A project module found on disk: its dotted name, its file (`None` for a namespace package)."""

    module: str
    path: str | None
    package: bool
    folder: str | None


@dataclass(frozen=True, slots=True)
class ProjectAncestry:
    """What a project class inherits from, across modules: names (dotted) and whether every base was seen."""

    names: frozenset[str]
    complete: bool
    flags: str
    #: The names among `names` that are no project class (library classes, builtins, unknown names).
    external: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=8192)
def _is_file(path: str) -> bool:
    return os.path.isfile(path)


@functools.lru_cache(maxsize=8192)
def _is_dir(path: str) -> bool:
    return os.path.isdir(path)


@functools.lru_cache(maxsize=4096)
def _climb(folder: str, root: str) -> tuple[tuple[str, ...], str] | None:
    """The package folders above a folder, innermost first, and the folder they start from (once per folder).

    `None` when the climb does not end within `MAX_ROOT_CLIMB` folders.
    """
    parts: list[str] = []
    current = folder
    for _ in range(MAX_ROOT_CLIMB):
        if not _is_file(os.path.join(current, "__init__.py")):
            above = _package_above(current)
            if above is None or not above.startswith(root + os.sep):
                break  # a namespace folder inside a package (below the root) is part of its package's tree
            while current != above:
                parts.append(os.path.basename(current))
                current = os.path.dirname(current)
            continue
        parts.append(os.path.basename(current))
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    else:
        return None
    return tuple(parts), current


def module_name(path: str, root: str) -> tuple[str, bool, str] | None:
    """A file's dotted module name, whether it is a package's `__init__.py`, and the folder names start from.

    `None` for a file that has no module name (a name that is not an identifier).
    """
    folder, file = os.path.split(path)
    stem = file[:-3] if file.endswith(".py") else file.rpartition(".")[0] or file
    package = stem == "__init__"
    climbed = _climb(folder, root)
    if climbed is None:
        return None
    folders, current = climbed
    parts: list[str] = [*([] if package else [stem]), *folders]
    start = current
    if not parts or (len(parts) == 1 and not package and current != root):
        # outside any package: named from the project root (or `src/`), as a namespace package would be
        base = os.path.join(root, "src")
        base = base if (folder + os.sep).startswith(base + os.sep) else root
        relative = os.path.relpath(path, base)
        if relative.startswith(".."):
            return None
        pieces = relative.replace(os.sep, "/").split("/")
        pieces[-1] = stem
        if package:
            pieces = pieces[:-1]
        parts, start = list(reversed(pieces)), base
    names = list(reversed(parts))
    if not names or not all(name.isidentifier() for name in names):
        return None
    return ".".join(names), package, start


class Project:
    """One project: its root, where its modules are, and their summaries (shared by every module linted)."""

    def __init__(self, root: str, store: SummaryStore | None = None) -> None:
        self.root = root
        self.store = store
        self._summaries: dict[str, ModuleSummary] = {}
        self._digests: dict[str, bytes] = {}
        self._offered: set[str] = set()
        self._lacking: dict[tuple[str, tuple[bytes, ...], bool], bool] = {}
        self._located: dict[tuple[str, str], Located | None] = {}
        self._ancestry: dict[str, ProjectAncestry | None] = {}
        self._kinds: dict[str, str | None] = {}
        self._schemaless: frozenset[str] | None = None
        self._starts: set[str] = {root}
        src = os.path.join(root, "src")
        if _is_dir(src):
            self._starts.add(src)

    def schemaless_routers(self) -> frozenset[str]:
        """The routers the project mounts where no OpenAPI schema shows them, found once (`schemaless.py`)."""
        if self._schemaless is None:
            self._schemaless = schemaless_routers(self)
        return self._schemaless

    # -- where modules are --------------------------------------------------------------------------------

    def starts(self, first: str | None = None) -> list[str]:
        """The folders dotted names are looked up under, the given one first."""
        found = [first] if first else []
        found.extend(sorted(self._starts - {first}, key=len, reverse=True))
        return found

    def add_start(self, folder: str) -> None:
        """A folder a linted module's packages start from (`backend/` for `backend/app/main.py`)."""
        if (folder + os.sep).startswith(self.root + os.sep) or folder == self.root:
            self._starts.add(folder)

    def in_project(self, dotted: str) -> bool:
        """Whether a dotted name's top package (or module) is one of the project's."""
        return bool(dotted) and not dotted.startswith(".") and self.locate(dotted.partition(".")[0]) is not None

    def locate(self, dotted: str, first: str | None = None) -> Located | None:
        """The project module a dotted name is, or `None` when no such module is in the project."""
        key = (dotted, first or "")
        if key in self._located:
            found = self._located[key]
            if found is not None:
                self._note_found(found)
            return found
        found = None
        relative = dotted.replace(".", os.sep)
        for start in self.starts(first):
            base = os.path.join(start, relative)
            if _is_dir(base):
                init = os.path.join(base, "__init__.py")
                found = Located(dotted, init if _is_file(init) else None, True, base)
                break
            if _is_file(base + ".py"):
                found = Located(dotted, base + ".py", False, None)
                break
        self._located[key] = found
        if found is not None:
            self._note_found(found)
        return found

    def _note_found(self, found: Located) -> None:
        if _USED is None:
            return
        if found.path is not None:
            _USED.setdefault(found.path, FILE_MARK)
        elif found.folder is not None:
            _USED.setdefault(found.folder, FOLDER_MARK)

    def offer(self, path: str, module: str, tree: ast.AST, lines: Sequence[str], *, package: bool) -> None:
        """Take the summary of a module being linted from its own tree, when it is the file on disk.

        Linting reads and parses every file anyway: a module summarised this way is never parsed again
        when an import reaches it. A buffer that differs from the file (an editor's, on stdin) is not taken.
        """
        if path in self._summaries:
            return
        try:
            stamp = stamp_of(path)  # before the file is read: it vouches for what is read (`stamps.py`)
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return
        text = "".join(lines)
        if len(text) > len(data) or text.encode("utf-8", "surrogatepass") != data:
            return  # another encoding, a BOM, different newlines or another content: read it when reached
        digest = content_digest(data)
        started = time.perf_counter()
        summary = summarise(tree, module, package=package)
        BUILD_STATS["offered"] += time.perf_counter() - started
        self._offered.add(path)
        self._summaries[path] = summary
        self._digests[path] = digest
        if self.store is not None:
            self.store.put(path, digest, summary, stamp)

    def offered(self, path: str) -> ModuleSummary | None:
        """The summary a module being linted gave from its own tree (`offer`), else `None`."""
        return self._summaries.get(path) if path in self._offered else None

    def note(self, path: str, digest: bytes) -> None:
        """Record that the module being linted used a summary (the CLI's cache keys results on these)."""
        if _USED is not None:
            _USED[path] = digest

    # -- summaries -----------------------------------------------------------------------------------------

    def summary(self, located: Located) -> ModuleSummary:
        """The summary of a located module, built once per run (read from the on-disk cache when fresh)."""
        path = located.path
        if path is None:  # a namespace package: only submodules
            return ModuleSummary(located.module, True, {}, False, (), "", (), ())
        found = self._summaries.get(path)
        if found is not None:
            self.note(path, self._digests.get(path, b""))
            return found
        digest = b""
        if self.store is not None:
            cached = self.store.get(path, located.module)
            if cached is not None:
                found, digest = cached
        if found is None:
            found, digest, stamp = self._build(located)
            if self.store is not None and digest:
                self.store.put(path, digest, found, stamp)
        self._summaries[path] = found
        self._digests[path] = digest
        self.note(path, digest)
        return found

    def has_summary(self, located: Located) -> bool:
        """Whether a module's summary is already at hand (asking it costs no read)."""
        return located.path is not None and located.path in self._summaries

    def lacks_words(self, located: Located, words: tuple[bytes, ...], *, defines: bool = True) -> bool:
        """Whether a module provably spells none of `words` (and, with `defines`, defines a function or class).

        Decided from its text, without building its summary: `True` only when no word occurs in the bytes
        (ASCII, or UTF-8 already in NFKC form, so that no identifier can normalise into a word), and, with
        `defines`, a line starts with an unindented `def`/`class`/decorator after a prefix that parses on its
        own (so it is a top-level statement, not text inside a string or a bracket). `False` (build the
        summary) whenever that is not proven, or the summary is already at hand. A module with neither word
        cannot show router evidence (`FastAPI`, `APIRouter`) or session evidence (`sqlalchemy`, `sqlmodel`)
        in its summary (`context/roles.py`), and a module that does not parse at all shows none either; one
        that spells no command-line framework imports none (HR003).
        """
        path = located.path
        if path is None or path in self._summaries:
            return False
        key = (path, words, defines)
        known = self._lacking.get(key)
        if known is None:
            if self.store is not None:
                cached = self.store.get(path, located.module)
                if cached is not None:
                    self._summaries[path], self._digests[path] = cached
                    return False
            started = time.perf_counter()
            known = self._lacking[key] = self._scan(path, words, defines=defines)
            BUILD_STATS["scanned"] += 1
            BUILD_STATS["seconds"] += time.perf_counter() - started
        if known:
            self.note(path, self._digests.get(path, b""))
        return known

    def _scan(self, path: str, words: tuple[bytes, ...], *, defines: bool) -> bool:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return False
        if any(word in data for word in words):
            return False
        if not data.isascii():
            if b"coding" in b"".join(data.splitlines(keepends=True)[:2]):
                return False  # another encoding may spell identifiers otherwise: build the summary
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                return False
            if not unicodedata.is_normalized("NFKC", text):
                return False
        if not defines:
            self._digests[path] = content_digest(data)
            return True
        found = TOP_DEFINITION.search(data)
        if found is None:
            return False
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(data[: found.start()])
        except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
            return False
        self._digests[path] = content_digest(data)
        return True

    def _build(self, located: Located) -> tuple[ModuleSummary, bytes, Stamp | None]:
        started = time.perf_counter()
        try:
            return self._read_and_summarise(located)
        finally:
            BUILD_STATS["modules"] += 1
            BUILD_STATS["seconds"] += time.perf_counter() - started

    def _read_and_summarise(self, located: Located) -> tuple[ModuleSummary, bytes, Stamp | None]:
        """The module's summary, the digest of its content, and the file's stamp taken before that read.

        Taken before, the stamp vouches for the content read whatever happens in between (`stamps.py`).
        """
        assert located.path is not None
        try:
            stamp = stamp_of(located.path)
            with open(located.path, "rb") as handle:
                data = handle.read()
        except OSError:
            return unparsable(located.module, package=located.package), b"", None
        digest = content_digest(data)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(data)
        except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
            return unparsable(located.module, package=located.package), digest, stamp
        return summarise(tree, located.module, package=located.package), digest, stamp

    # -- what a dotted name is ---------------------------------------------------------------------------

    def resolve(self, dotted: str, depth: int = 0) -> tuple[ModuleSummary, str, tuple[str, ...]] | Located | None:
        """Where a dotted name is bound: `(summary, name, entry)`, a module (`Located`), or `None` (unknown).

        Imports and re-exports are followed (`app.models.User` re-exported from `app/models/__init__.py`),
        a bounded number of steps; a name bound by an import from outside the project ends there as the
        `("import", origin)` entry of the last project module on the way.
        """
        if depth > MAX_DEPTH or not dotted or dotted.startswith("."):
            return None
        parts = dotted.split(".")
        if self.locate(parts[0]) is None:
            return None
        for cut in range(len(parts), 0, -1):
            located = self.locate(".".join(parts[:cut]))
            if located is None:
                continue
            if cut == len(parts):
                return located
            summary = self.summary(located)
            name, rest = parts[cut], parts[cut + 1 :]
            entry = summary.names.get(name)
            if entry is None:
                return None  # a submodule would have been found by a longer cut; a star import: unknown
            if entry[0] == "import" or entry[0] == "alias":
                target = ".".join([entry[1], *rest])
                if self.locate(entry[1].partition(".")[0]) is None:
                    return (summary, name, entry) if not rest else None
                return self.resolve(target, depth + 1)
            return (summary, name, entry) if not rest else None
        return None

    def origin(self, dotted: str) -> str | None:
        """The dotted name a project name finally stands for: itself, or the library name it re-exports."""
        found = self.resolve(dotted)
        if isinstance(found, tuple):
            summary, name, entry = found
            if entry[0] in {"import", "alias"}:
                return entry[1]
            return f"{summary.module}.{name}"
        return None

    def ancestry(self, dotted: str) -> ProjectAncestry | None:
        """What a project class inherits from across modules; `None` when the name is no project class."""
        if dotted in self._ancestry:
            return self._ancestry[dotted]
        self._ancestry[dotted] = None  # a guard against cycles while it is being collected
        found = self._collect(dotted)
        self._ancestry[dotted] = found
        return found

    def _class(self, dotted: str) -> tuple[str, tuple[str, ...]] | None:
        """`(qualified name, entry)` of a project class, or `None`."""
        found = self.resolve(dotted)
        if not isinstance(found, tuple):
            return None
        summary, name, entry = found
        return (f"{summary.module}.{name}", entry) if entry[0] == "class" else None

    def _collect(self, dotted: str) -> ProjectAncestry | None:
        start = self._class(dotted)
        if start is None:
            if self.kind(dotted) == "orm_base":  # `Base = declarative_base()`: a declarative base, bases unseen
                return ProjectAncestry(frozenset({DECLARATIVE_BASE}), False, "", frozenset({DECLARATIVE_BASE}))
            return None
        names: set[str] = set()
        external: set[str] = set()
        flags: set[str] = set()
        complete = True
        pending = [start]
        seen = {start[0]}
        while pending:
            _, entry = pending.pop()
            bases, own = entry[1], entry[2]
            flags.update(own)
            if "x" in own:
                complete = False
            for base in bases:
                if not base:
                    complete = False
                    continue
                if base.startswith("builtins."):
                    names.add(base)
                    external.add(base)
                    continue
                kind = self.kind(base)
                if kind == "orm_base":
                    names.update((base, DECLARATIVE_BASE))
                    external.add(DECLARATIVE_BASE)
                    complete = False
                    continue
                local = self._class(base)
                if local is None:
                    origin = self.origin(base) or base
                    names.update((origin, base))
                    external.add(origin)
                    complete = False  # a library class (or an unknown name): its own bases are out of sight
                    continue
                names.update((base, local[0]))
                if local[0] == start[0]:
                    complete = False  # a class that inherits from itself through imports: an import cycle
                elif local[0] not in seen:
                    if len(seen) >= MAX_CLASSES:
                        complete = False
                        continue
                    seen.add(local[0])
                    pending.append(local)
        return ProjectAncestry(frozenset(names), complete, "".join(sorted(flags)), frozenset(external))

    def kind(self, dotted: str, depth: int = 0) -> str | None:
        """What a module-level project name holds (see the module docstring), or `None` when unknown."""
        if dotted in KNOWN_CALLS and depth == 0:
            return None  # the library callable itself, not something it built
        key = dotted
        if depth == 0 and key in self._kinds:
            return self._kinds[key]
        if depth == 0:
            self._kinds[key] = None
        found = self._kind(dotted, depth)
        if depth == 0:
            self._kinds[key] = found
        return found

    def _kind(self, dotted: str, depth: int) -> str | None:
        if depth > MAX_DEPTH:
            return None
        resolved = self.resolve(dotted)
        if not isinstance(resolved, tuple):
            return None
        entry = resolved[2]
        if entry[0] == "call":
            return self.built_by(entry[1], depth + 1)
        if entry[0] == "def":
            if not entry[1]:
                return None
            built = self.built_by(entry[1], depth + 1)
            return None if built is None or built.startswith("returns:") else f"returns:{built}"
        return None

    def bound_call(self, dotted: str) -> str | None:
        """The callee a module-level project name is bound to a call of, or `None` when bound otherwise.

        `sqlalchemy.orm.sessionmaker` for `SessionLocal = sessionmaker(...)`, through imports and re-exports.
        """
        resolved = self.resolve(dotted)
        if isinstance(resolved, tuple) and resolved[2][0] == "call":
            return resolved[2][1]
        return None

    def built_by(self, callee: str, depth: int = 0) -> str | None:
        """What calling a dotted callee builds.

        A known library call's kind, an instance of a project router or app subclass (`router`, `app`), or
        what a project function returns; `None` when unknown.
        """
        known = KNOWN_CALLS.get(callee)
        if known is not None:
            return known
        if depth > MAX_DEPTH:
            return None
        cls = self.ancestry(callee)
        if cls is not None:
            if not cls.names.isdisjoint(ROUTER_BASES):
                return "router"
            if not cls.names.isdisjoint(APP_BASES):
                return "app"
            return None
        kind = self._kind(callee, depth + 1)
        if kind == "factory":
            return "session"  # a session factory called: `SessionLocal()`
        if kind is not None and kind.startswith("returns:"):
            return kind.removeprefix("returns:")
        return None

    def is_orm_model(self, dotted: str) -> bool | None:
        """Whether a project class is an ORM model, by its bases.

        `True` for a SQLAlchemy declarative base among its ancestors, or a SQLModel table (`table=True`);
        `False` for a pydantic model or a class whose bases are all seen; `None` when unknown.
        """
        ancestry = self.ancestry(dotted)
        if ancestry is None:
            return None
        if not ancestry.names.isdisjoint(ORM_BASES) or (
            "t" in ancestry.flags and "sqlmodel.SQLModel" in ancestry.names
        ):
            return True
        pydantic = any(name.startswith(("pydantic.", "pydantic_settings.")) for name in ancestry.names)
        return False if ancestry.complete or pydantic else None


_PROJECTS: dict[str, Project] = {}
#: While recording (`record_uses`), the summaries and module locations the module being linted used.
_USED: dict[str, bytes] | None = None
#: What building summaries cost this process: modules read and parsed, and seconds spent (`scripts/bench.py`).
#: `scanned`: modules judged from their text alone (`Project.lacks_words`), whose time is in `seconds` too;
#: `offered`: seconds spent summarising linted modules from their own trees (`Project.offer`).
BUILD_STATS = {"modules": 0, "scanned": 0, "seconds": 0.0, "offered": 0.0}


def project_for(path: str | None, cwd: str) -> Project | None:
    """The project of a module path (relative to `cwd`, or absolute), shared by every module of a process."""
    if path is None:
        return None
    absolute_path = os.path.abspath(os.path.join(cwd, path))
    folder = os.path.dirname(absolute_path)
    root = project_root(folder)
    marked = root is not None
    if root is None:
        root = package_start(folder)
        if root is None:
            return None
    found = _PROJECTS.get(root)
    if found is None:
        # a tree with no root marker (an installed package) is read, but no cache is written into it
        found = _PROJECTS[root] = Project(root, store_for(root) if marked else None)
    return found


@functools.lru_cache(maxsize=4096)
def package_start(folder: str) -> str | None:
    """The folder above the topmost package that holds a folder, or `None` when it is in no package.

    A folder without `__init__.py` inside a package (a namespace subpackage: `litellm/proxy/guardrails/`
    under `litellm/proxy/`) does not end the package: its modules are `litellm.proxy.guardrails.*` all the
    same, however deep the regular packages below it go. Up to `NAMESPACE_CLIMB` such folders in a row are
    crossed (`_package_above`).
    """
    current = folder
    if not _is_file(os.path.join(current, "__init__.py")):
        above = _package_above(current)
        if above is None:
            return None
        current = above
    for _ in range(MAX_ROOT_CLIMB):
        parent = os.path.dirname(current)
        if parent == current:
            return None
        if not _is_file(os.path.join(parent, "__init__.py")):
            above = _package_above(parent)
            if above is None:
                return parent
            parent = above
        current = parent
    return None


def _package_above(folder: str) -> str | None:
    """The package a folder without `__init__.py` sits in, at most `NAMESPACE_CLIMB` folders up, else `None`."""
    current = folder
    for _ in range(NAMESPACE_CLIMB):
        parent = os.path.dirname(current)
        if parent == current:
            return None
        if _is_file(os.path.join(parent, "__init__.py")):
            return parent
        current = parent
    return None


def preload(paths: Sequence[str]) -> None:
    """Read the stored summaries of the projects of some files now (before worker processes fork)."""
    seen: set[str] = set()
    for path in paths:
        folder = os.path.dirname(os.path.abspath(path))
        if folder in seen:
            continue
        seen.add(folder)
        found = project_for(path, os.getcwd())
        if found is not None and found.store is not None:
            found.store.load()


def record_uses() -> None:
    """Start recording which summaries (and module locations) the next module's linting uses."""
    global _USED  # noqa: PLW0603 - one recorder per process, as one module is linted at a time
    _USED = {}


def recorded_uses() -> tuple[tuple[str, bytes], ...]:
    """What was used since `record_uses`, as `(path, digest)` pairs; recording stops."""
    global _USED
    found, _USED = _USED or {}, None
    return tuple(sorted(found.items()))


def reset() -> None:
    """Forget every project and summary of this process (tests; a long-lived host after files changed)."""
    with contextlib.suppress(Exception):
        for project in _PROJECTS.values():
            if project.store is not None:
                project.store.save()
    _PROJECTS.clear()
    project_root.cache_clear()
    package_start.cache_clear()
    _is_file.cache_clear()
    _is_dir.cache_clear()
    _climb.cache_clear()


class ModuleInProject:
    """The linted module's place in its project: `ctx.fact(ModuleInProject)` (or `ctx.in_project`).

    `project` is `None` for a module outside any project (bare stdin, a file with no root marker above it):
    then every question here answers "unknown". Names are asked in the form `ctx.qualname` gives them;
    relative ones (`.models.User`) are resolved against the module's own package first.
    """

    def __init__(self, ctx: ModuleContext) -> None:
        self.project: Project | None = None
        self.path = ""
        self.module = ""
        self.package = False
        self.start: str | None = None
        path = ctx.path
        project = project_for(path, ctx.config.cwd)
        if project is None or path is None:
            return
        named = module_name(os.path.abspath(os.path.join(ctx.config.cwd, path)), project.root)
        if named is None:
            return
        self.project = project
        self.module, self.package, self.start = named
        self.path = os.path.abspath(os.path.join(ctx.config.cwd, path))
        project.add_start(self.start)

    def offer(self, ctx: ModuleContext) -> None:
        """Give the project the linted module's summary, built from its tree (see `Project.offer`)."""
        if self.project is not None:
            self.project.offer(self.path, self.module, ctx.tree, ctx.lines, package=self.package)

    def absolute(self, origin: str) -> str | None:
        """An origin as an absolute dotted name (relative imports resolved), or `None`."""
        if not origin.startswith("."):
            return origin
        if self.project is None:
            return None
        return absolute(origin, self.module, package=self.package)

    def ancestry(self, origin: str) -> ProjectAncestry | None:
        """What the project class an imported name refers to inherits from (`None`: no project class)."""
        dotted = self.absolute(origin)
        if self.project is None or dotted is None:
            return None
        return self.project.ancestry(dotted)

    def kind(self, origin: str) -> str | None:
        """What an imported project name holds (`router`, `factory`, `returns:structlog_logger`, ...)."""
        dotted = self.absolute(origin)
        if self.project is None or dotted is None:
            return None
        return self.project.kind(dotted)

    def bound_call(self, origin: str) -> str | None:
        """The callee an imported project name is bound to a call of (see `Project.bound_call`), or `None`."""
        dotted = self.absolute(origin)
        if self.project is None or dotted is None:
            return None
        return self.project.bound_call(dotted)

    def text(self, origin: str) -> str | None:
        """The string an imported project constant holds (`TOKEN = "/oauth/token"`), or `None` when unknown."""
        dotted = self.absolute(origin)
        if self.project is None or dotted is None:
            return None
        found = self.project.resolve(dotted)
        if isinstance(found, tuple) and found[2][0] == "text":
            return found[2][1]
        return None

    def describes_field(self, origin: str) -> bool:
        """Whether an imported name is a project type alias whose `Annotated` metadata describes its field.

        Not parsed to see: a module whose text never spells `description` (one that only re-exports an
        alias from another module is not followed then: the field stays reported), or one that spells
        `class Name` (a model, not an alias: `user: User`).
        """
        dotted = self.absolute(origin)
        if self.project is None or dotted is None:
            return False
        module, _, name = dotted.rpartition(".")
        project = self.project
        located = project.locate(module, self.start)
        if (
            located is not None
            and not project.has_summary(located)
            and (
                project.lacks_words(located, (b"description",), defines=False)
                or not project.lacks_words(located, (b"class " + name.encode(),), defines=False)
            )
        ):
            return False  # unproven either way counts as "no": the field stays reported, as without this
        found = self.project.resolve(dotted)
        return isinstance(found, tuple) and found[2][0] == "described"

    def never_returns(self, origin: str) -> bool:
        """Whether an imported name is a project function annotated `-> NoReturn`/`-> Never`."""
        dotted = self.absolute(origin)
        if self.project is None or dotted is None:
            return False
        found = self.project.resolve(dotted)
        return isinstance(found, tuple) and found[2][0] == "def" and found[2][2:] == ("n",)

    def built_by(self, origin: str) -> str | None:
        """What calling an imported name builds (`router` for a project `APIRouter` subclass, ...)."""
        dotted = self.absolute(origin)
        if self.project is None or dotted is None:
            return None
        return self.project.built_by(dotted)

    def is_orm_model(self, origin: str) -> bool | None:
        """Whether an imported name is a project ORM model class (by its bases), `None` when unknown."""
        dotted = self.absolute(origin)
        if self.project is None or dotted is None:
            return None
        return self.project.is_orm_model(dotted)

    def locate(self, origin: str) -> Located | None:
        """The project module an imported dotted name (absolute or relative) is, or `None`."""
        dotted = self.absolute(origin)
        if self.project is None or dotted is None:
            return None
        return self.project.locate(dotted, self.start)
