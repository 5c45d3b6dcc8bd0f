"""The engine: one walk of each module, dispatched to every enabled rule.

`ModuleContext` walks the tree once and indexes the nodes by type, in tree order. The engine builds, per
module, dispatch tables from the enabled rules that apply to the module, and then:

- calls each `visit_<Node>` method once per node of that type, so node types no rule handles cost nothing
  after the walk; nodes arrive type by type (in tree order within a type: statements in source order);
- resolves each call once (`ctx.call_name`: `time.sleep`, `builtins.open`) and calls `visit_call(node, name)`
  of the rules whose `calls` (or `call_names(config)`) hold that name, and `visit_method_call(node, method)`
  of the rules whose `methods` hold the called attribute (`.commit()`, `.info()`);
- resolves every imported name and attribute chain once (`ctx.references()`) and calls
  `visit_reference(node, name)` of the rules whose `references` (or `reference_names(config)`) hold it;
- calls every rule's `finish()`: a rule that combines facts from several node types concludes there.

No rule walks the tree itself, and no rule resolves a call that another rule already resolved.

A rule that raises is switched off for the rest of that file and the failure is written to stderr as one
line naming the rule and place; the other rules and files still lint, because an exception escaping a
plugin would abort the whole flake8 run for every file. Tests pass `strict=True` to see the exception.
A caller that reports failures itself (the `house-rules` command) passes `on_error`, which then receives
that line instead of stderr.
"""

from __future__ import annotations

import ast
import gc
import logging
import sys
from typing import TYPE_CHECKING, Any

from flake8_house_rules.config import Config, build_config
from flake8_house_rules.context import ModuleContext
from flake8_house_rules.patterns import all_rules
from flake8_house_rules.rule import Rule, Violation, load_rules

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

LOG = logging.getLogger("flake8_house_rules")


def _silenced(*args: object) -> None:
    """Stands in for the callbacks of a rule that failed on this file."""


class Tables:
    """One module's dispatch tables: node type, called name, method name and referenced name to callbacks."""

    def __init__(self) -> None:
        self.visits: dict[type[ast.AST], list[Callable[[Any], None]]] = {}  # Any: each handler takes its type
        self.calls: dict[str, list[Callable[[ast.Call, str], None]]] = {}
        self.methods: dict[str, list[Callable[[ast.Call, str], None]]] = {}
        self.references: dict[str, list[Callable[[Any, str], None]]] = {}  # Any: a Name or an Attribute
        #: The same, for names inside string annotations, of the rules that take them (`string_annotations`).
        self.string_references: dict[str, list[Callable[[Any, str], None]]] = {}

    def add(self, rule: Rule, config: Config) -> None:
        """Register a rule's handlers."""
        for node_type, attr in rule.handlers:
            self.visits.setdefault(node_type, []).append(getattr(rule, attr))
        for name in rule.call_names(config):
            self.calls.setdefault(name, []).append(rule.visit_call)
        for name in rule.methods:
            self.methods.setdefault(name, []).append(rule.visit_method_call)
        for name in rule.reference_names(config):
            self.references.setdefault(name, []).append(rule.visit_reference)
            if rule.string_annotations:
                self.string_references.setdefault(name, []).append(rule.visit_reference)

    def silence(self, rule: object) -> list[tuple[list[Any], int, Any]]:  # Any: callbacks of every kind
        """Replace a failed rule's callbacks in place (the lists may be mid-iteration); return what to restore."""
        replaced = []
        for table in (self.visits, self.calls, self.methods, self.references, self.string_references):
            for callbacks in table.values():
                for index, callback in enumerate(callbacks):
                    if getattr(callback, "__self__", None) is rule:
                        replaced.append((callbacks, index, callback))
                        callbacks[index] = _silenced
        return replaced


def _is_conditional(rule: type[Rule]) -> bool:
    """Whether a rule may skip some modules: it overrides `applies_to` or needs a recent target Python."""
    return rule.min_target_version is not None or getattr(rule.applies_to, "__func__", None) is not _BASE_APPLIES_TO


def _condition_key(rule: type[Rule]) -> object:
    """What a rule's `applies_to` answer depends on besides the module, so rules that share it ask once.

    The base `applies_to` depends only on `min_target_version`; a family's shared `applies_to`
    (`shared_condition = True`) depends only on the module and that version. Any other rule is its own key.
    """
    function = getattr(rule.applies_to, "__func__", None)
    if function is _BASE_APPLIES_TO or rule.shared_condition:
        return (function, rule.min_target_version)
    return rule


def _overrides(rule: type[Rule], name: str) -> bool:
    """Whether a rule class defines its own `start`/`finish`, which the engine must then call."""
    return getattr(rule, name) is not getattr(Rule, name)


_BASE_APPLIES_TO = Rule.applies_to.__func__  # type: ignore[attr-defined] - a classmethod's function


