"""The `Rule` base class, the rule registry, and example snippets.

A rule is one small class in its family folder under `flake8_house_rules/rules/`. It declares its code,
kebab-case name, message, tier, fix kind, seed source, the options it reads, its documentation (the class
docstring, in Markdown sections), and its own valid and invalid examples. Defining the class registers it.

A rule handles AST nodes by defining `visit_<NodeType>` methods; the engine calls each of them once per
node of that type found by the module's single walk (type by type; within a type in tree order, so
statements in source order). A rule that cares about calls or references of given names declares them
(`calls`, `methods`, `references`) and the engine, which resolves each call and name once per module,
hands it only those (`visit_call`, `visit_method_call`, `visit_reference`). A rule never walks the tree
itself: it reads shared facts from `self.ctx` (a `ModuleContext`), calls `self.report(...)`, and draws
conclusions that need several node types in `finish()`.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal

from flake8_house_rules.fixes.model import Edit, Fix

if TYPE_CHECKING:
    from collections.abc import Callable

    from flake8_house_rules.config import Config
    from flake8_house_rules.context import ModuleContext

Tier = Literal["default", "opt-in"]
FixKind = Literal["safe", "unsafe", "-"]

CODE_RE = re.compile(r"^HR[0-8]\d\d$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "Use instead:", "## Source")

REGISTRY: dict[str, type[Rule]] = {}
__all__ = ["REGISTRY", "Edit", "Example", "Fix", "FixExample", "Rule", "Violation", "load_rules"]


@dataclass(frozen=True, slots=True)
class Example:
    """A code snippet for a rule's tests and docs, with the module path and options it is linted under.

    In invalid examples, a trailing `# error: HR101` comment marks each line that must report that code;
    the marker is removed before linting, so it never counts as a comment the rule could read. `python` is
    the oldest Python that can parse the code (tests skip the example on older interpreters).
    """

    code: str
    path: str = "app/module.py"
    options: dict[str, str] = field(default_factory=dict)
    python: tuple[int, int] = (3, 11)


@dataclass(frozen=True, slots=True)
class FixExample:
    """A fixable rule's fix shown and tested: `before` (with `# error:` markers) becomes exactly `after`.

    The fix is applied with unsafe fixes allowed, in rounds as the command does, and `after` must report
    none of the rule's code. `path`, `options` and `python` mean what they mean for an `Example`.
    """

    before: str
    after: str
    path: str = "app/module.py"
    options: dict[str, str] = field(default_factory=dict)
    python: tuple[int, int] = (3, 11)


@dataclass(frozen=True, slots=True)
class Violation:
    """One reported problem: where, which rule, and the message flake8 shows.

    `end_line` and `end_col` are where the reported node ends (`None` for a report at a bare position);
    flake8 does not read them, the `house-rules` command shows them as ruff does. `fix` is the rule's fix,
    built only when the engine was asked for fixes (`Engine(..., fixes=True)`); most violations have none.
    """

    line: int
    col: int
    code: str
    message: str
    end_line: int | None = None
    end_col: int | None = None
    fix: Fix | None = None

    @property
    def text(self) -> str:
        """The message as flake8 prints it: the code, then the message."""
        return f"{self.code} {self.message}"


class Rule:
    """Base class of every HR rule. Subclasses set the class attributes and define `visit_<Node>` methods."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    message: ClassVar[str] = ""
    tier: ClassVar[Tier] = "default"
    fix: ClassVar[FixKind] = "-"
    #: True when `applies_to` depends only on the module (and `min_target_version`), not on the rule class:
    #: the engine then asks it once per module for every rule that shares it (a family's base class sets it;
    #: a subclass whose own `applies_to` reads the class sets it back to False).
    shared_condition: ClassVar[bool] = False
    source: ClassVar[str] = ""
    options: ClassVar[tuple[str, ...]] = ()
    min_target_version: ClassVar[tuple[int, int] | None] = None
    valid: ClassVar[tuple[str | Example, ...]] = ()
    invalid: ClassVar[tuple[str | Example, ...]] = ()
    #: A fixable rule's fixes, shown and tested: each `before` becomes exactly its `after`.
    fixes: ClassVar[tuple[FixExample, ...]] = ()
    handlers: ClassVar[tuple[tuple[type[ast.AST], str], ...]] = ()
    #: Dotted names whose calls the engine hands to `visit_call` (`time.sleep`, `builtins.open`).
    calls: ClassVar[frozenset[str]] = frozenset()
    #: Attribute names whose calls (`x.commit()`) the engine hands to `visit_method_call`.
    methods: ClassVar[frozenset[str]] = frozenset()
    #: Dotted names whose references (`typing.Any`, `t.Any`, `Any`) the engine hands to `visit_reference`.
    references: ClassVar[frozenset[str]] = frozenset()
    #: True when `visit_reference` also takes those names inside string annotations (`x: "Optional[int]"`). Such
    #: a node is parsed from the string, not part of the module's tree: ask `ctx.type_positions` for its
    #: `parent`, `segment` and `anchor` (the string, where to report).
    string_annotations: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.handlers = tuple(
            (node_type, attr)
            for attr in dir(cls)
            if attr.startswith("visit_")
            and isinstance(node_type := getattr(ast, attr.removeprefix("visit_"), None), type)
        )
        if cls.code:
            if cls.code in REGISTRY and REGISTRY[cls.code] is not cls:
                msg = f"duplicate rule code {cls.code}: {REGISTRY[cls.code].__name__} and {cls.__name__}"
                raise TypeError(msg)
            REGISTRY[cls.code] = cls

    #: The module being linted, and where reports go: the engine sets both before each module, then calls
    #: `start()` (for rules that define it), the rule's handlers, and `finish()`.
    ctx: ModuleContext
    _sink: Callable[[Violation], None]
    #: Whether `report` builds the fixes it is given (the engine sets it on its rules when asked for fixes).
    wants_fixes: bool = False

    def start(self) -> None:
        """Called once per module before dispatch: (re)set every piece of state the rule collects over a module."""

    @classmethod
    def applies_to(cls, ctx: ModuleContext) -> bool:
        """Whether the rule runs on this module at all: by default, when the target Python is recent enough."""
        return cls.min_target_version is None or ctx.target_version >= cls.min_target_version

    @classmethod
    def call_names(cls, config: Config) -> frozenset[str]:
        """The dotted names whose calls this rule handles; override when they depend on the options."""
        return cls.calls

    @classmethod
    def reference_names(cls, config: Config) -> frozenset[str]:
        """The dotted names whose references this rule handles; override when they depend on the options."""
        return cls.references

    def visit_call(self, node: ast.Call, name: str) -> None:
        """A call of one of the names in `calls`, with the name it resolved to."""

    def visit_method_call(self, node: ast.Call, method: str) -> None:
        """A call `x.<method>(...)` of one of the attribute names in `methods`."""

    def visit_reference(self, node: ast.Name | ast.Attribute, name: str) -> None:
        """A name or attribute chain that resolves to one of the names in `references`."""

    def report(
        self,
        node: ast.AST | tuple[int, int],
        message: str | None = None,
        fix: Fix | Callable[[], Fix | None] | None = None,
    ) -> None:
        """Report a violation at a node's start (or at an explicit `(line, col)`) with an optional message.

        `fix` is the violation's fix, or a function without arguments that builds it (or gives `None` when
        this finding has no safe rewrite); it is called only when fixes are wanted, so a rule pays nothing
        for fixes under flake8. Without `fix`, the rule's `fix_for(node)` is asked (when fixes are wanted).
        """
        end_line = end_col = None
        if isinstance(node, tuple):
            line, col = node
        else:
            line, col = getattr(node, "lineno", 1), getattr(node, "col_offset", 0)
            end_line, end_col = getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None)
            # the AST counts UTF-8 bytes; flake8's own checks, ruff and editors count characters (the same on
            # an ASCII line, which most are: only another line needs the byte-to-character table)
            lines = self.ctx.lines
            count = len(lines)
            if col and not (0 < line <= count and lines[line - 1].isascii()):
                col = character_column(self.ctx, line, col)
            if end_col and end_line is not None and not (0 < end_line <= count and lines[end_line - 1].isascii()):
                end_col = character_column(self.ctx, end_line, end_col)
        built = None
        if self.wants_fixes:
            built = self.fix_for(node) if fix is None else (fix if isinstance(fix, Fix) else fix())
        self._sink(Violation(line, col, self.code, message or self.message, end_line, end_col, built))

    def finish(self) -> None:
        """Called once after the walk, for rules that report on what the whole module holds."""

    def fix_for(self, node: ast.AST | tuple[int, int]) -> Fix | None:
        """The fix of a violation reported at `node` without an explicit `fix=`; `None` (no fix) by default.

        A fixable rule may define it instead of passing `fix=` to `report`, so that its fix sits apart from
        its detection code. Called only when fixes are wanted, while the module's context is alive.
        """
        return None

    def review(self, violations: list[Violation], ran: frozenset[str]) -> None:
        """Called after every rule's `finish`, with the module's violations and the codes of the rules that ran.

        `ran` holds the codes of the run's rules that did not fail on the module.

        For a rule about the other findings (HR014 unused-noqa). Most rules do not define it.
        """


