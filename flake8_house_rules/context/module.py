"""`ModuleContext`: the one object every rule asks about its module (see the package docstring)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any, TypeVar

from flake8_house_rules.context.annotations import TypePositions
from flake8_house_rules.context.classes import ClassHierarchy
from flake8_house_rules.context.project import ModuleInProject
from flake8_house_rules.context.resolve import Resolution
from flake8_house_rules.context.roles import layer_roles
from flake8_house_rules.context.surroundings import Surroundings
from flake8_house_rules.context.text import SourceText
from flake8_house_rules.context.walk import ModuleWalk
from flake8_house_rules.paths import LAYER_ROLES, module_roles, normalise_path, target_version

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from flake8_house_rules.config import Config


T = TypeVar("T")


class ModuleContext(ModuleWalk, Resolution, Surroundings, SourceText):
    """Everything rules share about one module. Built once per file by the engine."""

    def __init__(
        self,
        tree: ast.AST,
        lines: Sequence[str],
        filename: str,
        config: Config,
    ) -> None:
        self.lines = lines
        self.config = config
        self.filename = filename
        self.path = normalise_path(filename, config.cwd)
        self._roles = module_roles(self.path, config)
        self._layers_judged = False
        self.target_version = target_version(self.path, config)
        self._qualnames: dict[ast.AST, str | None] = {}
        self._references: list[tuple[ast.Name | ast.Attribute, str]] | None = None
        self._facts: dict[object, Any] = {}  # Any: each fact is of the kind that built it
        self._comments: dict[int, list[tuple[int, str]]] | None = None
        self._multiline_strings: set[int] | None = None
        self._comment_only_lines: list[tuple[int, int, str]] | None = None
        self._hash_lines: list[tuple[int, int, str, bool]] | None = None
        self._source: str | None = None
        super().__init__(tree)
        if "migration" not in self._roles and self._imports_alembic_op():
            self._roles |= {"migration"}
        if self.path is not None and self._importable():
            self.in_project.offer(self)  # other modules importing this one need not parse it again

    @property
    def path_roles(self) -> frozenset[str]:
        """The roles the module's path gives it (and `migration` from its imports), before any layer evidence."""
        return self._roles

    @property
    def roles(self) -> frozenset[str]:
        """The module's roles: its path's, with a layer role kept only on evidence (`context/roles.py`).

        The evidence is looked for the first time a rule asks, so a run without layer rules never reads the
        other modules it would take.
        """
        if not self._layers_judged:
            self._layers_judged = True
            if self._roles & LAYER_ROLES:
                self._roles = layer_roles(self)
        return self._roles

    def _importable(self) -> bool:
        """Whether other modules may import this one: not a migration script, not a `test_*.py` module.

        Those are run by their tools and never imported, so their summaries are not built in advance (a
        third of ethyca-fides' modules are migrations); one that is imported after all is read when reached.
        """
        if "migration" in self._roles:
            return False
        name = self.path.rpartition("/")[2] if self.path is not None else ""
        return not (name.startswith("test_") and name.endswith(".py"))

    def _imports_alembic_op(self) -> bool:
        """Whether the module imports `alembic.op` (`from alembic import op`, `import alembic.op`)."""
        if "alembic.op" in self.import_names.get("op", ()):
            return True
        return any(alias.name == "alembic.op" for node in self.nodes.get(ast.Import, ()) for alias in node.names)

    def fact(self, kind: Callable[[ModuleContext], T]) -> T:
        """A fact about the module, built by `kind(ctx)` the first time any rule asks, then shared."""
        try:
            return self._facts[kind]
        except KeyError:
            found = self._facts[kind] = kind(self)
            return found

    def release(self) -> None:
        """Break the reference cycles of the module's records (a binding knows its scope, a fact its context).

        The engine calls this when a module is done, so that its records are freed at once by reference
        counting instead of piling up for the cyclic garbage collector, whose passes would otherwise cost
        about a tenth of the pack's time. The context must not be used afterwards.
        """
        self._facts.clear()
        for scope in self.scope_of_node.values():
            scope.names.clear()

    def derived(self, key: str, build: Callable[[], T]) -> T:
        """A fact derived from the module once, shared by every rule that asks with the same key."""
        try:
            return self._facts[key]
        except KeyError:
            found = self._facts[key] = build()
            return found

    @property
    def classes(self) -> ClassHierarchy:
        """Each class's bases, resolved transitively (see `ClassHierarchy`)."""
        return self.fact(ClassHierarchy)

    @property
    def in_project(self) -> ModuleInProject:
        """The module's place in its project: what imported names are across modules (see `context/project.py`)."""
        return self.fact(ModuleInProject)

    @property
    def type_positions(self) -> TypePositions:
        """The type positions of the module's annotations and its parsed string annotations."""
        return self.fact(TypePositions)

    def in_type_position(self, node: ast.AST) -> bool:
        """Whether a node stands for a type in an annotation.

        A value inside an annotation (`Field(...)`, `Literal["a"]`, the metadata of `Annotated`) does not,
        and nothing outside annotations does.
        """
        return self.fact(TypePositions).in_type_position(node)

    def is_migration_module(self) -> bool:
        """Whether the module is a generated migration script (alembic's `versions/`, or it imports `alembic.op`)."""
        return "migration" in self._roles

    def is_test_module(self) -> bool:
        """Whether the module's path matches `hr-test-modules`."""
        return "test" in self._roles