class Engine:
    """Lints modules with the enabled rules of one configuration.

    One instance of each enabled rule serves the whole run (the engine sets its `ctx` and calls its `start()` on
    each module), so the dispatch tables are built once per set of rules that apply to a module, not per module.
    """

    def __init__(
        self,
        config: Config,
        rules: Iterable[type[Rule]],
        *,
        strict: bool = False,
        on_error: Callable[[str], None] | None = None,
        fixes: bool = False,
        reviews: bool = False,
    ) -> None:
        self.config = config
        self.rules = tuple(rule for rule in rules if config.is_enabled(rule.code, rule.tier))
        self.strict = strict
        self._instances = tuple(rule() for rule in self.rules)
        for instance in self._instances:
            instance.wants_fixes = fixes  # rules build their fixes only when asked (the command's --fix, JSON)
        #: Rules that read the module's other violations once they are all found (HR014 unused-noqa): only for a
        #: caller that applies noqa comments itself (the command), since flake8 silences a line's codes on its own.
        self._reviewers = tuple(rule for rule in self._instances if reviews and _overrides(type(rule), "review"))
        self._codes = frozenset(rule.code for rule in self.rules)
        #: Rules that apply to every module need no per-module question: the others are asked in groups, once
        #: per distinct question (`_condition_key`).
        self._always = tuple(rule for rule in self._instances if not _is_conditional(type(rule)))
        groups: dict[object, list[Rule]] = {}
        for rule in self._instances:
            if rule not in self._always:
                groups.setdefault(_condition_key(type(rule)), []).append(rule)
        self._groups = tuple((type(members[0]).applies_to, tuple(members)) for members in groups.values())
        #: The rules whose `start` and `finish` do something (the base class's do nothing).
        self._starters = frozenset(rule for rule in self._instances if _overrides(type(rule), "start"))
        self._finishers = frozenset(rule for rule in self._instances if _overrides(type(rule), "finish"))
        self._tables: dict[tuple[Rule, ...], Tables] = {}
        self.on_error = on_error

    def lint(self, tree: ast.AST, lines: Sequence[str], filename: str) -> list[Violation]:
        """All violations in one module, sorted by position.

        The cyclic garbage collector is paused meanwhile (see `_lint`): a module's records live until it is
        linted and are then freed by reference counting (`ModuleContext.release`), so the collector's
        passes over them, every 700 allocations, would find nothing to free and only cost time.
        """
        if not gc.isenabled():
            return self._lint(tree, lines, filename)
        gc.disable()
        try:
            return self._lint(tree, lines, filename)
        finally:
            gc.enable()

    def _lint(self, tree: ast.AST, lines: Sequence[str], filename: str) -> list[Violation]:
        violations: list[Violation] = []
        try:
            ctx = ModuleContext(tree, lines, filename, self.config)
        except Exception as exc:
            if self.strict:
                raise
            self._warn("the module context", filename, 1, exc)
            return violations
        active = self._active(ctx) if self._groups else self._instances
        tables = self._tables.get(active)
        if tables is None:
            tables = self._tables[active] = Tables()
            for rule in active:
                tables.add(rule, self.config)
        broken: set[str] = set()
        restore: list[tuple[list[Any], int, Any]] = []  # Any: callbacks of every kind
        sink, starters, finishers = violations.append, self._starters, self._finishers
        try:
            for rule in active:
                rule.ctx = ctx
                rule._sink = sink
                if rule not in starters:
                    continue
                try:
                    rule.start()
                except Exception as exc:
                    self._disable(rule.start, tables, broken, restore, filename, ctx.tree, exc)
            self._dispatch(ctx, tables, broken, restore, filename)
            for rule in active:
                if rule not in finishers or rule.code in broken:
                    continue
                try:
                    rule.finish()
                except Exception as exc:
                    self._disable(rule.finish, tables, broken, restore, filename, ctx.tree, exc)
            for rule in self._reviewers:
                try:
                    ran = self._codes - broken
                    rule.review([v for v in violations if v.code not in broken], ran)
                except Exception as exc:
                    self._disable(rule.review, tables, broken, restore, filename, ctx.tree, exc)
        finally:
            for callbacks, index, callback in restore:
                callbacks[index] = callback
            ctx.release()
        violations = [violation for violation in violations if violation.code not in broken]
        violations.sort(key=lambda violation: (violation.line, violation.col, violation.code))
        return violations

    def _active(self, ctx: ModuleContext) -> tuple[Rule, ...]:
        """The rules that apply to a module; each distinct `applies_to` question is asked once."""
        active = list(self._always)
        for applies_to, members in self._groups:
            if applies_to(ctx):
                active.extend(members)
        return tuple(active)

    def _dispatch(
        self,
        ctx: ModuleContext,
        tables: Tables,
        broken: set[str],
        restore: list[tuple[list[Any], int, Any]],  # Any: callbacks of every kind
        filename: str,
    ) -> None:
        """Hand every node, call and reference to the rules that asked for it."""
        ctx.references()  # resolve every imported name once: from here on each `qualname` is a look-up
        for node_type, callbacks in tables.visits.items():
            for node in ctx.nodes.get(node_type, ()):
                for callback in callbacks:
                    try:
                        callback(node)
                    except Exception as exc:
                        self._disable(callback, tables, broken, restore, filename, node, exc)
        if tables.calls or tables.methods:
            self._dispatch_calls(ctx, tables, broken, restore, filename)
        if tables.references:
            self._dispatch_references(ctx.references(), tables.references, tables, broken, restore, filename)
        if tables.string_references:
            references = ctx.type_positions.references()  # names inside string annotations, parsed once
            self._dispatch_references(references, tables.string_references, tables, broken, restore, filename)

    def _dispatch_references(
        self,
        references: list[tuple[ast.Name | ast.Attribute, str]],
        table: dict[str, list[Callable[[Any, str], None]]],  # Any: a Name or an Attribute
        tables: Tables,
        broken: set[str],
        restore: list[tuple[list[Any], int, Any]],  # Any: callbacks of every kind
        filename: str,
    ) -> None:
        """Hand each resolved name to the rules that asked for it."""
        get = table.get
        for node, name in references:
            callbacks = get(name)
            if callbacks is None:
                continue
            for callback in callbacks:
                try:
                    callback(node, name)
                except Exception as exc:
                    self._disable(callback, tables, broken, restore, filename, node, exc)

    def _dispatch_calls(
        self,
        ctx: ModuleContext,
        tables: Tables,
        broken: set[str],
        restore: list[tuple[list[Any], int, Any]],  # Any: callbacks of every kind
        filename: str,
    ) -> None:
        """Resolve each call once and hand it to the rules that asked for its name or its method name."""
        calls, methods = tables.calls, tables.methods
        attribute, name_type = ast.Attribute, ast.Name
        # `ctx.references()` has run, so a call's resolved name is one look-up in its table; only a bare
        # name that resolves to nothing may still be a builtin, which `ctx.call_name` decides.
        resolved = ctx.resolved_names()
        for node in ctx.nodes.get(ast.Call, ()):
            func = node.func
            if methods and type(func) is attribute:
                for callback in methods.get(func.attr, ()):
                    try:
                        callback(node, func.attr)
                    except Exception as exc:
                        self._disable(callback, tables, broken, restore, filename, node, exc)
            if calls:
                name = resolved.get(func)
                if name is None:
                    if type(func) is not name_type:
                        continue
                    name = ctx.call_name(node)
                    if name is None:
                        continue
                callbacks = calls.get(name)
                if callbacks is None:
                    continue
                for callback in callbacks:
                    try:
                        callback(node, name)
                    except Exception as exc:
                        self._disable(callback, tables, broken, restore, filename, node, exc)

    def _disable(
        self,
        callback: Callable[..., None],
        tables: Tables,
        broken: set[str],
        restore: list[tuple[list[Any], int, Any]],  # Any: callbacks of every kind
        filename: str,
        node: ast.AST,
        exc: Exception,
    ) -> None:
        """Switch a failed rule off for the rest of this module, and say so on stderr (strict: raise)."""
        if self.strict:
            raise exc
        rule = getattr(callback, "__self__", None)
        code = getattr(rule, "code", "?")
        broken.add(code)
        restore.extend(tables.silence(rule))
        self._warn(f"rule {code}", filename, getattr(node, "lineno", 1), exc)

    def _warn(self, what: str, filename: str, line: int, exc: Exception) -> None:
        message = (
            f"flake8-house-rules: internal error in {what} at {filename}:{line}: "
            f"{type(exc).__name__}: {exc}; it is skipped for this file (please report this)"
        )
        LOG.error(message)
        if self.on_error is not None:
            self.on_error(message)
        else:
            sys.stderr.write(message + "\n")


def lint_source(
    source: str,
    path: str = "app/module.py",
    options: Mapping[str, str] | None = None,
    *,
    strict: bool = True,
    fixes: bool = False,
    reviews: bool = True,
) -> list[Violation]:
    """Lint a source string in-process as flake8 would, with `--hr-*` option values given by name.

    For tests, docs and tools. Options not given take their defaults, except that the target version is
    3.13 unless set, so results do not depend on the interpreter or on any `pyproject.toml` nearby. As the
    `house-rules` command does, it runs HR014 unused-noqa (`reviews`); `fixes` builds each violation's fix.
    """
    values: dict[str, object] = {"hr-target-version": "3.13", **(options or {})}
    config = build_config(values, frozenset(load_rules()), cwd="/nonexistent-house-rules-cwd")
    lines = source.splitlines(keepends=True)
    engine = Engine(config, all_rules(config).values(), strict=strict, fixes=fixes, reviews=reviews)
    return engine.lint(ast.parse(source), lines, path)