def character_column(ctx: ModuleContext, line: int, offset: int) -> int:
    """A node's UTF-8 byte offset on a line as a character offset (the same on an ASCII line).

    A non-ASCII line's byte-to-character table is built once per module (on first report there), so many
    reports on one long line stay linear.
    """
    if not offset:
        return offset
    lines = ctx.lines
    if not 0 < line <= len(lines):
        return offset
    tables: dict[int, list[int] | None] = ctx.derived("rule.character-columns", dict)
    table = tables.get(line, ())
    if table == ():
        text = lines[line - 1]
        table = None
        if not text.isascii():
            table = []
            for index, char in enumerate(text):
                table.extend([index] * len(char.encode("utf-8", "surrogatepass")))
            table.append(len(text))
        tables[line] = table
    if table is None:
        return offset
    return table[offset] if offset < len(table) else offset - (len(table) - 1 - len(lines[line - 1]))


def family_of(code: str) -> str:
    """The family block of a code: `HR1` for `HR101`."""
    return code[:3]


_LOADED: list[bool] = []


def load_rules() -> dict[str, type[Rule]]:
    """Import every rule module under `flake8_house_rules.rules` once, and return the registry.

    Rule modules are imported on first use rather than when flake8 loads the plugin, so that
    `flake8 --version` and editors' start-up stay light.
    """
    if not _LOADED:
        rules = importlib.import_module("flake8_house_rules.rules")
        for info in pkgutil.walk_packages(rules.__path__, prefix=f"{rules.__name__}."):
            importlib.import_module(info.name)
        _LOADED.append(True)
    return dict(sorted(REGISTRY.items()))
